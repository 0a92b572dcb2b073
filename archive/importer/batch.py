"""Importing several files at once: the files a folder holds, a slug of its own for each, none overwritten."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from archive.importer.importer import Draft

INPUT_SUFFIXES = (".txt", ".text", ".html", ".htm", ".xhtml")
SLUG_FIELD_RE = re.compile(r'^slug:\s*"?([a-z0-9-]+)"?\s*$', re.MULTILINE)
SHA_FIELD_RE = re.compile(r'^\s+sha256:\s*"?([0-9a-f]{64})"?\s*$', re.MULTILINE)


@dataclass(frozen=True)
class Inputs:
    """The files to import, in order, and the paths that were left out with why."""

    files: tuple[Path, ...]
    skipped: tuple[str, ...]


@dataclass(frozen=True)
class Placed:
    """Where a draft goes: its path under content/, and why its slug is not its title's, if it is not."""

    path: Path
    note: str = ""


@dataclass
class Archive:
    """What the content folder already holds: the slugs taken and the files already imported."""

    slugs: dict[str, Path]
    imported: dict[str, Path]  # sha256 of the file a text was imported from -> the text


def gather_inputs(paths: Sequence[Path]) -> Inputs:
    """The files named, and the text and HTML files of the folders named, sorted; nothing twice."""
    files: list[Path] = []
    skipped: list[str] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))
            files += [p for p in found if p.suffix.lower() in INPUT_SUFFIXES]
            skipped += [
                f"{p}: skipped (not a .txt or .html file)"
                for p in found
                if p.suffix.lower() not in INPUT_SUFFIXES
            ]
        else:
            files.append(path)
    return Inputs(tuple(dict.fromkeys(files)), tuple(skipped))


def read_archive(content_dir: Path) -> Archive:
    """The slugs the content folder's texts take (file names, slug: fields) and the files they came from."""
    slugs: dict[str, Path] = {}
    imported: dict[str, Path] = {}
    for path in sorted((content_dir / "articles").rglob("*.md")):
        slugs.setdefault(path.stem, path)
        head = read_head(path)
        for slug in SLUG_FIELD_RE.findall(head):
            slugs.setdefault(slug, path)
        for digest in SHA_FIELD_RE.findall(head):
            imported.setdefault(digest, path)
    return Archive(slugs, imported)


def read_head(path: Path) -> str:
    """The front matter of a text, or as much of its start as holds it."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    return text.split("\n---\n", 1)[0] if text.startswith("---\n") else ""


def place_draft(draft: Draft, archive: Archive, content_dir: Path, fixed_slug: bool) -> Placed:
    """Choose the draft's path: its slug, or the slug with -2, -3... when another text has it."""
    assert draft.year is not None
    slug, note = draft.slug, ""
    if slug in archive.slugs and not fixed_slug:
        number = next(n for n in count_from(2) if f"{draft.slug}-{n}" not in archive.slugs)
        slug = f"{draft.slug}-{number}"
        note = (
            f"slug '{draft.slug}' is taken by {archive.slugs[draft.slug]}; this text is written as '{slug}' "
            "(rename it, or give --slug, if another slug suits it better)"
        )
    return Placed(content_dir / "articles" / str(draft.year) / f"{slug}.md", note)


def count_from(start: int) -> Iterable[int]:
    """start, start + 1, ...: candidates for a free slug."""
    number = start
    while True:
        yield number
        number += 1


def write_placed(draft: Draft, placed: Placed, archive: Archive) -> Path:
    """Write the draft where it was placed, never over a file; record its slug and source as taken."""
    placed.path.parent.mkdir(parents=True, exist_ok=True)
    with placed.path.open("x", encoding="utf-8", newline="\n") as file:
        file.write(draft.text)
    archive.slugs[placed.path.stem] = placed.path
    archive.imported[draft.sha256] = placed.path
    return placed.path
