"""Shared fixtures: a tree writer, a minimal valid content folder, and the project's paths."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"

SITE_YAML = "title: Test Archive\nlanguage: en\nbase_url: https://example.org/\n"
SOURCES_YAML = (
    "pogled-info:\n"
    "  name: Pogled.Info\n"
    "  url: https://pogled.info/\n"
    "  language: bg\n"
    "  country: Bulgaria\n"
    "  description: Bulgarian news site.\n"
)
ARTICLE = (
    "---\n"
    "title: A Text\n"
    "date: 2023-03-20\n"
    "source: pogled-info\n"
    "authors: [Xi Jinping]\n"
    "---\n"
    "\n"
    "The first paragraph.\n"
)

WriteTree = Callable[[dict[str, str | bytes]], Path]


@pytest.fixture
def write_tree(tmp_path: Path) -> WriteTree:
    """Write {relative path: text or bytes} under tmp_path/content-like root; return the root."""

    def write(files: dict[str, str | bytes]) -> Path:
        for name, data in files.items():
            path = tmp_path / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(data, bytes):
                path.write_bytes(data)
            else:
                path.write_text(data, encoding="utf-8")
        return tmp_path

    return write


def minimal_content(**articles: str) -> dict[str, str | bytes]:
    """A valid content tree; articles given as name=text go under content/articles/2023/."""
    files: dict[str, str | bytes] = {"content/site.yaml": SITE_YAML, "content/sources.yaml": SOURCES_YAML}
    for name, text in (articles or {"a-text": ARTICLE}).items():
        files[f"content/articles/2023/{name}.md"] = text
    return files


def hash_tree(folder: Path) -> str:
    """One hash over every file's path and bytes, to prove a folder is untouched."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()
