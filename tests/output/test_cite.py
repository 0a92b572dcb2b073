"""Articles -> citations: permalink, Chicago, BibTeX and JSON-LD data."""

from __future__ import annotations

import datetime
from dataclasses import replace

from archive.base.records import Article, Source
from archive.output.cite import bibtex, bibtex_escape, chicago, json_ld, permalink

SOURCE = Source("pogled-info", "Pogled.Info", "https://pogled.info/", "bg", "Bulgaria", "A site.")
ARTICLE = Article(
    path="content/articles/2023/op-ed.md",
    slug="op-ed",
    title="Forging Ahead",
    date=datetime.date(2023, 3, 20),
    source=SOURCE,
    authors=("Xi Jinping",),
    language="en",
    body="Text.",
    body_line=10,
    translators=("V. Sergeev",),
    original_language="zh",
    retrieved=datetime.date(2023, 3, 22),
    source_url="https://pogled.info/x",
)
BASE = "https://example.org/archive/"


def test_permalink_is_absolute_under_the_base_url() -> None:
    assert permalink(ARTICLE, BASE) == "https://example.org/archive/articles/op-ed/"


def test_chicago_names_translator_original_language_and_source() -> None:
    assert chicago(ARTICLE, BASE, "The Archive") == (
        "Xi Jinping. “Forging Ahead.” Translated from Chinese by V. Sergeev. Pogled.Info, March 20, 2023. "
        "Archived in The Archive, retrieved March 22, 2023. https://example.org/archive/articles/op-ed/."
    )


def test_chicago_says_when_the_translator_is_unknown() -> None:
    assert "by an unknown translator" in chicago(replace(ARTICLE, translators=()), BASE, "A")


def test_bibtex_has_translator_and_original_language() -> None:
    entry = bibtex(ARTICLE, BASE, "The Archive")
    assert entry.startswith("@misc{op-ed,\n")
    assert "  translator = {{V. Sergeev}}," in entry
    assert "  origlanguage = {chinese}," in entry
    assert "  url = {https://example.org/archive/articles/op-ed/}," in entry
    assert entry.endswith("\n}")


def test_bibtex_escapes_its_special_characters() -> None:
    assert bibtex_escape("50% {of} R&D_#1 $x\\") == r"50\% \{of\} R\&D\_\#1 \$x\textbackslash{}"


def test_json_ld_describes_the_translation() -> None:
    original = replace(ARTICLE, slug="zh", language="zh", original_language=None)
    data = json_ld(ARTICLE, BASE, original)
    assert data["@type"] == "Article" and data["inLanguage"] == "en"
    assert data["translator"] == [{"@type": "Person", "name": "V. Sergeev"}]
    assert data["publisher"]["name"] == "Pogled.Info"
    assert data["isBasedOn"] == "https://pogled.info/x"
    assert data["translationOfWork"]["url"] == "https://example.org/archive/articles/zh/"
    assert "translationOfWork" not in json_ld(original, BASE, original)
