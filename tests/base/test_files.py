"""Files the build keeps for itself, written whole or not at all."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

import pytest

from archive.base.files import keep_alone, save_atomically


def test_a_failed_write_leaves_the_file_as_it_was_and_no_temporary(tmp_path: Path) -> None:
    path = tmp_path / "state.pickle"
    path.write_bytes(b"before")

    def fails(file: BinaryIO) -> None:
        file.write(b"half")
        raise RuntimeError("stopped")

    with pytest.raises(RuntimeError):
        save_atomically(path, fails)
    assert path.read_bytes() == b"before"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["state.pickle"]


def test_a_kept_file_replaces_those_of_earlier_inputs_only(tmp_path: Path) -> None:
    for name in ("catalog-old.mo", "catalog-older.mo", "checks-1.pickle"):
        (tmp_path / name).write_bytes(b"x")
    keep_alone(tmp_path / "catalog-new.mo", b"compiled", "catalog-*.mo")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["catalog-new.mo", "checks-1.pickle"]
    assert (tmp_path / "catalog-new.mo").read_bytes() == b"compiled"


def test_a_folder_that_cannot_be_made_keeps_nothing_and_raises_nothing(tmp_path: Path) -> None:
    blocker = tmp_path / "cache"
    blocker.write_bytes(b"a file where the folder would be")
    keep_alone(blocker / "templates" / "catalog-a.mo", b"compiled", "catalog-*.mo")
    assert blocker.read_bytes() == b"a file where the folder would be"
