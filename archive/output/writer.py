"""Outputs -> disk: a temporary folder beside the output, path safety, and an atomic swap."""

from __future__ import annotations

import os
import posixpath
import re
import shutil
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from archive.base.records import Output

# What almost every output path looks like; plainly inside the folder, with no '.' or '..' part.
PLAIN_PATH = re.compile(r"[a-z0-9][a-z0-9_-]*(?:\.[a-z0-9_-]+)*(?:/[a-z0-9][a-z0-9_-]*(?:\.[a-z0-9_-]+)*)*")


class UnsafeOutput(ValueError):
    """An output that would land outside the output folder, or twice in one place."""


def check_paths(paths: Iterable[str]) -> None:
    """Refuse paths that leave the folder and paths claimed twice."""
    seen: set[str] = set()
    for path in paths:
        if not PLAIN_PATH.fullmatch(path) and not is_normal_relative(path):
            raise UnsafeOutput(f"refusing to write outside the output folder: {path!r}")
        folded = path.casefold()
        if folded in seen:
            raise UnsafeOutput(f"two outputs for one path: {path!r}")
        seen.add(folded)


def is_normal_relative(path: str) -> bool:
    """A relative path in its normal form that does not climb out of its folder."""
    normal = posixpath.normpath(path)
    return (
        not path.startswith("/")
        and normal == path
        and normal.split("/")[0] not in ("..", "")
        and "\\" not in path
    )


NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)


def write_output(folder: Path, output: Output, made: set[str] | None = None) -> None:
    """Write one checked output, never through a hard link that another folder shares.

    The file is always created anew (a file already there is unlinked first), in as few
    system calls as a fresh folder allows. made: the folders known to be there (most outputs
    have a folder of their own: it is made first, rather than found missing by a failed open).
    """
    target = os.path.join(folder, output.path)
    if made is not None:
        make_folder(os.path.dirname(target), made)
    try:
        descriptor = os.open(target, NEW_FILE, 0o666)
    except FileNotFoundError:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        descriptor = os.open(target, NEW_FILE, 0o666)
    except FileExistsError:
        os.unlink(target)
        descriptor = os.open(target, NEW_FILE, 0o666)
    try:
        write_all(descriptor, output.data)
    finally:
        os.close(descriptor)


def write_all(descriptor: int, data: bytes) -> None:
    """Write data whole to an open file (os.write may write less than it is given)."""
    written = os.write(descriptor, data)
    if written < len(data):
        view = memoryview(data)
        while written < len(data):
            written += os.write(descriptor, view[written:])


def link_output(folder: Path, other: Path, path: str, made: set[str] | None = None) -> None:
    """Hard-link one written output into another folder, at the same path."""
    target = os.path.join(other, path)
    if made is not None:
        make_folder(os.path.dirname(target), made)
    try:
        os.link(os.path.join(folder, path), target)
    except FileNotFoundError:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        os.link(os.path.join(folder, path), target)


def make_folder(folder: str, made: set[str]) -> None:
    """Make a folder unless made says it is there; then it does."""
    if folder not in made:
        try:
            os.mkdir(folder)
        except FileExistsError:
            pass
        except FileNotFoundError:
            os.makedirs(folder, exist_ok=True)
        made.add(folder)


def swap_in(staging: Path, out_dir: Path, keep_old: Path | None = None) -> None:
    """Replace out_dir by staging with two renames; the old folder goes only once the new is in.

    With keep_old, the old folder is moved there instead of deleted (deleting thousands of
    files and folders costs more than writing them on many disks).
    """
    retired = out_dir.with_name(f".{out_dir.name}.old-{os.getpid()}")
    if out_dir.exists():
        os.rename(out_dir, retired)
    try:
        os.rename(staging, out_dir)
    except BaseException:
        if retired.exists():
            os.rename(retired, out_dir)
        raise
    if keep_old is not None and retired.exists():
        os.rename(retired, keep_old)
    else:
        shutil.rmtree(retired, ignore_errors=True)


@contextmanager
def staged_update(
    out_dir: Path,
    twin: Path | None,
    live: Mapping[str, str],
    twin_keys: Mapping[str, str] | None,
    new: Mapping[str, str],
    mirrored: bool = False,
) -> Iterator[tuple[Path, set[str]]]:
    """Yield a staging folder holding every output of new whose key the live folder has too.

    Those files are hard links to the live ones (same bytes, same times); every other path of
    new is absent, for the caller to write. If the block succeeds the staging folder is swapped
    in and the old live folder becomes the twin, which the next build brings up to date
    instead of building a whole tree again. Without a usable twin a fresh folder is staged.
    Also yielded: the paths that could not be linked (gone from the live folder), to write.
    mirrored: the caller links every file it writes into the (emptied) twin folder as well;
    the old live folder is then deleted, not kept.
    """
    out_dir = out_dir.resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    reuse = twin is not None and twin_keys is not None and twin.is_dir()
    if twin is not None and not reuse:
        shutil.rmtree(twin, ignore_errors=True)
    if reuse and twin is not None and twin_keys is not None:
        staging, held = twin, dict(twin_keys)
    else:
        staging, held = out_dir.with_name(f".{out_dir.name}.new-{os.getpid()}"), {}
        shutil.rmtree(staging, ignore_errors=True)
    try:
        staging.mkdir(exist_ok=True)
        remove_stale(staging, held, new)
        missing = link_unchanged(out_dir, staging, held, live, new)
        yield staging, missing
        swap_in(staging, out_dir, keep_old=None if mirrored else twin)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)  # a half-updated twin is of no use
        raise


def remove_stale(staging: Path, held: Mapping[str, str], new: Mapping[str, str]) -> None:
    """Delete what the staging folder holds that the new site does not, or holds differently."""
    for path, key in held.items():
        if new.get(path) != key:
            (staging / path).unlink(missing_ok=True)
            if path not in new:
                prune_folders(staging, path)


def prune_folders(staging: Path, path: str) -> None:
    """Remove the folders of a deleted file that are now empty."""
    parent = posixpath.dirname(path)
    while parent:
        try:
            (staging / parent).rmdir()
        except OSError:
            return
        parent = posixpath.dirname(parent)


def link_unchanged(
    out_dir: Path, staging: Path, held: Mapping[str, str], live: Mapping[str, str], new: Mapping[str, str]
) -> set[str]:
    """Hard-link into staging every live file the new site keeps as it is; return those missing."""
    missing = set()
    folders: set[str] = set()  # made, or known to be there
    for path, key in new.items():
        if live.get(path) == key and held.get(path) != key:
            target = os.path.join(staging, path)
            make_folder(os.path.dirname(target), folders)
            try:
                os.link(os.path.join(out_dir, path), target)
            except FileNotFoundError:
                missing.add(path)
    return missing


def link_tree(source: Path, target: Path) -> None:
    """Make target a copy of source made of hard links (an unchanged search index)."""
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(source, target, copy_function=os.link)
