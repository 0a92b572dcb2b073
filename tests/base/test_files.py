"""Files the build keeps for itself, written whole or not at all, and folders it deletes without
waiting for them."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import BinaryIO

import pytest

from archive.base.files import discard, empty_trash, keep_alone, save_atomically


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


def a_folder(path: Path, files: int = 50) -> Path:
    for number in range(files):
        (path / f"{number % 5}").mkdir(parents=True, exist_ok=True)
        (path / f"{number % 5}/{number}.html").write_bytes(b"page")
    return path


def emptied(trash: Path, seconds: float = 20.0) -> bool:
    """Whether the trash is empty, waited for (its folders are deleted by processes of their own)."""
    deadline = time.monotonic() + seconds
    while any(trash.iterdir()):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def test_a_discarded_folder_is_gone_at_once_and_deleted_once_the_trash_is_emptied(tmp_path: Path) -> None:
    folder, trash = a_folder(tmp_path / "old"), tmp_path / "trash"
    discard(folder, trash)
    assert not folder.exists()
    assert len(list(trash.iterdir())) == 1  # kept until the build is done
    empty_trash(trash)
    assert emptied(trash)


def test_without_a_trash_a_folder_is_deleted_at_once(tmp_path: Path) -> None:
    folder = a_folder(tmp_path / "old")
    discard(folder, None)
    assert not folder.exists()
    discard(folder, None)  # a folder already gone: nothing to do


def test_what_a_killed_build_left_in_the_trash_is_deleted_by_the_next(tmp_path: Path) -> None:
    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True)
    left = a_folder(tmp_path / "trash" / f"{int(finished.stdout)}-0123456789ab")  # its owner is gone
    mine = a_folder(tmp_path / "trash" / f"{os.getpid()}-ba9876543210")  # its owner is still deleting it
    empty_trash(tmp_path / "trash")
    deadline = time.monotonic() + 20
    while left.exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not left.exists()
    assert mine.exists()


def test_the_deleting_process_holds_nothing_of_its_caller(tmp_path: Path) -> None:
    # A caller that reads this process's output waits for every holder of the pipe to close
    # it: the deleting process must not be one, however long it takes.
    script = (
        "import sys, time; from pathlib import Path; from archive.base.files import discard, empty_trash;"
        "import archive.base.files as files; files.shutil.rmtree = lambda *a, **k: time.sleep(30);"
        f"discard(Path({str(a_folder(tmp_path / 'old'))!r}), Path({str(tmp_path / 'trash')!r}));"
        f"empty_trash(Path({str(tmp_path / 'trash')!r})); print('done')"
    )
    started = time.monotonic()
    finished = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=25)
    assert finished.stdout.strip() == "done"
    assert time.monotonic() - started < 20
