"""A new article's skeleton: every field of the content format, commented, TODO where unknown."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

from archive.base import urls
from archive.base.records import Source
from archive.importer.importer import quote

TODO_DATE = "TODO: first publication of the work, YYYY-MM-DD"
TODO_AUTHOR = "TODO: author"
TODO_SOURCE_URL = "TODO: the address of the page this copy came from"
TODO_LICENSE = "TODO: the licence the source states, or unknown"
TODO_TAG = "TODO: tags"
TODO_SUMMARY = "TODO: one sentence on what the text is"
TODO_BODY = "TODO: the text itself, word for word as found. Paragraphs are separated by blank lines."

FIELDS = """---
# A new text. Fill in every TODO, then run: python build.py check
# Every field of the format is here; the full reference is docs/content-format.md.
# Lines that start with # are comments: remove the # from the optional fields that apply.
# After the text, material that came with the copy but is not part of it (discussion questions,
# commentary) goes under a marker line of its own: <!-- editorial: Discussion questions -->
title: {title}  # required: the title of this text, as the copy gives it
date: {date}  # required: first publication of the work (or a month 1913-03, a year 1888, circa 1847~)
source: {source}  # required: where this copy came from, a key of content/sources.yaml
authors: [{author}]  # required: who wrote the work, one or more names
source_url: {source_url}  # the page this copy came from (http or https)
retrieved: {retrieved}  # when the archive took the copy
language: {language}  # BCP 47 code of this text (the source's language was assumed)
# original_language: ru  # BCP 47 code of the original; leave out if this text is the original
# original_title: ""  # the original's title, in its own script
# translators: []  # who translated it; [] means unknown
# translation: unknown  # how it was translated: official, human, machine or unknown
# reviewed: false  # true once the archive has checked the translation against its original
# chain:  # how the text travelled, oldest first; unknown steps stay unknown
#   - {{language: ru, source: rossiyskaya-gazeta, date: 2023-03-20}}
#   - {{language: en, translators: [A. Translator], translation: human, source: {source}}}
# work: a-work-key  # texts with the same key are versions of one work
license: {license}  # as stated by the source; unknown when not known
# excerpt: true  # the archive holds only part of the text
# draft: true  # not published yet: a build leaves it out unless asked (build --drafts)
tags: [{tag}]  # lower-case words joined by hyphens
# hashtags: ["#Example"]  # hashtags as they appeared on the copy, kept for the record
summary: {summary}
# slug: {slug}  # the default is the file name
# aliases: [/old/url/]  # old addresses that must keep working
# notes: |  # the editor's notes: not part of the text
#   ...
# removed:  # lines that came with the copy but are not the text, verbatim
#   - "Subscribe to our channel"
# files:  # files of content/files/ kept with the text: facsimiles, the original's PDF, scans
#   - {{file: a-facsimile.pdf, description: "The first edition, in facsimile"}}
---

{body}
"""


@dataclass(frozen=True)
class Skeleton:
    """A new article's file: where it goes and what it says."""

    path: Path
    text: str


class BadTitle(ValueError):
    """The title gives no slug (nothing but punctuation or symbols)."""


def make_skeleton(
    title: str, source: Source, content_dir: Path, date: datetime.date | None, today: datetime.date
) -> Skeleton:
    """The skeleton of a new text titled `title`, in articles/<year>/<slug>.md."""
    slug = urls.slugify_name(title)
    if not urls.is_safe_slug(slug):
        raise BadTitle(f"the title {title!r} gives no slug: it needs letters or digits")
    text = FIELDS.format(
        title=quote(title),
        date=date.isoformat() if date else quote(TODO_DATE),
        source=source.key,
        author=quote(TODO_AUTHOR),
        source_url=quote(TODO_SOURCE_URL),
        retrieved=today.isoformat(),
        language=source.language,
        license=quote(TODO_LICENSE),
        tag=quote(TODO_TAG),
        summary=quote(TODO_SUMMARY),
        slug=slug,
        body=TODO_BODY,
    )
    year = (date or today).year
    return Skeleton(content_dir / "articles" / str(year) / f"{slug}.md", text)


def write_skeleton(skeleton: Skeleton) -> Path:
    """Write the skeleton; raise FileExistsError rather than overwrite anything."""
    skeleton.path.parent.mkdir(parents=True, exist_ok=True)
    with skeleton.path.open("x", encoding="utf-8", newline="\n") as file:
        file.write(skeleton.text)
    return skeleton.path
