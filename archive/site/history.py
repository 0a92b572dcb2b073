"""The content repository's git history -> the corrections of each text.

Every commit that changed a text's body or its fields is a correction: its date, its message,
the fields it changed, what it changed in the words (a word-level diff) and the body's SHA-256
before and after. The history is read in one pass (`git log` of the articles' folder, then the
files' versions through one `git cat-file` at a time for a batch of them), and kept in the
cache (KeptHistory) by the commit it was read at: a build at the same commit reads nothing, one after a new
commit compares only the versions it has not compared before. Without git, or outside a
repository, there is no history, and the pages say so.
"""

from __future__ import annotations

import datetime
import difflib
import os
import re
import subprocess
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from archive.base.records import Correction, digest
from archive.base.version import code_version
from archive.content.reader import split_editorial, split_front_matter
from archive.content.schema import FieldReader, decode_text
from archive.site.markdown import fingerprint, strip_anchors
from archive.site.model import Text

GIT_TIMEOUT = 300  # seconds for one git command: a long history of a large archive is minutes at worst
BATCH = 256  # pairs of file versions read through one `git cat-file --batch`
CONTEXT = 6  # words shown either side of a change
NO_BLOB = "0" * 40
FIELD_LINE = re.compile(r"([A-Za-z_][\w-]*)[^\S\n]*:")  # a top-level field's first line
PARAGRAPHS = re.compile(r"\n[^\S\n]*\n\s*")


@dataclass(frozen=True)
class History:
    """What the repository says of each text: its corrections, newest first, by the text's path
    (as the build names it). Without history, reason says why."""

    corrections: dict[str, tuple[Correction, ...]] = field(default_factory=dict)
    reason: str = ""  # why there is no history: '' when there is one

    @property
    def available(self) -> bool:
        return not self.reason

    def of(self, path: str) -> tuple[Correction, ...]:
        return self.corrections.get(path, ())

    def newest(self, texts: Iterable[Text], count: int) -> tuple[tuple[Text, Correction], ...]:
        """The newest count corrections of these texts (not the commits that added them)."""
        if not self.corrections:
            return ()
        found = [(c.date, t.url, t, c) for t in texts for c in self.of(t.article.path) if not c.added]
        found.sort(key=lambda entry: (entry[0], entry[1]), reverse=True)
        return tuple((text, correction) for _, _, text, correction in found[:count])

    def count(self) -> int:
        return sum(1 for found in self.corrections.values() for c in found if not c.added)


@dataclass(frozen=True)
class Change:
    """One commit's change to one file: the versions before and after, by their blob ids."""

    commit: str
    date: str
    message: str
    before: str  # NO_BLOB: the commit added the file
    after: str
    path: str  # the text's path today (relative to the repository's top)


def git(folder: Path, *arguments: str, data: bytes | None = None) -> bytes:
    """The output of a git command run in folder; raise OSError if it fails."""
    try:
        done = subprocess.run(
            ["git", *arguments], cwd=folder, input=data, capture_output=True, timeout=GIT_TIMEOUT, check=False
        )
    except (OSError, subprocess.SubprocessError) as error:
        raise OSError(f"git could not be run: {error}") from None
    if done.returncode != 0:
        raise OSError(done.stderr.decode("utf-8", "replace").strip() or f"git {arguments[0]} failed")
    return done.stdout


def repository(content_dir: Path) -> tuple[Path, str] | None:
    """The top folder of the repository that holds content_dir and its current commit, or None."""
    try:
        top, head = git(content_dir, "rev-parse", "--show-toplevel", "HEAD").decode().split("\n")[:2]
    except (OSError, ValueError):
        return None
    return Path(top), head


@dataclass(frozen=True)
class KeptHistory:
    """What a build keeps of the history for the next (in the cache): the history, the key it
    was read with, and every pair of versions compared, by the code that compared them."""

    code: str = ""
    key: str = ""
    history: History = field(default_factory=History)
    compared: Compared = field(default_factory=dict)


