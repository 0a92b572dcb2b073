"""Dates as copies write them ("March 22, 1913", "8 октября 2002 года", "21.dez.2018") -> calendar dates."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from archive.importer.patterns import MONTH_NAMES

MONTH_WORD = r"[^\W\d_]+\.?"
DAY = r"(?P<day>[0-3]?\d)"
YEAR = r"(?P<year>(?:1[5-9]|20)\d\d)"
DATE_PATTERNS = (
    re.compile(rf"{YEAR}-(?P<month_number>[01]\d)-{DAY}\b"),
    re.compile(rf"{YEAR}\s*年\s*(?P<month_number>[01]?\d)\s*月\s*{DAY}\s*日"),
    re.compile(rf"\b{DAY}(?:\.|\s)\s*(?P<month>{MONTH_WORD})(?:/(?P<month2>{MONTH_WORD}))?[.,]?\s*{YEAR}"),
    re.compile(rf"\b(?P<month>{MONTH_WORD})\s+{DAY}(?:st|nd|rd|th)?,?\s+{YEAR}"),
    re.compile(rf"\b{DAY}\s*\.\s*(?P<month_number>[01]?\d)\s*\.\s*{YEAR}\b"),
)
YEAR_RE = re.compile(r"\b(?:1[5-9]|20)\d\d\b")


@dataclass(frozen=True)
class DateFound:
    """A date read from a text, and the words it was read from."""

    date: datetime.date
    words: str


def find_date(text: str) -> DateFound | None:
    """Find the first full date (day, month, year) written in a text."""
    for pattern in DATE_PATTERNS:
        for match in pattern.finditer(text):
            date = make_date(match)
            if date is not None:
                return DateFound(date, match.group().strip())
    return None


def make_date(match: re.Match[str]) -> datetime.date | None:
    """Turn one pattern's match into a date, if its month is a month and its day is a day."""
    groups = match.groupdict()
    if groups.get("month_number"):
        month = int(groups["month_number"])
    else:
        names = (groups.get("month") or "", groups.get("month2") or "")
        month = next(
            (MONTH_NAMES[n] for n in (name.lower().rstrip(".") for name in names) if n in MONTH_NAMES), 0
        )
    try:
        return datetime.date(int(groups["year"]), month, int(groups["day"]))
    except ValueError:
        return None


def find_years(text: str) -> tuple[str, ...]:
    """The years a text names, in order."""
    return tuple(YEAR_RE.findall(text))
