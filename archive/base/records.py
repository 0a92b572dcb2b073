"""Frozen records that the pipeline passes along: sources, articles, outputs."""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple

from archive.base import urls
from archive.base.dates import WrittenDate
from archive.base.interface import N_, Interface


@dataclass(frozen=True)
class Source:
    """A publication a text was taken from, as listed in content/sources.yaml."""

    key: str
    name: str
    url: str | None  # None: not known
    language: str
    country: str | None  # None: not known
    description: str

    @property
    def page_url(self) -> str:
        return urls.source_url(self.key)


# How a translation was made, in the order lists show them, each with the words that say so.
TRANSLATIONS = {  # how a translation was made, as a label or a heading says it (in English)
    "official": N_("Official translation"),
    "human": N_("Human translation"),
    "machine": N_("Machine translation"),
    "unknown": N_("Translation, method unknown"),
}


def translation_name(kind: str, ui: Interface) -> str:
    """'Machine translation', 'Машинный перевод': how a translation was made, in ui's language."""
    return ui.gettext(TRANSLATIONS[kind])


@dataclass(frozen=True)
class ChainStep:
    """One stage of the way a text travelled: a language, and who and where, if known."""

    language: str
    translators: tuple[str, ...] = ()
    source: Source | None = None
    date: datetime.date | None = None
    note: str = ""
    translation: str | None = None  # how this step was translated (a key of TRANSLATIONS), if said
    written_date: WrittenDate | None = None  # the date as written, when it is not one day (date: its first)


@dataclass(frozen=True)
class EditorialSection:
    """Material kept beside a text but not part of it (discussion questions, commentary)."""

    heading: str
    body: str  # Markdown
    line: int  # where the section starts in its file


@dataclass(frozen=True)
class KeptFile:
    """A file of content/files/ that belongs to a text: a facsimile, the original's PDF, a scan."""

    file: str  # its name under content/files/
    description: str
    line: int = field(default=0, compare=False)  # where the text's front matter names it


@dataclass(frozen=True)
class Imported:
    """What the importer recorded about the file a text came from."""

    file: str
    sha256: str
    encoding: str
    repairs: tuple[str, ...] = ()
    normalised: tuple[str, ...] = ()


@dataclass(frozen=True)
class Article:
    """One text: one rendition of a work in one language, as found in one source."""

    path: str  # its file under content/ (a string: thousands are kept between builds)
    slug: str
    title: str
    date: datetime.date  # the day; for a partial date (written_date), its earliest day
    source: Source
    authors: tuple[str, ...]
    language: str
    body: str  # Markdown: the text itself, nothing else
    body_line: int  # line of the file where the body starts
    translators: tuple[str, ...] = ()
    original_language: str | None = None
    original_title: str | None = None
    source_url: str | None = None
    retrieved: datetime.date | None = None
    chain: tuple[ChainStep, ...] = ()
    work: str | None = None
    license: str = "unknown"
    excerpt: bool = False
    draft: bool = False  # not published yet: a build leaves it out unless asked for drafts
    tags: tuple[str, ...] = ()
    hashtags: tuple[str, ...] = ()
    summary: str = ""
    aliases: tuple[str, ...] = ()
    notes: str = ""
    removed: tuple[str, ...] = ()
    imported: Imported | None = None
    translation: str | None = None  # a key of TRANSLATIONS for a translation; None for an original
    written_date: WrittenDate | None = None  # a month, a year, a span, circa... as written (base/dates.py)
    files: tuple[KeptFile, ...] = ()  # the files of content/files/ kept with it
    file_links: tuple[tuple[str, int], ...] = ()  # the kept files its body links to, with their lines
    reviewed: bool = False  # the archive has checked the translation against its original
    editorial: tuple[EditorialSection, ...] = ()
    lines: dict[str, int] = field(default_factory=dict, compare=False, hash=False)

    @cached_property  # asked for wherever the text is listed, linked or keyed
    def url(self) -> str:
        return urls.article_url(self.slug)

    @cached_property  # kept with the text between builds, like its URL
    def relation_key(self) -> str:
        """A digest of what relates it to other texts (site/related.py): not its words."""
        sources = (self.source.key, *(step.source.key for step in self.chain if step.source))
        return digest((self.url, self.date, self.title, self.work, self.authors, self.tags, sources))

    @cached_property  # kept with the text between builds: sorting by it is a good part of a rebuild
    def site_order(self) -> tuple[int, str, str]:
        """Its place in the site's order: newest first, ties by title then slug."""
        return (-self.date.toordinal(), self.title.casefold(), self.slug)

    @property
    def is_translation(self) -> bool:
        return self.original_language is not None and self.original_language != self.language


@dataclass(frozen=True)
class Output:
    """One file of the built site: a path inside the output folder and its bytes."""

    path: str
    data: bytes


class Job(NamedTuple):
    """One file of the built site, not yet made: its path, a key of its inputs, how to make it.

    Two builds that give a path the same key give it the same bytes, so a rebuild keeps the
    file it has and makes only the jobs whose key changed. (A named tuple: a site has tens of
    thousands, made on every build.)
    """

    path: str
    key: str
    make: Callable[[], Output]
    # A page that lists texts, made once the pages listing every text once have been made
    # (in a pool of processes each makes a text's entry once, and the later pages share them).
    later: bool = False


@dataclass(frozen=True)
class Correction:
    """One commit that changed a text: its body, its fields or both (site/history.py)."""

    commit: str
    date: str  # the commit's date, ISO 8601 in UTC: 2026-03-01T09:30:00Z
    message: str  # the commit's subject line
    sha_before: str  # SHA-256 of the body before ('' for the commit that added the text)
    sha_after: str
    fields: tuple[str, ...]  # the front-matter fields it changed
    hunks: tuple[tuple[tuple[str, str], ...], ...]  # the words: (' ' kept | '-' removed | '+' added, words)

    @property
    def added(self) -> bool:
        return not self.sha_before


class ExportRows(NamedTuple):
    """A text's parts of the whole-site files, in UTF-8: made when it is read, kept with it."""

    json: bytes  # its line of data/articles.json
    csv: bytes  # its row of data/articles.csv
    csl: bytes  # its item in data/citations.json (CSL-JSON)


def digest(*parts: object) -> str:
    """A short stable digest of values whose repr is stable (str, int, tuples of them): job keys
    and the cache's keys."""
    return digest_text(repr(parts))


def digest_pairs(head: object, pairs: Iterable[tuple[str, object]]) -> str:
    """The same for a few values (head) and thousands of (path, value) pairs: the pairs joined
    with NUL, which no path, key or stat holds, cost far less than their repr."""
    return digest_text(repr(head) + "".join([f"\0{name}\0{value}" for name, value in pairs]))


def digest_text(text: str) -> str:
    """The same for one long string the caller joined (cheaper than the repr of many values)."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()
