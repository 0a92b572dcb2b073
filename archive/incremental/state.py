"""What a build leaves for the next one of the same output folder, in its files of the cache."""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple

from archive.base import languages, urls
from archive.base.files import save_atomically
from archive.base.languages import LanguageInfo
from archive.base.records import ExportRows, digest
from archive.base.version import code_version
from archive.output.writer import FileStat
from archive.site.model import Text

FORMAT = 11  # bump when what the cache stores changes shape

# A file's status change and modification times in ns, size and inode. The change time leads:
# a program can set a file's modification time back (to a commit's date, an archive's), but
# any change, that one included, sets its change time to now.
StatKey = tuple[int, int, int, int]


class TextRecord(NamedTuple):
    """A text as a build read it: its file's stat, the light text, its rows of the data export."""

    stat: StatKey
    text: Text
    rows: ExportRows


Records = dict[str, TextRecord]  # by the file's path


def stat_key(path: str | Path) -> StatKey:
    info = os.stat(path)
    return (info.st_ctime_ns, info.st_mtime_ns, info.st_size, info.st_ino)


def folder_digest(folder: Path) -> str:
    """A digest of every file's name and bytes under folder (the templates and their assets)."""
    h = hashlib.sha256()
    files = sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []
    for path in files:
        h.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()[:32]


def folder_stats(folder: Path) -> tuple[tuple[str, StatKey], ...]:
    """Every file's name and stat under folder: changes when any file is edited."""
    files = sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []
    return tuple((p.as_posix(), stat_key(p)) for p in files)


FolderId = tuple[int, int]  # device and inode


def folder_id(folder: Path) -> FolderId | None:
    """The device and inode of a folder, to notice that it was replaced behind our back."""
    try:
        info = folder.stat()
    except OSError:
        return None
    return (info.st_dev, info.st_ino)


@dataclass
class TextsState:
    """The texts the last build read (see incremental/texts.py)."""

    reading_key: str = ""  # digest of what texts are read with (settings, code)
    records: Records = field(default_factory=dict)
    scanned: int = 0  # when that build listed its files (ns since the epoch)

    def texts(self) -> list[Text]:
        return [record.text for record in self.records.values()]


@dataclass
class SiteState:
    """The output folder as the last build left it, and its twin (see incremental/outputs.py)."""

    outputs: dict[str, str] = field(default_factory=dict)  # path in the live folder -> key
    files: dict[str, FileStat] = field(default_factory=dict)  # path in the live folder -> its stats
    live_id: FolderId | None = None
    search: str | None = None  # key of the search index in the live folder
    twin: dict[str, str] | None = None  # path in the twin folder -> key; None: no usable twin
    twin_files: dict[str, FileStat] = field(default_factory=dict)
    twin_id: FolderId | None = None
    twin_search: str | None = None

    # The twin is mostly the live folder of a build or two before: it is kept as its
    # differences from the live one, which halves the state a rebuild loads and saves.
    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        if self.twin is not None:
            state["twin"] = differences(self.outputs, self.twin)
        state["twin_files"] = differences(self.files, self.twin_files)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        if state["twin"] is not None:
            state["twin"] = with_differences(state["outputs"], state["twin"])
        state["twin_files"] = with_differences(state["files"], state["twin_files"])
        self.__dict__.update(state)


Differences = tuple[list[str], dict[str, Any]]  # the keys gone, the items new or changed


def differences(base: dict[str, Any], other: dict[str, Any]) -> Differences:
    """What turns base into other."""
    gone = [key for key in base if key not in other]
    changed = {key: value for key, value in other.items() if key not in base or base[key] != value}
    return gone, changed


def with_differences(base: dict[str, Any], changes: Differences) -> dict[str, Any]:
    """A copy of base with these differences made."""
    gone, changed = changes
    result = dict(base)
    for key in gone:
        del result[key]
    result.update(changed)
    return result


@dataclass
class Lookups:
    """Names slugified and languages described by the last build, for the next (if it runs the
    same code and libraries): looking them up afresh takes a good part of a small rebuild."""

    code: str = ""
    slugs: dict[tuple[str, int], str] = field(default_factory=dict)
    languages: dict[str, LanguageInfo] = field(default_factory=dict)
    language_codes: set[str] = field(default_factory=set)

    def reuse(self) -> None:
        if self.code == code_version():
            urls.KNOWN_SLUGS.update(self.slugs)
            languages.KNOWN_LANGUAGES.update(self.languages)
            languages.STANDARD_CODES.update(self.language_codes)

    @classmethod
    def known(cls) -> Lookups:
        return cls(
            code_version(),
            dict(urls.KNOWN_SLUGS),
            dict(languages.KNOWN_LANGUAGES),
            set(languages.STANDARD_CODES),
        )


@dataclass
class BuildState:
    """What the last build of one output folder left behind."""

    inputs: str = ""  # digest of every input's stat and of the options: equal means nothing changed
    texts: TextsState = field(default_factory=TextsState)
    site: SiteState = field(default_factory=SiteState)
    lookups: Lookups = field(default_factory=Lookups)
    records_token: str = ""  # which records file (and changes file) hold texts.records


@dataclass(frozen=True)
class Summary:
    """The few facts of the last build that tell, without loading its whole state, that nothing changed."""

    inputs: str
    live_id: FolderId | None
    scanned: int
    texts: int
    files: int
    live_files: dict[str, FileStat]  # the stats of the live folder's files: a file changed by hand is seen


