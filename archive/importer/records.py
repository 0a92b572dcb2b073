"""The importer's vocabulary: blocks of a text, what was removed from it, what the copy says of itself."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from enum import Enum


class BlockKind(Enum):
    """What a block of the body is, as Markdown writes it."""

    PARAGRAPH = "paragraph"
    HEADING = "heading"
    LIST_ITEM = "list item"
    QUOTE = "quotation"
    BREAK = "section break"
    FOOTNOTE = "footnote"


@dataclass(frozen=True)
class Block:
    """One block of the text: its words as a reader sees them, and how the draft writes it."""

    kind: BlockKind
    text: str  # the words, one space between them; a kept line break is a newline
    markdown: str  # as written into the draft
    where: str  # where it was found, for the report: "line 12", "lines 12-15", "<p> 3"
    level: int = 0  # a heading's level; a list item's depth
    label: str = ""  # a list item's number or bullet, a footnote's label
    lines: tuple[int, ...] = ()  # the input lines joined into it (plain text)
    note: str = ""  # what was done to it, for the report ("lead", "joined 4 lines")


@dataclass(frozen=True)
class Removal:
    """Something that came with the copy but is not the text, kept verbatim with what it was."""

    text: str
    what: str  # "pull quote repeating ¶46", "photo caption", "boilerplate"
    where: str = ""


@dataclass(frozen=True)
class Section:
    """Material kept beside the text, not part of it: discussion questions, notes, an author's bio."""

    heading: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Found:
    """What the copy says of itself: fields for the front matter, each with where it was read."""

    title: str = ""
    title_where: str = ""
    authors: tuple[str, ...] = ()
    authors_where: str = ""
    translators: tuple[str, ...] = ()
    translators_where: str = ""
    date: datetime.date | None = None
    date_where: str = ""
    date_hint: str = ""  # a date the copy gives that is not the work's first publication
    original_language: str = ""
    original_language_where: str = ""
    original_language_hint: str = ""  # a language the page suggests without saying (its one other version)
    language: str = ""
    language_where: str = ""
    source_url: str = ""
    license: str = ""
    license_where: str = ""
    place: str = ""
    author_hint: str = ""  # a likely author where none is stated (the speaker with most turns)


@dataclass(frozen=True)
class Extract:
    """A copy read into the text's blocks, its editorial sections, its removals and its fields."""

    body: tuple[Block, ...]
    sections: tuple[Section, ...] = ()
    removed: tuple[Removal, ...] = ()
    found: Found = field(default_factory=Found)
    notes: tuple[str, ...] = ()  # doubts for a person to check
    normalised: tuple[str, ...] = ()  # layout read as the reader sees it, each kind counted
    summary: tuple[str, ...] = ()  # what the reading did, for the report
    outside: tuple[str, ...] = ()  # a saved page's blocks outside the article, one a line
