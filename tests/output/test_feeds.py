"""Site model -> Atom feeds: valid, escaped, absolute, deterministic, advertised."""

from __future__ import annotations

import datetime
from pathlib import Path

import feedparser
import pytest
from conftest import ARTICLE, TEMPLATES, WriteTree, minimal_content
from factories import text

from archive.build.pipeline import BuildOptions, build
from archive.content.config import SiteConfig
from archive.output.feeds import FEED_LENGTH, list_feeds, render_feeds, xml_attribute
from archive.site.model import build_site

HOSTILE_TITLE = "Tom & Jerry <b>bold</b> ]]> \"quoted\" 'single'"


def dated(day: int) -> str:
    return (datetime.date(2020, 1, 1) + datetime.timedelta(days=day)).isoformat()


@pytest.fixture
def hostile_site(write_tree: WriteTree) -> Path:
    article = ARTICLE.replace("title: A Text", "title: 'Tom & Jerry <b>bold</b> ]]> \"quoted\" ''single'''")
    article = article.replace("---\n\n", "tags: [china]\n---\n\n", 1)
    root = write_tree(minimal_content(**{"a-text": article}))
    build(BuildOptions(root / "content", root / "_site", TEMPLATES, base_url="https://example.org/archive/"))
    return root / "_site"


@pytest.mark.parametrize("feed", ["feed.xml", "tags/china/feed.xml", "sources/pogled-info/feed.xml"])
def test_feeds_parse_cleanly_even_with_a_hostile_title(hostile_site: Path, feed: str) -> None:
    parsed = feedparser.parse((hostile_site / feed).read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.entries[0].title == HOSTILE_TITLE
    assert parsed.entries[0].link == "https://example.org/archive/articles/a-text/"
    assert parsed.feed.updated == "2023-03-20T00:00:00Z"


def test_feeds_are_advertised_on_their_pages(hostile_site: Path) -> None:
    home = (hostile_site / "index.html").read_text(encoding="utf-8")
    assert (
        '<link rel="alternate" type="application/atom+xml" title="Test Archive" href="/archive/feed.xml">'
        in home
    )
    tag = (hostile_site / "tags/china/index.html").read_text(encoding="utf-8")
    assert (
        'type="application/atom+xml" title="china: Test Archive" href="/archive/tags/china/feed.xml"' in tag
    )
    source = (hostile_site / "sources/pogled-info/index.html").read_text(encoding="utf-8")
    assert 'href="/archive/sources/pogled-info/feed.xml"' in source


def test_the_site_feed_holds_the_newest_fifty_and_is_dated_by_the_newest() -> None:
    texts = [text(f"t{n}", dated(n), tags=("x",)) for n in range(FEED_LENGTH + 5)]
    site = build_site(SiteConfig(base_url="https://example.org/"), {}, texts)
    outputs = {o.path: o.data for o in render_feeds(site)}
    parsed = feedparser.parse(outputs["feed.xml"])
    assert not parsed.bozo
    assert len(parsed.entries) == FEED_LENGTH
    assert parsed.entries[0].link == f"https://example.org/articles/t{FEED_LENGTH + 4}/"
    assert parsed.feed.updated == f"{dated(FEED_LENGTH + 4)}T00:00:00Z"
    assert "tags/x/feed.xml" in outputs
    assert render_feeds(site) == render_feeds(site)


def test_sources_without_texts_have_no_feed() -> None:
    from factories import OTHER, SOURCE

    site = build_site(SiteConfig(), {"gazette": SOURCE, "other": OTHER}, [text("a", "2020-01-01")])
    assert [feed.url for feed in list_feeds(site)] == ["/feed.xml", "/sources/gazette/feed.xml"]


def test_every_value_reads_back_exactly_through_an_xml_parser() -> None:
    import dataclasses
    import xml.etree.ElementTree as ET

    odd = "a & b < c > d \"e\" 'f'\tg\x01h ]]>"
    tricky = text(
        "t",
        "2020-01-01",
        tags=("china",),
        authors=(odd,),
        translators=("Ann <Ann>",),
        summary="x\ny & z",
    )
    tricky = dataclasses.replace(tricky, article=dataclasses.replace(tricky.article, title=odd))
    config = SiteConfig(title=odd, description="", base_url="https://example.org/")
    outputs = {o.path: o.data for o in render_feeds(build_site(config, {}, [tricky]))}
    atom = "{http://www.w3.org/2005/Atom}"
    root = ET.fromstring(outputs["feed.xml"])
    entry = root.find(f"{atom}entry")
    assert entry is not None
    clean = odd.replace("\x01", "")  # XML cannot carry it at all
    assert root.findtext(f"{atom}title") == clean
    assert root.find(f"{atom}subtitle") is None
    assert entry.findtext(f"{atom}title") == clean
    assert entry.findtext(f"{atom}author/{atom}name") == clean
    assert entry.findtext(f"{atom}contributor/{atom}name") == "Ann <Ann>"
    assert entry.findtext(f"{atom}summary") == "x\ny & z"
    category = entry.find(f"{atom}category")
    assert category is not None and category.get("term") == "china"
    attribute = ET.fromstring(f'<x a="{xml_attribute(odd + chr(10) + chr(13))}" />').get("a")
    assert attribute == clean + "\n\r"
