"""The first seam of a rebuild: the texts it can take from the last build, and the files it
must read.

A text is taken again when its file kept its stat (time, size, inode) since a build that read
it with the same reading key (the settings and code it is read with), and was not changed too
close to that build's scan to trust its time. A file read again whose bytes are the same (it
was touched, or checked out again) keeps its text, under its new stat: it is neither rendered
nor stored again.
"""

from __future__ import annotations

import pickle
from collections.abc import Sequence
from typing import NamedTuple

from archive.base.diagnostics import Diagnostic
from archive.incremental.state import Records, StatKey, TextRecord, TextsState
from archive.site.model import Text

RACY_NS = 2_000_000_000  # a file changed this close to a build's scan is read again, whatever its stat


class FileToRead(NamedTuple):
    """A file to read: its path and stat, and the stamp of its text in the last build ('' if none)."""

    path: str
    stat: StatKey
    last_stamp: str


class ReadChunk(NamedTuple):
    """What a reading process sends back for a chunk of files, in their order."""

    records: bytes  # the new records of the chunk, pickled once (the cache keeps these bytes)
    problems: list[list[Diagnostic]]  # each file's
    same: list[bool]  # each file's: its text is the last build's (same bytes)


class KnownTexts:
    """The texts of the last build, sorted into those taken again and the files to read."""

    def __init__(self, last: TextsState, reading_key: str, scanned: int) -> None:
        self.last = last.records if last.reading_key == reading_key else {}
        self.trusted_before = last.scanned - RACY_NS
        self.reading_key = reading_key
        self.scanned = scanned
        self.found: dict[str, TextRecord] = {}
        self.pending: list[FileToRead] = []
        self.parts: list[bytes] = []
        self.kept = 0  # files read again whose texts were the last build's

    def to_read(self, paths: Sequence[str], stats: Sequence[StatKey]) -> list[FileToRead]:
        """The files to read; the others' texts are taken from the last build."""
        for path, stat in zip(paths, stats, strict=True):
            record = self.last.get(path)
            if record is not None and record.stat == stat and stat[0] < self.trusted_before:
                self.found[path] = record
            else:
                self.pending.append(FileToRead(path, stat, record.text.stamp if record else ""))
        self.order = list(paths)
        return self.pending

    def receive(self, files: Sequence[FileToRead], chunk: ReadChunk) -> list[Text]:
        """Take the results of reading these files; return the texts new to this build."""
        fresh: Records = pickle.loads(chunk.records)
        self.parts.append(chunk.records)
        for file, same in zip(files, chunk.same, strict=True):
            if same:
                self.found[file.path] = self.last[file.path]._replace(stat=file.stat)
                self.kept += 1
            elif file.path in fresh:
                self.found[file.path] = fresh[file.path]
        return [record.text for record in fresh.values()]

    def texts(self) -> TextsState:
        """The record of every file that read without error, in the order of the files."""
        records = {path: self.found[path] for path in self.order if path in self.found}
        return TextsState(self.reading_key, records, self.scanned)

    def pickled(self) -> list[bytes] | None:
        """The records as the readers pickled them, when every file was read and rendered anew:
        the cache keeps them as they are."""
        every_file_read = len(self.pending) == len(self.order) and not self.kept
        return self.parts if every_file_read else None
