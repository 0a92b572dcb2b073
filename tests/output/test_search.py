"""The Pagefind index: built inside the staging folder, one index, what it indexes, failure."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import ARTICLE, TEMPLATES, WriteTree, hash_tree, minimal_content
from factories import text

import archive.output.search as search
from archive.build.pipeline import BuildOptions, build
from archive.content.config import SiteConfig
from archive.output.search import SearchIndexError, index_language
from archive.site.model import build_site

CHINESE = (
    ARTICLE.replace("title: A Text", "title: 中俄关系")
    .replace("authors:", "language: zh\nauthors:")
    .replace("The first paragraph.", "中俄关系发展有着清晰的历史逻辑")
)


def test_one_index_segmented_for_chinese_when_the_archive_holds_chinese() -> None:
    english = build_site(SiteConfig(language="en"), {}, [text("a", "2020-01-01")])
    assert index_language(english) == "en"
    mixed = build_site(
        SiteConfig(language="en"), {}, [text("a", "2020-01-01"), text("b", "2020-01-02", language="zh")]
    )
    assert index_language(mixed) == "zh"


def test_a_chinese_text_goes_into_the_one_index(write_tree: WriteTree) -> None:
    root = write_tree(minimal_content(**{"a-text": ARTICLE, "zh-text": CHINESE}))
    build(BuildOptions(root / "content", root / "_site", TEMPLATES))
    bundle = root / "_site" / "pagefind"
    assert [p.name.split("_")[0] for p in bundle.glob("*.pf_meta")] == ["pagefind.zh"]
    assert '"page_count":2' in (bundle / "pagefind-entry.json").read_text(encoding="utf-8")


def test_title_body_and_filters_are_marked_and_chrome_is_not(write_tree: WriteTree) -> None:
    article = ARTICLE.replace("---\n\n", "tags: [china, russia]\noriginal_language: ru\n---\n\n", 1)
    root = write_tree(minimal_content(**{"a-text": article}))
    build(BuildOptions(root / "content", root / "_site", TEMPLATES, search=False))
    page = (root / "_site/articles/a-text/index.html").read_text(encoding="utf-8")
    assert re.search(
        r'<h1 id="text-title" data-pagefind-body data-pagefind-meta="title"[^>]*>A Text</h1>', page
    )
    filters = dict.fromkeys(re.findall(r'data-pagefind-filter="([^"]+)">([^<]*)<', page))
    assert list(filters) == [
        ("tag", "china"),
        ("tag", "russia"),
        ("source", "Pogled.Info"),
        ("author", "Xi Jinping"),
        ("original language", "Russian"),
        ("year", "2023"),
    ]
    assert '<div hidden><span data-pagefind-filter="tag">' in page
    masthead = page.split("<main", 1)[0]
    assert "data-pagefind-body" not in masthead


def test_search_page_says_it_needs_javascript(write_tree: WriteTree) -> None:
    root = write_tree(minimal_content())
    build(BuildOptions(root / "content", root / "_site", TEMPLATES, search=False))
    page = (root / "_site/search/index.html").read_text(encoding="utf-8")
    assert "<noscript>" in page and "Search needs JavaScript" in page
    assert '  <pagefind-config bundle-path="/pagefind/" base-url="/"></pagefind-config>' in page


def test_a_failed_index_leaves_the_previous_site(
    write_tree: WriteTree, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_tree(minimal_content())
    out = root / "_site"
    build(BuildOptions(root / "content", out, TEMPLATES))
    before = hash_tree(out)
    (root / "content/articles/2023/a-text.md").write_text(
        ARTICLE.replace("A Text", "Changed"), encoding="utf-8"
    )
    monkeypatch.setattr(search, "index_command", lambda folder, language: ["false"])
    with pytest.raises(SearchIndexError):
        build(BuildOptions(root / "content", out, TEMPLATES))
    assert hash_tree(out) == before
    assert sorted(p.name for p in root.iterdir() if p.name != ".cache") == ["_site", "content"]


def test_the_index_runs_on_the_staging_folder_not_the_live_one(
    write_tree: WriteTree, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_tree(minimal_content())
    seen: list[Path] = []
    real = search.index_command

    def spy(folder: Path, language: str) -> list[str]:
        seen.append(folder)
        assert (folder / "articles/a-text/index.html").is_file()
        return real(folder, language)

    monkeypatch.setattr(search, "index_command", spy)
    build(BuildOptions(root / "content", root / "_site", TEMPLATES))
    assert seen and seen[0] != (root / "_site").resolve()
    assert (root / "_site/pagefind/pagefind.js").is_file()
