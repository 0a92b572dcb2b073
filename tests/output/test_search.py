"""The search index: a Pagefind bundle per language and shard, what it indexes, which shards a
rebuild indexes again, and failure."""

from __future__ import annotations

import gzip
import html
import json
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import ARTICLE, TEMPLATES, WriteTree, hash_tree, minimal_content
from factories import text

import archive.output.indexing
from archive.base.interface import english
from archive.build.pipeline import BuildOptions, build
from archive.output.search import SHARD_TEXTS, SearchIndexError, plan_shards, search_record, shard_of

CHINESE = (
    ARTICLE.replace("title: A Text", "title: 中俄关系")
    .replace("authors:", "language: zh\nauthors:")
    .replace("The first paragraph.", "中俄关系发展有着清晰的历史逻辑")
)
RUSSIAN = ARTICLE.replace("authors:", "language: ru\nauthors:").replace(
    "The first paragraph.", "Сотрудничество двух стран."
)


def texts(count: int, language: str = "en") -> list[object]:
    return [replace(text(f"t{i}", "2020-01-01", language=language), stamp=f"s{i}") for i in range(count)]


def test_each_language_has_shards_of_its_own_a_power_of_two_of_them() -> None:
    shards = plan_shards([*texts(3, "ru"), *texts(SHARD_TEXTS + 1), *texts(2, "zh-Hans")])  # type: ignore[list-item]
    by_language = {s.language: [x for x in shards if x.language == s.language] for s in shards}
    assert sorted(by_language) == ["en", "ru", "zh"]
    assert len(by_language["ru"]) == 1 and len(by_language["zh"]) == 1
    assert 1 < len(by_language["en"]) <= 2
    assert sum(len(s.texts) for s in by_language["en"]) == SHARD_TEXTS + 1
    assert [s.first for s in by_language["en"]] == [True, False]


def test_a_text_keeps_its_shard_while_others_come_and_go() -> None:
    many = texts(3 * SHARD_TEXTS)
    before = {t.url: s.number for s in plan_shards(many) for t in s.texts}  # type: ignore[arg-type]
    after = {t.url: s.number for s in plan_shards(many[:-40]) for t in s.texts}  # type: ignore[arg-type]
    assert all(before[url] == number for url, number in after.items())


def test_an_edit_changes_the_key_of_its_shard_alone() -> None:
    many = texts(2 * SHARD_TEXTS)
    edited = [*many]
    edited[7] = replace(many[7], stamp="edited")  # type: ignore[type-var]
    before = {s.number: s.key for s in plan_shards(many)}  # type: ignore[arg-type]
    after = {s.number: s.key for s in plan_shards(edited)}  # type: ignore[arg-type]
    assert sum(before[n] != after[n] for n in before) == 1


def test_a_record_holds_the_words_title_and_filters_not_the_paragraph_numbers() -> None:
    article = text(
        "a", "2023-03-20", tags=("china", "russia"), original_language="ru", original_title="Заголовок"
    )
    body = '<p id="p1"><a class="pn" href="#p1" aria-label="Paragraph 1" data-pagefind-ignore>1</a> One &amp; two.</p>\n'
    record = search_record(article, body, english())
    assert record["url"] == "/articles/a/"
    assert record["content"] == "A\nЗаголовок\nOne & two."
    assert record["language"] == "en"
    assert record["meta"] == {"title": "A", "date": "20 March 2023", "language": "en"}
    assert record["filters"] == {
        "tag": ["china", "russia"],
        "source": ["Gazette"],
        "author": ["Xi Jinping"],
        "original language": ["Russian"],
        "year": ["2023"],
    }


def fragment(path: Path) -> dict[str, object]:
    """One page of a Pagefind bundle, as its fragment file holds it (gzip, a signature, JSON)."""
    data = gzip.decompress(path.read_bytes()).removeprefix(b"pagefind_dcd")
    found: dict[str, object] = json.loads(data)
    return found


def bundle_pages(bundle: Path) -> int:
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    return sum(language["page_count"] for language in entry["languages"].values())


