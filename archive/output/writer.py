"""Outputs -> disk: a temporary folder beside the output, path safety, and an atomic swap."""

from __future__ import annotations

import glob
import os
import posixpath
import re
import shutil
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from archive.base.files import discard
from archive.base.records import Output

try:
    import fcntl
except ImportError:  # not POSIX (Windows): builds of one folder are not kept apart
    fcntl = None  # type: ignore[assignment]

# What almost every output path looks like; plainly inside the folder, with no '.' or '..' part.
PLAIN_PATH = re.compile(r"[a-z0-9][a-z0-9_-]*(?:\.[a-z0-9_-]+)*(?:/[a-z0-9][a-z0-9_-]*(?:\.[a-z0-9_-]+)*)*")


class UnsafeOutput(ValueError):
    """An output that would land outside the output folder, or twice in one place."""


MARKER = ".archive-site"  # in every built site: a build replaces only a folder that holds it
MARKER_TEXT = (
    b"This folder is a site built by the archive (python build.py); every build replaces it whole.\n"
)


def is_built_site(folder: Path) -> bool:
    """A folder this archive built: it holds the marker (or, built before the marker was
    written, every file for machines a build writes)."""
    if (folder / MARKER).is_file():
        return True
    return all(
        (folder / name).is_file()
        for name in ("index.html", "sitemap.xml", "robots.txt", "data/articles.json")
    )