def read_history(
    found: tuple[Path, str] | None, content_dir: Path, paths: Iterable[str], kept: KeptHistory
) -> tuple[History, KeptHistory | None]:
    """The corrections of the texts at paths (as the build names them), from the repository
    found (its top folder and current commit: see repository), with what to keep for the next
    build (None: nothing new). kept: what the last build kept."""
    if found is None:
        return History(reason="the content folder is not in a git repository (or git is not installed)"), None
    top, head = found
    here = str(Path.cwd().resolve())
    named = {relative_to(top, here, path): path for path in paths}
    code = code_version()  # how versions are compared: pairs compared by other code are not kept
    key = digest(code, str(top), head, sorted(named.items()))
    if kept.code != code:
        kept = KeptHistory()
    elif kept.key == key:
        return kept.history, None
    try:
        changes = list(changes_of(top, (content_dir.resolve() / "articles").relative_to(top), set(named)))
        compared = compare_all(top, changes, kept.compared)
    except OSError as error:
        return History(reason=f"git could not read the history: {error}"), None
    by_text: dict[str, list[Correction]] = {}
    for change in changes:
        correction = compared.get((change.before, change.after))
        if correction is not None:
            dated = Correction(change.commit, change.date, change.message, *correction)
            by_text.setdefault(named[change.path], []).append(dated)
    history = History({path: tuple(found) for path, found in by_text.items()})
    return history, KeptHistory(code, key, history, compared)


def relative_to(top: Path, here: str, path: str) -> str:
    """A text's path from the repository's top, resolved only where a link is in the way
    (resolving every path of a large archive takes a good part of a second)."""
    prefix = str(top) + os.sep
    full = os.path.normpath(os.path.join(here, path))
    if not full.startswith(prefix):
        full = str(Path(path).resolve())
    return full.removeprefix(prefix).replace(os.sep, "/")


def changes_of(top: Path, folder: Path, today: set[str]) -> Iterator[Change]:
    """Each commit's change to each text of today, newest first, following renames."""
    log = git(
        top,
        *("log", "--no-merges", "--raw", "--no-abbrev", "-M", "-z", "--format=%x01%H%x1f%cI%x1f%s"),
        *("--", folder.as_posix()),
    )
    name_today = {path: path for path in today}  # a file's name at this point of the history -> today's
    for chunk in log.split(b"\x01")[1:]:
        head, _, raw = chunk.partition(b"\0")
        commit, when, message = head.decode("utf-8", "replace").split("\x1f", 2)
        date = datetime.datetime.fromisoformat(when).astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        tokens = iter(raw.lstrip(b"\n").split(b"\0"))
        for token in tokens:
            if not token.startswith(b":"):
                continue
            _modes, _mode, before, after, status = token[1:].decode().split(" ")
            path = next(tokens).decode("utf-8", "surrogateescape")
            if status[0] in "RC":
                new_path = next(tokens).decode("utf-8", "surrogateescape")
                now = name_today.pop(new_path, None) if status[0] == "R" else name_today.get(new_path)
                if now is not None:
                    name_today[path] = now
                    yield Change(commit, date, message, before, after, now)
                continue
            now = name_today.get(path)
            if now is not None and status[0] in "AM":
                yield Change(commit, date, message, before, after, now)
            if status[0] == "A":
                name_today.pop(path, None)  # before it was added, the name was another file's


Hunks = tuple[tuple[tuple[str, str], ...], ...]
Version = tuple[dict[str, str], str, str]  # a file's fields (their lines), its text, the text's SHA-256
Compared = dict[tuple[str, str], tuple[str, str, tuple[str, ...], Hunks] | None]  # by pair of blobs


