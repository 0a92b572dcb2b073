"""Outputs -> disk: a temporary folder beside the output, path safety, and an atomic swap."""

from __future__ import annotations

import os
import posixpath
import shutil
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from archive.records import Output

Finish = Callable[[Path], None]  # a last step on the complete folder before it goes live


class UnsafeOutput(ValueError):
    """An output that would land outside the output folder, or twice in one place."""


def check_outputs(outputs: Iterable[Output]) -> list[Output]:
    """Refuse paths that leave the folder and paths written twice."""
    seen: set[str] = set()
    checked = []
    for output in outputs:
        path = output.path
        normal = posixpath.normpath(path)
        if path.startswith("/") or normal != path or normal.split("/")[0] in ("..", "") or "\\" in path:
            raise UnsafeOutput(f"refusing to write outside the output folder: {path!r}")
        if path.casefold() in seen:
            raise UnsafeOutput(f"two outputs for one path: {path!r}")
        seen.add(path.casefold())
        checked.append(output)
    return checked


def write_site(outputs: Iterable[Output], out_dir: Path, finish: Finish | None = None) -> int:
    """Write every output to a fresh folder, run finish on it, then swap it in; return the count."""
    checked = check_outputs(outputs)
    with staged_folder(out_dir) as staging:
        write_all(checked, staging)
        if finish is not None:
            finish(staging)
    return len(checked)


@contextmanager
def staged_folder(out_dir: Path) -> Iterator[Path]:
    """Yield an empty folder beside out_dir; swap it in if the block succeeds, else drop it."""
    out_dir = out_dir.resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = out_dir.with_name(f".{out_dir.name}.new-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    try:
        staging.mkdir()
        yield staging
        swap_in(staging, out_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def write_all(outputs: list[Output], folder: Path) -> int:
    """Write checked outputs into an existing folder; return the count."""
    for output in outputs:
        target = folder / output.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(output.data)
    return len(outputs)


def swap_in(staging: Path, out_dir: Path) -> None:
    """Replace out_dir by staging with two renames; the old folder goes only once the new is in."""
    retired = out_dir.with_name(f".{out_dir.name}.old-{os.getpid()}")
    if out_dir.exists():
        os.rename(out_dir, retired)
    try:
        os.rename(staging, out_dir)
    except BaseException:
        if retired.exists():
            os.rename(retired, out_dir)
        raise
    shutil.rmtree(retired, ignore_errors=True)
