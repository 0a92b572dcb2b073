"""Files the build keeps for itself (its cache), written whole or not at all."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO


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
