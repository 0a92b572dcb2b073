"""Articles -> citations: permalink, Chicago, BibTeX, CSL-JSON, RIS, meta tags and JSON-LD data,
each read back the way reference managers read it."""

from __future__ import annotations

import datetime
from dataclasses import replace

from archive.base.records import Article, Source
from archive.output.cite import (
    bibtex,
    bibtex_escape,
    chicago,
    csl_item,
    headline,
    json_ld,
    meta_tags,
    permalink,
    quoted_title,
    ris,
)

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


def test_chicago_names_translator_source_and_archive() -> None:
    assert chicago(ARTICLE, BASE, "The Archive") == (
        "Xi Jinping. “Forging Ahead.” Translated by V. Sergeev. Pogled.Info, March 20, 2023. "
        "The Archive. https://example.org/archive/articles/op-ed/."
    )


def test_chicago_says_when_the_translator_is_unknown_and_the_text_an_excerpt() -> None:
    unknown = replace(ARTICLE, translators=(), excerpt=True)
    assert "“Forging Ahead.” Excerpt, translated from Chinese by an unknown translator. Pogled" in chicago(
        unknown, BASE, "A"
    )
    assert (
        csl_item(unknown, BASE, "A")["genre"] == "Excerpt, translated from Chinese by an unknown translator"
    )


def test_chicago_capitalises_english_titles_as_csl_does() -> None:
    assert headline("world today news: the view from sofia", "en") == "World Today News: The View from Sofia"
    assert headline("a China-Russia iPhone of the year", "en-GB") == "A China-Russia iPhone of the Year"
    assert headline("le monde diplomatique", "fr") == "le monde diplomatique"


def test_a_title_keeps_its_own_question_mark() -> None:
    assert quoted_title("Why War?") == "“Why War?”"
    assert quoted_title("Peace.") == "“Peace.”"


def test_csl_item_names_each_role_and_the_copy() -> None:
    item = csl_item(ARTICLE, BASE, "The Archive")
    assert item["author"] == [{"literal": "Xi Jinping"}]
    assert item["translator"] == [{"literal": "V. Sergeev"}]
    assert item["issued"] == {"date-parts": [[2023, 3, 20]]}
    assert (item["container-title"], item["archive"]) == ("Pogled.Info", "The Archive")
    assert item["URL"] == "https://example.org/archive/articles/op-ed/"


def test_ris_keeps_each_value_on_its_own_line() -> None:
    record = ris(replace(ARTICLE, title="Two\nlines", summary="A\r\nB"), BASE, "The Archive")
    lines = record.split("\r\n")
    assert lines[:4] == ["TY  - ELEC", "TI  - Two lines", "AU  - Xi Jinping", "A4  - V. Sergeev"]
    assert "AB  - A B" in lines and lines[-2:] == ["ER  - ", ""]


def test_meta_tags_give_translators_as_dublin_core_contributors_only() -> None:
    tags = meta_tags(ARTICLE, BASE)
    assert ("citation_author", "Xi Jinping") in tags and ("DC.creator", "Xi Jinping") in tags
    assert ("DC.contributor", "V. Sergeev") in tags
    assert [name for name, value in tags if value == "V. Sergeev"] == ["DC.contributor"]
    assert ("citation_publication_date", "2023/03/20") in tags


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
