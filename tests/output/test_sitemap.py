"""Site model -> sitemap.xml, robots.txt and the data export."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import ROOT, TEMPLATES

from archive.build.pipeline import BuildOptions, build
from archive.content.reader import read_content
from archive.output.sitemap import FIELDS

BASE = "https://example.org/archive/"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sitemap") / "_site"
    build(BuildOptions(ROOT / "content", out, TEMPLATES, base_url=BASE, search=False, cache_dir=out.parent))
    return out


def test_sitemap_lists_every_text_and_index_absolutely(site: Path) -> None:
    root = ET.parse(site / "sitemap.xml").getroot()
    locations = [loc.text for loc in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert BASE in locations
    assert BASE + "articles/xi-2023-op-ed/" in locations
    assert BASE + "tags/china/" in locations
    assert BASE + "search/" in locations
    assert all(loc and loc.startswith(BASE) for loc in locations)
    assert BASE + "404.html" not in locations


def test_robots_names_the_sitemap(site: Path) -> None:
    assert f"Sitemap: {BASE}sitemap.xml" in (site / "robots.txt").read_text(encoding="utf-8").splitlines()


def test_every_article_appears_once_in_the_json_export(site: Path) -> None:
    articles = read_content(ROOT / "content", BASE).articles
    exported = json.loads((site / "data/articles.json").read_text(encoding="utf-8"))["articles"]
    assert sorted(a["slug"] for a in exported) == sorted(a.slug for a in articles)
    assert all(list(a) == list(FIELDS) for a in exported)
    by_slug = {a["slug"]: a for a in exported}
    for article in articles:
        record = by_slug[article.slug]
        assert record["url"] == BASE + f"articles/{article.slug}/"
        assert record["title"] == article.title
        assert record["date"] == article.date.isoformat()
        assert record["source"]["key"] == article.source.key
        assert len(record["sha256"]) == 64
    op_ed = by_slug["xi-2023-op-ed"]
    assert [step["language"] for step in op_ed["chain"]] == ["zh", "ru", "bg", "en"]


def test_the_csv_export_matches_the_json(site: Path) -> None:
    exported = json.loads((site / "data/articles.json").read_text(encoding="utf-8"))["articles"]
    rows = list(csv.DictReader(io.StringIO((site / "data/articles.csv").read_text(encoding="utf-8"))))
    assert [row["url"] for row in rows] == [a["url"] for a in exported]
    for row, record in zip(rows, exported, strict=True):
        assert row["authors"] == "; ".join(record["authors"])
        assert row["tags"] == "; ".join(record["tags"])
        assert row["source.key"] == record["source"]["key"]
        assert row["sha256"] == record["sha256"]


def test_sitemap_lists_every_generated_page(tmp_path: Path) -> None:

    out = tmp_path / "_site"
    build(BuildOptions(ROOT / "content", out, TEMPLATES, search=False, cache_dir=tmp_path))
    listed = set(re.findall(r"<loc>https://example\.org(/[^<]*)</loc>", (out / "sitemap.xml").read_text()))
    pages = {"/" + p.relative_to(out).as_posix().removesuffix("index.html") for p in out.rglob("index.html")}
    redirects = {p for p in pages if "http-equiv" in (out / p.lstrip("/") / "index.html").read_text()}
    assert listed == pages - redirects


def test_the_sitemap_is_laid_out_as_elementtree_would_write_it(site: Path) -> None:
    written = (site / "sitemap.xml").read_bytes()
    namespaces = {
        "xmlns": "http://www.sitemaps.org/schemas/sitemap/0.9",
        "xmlns:xhtml": "http://www.w3.org/1999/xhtml",
    }
    root = ET.Element("urlset", namespaces)
    for entry in ET.fromstring(written):
        url = ET.SubElement(root, "url")
        for child in entry:
            if child.tag == "{http://www.w3.org/1999/xhtml}link":
                ET.SubElement(url, "xhtml:link", dict(child.attrib))
            else:
                ET.SubElement(url, child.tag.split("}")[1]).text = child.text
    ET.indent(root)
    assert written == ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML_NS = "{http://www.w3.org/1999/xhtml}"


def test_the_versions_of_a_work_are_linked_as_alternates(site: Path) -> None:
    """Each version of a work lists every version by language (itself too) and x-default for
    the original, as Google's hreflang rules ask: valid codes, absolute URLs in the sitemap,
    the same set on every page it names, and the same as the page's own <link rel="alternate">.
    Of two versions in one language, the first is named; the second names none."""
    import langcodes

    root = ET.parse(site / "sitemap.xml").getroot()
    located = {url.findtext(f"{SITEMAP_NS}loc"): url for url in root.iter(f"{SITEMAP_NS}url")}
    alternates = {
        loc: {(link.get("hreflang"), link.get("href")) for link in url.iter(f"{XHTML_NS}link")}
        for loc, url in located.items()
    }
    farman = BASE + "articles/persia-1906-farman-fa/"
    browne = BASE + "articles/persia-1906-farman-en-browne/"
    assert alternates[farman] == {("fa", farman), ("en", browne), ("x-default", farman)}
    assert alternates[browne] == alternates[farman]
    linked = {loc: found for loc, found in alternates.items() if found}
    assert len(linked) >= 4
    for loc, found in linked.items():
        assert all(link.get("rel") == "alternate" for link in located[loc].iter(f"{XHTML_NS}link"))
        assert (None, loc) not in found
        assert any(href == loc for _, href in found), f"{loc} does not list itself"
        for hreflang, href in found:
            assert hreflang == "x-default" or langcodes.tag_is_valid(hreflang)
            assert href in located, href
            assert alternates[href] == found, f"{href} does not name the same versions as {loc}"
        page = (site / loc.removeprefix(BASE) / "index.html").read_text("utf-8")
        in_page = set(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', page))
        assert in_page == found
    assert not alternates[BASE + "tags/china/"]
    english = [loc for loc in linked if ("en", loc) in linked[loc]]
    second = {BASE + "articles/xi-2023-op-ed/", BASE + "articles/xi-2023-forging-ahead-en-opening/"} - set(
        english
    )
    assert len(second) == 1 and not alternates[second.pop()], "the second English version names none"
