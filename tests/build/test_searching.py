"""The index step: a rebuild's few shards indexed beside the plan and the writing, and stopped
with nothing left behind when the build fails."""

from __future__ import annotations

import os
from dataclasses import replace

import pytest
from conftest import ARTICLE, TEMPLATES, WriteTree, hash_tree, minimal_content

import archive.build.pipeline
import archive.build.searching
from archive.build.pipeline import BuildOptions, build


def test_a_rebuild_indexes_its_shard_ahead_and_a_first_build_after_the_pages(
    write_tree: WriteTree, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_tree(minimal_content())
    options = BuildOptions(root / "content", root / "_site", TEMPLATES, jobs=2)
    started: list[int] = []
    real = archive.build.searching.Forked

    def counted(function: object) -> object:
        started.append(1)
        return real(function)  # type: ignore[arg-type]

    monkeypatch.setattr(archive.build.searching, "Forked", counted)
    build(options)
    assert started == [1]  # one shard missing: indexed ahead, even on a first build of one text
    (root / "content/articles/2023/a-text.md").write_text(ARTICLE.replace("A Text", "Changed"))
    build(options)
    assert started == [1, 1]
    assert "Changed" in (root / "_site/articles/a-text/index.html").read_text()


def test_a_build_that_fails_while_indexing_ahead_stops_it_and_leaves_no_trace(
    write_tree: WriteTree, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_tree(minimal_content())
    out = root / "_site"
    options = BuildOptions(root / "content", out, TEMPLATES)
    build(options)
    before = hash_tree(out)
    (root / "content/articles/2023/a-text.md").write_text(ARTICLE.replace("A Text", "Changed"))

    def fail(*args: object, **kwargs: object) -> dict[str, object]:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(archive.build.pipeline, "write_jobs", fail)
    started: list[archive.build.searching.Forked[None]] = []
    real = archive.build.searching.Forked

    def kept(function: object) -> object:
        started.append(real(function))  # type: ignore[arg-type]
        return started[-1]

    monkeypatch.setattr(archive.build.searching, "Forked", kept)
    with pytest.raises(OSError, match="No space"):
        build(options)
    assert hash_tree(out) == before
    assert not [p for p in (root / ".cache/search").iterdir() if p.name.startswith(".new-")]
    assert len(started) == 1
    with pytest.raises(ChildProcessError):
        os.waitpid(started[0].pid, os.WNOHANG)  # the indexing process was stopped and waited for


def test_a_site_served_under_another_base_url_keeps_its_search_shards(write_tree: WriteTree) -> None:
    root = write_tree(minimal_content())
    options = BuildOptions(root / "content", root / "_site", TEMPLATES)
    build(options)
    store = root / ".cache/search"
    shards = {path.name: path.stat().st_ino for path in store.iterdir()}
    build(replace(options, base_url="https://example.org/archive/"))
    # Every text is read again (its links move under /archive/), but its search record is the
    # same: its shard is linked in as it was, not indexed again.
    assert {path.name: path.stat().st_ino for path in store.iterdir()} == shards
    page = (root / "_site/search/index.html").read_text()
    assert 'data-base="/archive/"' in page
    assert 'href="/archive/articles/a-text/"' in (root / "_site/index.html").read_text()
