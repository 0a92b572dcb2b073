"""Outputs -> disk: a temporary folder beside the output, path safety, and an atomic swap."""

from __future__ import annotations

import os
import posixpath
import shutil
from collections.abc import Iterable
from pathlib import Path

from archive.records import Output


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


def write_site(outputs: Iterable[Output], out_dir: Path) -> int:
    """Write every output to a fresh folder, then swap it in place of out_dir; return the count."""
    checked = check_outputs(outputs)
    out_dir = out_dir.resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = out_dir.with_name(f".{out_dir.name}.new-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    try:
        write_all(checked, staging)
        swap_in(staging, out_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return len(checked)


def write_all(outputs: list[Output], folder: Path) -> None:
    folder.mkdir()
    for output in outputs:
        target = folder / output.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(output.data)


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
