"""Which texts a build publishes: drafts and texts dated after the day of the build are held
back, unless the build is asked for them (`build --drafts`, `--future`; `serve` shows both, each
marked as such on its page)."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from archive.base.records import Article

DRAFT = "draft"
SCHEDULED = "scheduled"  # dated after the day of the build


@dataclass(frozen=True)
class Publishing:
    """What a build includes beside the published texts, and the day it is built on."""

    drafts: bool = False
    future: bool = False
    today: datetime.date = field(default_factory=datetime.date.today)

    def status(self, article: Article) -> str:
        """'draft', 'scheduled' (dated after today), or '' for a published text."""
        if article.draft:
            return DRAFT
        return SCHEDULED if article.date > self.today else ""

    def shows(self, article: Article) -> bool:
        status = self.status(article)
        return not status or (self.drafts if status == DRAFT else self.future)

    def held_back(self, articles: Iterable[Article]) -> Counter[str]:
        """How many texts of each status this build leaves out."""
        return Counter(self.status(a) for a in articles if not self.shows(a))

    @property
    def signature(self) -> tuple[bool, bool, str]:
        """What a build's output depends on: a text dated tomorrow is published tomorrow (or,
        shown before, loses its notice)."""
        return (self.drafts, self.future, self.today.isoformat())


def describe_held_back(held: Counter[str]) -> str:
    """'1 draft and 2 texts dated after today are held back from the site (build --drafts
    --future includes them)', or ''."""
    parts = []
    if held[DRAFT]:
        parts.append(f"{held[DRAFT]} draft{'s' if held[DRAFT] != 1 else ''}")
    if held[SCHEDULED]:
        count = held[SCHEDULED]
        parts.append(f"{count} {'text' if count == 1 else 'texts'} dated after today")
    if not parts:
        return ""
    verb, them = ("is", "it") if sum(held.values()) == 1 else ("are", "them")
    flags = " ".join(flag for flag, kind in (("--drafts", DRAFT), ("--future", SCHEDULED)) if held[kind])
    return f"{' and '.join(parts)} {verb} held back from the site (build {flags} includes {them})"
