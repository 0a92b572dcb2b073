"""Outputs -> disk: path safety, the staged update and the atomic swap the build uses."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import hash_tree

from archive.base.records import Output
from archive.output.writer import UnsafeOutput, check_paths, staged_update, write_output


def publish(out: Path, outputs: dict[str, bytes], live: dict[str, str] | None = None) -> set[str]:
    """Stage a site of outputs (keyed by their bytes), write what is not linked, swap it in."""
    new = {path: data.decode() for path, data in outputs.items()}
    with staged_update(out, None, live or {}, None, new) as staged:
        for path, data in outputs.items():
            if (live or {}).get(path) != new[path] or path in staged.missing:
                write_output(staged.folder, Output(path, data))
    return set(new)


@pytest.mark.parametrize("path", ["../evil.html", "/etc/passwd", "a/../../b", "a\\b", "", "./x"])
def test_refuses_paths_outside_the_folder(path: str) -> None:
    with pytest.raises(UnsafeOutput):
        check_paths([path])


def test_refuses_two_outputs_for_one_path() -> None:
    with pytest.raises(UnsafeOutput):
        check_paths(["a.html", "A.html"])


def test_replaces_the_folder_whole(tmp_path: Path) -> None:
    out = tmp_path / "out"
    publish(out, {"old.html": b"old"})
    publish(out, {"new/index.html": b"new"})
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) == ["new/index.html"]
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_unchanged_files_are_linked_with_their_times(tmp_path: Path) -> None:
    out = tmp_path / "out"
    publish(out, {"same.html": b"same", "old.html": b"old"})
    stamp = (out / "same.html").stat().st_mtime_ns
    publish(out, {"same.html": b"same", "old.html": b"new"}, live={"same.html": "same", "old.html": "old"})
    assert (out / "same.html").stat().st_mtime_ns == stamp
    assert (out / "old.html").read_bytes() == b"new"


def test_an_interrupted_write_leaves_the_old_folder(tmp_path: Path) -> None:
    out = tmp_path / "out"
    publish(out, {"index.html": b"old"})
    before = hash_tree(out)
    with (
        pytest.raises(KeyboardInterrupt),
        staged_update(out, None, {}, None, {"index.html": "new"}) as staged,
    ):
        write_output(staged.folder, Output("half.html", b"half"))
        raise KeyboardInterrupt
    assert hash_tree(out) == before
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_write_output_never_writes_through_a_shared_link(tmp_path: Path) -> None:
    (tmp_path / "live.html").write_bytes(b"live")
    os.link(tmp_path / "live.html", tmp_path / "staged.html")
    write_output(tmp_path, Output("staged.html", b"new"))
    assert (tmp_path / "live.html").read_bytes() == b"live"


def test_folders_known_to_be_there_are_made_once_and_found_again_if_gone(tmp_path: Path) -> None:
    made: set[str] = set()
    write_output(tmp_path, Output("a/b/index.html", b"1"), made)
    write_output(tmp_path, Output("a/b/feed.xml", b"2"), made)
    assert made == {str(tmp_path / "a/b")}
    shutil.rmtree(tmp_path / "a")  # a folder the set still names
    write_output(tmp_path, Output("a/b/index.html", b"3"), made)
    assert (tmp_path / "a/b/index.html").read_bytes() == b"3"
