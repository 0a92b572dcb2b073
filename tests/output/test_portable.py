"""Portable pages: site addresses made relative to the page that links them."""

from __future__ import annotations

import pytest

from archive.output.portable import relative_links, relative_url


@pytest.mark.parametrize(
    ("url", "base", "page", "expected"),
    [
        ("/tags/", "/", "articles/a/index.html", "../../tags/index.html"),
        ("/", "/", "index.html", "index.html"),
        ("/", "/", "tags/china/page/2/index.html", "../../../../index.html"),
        ("/archive/static/style.css", "/archive/", "index.html", "static/style.css"),
        ("/archive/articles/a/#p3", "/archive/", "articles/b/index.html", "../a/index.html#p3"),
        ("/search/?q=treaty", "/", "404.html", "search/index.html?q=treaty"),
        ("/elsewhere/", "/archive/", "index.html", "/elsewhere/"),  # not the site's: left alone
    ],
)
def test_relative_url(url: str, base: str, page: str, expected: str) -> None:
    assert relative_url(url, base, page) == expected


def test_relative_links_change_only_site_addresses_the_browser_follows() -> None:
    html = (
        b'<link rel="canonical" href="https://example.org/a/">'
        b'<a href="/tags/">t</a><a href="//cdn.example/x">x</a><a href="#p1">p</a>'
        b'<script src="/static/keys.js" defer></script>'
        b'<meta http-equiv="refresh" content="0; url=/articles/a/">'
        b'<search data-base="/"></search><p>href="/tags/" in a text</p>'
    )
    assert relative_links(html, "/", "old/path/index.html") == (
        b'<link rel="canonical" href="https://example.org/a/">'
        b'<a href="../../tags/index.html">t</a><a href="//cdn.example/x">x</a><a href="#p1">p</a>'
        b'<script src="../../static/keys.js" defer></script>'
        b'<meta http-equiv="refresh" content="0; url=../../articles/a/index.html">'
        b'<search data-base="../../"></search><p>href="/tags/" in a text</p>'
    )