def test_each_language_is_indexed_in_its_own_language(write_tree: WriteTree) -> None:
    root = write_tree(minimal_content(**{"a-text": ARTICLE, "zh-text": CHINESE, "ru-text": RUSSIAN}))
    build(BuildOptions(root / "content", root / "_site", TEMPLATES))
    bundles = root / "_site/pagefind"
    assert sorted(p.name for p in bundles.iterdir()) == ["en", "ru", "zh"]
    for language in ("en", "ru", "zh"):
        first = bundles / language / "0"
        assert [p.name.split("_")[0] for p in first.glob("*.pf_meta")] == [f"pagefind.{language}"]
        assert bundle_pages(first) == 1
        assert (first / "pagefind.js").is_file() and list(first.glob("wasm.*.pagefind"))
        assert not (first / "pagefind-ui.js").exists()  # the search page has an interface of its own
    page = (root / "_site/search/index.html").read_text(encoding="utf-8")
    indexes = page.split("data-indexes='", 1)[1].split("'", 1)[0]
    assert json.loads(html.unescape(indexes)) == [
        ["en", "English", ["/pagefind/en/0/"]],
        ["ru", "Russian", ["/pagefind/ru/0/"]],
        ["zh", "Chinese", ["/pagefind/zh/0/"]],
    ]


def test_an_edit_indexes_its_shard_again_and_no_other(write_tree: WriteTree) -> None:
    files = {f"t{i}": ARTICLE.replace("A Text", f"Text {i}") for i in range(SHARD_TEXTS + 40)}
    files["ru-text"] = RUSSIAN
    root = write_tree(minimal_content(**files))
    options = BuildOptions(root / "content", root / "_site", TEMPLATES, jobs=1)
    build(options)
    before = indexed_shards(root)
    assert len(before) == 3  # two English shards, one Russian
    edited = root / "content/articles/2023/t5.md"
    edited.write_text(edited.read_text() + "\nA new paragraph.\n")
    build(options)
    after = indexed_shards(root)
    # One shard was indexed again (a new file in the site and in the cache), the one of the text.
    assert [where for where in after if after[where] != before[where]] == [
        f"en/{shard_of('/articles/t5/', 2)}"
    ]
    assert len(list((root / ".cache/search").iterdir())) == 3  # the shard it replaced is dropped
    assert sum(bundle_pages(b) for b in (root / "_site/pagefind/en").iterdir()) == SHARD_TEXTS + 40
    assert build(options).written == 0 and indexed_shards(root) == after  # nothing changed: nothing indexed


def indexed_shards(root: Path) -> dict[str, int]:
    """Each shard of the site's index (language/number), by the inode of its entry file: an
    indexed shard is a new file, a kept one a link to the file the cache holds."""
    entries = (root / "_site/pagefind").glob("*/*/pagefind-entry.json")
    return {entry.parent.relative_to(entry.parents[2]).as_posix(): entry.stat().st_ino for entry in entries}


def test_a_deleted_or_moved_text_leaves_no_page_in_the_index(write_tree: WriteTree) -> None:
    root = write_tree(minimal_content(**{"a-text": ARTICLE, "b-text": ARTICLE.replace("A Text", "B")}))
    options = BuildOptions(root / "content", root / "_site", TEMPLATES)
    build(options)
    (root / "content/articles/2023/b-text.md").unlink()
    build(options)
    fragments = list((root / "_site/pagefind/en/0/fragment").iterdir())
    assert bundle_pages(root / "_site/pagefind/en/0") == 1 and len(fragments) == 1
    moved = root / "content/articles/1999/a-moved.md"
    moved.parent.mkdir()
    (root / "content/articles/2023/a-text.md").rename(moved)
    build(options)
    assert bundle_pages(root / "_site/pagefind/en/0") == 1
    assert [fragment(p)["url"] for p in (root / "_site/pagefind/en/0/fragment").iterdir()] == [
        "/articles/a-moved/"
    ]


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

    def fail(self: object, *args: object) -> None:
        raise SearchIndexError("the search index could not be built: no room")

    monkeypatch.setattr(archive.output.indexing.PagefindService, "index", fail)
    with pytest.raises(SearchIndexError, match="no room"):
        build(BuildOptions(root / "content", out, TEMPLATES))
    assert hash_tree(out) == before
    assert sorted(p.name for p in root.iterdir() if p.name != ".cache") == ["_site", "content"]
    assert not [p for p in (root / ".cache/search").iterdir() if p.name.startswith(".new-")]


def test_without_search_the_site_has_no_index(write_tree: WriteTree) -> None:
    root = write_tree(minimal_content())
    build(BuildOptions(root / "content", root / "_site", TEMPLATES))
    build(BuildOptions(root / "content", root / "_site", TEMPLATES, search=False))
    assert not (root / "_site/pagefind").exists()
    page = (root / "_site/search/index.html").read_text(encoding="utf-8")
    assert "<noscript>" in page and "Search needs JavaScript" in page
