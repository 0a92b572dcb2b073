"""Outputs -> disk: path safety and the atomic swap."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import hash_tree

from archive.records import Output
from archive.writer import UnsafeOutput, write_site


@pytest.mark.parametrize("path", ["../evil.html", "/etc/passwd", "a/../../b", "a\\b", "", "./x"])
def test_refuses_paths_outside_the_folder(tmp_path: Path, path: str) -> None:
    with pytest.raises(UnsafeOutput):
        write_site([Output(path, b"x")], tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_refuses_two_outputs_for_one_path(tmp_path: Path) -> None:
    with pytest.raises(UnsafeOutput):
        write_site([Output("a.html", b"1"), Output("a.html", b"2")], tmp_path / "out")


def test_replaces_the_folder_whole(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_site([Output("old.html", b"old")], out)
    write_site([Output("new/index.html", b"new")], out)
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) == ["new/index.html"]
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_an_interrupted_write_leaves_the_old_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    write_site([Output("index.html", b"old")], out)
    before = hash_tree(out)
    import archive.writer as writer

    def write_then_stop(outputs: list[Output], folder: Path) -> None:
        (folder / "half.html").write_bytes(b"half")
        raise KeyboardInterrupt

    monkeypatch.setattr(writer, "write_all", write_then_stop)
    with pytest.raises(KeyboardInterrupt):
        write_site([Output("index.html", b"new")], out)
    assert hash_tree(out) == before
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_a_failed_finishing_step_leaves_the_old_folder(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_site([Output("index.html", b"old")], out)
    before = hash_tree(out)

    def fail(folder: Path) -> None:
        (folder / "pagefind").mkdir()
        raise RuntimeError("indexing failed")

    with pytest.raises(RuntimeError):
        write_site([Output("index.html", b"new")], out, finish=fail)
    assert hash_tree(out) == before
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_the_finishing_step_sees_the_whole_site_and_its_files_go_live(tmp_path: Path) -> None:
    seen: list[str] = []

    def finish(folder: Path) -> None:
        seen.extend(sorted(p.name for p in folder.iterdir()))
        (folder / "index.json").write_text("{}")

    write_site([Output("a.html", b"a"), Output("b.html", b"b")], tmp_path / "out", finish=finish)
    assert seen == ["a.html", "b.html"]
    assert (tmp_path / "out" / "index.json").read_text() == "{}"
