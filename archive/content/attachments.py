"""Files kept beside the texts (facsimiles, the original's PDF, scans, images): content/files/,
copied to the site's /files/ under the same names.

A text lists the files that belong to it in its front matter (`files:`), and its body may link
to any of them, or show an image, as `/files/<name>`. A listed or linked file that is not there
is an error at the line that names it; so is a file whose name is not a plain lower-case path (a
URL must be able to say it as it is), and a file larger than MAX_ATTACHMENT_BYTES.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from archive.base.diagnostics import Diagnostic, display_path
from archive.base.records import Article

FOLDER = "files"  # under content/, and in the site
MAX_ATTACHMENT_BYTES = 100 << 20
PLAIN_NAME = re.compile(r"[a-z0-9][a-z0-9_-]*(?:\.[a-z0-9_-]+)*(?:/[a-z0-9][a-z0-9_-]*(?:\.[a-z0-9_-]+)*)*")
# A body's links and images to a kept file: [text](/files/x.pdf), ![alt](/files/x.png "title"),
# and reference definitions, [1]: /files/x.pdf.
FILE_LINK = re.compile(r"\]\(\s*<?/files/([^)\s>]+)|^[ \t]{0,3}\[[^\]]+\]:\s*<?/files/(\S+?)>?(?:\s|$)", re.M)
IMAGE_TYPES = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif")
# What a kept file may be: documents and images that a browser shows or saves, never runs. HTML,
# SVG and scripts are refused: served from the archive's own address, they could run script there.
KEPT_TYPES = (
    *IMAGE_TYPES,
    ".pdf",
    ".tif",
    ".tiff",
    ".txt",
    ".csv",
    ".epub",
    ".djvu",
    ".mp3",
    ".ogg",
    ".mp4",
    ".webm",
)


@dataclass(frozen=True)
class Attachment:
    """One file of content/files/."""

    name: str  # its path under content/files/, with / between folders: "theses/facsimile.pdf"
    size: int
    modified: int  # ns since the epoch
    source: str  # where it is read from

    @property
    def url(self) -> str:
        return f"/{FOLDER}/{self.name}"

    @property
    def is_image(self) -> bool:
        return self.name.endswith(IMAGE_TYPES)


def find_attachments(content_dir: Path) -> tuple[dict[str, Attachment], list[Diagnostic]]:
    """Every file of content/files/ by name, and the problems of those that cannot be kept."""
    root = content_dir / FOLDER
    found: dict[str, Attachment] = {}
    problems: list[Diagnostic] = []
    folders = [root] if root.is_dir() and not root.is_symlink() else []
    while folders:
        folder = folders.pop()
        try:
            with os.scandir(folder) as entries:
                listed = sorted(entries, key=lambda entry: entry.name)
        except OSError as error:
            problems.append(Diagnostic(display_path(folder), 1, f"cannot list the folder: {error.strerror}"))
            continue
        for entry in listed:
            if entry.name.startswith("."):
                continue
            if entry.is_dir(follow_symlinks=False):
                folders.append(Path(entry.path))
                continue
            name = Path(entry.path).relative_to(root).as_posix()
            problem = attachment_problem(entry, name)
            if problem:
                problems.append(Diagnostic(display_path(Path(entry.path)), 1, *problem))
                continue
            info = entry.stat(follow_symlinks=False)
            found[name] = Attachment(name, info.st_size, info.st_mtime_ns, entry.path)
    return dict(sorted(found.items())), problems


def attachment_problem(entry: os.DirEntry[str], name: str) -> tuple[str, str] | None:
    """(message, hint) for a file that cannot be kept, or None."""
    if not entry.is_file(follow_symlinks=False):
        return ("not a regular file (a link or a device)", "put the file itself in content/files/")
    if not PLAIN_NAME.fullmatch(name):
        plain = re.sub(r"[^a-z0-9_./-]+", "-", name.lower()).strip("-")
        return (f"the file name '{name}' is not a plain lower-case name", f"rename it '{plain}'")
    if not name.endswith(KEPT_TYPES):
        kinds = ", ".join(kind.lstrip(".") for kind in KEPT_TYPES)
        return (f"'{name}' is not a kind of file the archive keeps", f"keep {kinds}")
    size = entry.stat(follow_symlinks=False).st_size
    if size > MAX_ATTACHMENT_BYTES:
        return (
            f"the file is {size >> 20} MB, more than the {MAX_ATTACHMENT_BYTES >> 20} MB a file may be",
            "keep a smaller copy here and link to the original where it is published",
        )
    return None


def file_links(body: str, body_line: int) -> tuple[tuple[str, int], ...]:
    """The kept files a body links to or shows, each with the line of the file that names it."""
    if f"/{FOLDER}/" not in body:
        return ()  # most texts: a search for a plain string, where the expression takes 0.1 ms
    found = []
    for match in FILE_LINK.finditer(body):
        name = match.group(1) or match.group(2)
        found.append((name.split("#")[0].split("?")[0], body_line + body.count("\n", 0, match.start())))
    return tuple(found)


def check_attachments(articles: list[Article], attachments: dict[str, Attachment]) -> list[Diagnostic]:
    """A file a text lists or links to that content/files/ does not hold: at the line naming it."""
    diagnostics = []
    hint = f"put it in content/{FOLDER}/, or correct the name"
    for article in articles:
        if not article.files and not article.file_links:
            continue  # most texts: their path is not even put in words
        where = display_path(article.path)
        for kept in article.files:
            if kept.file not in attachments:
                message = f"the file '{kept.file}' is not in content/{FOLDER}/"
                diagnostics.append(Diagnostic(where, kept.line, message, hint))
        for name, line in article.file_links:
            if name not in attachments:
                message = f"the link to /{FOLDER}/{name} points to no file of content/{FOLDER}/"
                diagnostics.append(Diagnostic(where, line, message, hint))
    return diagnostics
