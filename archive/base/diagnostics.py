"""Diagnostics about the user's content: where, what, and what to do about it."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem in the content, pointing at a file and a line (1-based)."""

    path: str
    line: int
    message: str
    hint: str = ""

    def format(self) -> str:
        """Render as `path:line: error: message (hint)`, on one line whatever the path or the
        values quoted hold: control characters and bidirectional overrides are escaped, so no
        file name or field can start a line of its own or reverse what follows."""
        text = f"{self.path}:{self.line}: error: {self.message}"
        return printable(f"{text} ({self.hint})" if self.hint else text)


# C0 and C1 controls, and the characters that reorder the text after them.
UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """text with every control or bidi-override character written as its escape (\\n, \\u202e)."""
    return UNPRINTABLE.sub(lambda match: repr(match.group())[1:-1], text)


class ContentError(Exception):
    """The content has errors; nothing may be written."""

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics = tuple(sorted(set(diagnostics)))
        super().__init__(f"{len(self.diagnostics)} content error(s)")


def display_path(path: str | Path) -> str:
    """Show a path relative to the working directory when it lies below it."""
    cwd = os.getcwd()
    root = resolved(cwd)
    full = os.path.join(resolved(os.path.join(cwd, os.path.dirname(path))), os.path.basename(path))
    if full.startswith(root + os.sep):
        return Path(full[len(root) + 1 :]).as_posix()
    return Path(path).as_posix()


@lru_cache(maxsize=1024)  # thousands of files share a few folders; resolving one costs a stat a part
def resolved(folder: str) -> str:
    return os.path.realpath(folder)


def summarize(diagnostics: tuple[Diagnostic, ...]) -> str:
    """Say how many errors in how many files."""
    files = len({d.path for d in diagnostics})
    errors = "error" if len(diagnostics) == 1 else "errors"
    in_files = "file" if files == 1 else "files"
    return f"{len(diagnostics)} {errors} in {files} {in_files}; nothing was written"
