"""Dates as historians write them: a day, a month, a year, a span, circa, uncertain.

A text's `date` is a day (2023-03-20) or, when no day is known, a date in the Library of
Congress's Extended Date/Time Format (EDTF): `1888`, `1913-03`, `1847~` (circa), `1845?`
(uncertain), `1845%` (both), and spans of those, `1917-10/1917-11`. Only these forms are taken:
EDTF's seasons, unspecified digits and open spans are refused. (The `edtf` package parses the
whole specification, with pyparsing and dateutil; the part an archive writes is this one pattern,
and what it is read for, words, sorting, citations, is the archive's own.)

A partial date sorts, and is filed under its year, by its earliest day; feeds, which need a
day, give that day.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

MONTHS = (
    *("January", "February", "March", "April", "May", "June", "July", "August", "September"),
    *("October", "November", "December"),
)
END = r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?([~?%]?)"
WRITTEN = re.compile(rf"{END}(?:/{END})?")

Parts = tuple[int, ...]  # (year,), (year, month) or (year, month, day)


@dataclass(frozen=True)
class WrittenDate:
    """A date that is not one known day, as it was written."""

    edtf: str  # as written: "1913-03", "1847~", "1917-10/1917-11"
    ends: tuple[Parts, ...]  # one, or the two ends of a span
    qualifiers: tuple[str, ...]  # each end's: "" , "~" (circa), "?" (uncertain), "%" (both)

    @property
    def earliest(self) -> datetime.date:
        return first_day(self.ends[0])

    @property
    def precision(self) -> str:
        """'year', 'month' or 'day', of its first end."""
        return ("year", "month", "day")[len(self.ends[0]) - 1]

    @property
    def circa(self) -> bool:
        return any(q in ("~", "%") for q in self.qualifiers)


class NotADate(ValueError):
    """The text is not a date of the forms above; the message says why."""


def read_written_date(text: str) -> datetime.date | WrittenDate:
    """A day as a date; any other date of the forms above as a WrittenDate; raise NotADate."""
    found = WRITTEN.fullmatch(text.strip())
    if found is None:
        raise NotADate(f"'{text}' is not a date")
    groups = found.groups()
    ends, qualifiers = [], []
    for start in (0, 4) if groups[4] else (0,):
        year, month, day, qualifier = groups[start : start + 4]
        parts = tuple(int(p) for p in (year, month, day) if p)
        check_parts(text, parts)
        ends.append(parts)
        qualifiers.append(qualifier)
    if len(ends) == 2 and last_day(ends[1]) < first_day(ends[0]):
        raise NotADate(f"'{text}' ends before it starts")
    if len(ends) == 2 and ends[0] == ends[1] and qualifiers[0] == qualifiers[1]:
        ends, qualifiers = ends[:1], qualifiers[:1]  # a span of one date is that date
    if len(ends) == 1 and len(ends[0]) == 3 and not qualifiers[0]:
        return datetime.date(*ends[0])
    return WrittenDate(text.strip(), tuple(ends), tuple(qualifiers))


def check_parts(text: str, parts: Parts) -> None:
    if parts[0] < 1:
        raise NotADate(
            f"'{text}' has no year 0 (the year before 1 is written -0001 in EDTF, which is not taken)"
        )
    if len(parts) > 1 and not 1 <= parts[1] <= 12:
        raise NotADate(f"'{text}' has no month {parts[1]}")
    if len(parts) == 3:
        try:
            datetime.date(*parts)
        except ValueError:
            raise NotADate(f"'{text}' is not a real date") from None


def first_day(parts: Parts) -> datetime.date:
    return datetime.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


def last_day(parts: Parts) -> datetime.date:
    if len(parts) == 3:
        return datetime.date(*parts)
    year, month = parts[0], parts[1] if len(parts) > 1 else 12
    if month == 12:
        return datetime.date(year, 12, 31)
    return datetime.date(year, month + 1, 1) - datetime.timedelta(days=1)


def date_words(day: datetime.date, written: WrittenDate | None = None, american: bool = False) -> str:
    """'20 March 2023', 'March 1913', 'c. 1847', '1845?', 'October–November 1917'; American
    ('March 20, 2023', 'ca. 1847'), as Chicago writes dates, when asked."""
    if written is None:
        return end_words((day.year, day.month, day.day), american)
    circa = "ca. " if american else "c. "
    words = [
        (circa if q in ("~", "%") else "") + end_words(parts, american) + ("?" if q in ("?", "%") else "")
        for parts, q in zip(written.ends, written.qualifiers, strict=True)
    ]
    if len(words) == 1:
        return words[0]
    if not any(written.qualifiers):
        return span_words(written.ends[0], written.ends[1], american)
    return " – ".join(words)


def end_words(parts: Parts, american: bool = False) -> str:
    if len(parts) == 1:
        return str(parts[0])
    month = MONTHS[parts[1] - 1]
    if len(parts) == 2:
        return f"{month} {parts[0]}"
    return f"{month} {parts[2]}, {parts[0]}" if american else f"{parts[2]} {month} {parts[0]}"


def span_words(start: Parts, end: Parts, american: bool) -> str:
    """A span, its shared year (and month) said once: '1845–1847', 'October–November 1917',
    '20–22 March 2023'; else both ends in full, with spaces around the dash."""
    same_precision = len(start) == len(end)
    if same_precision and len(start) == 1:
        return f"{start[0]}–{end[0]}"
    if same_precision and start[0] == end[0] and len(start) == 2:
        return f"{MONTHS[start[1] - 1]}–{MONTHS[end[1] - 1]} {start[0]}"
    if same_precision and start[:2] == end[:2] and not american:
        return f"{start[2]}–{end[2]} {MONTHS[start[1] - 1]} {start[0]}"
    if same_precision and start[:2] == end[:2]:
        return f"{MONTHS[start[1] - 1]} {start[2]}–{end[2]}, {start[0]}"
    return f"{end_words(start, american)} – {end_words(end, american)}"


def ends_of(day: datetime.date, written: WrittenDate | None = None) -> tuple[Parts, ...]:
    """The date's parts, of its one end or its span's two: ((2023, 3, 20),), ((1913, 3),)."""
    return ((day.year, day.month, day.day),) if written is None else written.ends


def padded(parts: Parts) -> list[str]:
    """The parts as ISO writes them: ['1913', '03']."""
    return [f"{p:02d}" if n else f"{p:04d}" for n, p in enumerate(parts)]


def machine_date(day: datetime.date, written: WrittenDate | None = None) -> str:
    """The date as ISO 8601 writes it at its precision, for <time datetime> and metadata:
    '2023-03-20', '1913-03', '1888' (a span's or a circa date's first end, unqualified)."""
    return "-".join(padded(ends_of(day, written)[0]))


def as_written(day: datetime.date, written: WrittenDate | None = None) -> str:
    """The EDTF the date was written in (ISO for a day): what the data export gives."""
    return written.edtf if written is not None else day.isoformat()
