"""The URL scheme: slugs, site paths and their files, base paths."""

from __future__ import annotations

import posixpath

import pytest
from hypothesis import given
from hypothesis import strategies as st

from archive.base import urls


def test_urls_follow_the_design() -> None:
    assert urls.article_url("xi-2023-op-ed") == "/articles/xi-2023-op-ed/"
    assert urls.tag_url("china") == "/tags/china/"
    assert urls.tag_url("china", 2) == "/tags/china/page/2/"
    assert urls.source_url("pogled-info") == "/sources/pogled-info/"
    assert urls.author_url("xi-jinping") == "/authors/xi-jinping/"


@pytest.mark.parametrize(
    ("url", "path"),
    [("/", "index.html"), ("/404.html", "404.html"), ("/tags/x/page/2/", "tags/x/page/2/index.html")],
)
def test_output_path(url: str, path: str) -> None:
    assert urls.output_path(url) == path


@pytest.mark.parametrize("url", ["/../etc/", "/a/../../b/", "relative/", "//host/", "/A/", "/a\\b/"])
def test_output_path_refuses_unsafe_urls(url: str) -> None:
    with pytest.raises(ValueError):
        urls.output_path(url)


@given(st.text())
def test_slugify_gives_safe_slugs_or_nothing(name: str) -> None:
    slug = urls.slugify_name(name)
    assert slug == "" or urls.is_safe_slug(slug)


@given(st.lists(st.from_regex(r"[a-z0-9][a-z0-9-]{0,10}", fullmatch=True), min_size=0, max_size=4))
def test_every_safe_url_maps_inside_the_site(segments: list[str]) -> None:
    url = "/" + "".join(s + "/" for s in segments)
    path = urls.output_path(url)
    assert not path.startswith("/") and ".." not in path.split("/")
    assert posixpath.normpath(path) == path
    assert path.endswith("index.html")


def test_names_in_any_script_get_ascii_slugs() -> None:
    assert urls.slugify_name("习近平") == "xi-jin-ping"
    assert urls.slugify_name("V. Sergeev") == "v-sergeev"
    assert urls.is_safe_slug(urls.slugify_name("مظفرالدین شاه قاجار"))


def test_base_path_and_href() -> None:
    assert urls.base_path("https://example.org/archive") == "/archive/"
    assert urls.href("/tags/", "/archive/") == "/archive/tags/"
    assert urls.href("https://x.org/", "/archive/") == "https://x.org/"
    assert urls.absolute("/tags/", "https://example.org/archive/") == "https://example.org/archive/tags/"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://freewechat.com/a/MzI==/26/{{href}}", "https://freewechat.com/a/MzI==/26/%7B%7Bhref%7D%7D"),
        ('https://e.org/?q="<x> |^`\\', "https://e.org/?q=%22%3Cx%3E%20%7C%5E%60%5C"),
        ("https://e.org/a%20b?x=1&y=[2]#frag", "https://e.org/a%20b?x=1&y=[2]#frag"),
        ("https://fa.wikisource.org/wiki/فرمان", "https://fa.wikisource.org/wiki/فرمان"),
    ],
)
def test_external_addresses_are_percent_encoded_only_where_they_must_be(url: str, expected: str) -> None:
    assert urls.external(url) == expected