class StateFiles:
    """The files that keep one output folder's state in the cache, and its twin's folder.

    A state is kept in three files: the records of every text as of some build, the records
    changed since then, and the rest. A rebuild after a few edits writes only the changes
    (and the rest); once they grow past an eighth of the texts, the records are written whole.
    """

    def __init__(self, cache_folder: Path, out_dir: Path) -> None:
        out = out_dir.resolve()
        self.folder = cache_folder / "sites" / f"{out.name}-{digest(str(out))[:12]}"
        self.state_file = self.folder / "state.pickle"
        self.records_file = self.folder / "records.pickle"
        self.changes_file = self.folder / "changes.pickle"
        self.summary_file = self.folder / "summary.pickle"
        self.twin = self.folder / "twin"
        self.base: tuple[str, Records] | None = None  # the records file as loaded

    def load_state(self) -> BuildState:
        """The last build's state, or an empty one when there is none or it is unreadable."""
        state = load_versioned(self.state_file)
        if not isinstance(state, BuildState):
            return BuildState()
        base = load_records(self.records_file)
        if not (base and base[0] == state.records_token):
            return BuildState()
        self.base = base
        records = dict(base[1])
        changes = load_versioned(self.changes_file)
        if isinstance(changes, tuple) and changes[0] == state.records_token:
            for path, record in changes[1].items():
                if record is None:
                    records.pop(path, None)
                else:
                    records[path] = record
        state.texts.records = records
        return state

    def save_state(self, state: BuildState, files: int, parts: list[bytes] | None = None) -> None:
        """Keep the state; parts, when given, are its records pickled (see save_records)."""
        self.summary_file.unlink(missing_ok=True)  # never describe a state it does not match
        records = state.texts.records
        changes = self.changes_since_base(records)
        if self.base is None or changes is None:
            token = secrets.token_hex(8)
            save_records(self.records_file, token, records, parts)
            self.changes_file.unlink(missing_ok=True)
        else:
            token = self.base[0]
            save_versioned(self.changes_file, (token, changes))
        state.texts.records, state.records_token = {}, token
        try:
            save_versioned(self.state_file, state)
        finally:
            state.texts.records = records
        site = state.site
        summary = Summary(state.inputs, site.live_id, state.texts.scanned, len(records), files, site.files)
        save_versioned(self.summary_file, summary)

    def changes_since_base(self, records: Records) -> dict[str, TextRecord | None] | None:
        """The records that differ from the records file, or None when there are too many."""
        if self.base is None:
            return None
        base = self.base[1]
        changes: dict[str, TextRecord | None] = {
            path: record for path, record in records.items() if not same_record(base.get(path), record)
        }
        changes.update({path: None for path in base if path not in records})
        return changes if len(changes) <= max(16, len(records) // 8) else None

    def forget(self) -> None:
        """Drop the state files (the next build is a cold one); what cannot be dropped is left."""
        for path in (self.summary_file, self.state_file, self.records_file, self.changes_file):
            with contextlib.suppress(OSError):
                path.unlink(missing_ok=True)

    def load_summary(self) -> Summary | None:
        """The last build's summary, or None when there is none or it is unreadable."""
        summary = load_versioned(self.summary_file)
        return summary if isinstance(summary, Summary) else None


RECORDS_PER_PART = 500


def save_records(path: Path, token: str, records: Records, parts: list[bytes] | None = None) -> None:
    """Keep the records of every text in one file: its version, the token, how many parts, and
    the parts, each a pickle of up to RECORDS_PER_PART records, written one after the other (one
    pickle of them all would remember every object it has written, and take twice as long).

    parts, when given, are the records already pickled that way, by the processes that read the
    texts (a dict of records each, together all of them): written as they are.
    """
    items = list(records.items())
    starts = range(0, len(items), RECORDS_PER_PART)

    def write(file: BinaryIO) -> None:
        for header in ((FORMAT, code_version()), token, len(starts) if parts is None else len(parts)):
            pickle.dump(header, file, pickle.HIGHEST_PROTOCOL)
        if parts is not None:
            file.writelines(parts)
            return
        for start in starts:
            pickle.dump(dict(items[start : start + RECORDS_PER_PART]), file, pickle.HIGHEST_PROTOCOL)

    save_atomically(path, write)


def load_records(path: Path) -> tuple[str, Records] | None:
    """The token and records that save_records kept, or None when they cannot be read."""
    records: Records = {}
    try:
        with path.open("rb") as file:
            if pickle.load(file) != (FORMAT, code_version()):
                return None
            token, parts = pickle.load(file), pickle.load(file)
            for _ in range(parts):
                records.update(pickle.load(file))
    except Exception:
        return None
    return (token, records) if isinstance(token, str) else None


def same_record(old: TextRecord | None, new: TextRecord) -> bool:
    """A text kept from the last build is the very object it loaded."""
    return old is not None and old.stat == new.stat and old.text is new.text


def load_versioned(path: Path) -> Any:
    """What save_versioned wrote, or None when it is missing, unreadable or of another version."""
    try:
        stored: Any = pickle.loads(path.read_bytes())
    except Exception:
        return None
    if not (isinstance(stored, tuple) and len(stored) == 2 and stored[0] == (FORMAT, code_version())):
        return None
    return stored[1]


def save_versioned(path: Path, value: object) -> None:
    save_atomically(path, pickle.dumps(((FORMAT, code_version()), value), pickle.HIGHEST_PROTOCOL))