def compare_all(top: Path, changes: list[Change], compared: Compared) -> Compared:
    """What each change did (see compare), for the pairs of versions not compared before: a
    batch of pairs at a time, so that only a batch's versions are held at once."""
    pairs = {(c.before, c.after) for c in changes}
    wanted = sorted(pairs - set(compared))
    found = {pair: compared[pair] for pair in pairs - set(wanted)}
    for start in range(0, len(wanted), BATCH):
        batch = wanted[start : start + BATCH]
        blobs = sorted({blob for pair in batch for blob in pair} - {NO_BLOB})
        parsed: dict[str, Version] = {NO_BLOB: ({}, "", "")}
        parsed |= {blob: parts_of(data) for blob, data in read_blobs(top, blobs)}
        found |= {pair: compare(parsed[pair[0]], parsed[pair[1]], pair[0] == NO_BLOB) for pair in batch}
    return found


def read_blobs(top: Path, blobs: list[str]) -> Iterator[tuple[str, bytes]]:
    """The contents of these blobs, through one `git cat-file --batch`."""
    out = git(top, "cat-file", "--batch", data="".join(f"{blob}\n" for blob in blobs).encode())
    position = 0
    for blob in blobs:
        end = out.index(b"\n", position)
        header = out[position:end].split(b" ")
        if len(header) < 3 or header[1] != b"blob":
            raise OSError(f"git cat-file did not give blob {blob}")
        size = int(header[2])
        yield blob, out[end + 1 : end + 1 + size]
        position = end + 1 + size + 1


def parts_of(data: bytes) -> Version:
    """A version's fields, each as the lines of front matter that hold it, and its body (the
    text alone, as the build reads it). No YAML is parsed: a field whose lines changed is a
    changed field, and a version the build would refuse is compared all the same."""
    reader = FieldReader("version.md", 2)
    text = decode_text(data, reader) or data.decode("utf-8", "replace")
    parts = split_front_matter(text, reader)
    if parts is None:
        return {}, *published(text)
    front, body, body_line = parts
    fields: dict[str, str] = {}
    name = ""
    for line in front.split("\n"):
        key = FIELD_LINE.match(line)
        if key:
            name = key.group(1)
            fields[name] = ""
        if name:
            fields[name] += line + "\n"
    return fields, *published(split_editorial(body, body_line, reader)[0])


def published(body: str) -> tuple[str, str]:
    """The body as its fingerprint covers it (alignment anchors are not the text) and that
    fingerprint, the SHA-256 the text's page shows (site/markdown.py)."""
    text = strip_anchors(body) if "<!--" in body else body
    return text, fingerprint(text)


def compare(before: Version, after: Version, added: bool) -> tuple[str, str, tuple[str, ...], Hunks] | None:
    """(SHA-256 of the body before, after, the fields changed, the body's changes as hunks of
    (' ' kept | '-' removed | '+' added, words)); None when neither the body nor a field changed."""
    fields_before, body_before, sha_before = before
    fields_after, body_after, sha_after = after
    names = sorted(
        n for n in set(fields_before) | set(fields_after) if fields_before.get(n) != fields_after.get(n)
    )
    if body_before == body_after and not names:
        return None
    hunks = () if added or body_before == body_after else word_changes(body_before, body_after)
    return "" if added else sha_before, sha_after, () if added else tuple(names), hunks


def word_changes(before: str, after: str) -> Hunks:
    """The words that changed, paragraph by paragraph, each change with a few words around it."""
    old, new = PARAGRAPHS.split(before.strip()), PARAGRAPHS.split(after.strip())
    hunks = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            hunks += paragraph_changes(" ".join(old[i1:i2]).split(), " ".join(new[j1:j2]).split())
    return tuple(hunks)


def paragraph_changes(old: list[str], new: list[str]) -> list[tuple[tuple[str, str], ...]]:
    hunks: list[tuple[tuple[str, str], ...]] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for group in matcher.get_grouped_opcodes(CONTEXT):
        parts = []
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                if i2 > i1:
                    parts.append((" ", " ".join(old[i1:i2])))
                continue
            if i2 > i1:
                parts.append(("-", " ".join(old[i1:i2])))
            if j2 > j1:
                parts.append(("+", " ".join(new[j1:j2])))
        hunks.append(tuple(parts))
    return hunks
