"""Files the build keeps for itself (its cache), written whole or not at all, and folders it
deletes without waiting."""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

DROPPED = "dropped-"  # a folder of the trash that no process is deleting yet
MAX_DESCRIPTORS = 1 << 16  # closed in a deleting process, from 3 on


def save_atomically(path: Path, data: bytes | Callable[[BinaryIO], None]) -> None:
    """Write a file whole or not at all (a temporary file renamed over it); data is the bytes,
    or writes them to the file it is given."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(handle, "wb") as file:
            if isinstance(data, bytes):
                file.write(data)
            else:
                data(file)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def keep_alone(path: Path, data: bytes, others: str) -> None:
    """Keep data in path, whole, dropping the files beside it named like others (a glob: what
    earlier builds kept for other inputs); a folder that cannot be written is left as it is."""
    with contextlib.suppress(OSError):
        for old in path.parent.glob(others):
            old.unlink(missing_ok=True)
        save_atomically(path, data)


def discard(folder: Path, trash: Path | None) -> None:
    """Take a folder out of the way at once, to be deleted without waiting for it: it is
    renamed into trash (a folder of the same file system), where empty_trash has it deleted. A
    site's tree is tens of thousands of files, and deleting them takes longer than writing
    them on many disks. Without a trash, or where the folder cannot be moved there, it is
    deleted at once."""
    if not folder.exists():
        return
    if trash is not None:
        try:
            trash.mkdir(parents=True, exist_ok=True)
            os.rename(folder, trash / f"{DROPPED}{secrets.token_hex(6)}")
            return
        except OSError:
            pass
    shutil.rmtree(folder, ignore_errors=True)


def empty_trash(trash: Path) -> None:
    """Have what the trash holds deleted by processes of their own, which may outlive this one:
    every folder no live process is deleting (those dropped since, and those a killed deleter
    left). Where processes cannot be forked, it is deleted now."""
    with contextlib.suppress(OSError):
        for name in os.listdir(trash):
            if owner_alive(name):
                continue
            try:
                delete_beside(trash / name)
            except OSError:  # no process could be made (or fork is missing)
                shutil.rmtree(trash / name, ignore_errors=True)


def delete_beside(doomed: Path) -> None:
    """Delete a folder of the trash in a process detached from this one (forked twice: no
    terminal's Ctrl-C, no zombie, no file of this one held open, such as a lock or the pipe a
    caller reads this one's output from). It first renames the folder after itself, for
    empty_trash to tell it is being deleted."""
    if not hasattr(os, "fork"):
        raise OSError("processes cannot be forked here")
    child = os.fork()
    if child:
        os.waitpid(child, 0)
        return
    try:
        os.setsid()
        if os.fork():
            os._exit(0)
        null = os.open(os.devnull, os.O_RDWR)
        for standard in (0, 1, 2):
            os.dup2(null, standard)
        os.closerange(3, MAX_DESCRIPTORS)
        mine = doomed.with_name(f"{os.getpid()}-{doomed.name.rpartition('-')[2]}")
        with contextlib.suppress(OSError):
            os.rename(doomed, mine)
            doomed = mine
        shutil.rmtree(doomed, ignore_errors=True)
    finally:
        os._exit(0)


def owner_alive(name: str) -> bool:
    """Whether the process a name starts with ('<pid>-...') still runs."""
    try:
        os.kill(int(name.split("-")[0]), 0)
    except (ValueError, ProcessLookupError):
        return False
    except PermissionError:
        return True
    return True