@contextmanager
def output_lock(out_dir: Path, say: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the lock of an output folder (a lock on the folder that holds it, which a swap never
    replaces): a second build of the same folder, or of one beside it, waits for the first.
    Staging folders that builds killed before their end left are removed."""
    out = out_dir.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    with hold_lock(out.parent, f"another build into {out.parent}", say):
        for stale in out.parent.glob(f".{glob.escape(out.name)}.*-*"):
            if stale.is_dir() and (".new-" in stale.name or ".old-" in stale.name):
                shutil.rmtree(stale, ignore_errors=True)
        yield


@contextmanager
def hold_lock(path: Path, holder: str, say: Callable[[str], None] | None) -> Iterator[None]:
    """An exclusive lock on a file or a folder, waited for (saying so) while another process
    holds it; released when the block ends or the process does."""
    if fcntl is None:
        yield
        return
    descriptor = os.open(path, os.O_RDONLY if path.is_dir() else os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if say:
                say(f"waiting for {holder} to finish")
            fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)


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


FileStat = tuple[int, int, int]  # inode, size, modification time (ns): a file as it was written
NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)


def write_output(folder: Path, output: Output, made: set[str] | None = None) -> FileStat:
    """Write one checked output, never through a hard link that another folder shares.

    The file is always created anew (a file already there is unlinked first), in as few
    system calls as a fresh folder allows; return its stats (see FileStat). made: the folders
    known to be there (most outputs have a folder of their own: it is made first, rather than
    found missing by a failed open).
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
        info = os.fstat(descriptor)
    finally:
        os.close(descriptor)
    return (info.st_ino, info.st_size, info.st_mtime_ns)


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


def swap_in(staging: Path, out_dir: Path, keep_old: Path | None = None, trash: Path | None = None) -> None:
    """Replace out_dir by staging with two renames; the old folder goes only once the new is in.

    With keep_old, the old folder is moved there instead of deleted (deleting thousands of
    files and folders costs more than writing them on many disks); else, with trash, it is
    deleted from there without waiting (base/files.discard).
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
        discard(retired, trash)


def stat_of(path: str) -> FileStat | None:
    try:
        info = os.lstat(path)
    except OSError:
        return None
    return (info.st_ino, info.st_size, info.st_mtime_ns)


@dataclass
class Staged:
    """A staging folder and what it was made of: the paths still to be written (their files
    missing), and the files kept as they were, with their stats."""

    folder: Path
    missing: set[str]
    kept: dict[str, FileStat]


@contextmanager
def staged_update(
    out_dir: Path,
    twin: Path | None,
    live: Mapping[str, str],
    twin_keys: Mapping[str, str] | None,
    new: Mapping[str, str],
    mirrored: bool = False,
    live_files: Mapping[str, FileStat] | None = None,
    twin_files: Mapping[str, FileStat] | None = None,
    twin_damaged: Collection[str] | None = None,
    trash: Path | None = None,
) -> Iterator[Staged]:
    """Yield a staging folder holding every output of new whose key the live folder has too.

    Those files are hard links to the live ones (same bytes, same times); every other path of
    new is absent, for the caller to write. If the block succeeds the staging folder is swapped
    in and the old live folder becomes the twin, which the next build brings up to date
    instead of building a whole tree again. Without a usable twin a fresh folder is staged.
    A file is kept only if it is still the file its folder's stats say (live_files,
    twin_files: same inode, size and time): one deleted, replaced or changed by hand is among
    the missing, to be written again. mirrored: the caller links every file it writes into the
    (emptied) twin folder as well; the old live folder is then deleted, not kept. trash: where
    the folders dropped (the old twin, the old live folder) are deleted without waiting.
    """
    out_dir = out_dir.resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    reuse = twin is not None and twin_keys is not None and twin.is_dir()
    if twin is not None and not reuse:
        discard(twin, trash)
    if reuse and twin is not None and twin_keys is not None:
        staging, held = twin, dict(twin_keys)
    else:
        staging, held = out_dir.with_name(f".{out_dir.name}.new-{os.getpid()}"), {}
        shutil.rmtree(staging, ignore_errors=True)
    try:
        staging.mkdir(exist_ok=True)
        kept = remove_stale(staging, held, new, twin_files, twin_damaged)
        missing = link_unchanged(out_dir, staging, held, live, new, live_files, kept)
        yield Staged(staging, missing, kept)
        swap_in(staging, out_dir, keep_old=None if mirrored else twin, trash=trash)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)  # a half-updated twin is of no use
        raise


def remove_stale(
    staging: Path,
    held: dict[str, str],
    new: Mapping[str, str],
    stats: Mapping[str, FileStat] | None,
    damaged: Collection[str] | None = None,
) -> dict[str, FileStat]:
    """Delete what the staging folder holds that the new site does not, or holds differently,
    or that is not the file its stats say (held forgets it; damaged, when given, names those
    already found so); return the files it keeps."""
    kept = {}
    for path, key in list(held.items()):
        if new.get(path) == key:
            if stats is not None and damaged is not None:
                found = stats.get(path) if path not in damaged else None
            else:
                found = stat_of(os.path.join(staging, path)) if stats is not None else None
            if stats is None or (found is not None and found == stats.get(path)):
                if found is not None:
                    kept[path] = found
                continue
            del held[path]
        (staging / path).unlink(missing_ok=True)
        if path not in new:
            prune_folders(staging, path)
    return kept


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
    out_dir: Path,
    staging: Path,
    held: Mapping[str, str],
    live: Mapping[str, str],
    new: Mapping[str, str],
    stats: Mapping[str, FileStat] | None,
    kept: dict[str, FileStat],
) -> set[str]:
    """Hard-link into staging every live file the new site keeps as it is (and that is still
    the file its stats say; kept records it); return the paths missing."""
    missing = set()
    folders: set[str] = set()  # made, or known to be there
    for path, key in new.items():
        if held.get(path) == key or live.get(path) != key:
            continue  # kept in the twin, or to be made anew
        target = os.path.join(staging, path)
        make_folder(os.path.dirname(target), folders)
        try:
            os.link(os.path.join(out_dir, path), target)
        except FileNotFoundError:
            missing.add(path)
            continue
        found = stat_of(target)
        if stats is not None and (found is None or found != stats.get(path)):
            os.unlink(target)
            missing.add(path)
        elif found is not None:
            kept[path] = found
    return missing


def link_tree(source: Path, target: Path) -> None:
    """Make target a copy of source made of hard links (an unchanged search index)."""
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(source, target, copy_function=os.link)
