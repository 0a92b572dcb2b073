"""The shard store: bundles kept by key, linked into the staged site; a folder that holds a
shard's links already is left as it is, anything else in the index folder is removed."""

from __future__ import annotations

import os
from pathlib import Path

from factories import text

from archive.incremental.shards import ShardStore
from archive.output.search import Shard


def shard(language: str, number: int, title: str) -> Shard:
    return Shard(language, number, (text(title.lower().replace(", ", "-"), "2023-03-20"),), number == 0)


def kept_bundle(store: ShardStore, one: Shard, files: dict[str, str]) -> None:
    for name, content in files.items():
        path = store.path(one) / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content)


def inodes(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_ino for p in folder.rglob("*") if p.is_file()}


def test_linking_keeps_the_folders_that_hold_a_shard_already_and_removes_the_rest(tmp_path: Path) -> None:
    store = ShardStore(tmp_path / "store")
    site = tmp_path / "site"
    english, russian, old = shard("en", 0, "A"), shard("ru", 1, "B"), shard("de", 0, "C")
    for one in (english, russian, old):
        kept_bundle(store, one, {"pagefind-entry.json": one.key, "fragment/a.pf_fragment": "x"})
    store.link([english, old], site)
    linked = inodes(site / english.folder)
    assert linked == inodes(store.path(english))

    edited = shard("en", 0, "A, edited")
    kept_bundle(store, edited, {"pagefind-entry.json": edited.key, "index/b.pf_index": "y"})
    (site / "pagefind/stray.txt").write_text("left by hand")
    store.link([edited, russian], site)

    assert inodes(site / "pagefind/en/0") == inodes(store.path(edited))
    assert inodes(site / "pagefind/ru/1") == inodes(store.path(russian))
    assert sorted(os.listdir(site / "pagefind")) == ["en", "ru"]  # the German bundle and the stray file gone

    inode_before = (site / "pagefind/ru/1/pagefind-entry.json").stat().st_ino
    store.link([edited, russian], site)
    assert (site / "pagefind/ru/1/pagefind-entry.json").stat().st_ino == inode_before


def test_a_file_missing_from_a_linked_folder_is_linked_again(tmp_path: Path) -> None:
    store = ShardStore(tmp_path / "store")
    site = tmp_path / "site"
    one = shard("en", 0, "A")
    kept_bundle(store, one, {"pagefind-entry.json": one.key, "fragment/a.pf_fragment": "x"})
    store.link([one], site)
    (site / one.folder / "fragment/a.pf_fragment").unlink()
    (site / one.folder / "pagefind-entry.json").unlink()
    (site / one.folder / "pagefind-entry.json").write_text("replaced")
    store.link([one], site)
    assert inodes(site / one.folder) == inodes(store.path(one))
