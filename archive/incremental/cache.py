"""The build cache: what earlier builds read, rendered and wrote, so a rebuild redoes only what changed.

It lives in `.cache/` beside the content folder. The rendered bodies of texts are kept in packs
(in bodies/, where each is in texts.sqlite) by a digest of their file, of sources.yaml and
site.yaml, and of the code and dependency versions. Each output folder has its state (the
inputs it was built from, its texts with their rows of the data export, the key of every file it
holds; see BuildCache) and a twin folder: the previous build's output (a first build links its
own), which the next build brings up to date and swaps in. Deleting `.cache/` is always safe:
the next build is a cold one.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import re
import secrets
import shutil
import sqlite3
import tempfile
import time
import weakref
import zlib
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from archive.base import languages, urls
from archive.base.languages import LanguageInfo
from archive.base.records import ExportRows, digest
from archive.base.version import code_version
from archive.site.model import Text

FORMAT = 9  # bump when what the cache stores changes shape

StatKey = tuple[int, int, int]  # mtime in ns, size, inode
Record = tuple[StatKey, Text, ExportRows]
Records = dict[str, Record]


def stat_key(path: str | Path) -> StatKey:
    info = os.stat(path)
    return (info.st_mtime_ns, info.st_size, info.st_ino)


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


def folder_id(folder: Path) -> tuple[int, int] | None:
    """The device and inode of a folder, to notice that it was replaced behind our back."""
    try:
        info = folder.stat()
    except OSError:
        return None
    return (info.st_dev, info.st_ino)


@dataclass
class BuildState:
    """What the last build of one output folder left behind."""

    inputs: str = ""  # digest of every input's stat and the options: equal means nothing changed
    env: str = ""  # digest of what texts are read with (sources, settings, code)
    records: Records = field(default_factory=dict)  # file -> its stat, light text and export rows
    records_token: str = ""  # which records file (and changes file) hold the records
    outputs: dict[str, str] = field(default_factory=dict)  # path in the live folder -> key
    twin: dict[str, str] | None = None  # path in the twin folder -> key; None: no usable twin
    live_id: tuple[int, int] | None = None
    twin_id: tuple[int, int] | None = None
    scanned: int = 0  # when the last build listed its inputs (ns since the epoch)
    texts: int = 0
    search: str | None = None  # key of the search index in the live folder
    twin_search: str | None = None
    code: str = ""  # code_version() of the build that left the three below
    slugs: dict[tuple[str, int], str] = field(default_factory=dict)  # urls.KNOWN_SLUGS
    languages: dict[str, LanguageInfo] = field(default_factory=dict)  # languages.KNOWN_LANGUAGES
    language_codes: set[str] = field(default_factory=set)  # languages.STANDARD_CODES

    def reuse_lookups(self) -> None:
        """Take up the names slugified and the languages looked up by the build that left this
        state, if it ran the same code and libraries."""
        if self.code == code_version():
            urls.KNOWN_SLUGS.update(self.slugs)
            languages.KNOWN_LANGUAGES.update(self.languages)
            languages.STANDARD_CODES.update(self.language_codes)

    def keep_lookups(self) -> None:
        """Keep what this build slugified and looked up, for the next."""
        self.code, self.slugs = code_version(), dict(urls.KNOWN_SLUGS)
        self.languages, self.language_codes = dict(languages.KNOWN_LANGUAGES), set(languages.STANDARD_CODES)


@dataclass(frozen=True)
class Summary:
    """The few facts of the last build that tell, without loading its whole state, that nothing changed."""

    inputs: str
    live_id: tuple[int, int] | None
    scanned: int
    texts: int
    files: int


# Per text: where its body's HTML is kept, the pack file, where in it, how long, and its CRC-32
# (a pack cut short or written over is a cache miss, never another text's body).
TABLE = (
    "CREATE TABLE IF NOT EXISTS texts (stamp TEXT PRIMARY KEY, pack TEXT, start INTEGER, size INTEGER,"
    " crc INTEGER)"
)

PAGE_SIZE = 16384
SMALL_PACK = 4 << 20  # bytes; once there are more than MANY_PACKS this small, they are merged
MANY_PACKS = 16
SETTLING_SECONDS = 60  # a pack changed as recently may be another build's, still being written
BODY_LIMIT = 1 << 28  # bytes: a row that claims a longer body is damaged
PACK_NAME = re.compile(r"[0-9a-f]{16}\.pack")


class BodyStore:
    """The rendered bodies of texts by digest: their HTML in pack files, and where each is in
    one SQLite file beside them.

    One SQLite file rather than one a text: a cold build of 10,000 texts would otherwise spend
    seconds creating files. The bodies are appended to a pack of the process that rendered them,
    one write a chunk: kept in SQLite they took three times as long to store and twice as long
    to read back. The rest of a text (its light text, its export rows) is in the records of the
    build state, by file. Each process opens its own connection and pack
    (workers are forked). A damaged or missing file is only a cache miss: a damaged SQLite
    file is replaced, and a body that cannot be read is rendered again and kept anew.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.packs = path.parent / "bodies"
        self.opened: tuple[int, sqlite3.Connection] | None = None  # (process id, connection)
        self.appending: tuple[int, int, str] | None = None  # (process id, file descriptor, pack)
        self.appended = 0  # bytes in the pack being appended to
        self.reading: tuple[int, dict[str, int | None]] | None = None  # (process id, pack -> fd)

    def prepare(self) -> None:
        """Create the file, or replace a damaged one, before any worker opens it."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.connect(setup=True).close()
        except sqlite3.DatabaseError as error:
            if isinstance(error, sqlite3.OperationalError):  # locked or unwritable: builds go on uncached
                return
            self.remove()
            self.connect(setup=True).close()
        finally:
            self.opened = None

    def connection(self) -> sqlite3.Connection:
        if self.opened is None or self.opened[0] != os.getpid():
            self.opened = (os.getpid(), self.connect())
            OPEN_STORES.add(self)
        return self.opened[1]

    def close(self) -> None:
        """Close this process's connection and packs (a forked worker leaves its parent's alone)."""
        mine = os.getpid()
        if self.opened is not None and self.opened[0] == mine:
            self.opened[1].close()
        if self.appending is not None and self.appending[0] == mine:
            os.close(self.appending[1])
        if self.reading is not None and self.reading[0] == mine:
            for handle in self.reading[1].values():
                if handle is not None:
                    os.close(handle)
        self.opened = self.appending = self.reading = None

    def connect(self, setup: bool = False) -> sqlite3.Connection:
        connection = sqlite3.connect(self.path, timeout=60, isolation_level=None)
        if setup:  # all of these last in the file
            (version,) = connection.execute("PRAGMA user_version").fetchone()
            if version not in (0, FORMAT):  # rows of another shape: a new file
                connection.close()
                self.remove()
                connection = sqlite3.connect(self.path, timeout=60, isolation_level=None)
            # Pages that hold a text's row whole; set before the table is made, the only time it counts.
            connection.execute(f"PRAGMA page_size = {PAGE_SIZE}")
            connection.execute("PRAGMA journal_mode=WAL")  # workers write while others read
            connection.execute(TABLE)
            connection.execute(f"PRAGMA user_version = {FORMAT}")
        connection.execute("PRAGMA synchronous=OFF")  # a cache: losing the last writes is only a miss
        return connection

    def remove(self) -> None:
        """Drop the file and the packs (a new file names none of them)."""
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)
        shutil.rmtree(self.packs, ignore_errors=True)

    def load_html(self, stamps: list[str]) -> dict[str, bytes]:
        """The body HTML of these texts that the cache holds, as UTF-8, by stamp."""
        found: dict[str, bytes] = {}
        for stamp, pack, start, size, crc in self.select("pack, start, size, crc", stamps):
            html = self.read_body(pack, start, size, crc)
            if html is not None:
                found[stamp] = html
        return found

    def read_body(self, pack: object, start: object, size: object, crc: object) -> bytes | None:
        """A body from its pack, or None when the pack is gone or holds other bytes there."""
        if not (isinstance(pack, str) and isinstance(start, int) and isinstance(size, int)):
            return None
        if not 0 <= size <= BODY_LIMIT:
            return None
        if self.reading is None or self.reading[0] != os.getpid():
            self.reading = (os.getpid(), {})
            OPEN_STORES.add(self)
        handles = self.reading[1]
        if pack not in handles:
            try:
                handles[pack] = os.open(self.packs / pack, os.O_RDONLY) if PACK_NAME.fullmatch(pack) else None
            except (OSError, ValueError):
                handles[pack] = None
        handle = handles[pack]
        try:
            data = os.pread(handle, size, start) if handle is not None else b""
        except (OSError, ValueError, OverflowError):
            return None
        if len(data) != size or zlib.crc32(data) != crc:
            return None
        return data

    def select(self, columns: str, stamps: list[str]) -> list[tuple[Any, ...]]:
        """Rows of these stamps, a few hundred to a query; a damaged cache is only a miss."""
        rows: list[tuple[Any, ...]] = []
        try:
            for start in range(0, len(stamps), 500):
                part = stamps[start : start + 500]
                query = f"SELECT stamp, {columns} FROM texts WHERE stamp IN ({', '.join('?' * len(part))})"
                rows += self.connection().execute(query, part).fetchall()
        except Exception:
            return rows
        return rows

    def save(self, texts: list[tuple[str, str]]) -> None:
        """Keep the bodies of these texts (stamp, HTML): in one write to this process's pack, then
        where each is in one transaction. A cache that cannot be written is skipped: the pages
        are still made, from the files read again."""
        bodies = [html.encode() for _, html in texts]
        try:
            self.connection()  # first: bodies for a file that cannot be opened would only be lost
            pack, starts = self.append(bodies)
        except (sqlite3.Error, OSError):
            return
        rows = [
            (stamp, pack, start, len(body), zlib.crc32(body))
            for (stamp, _), body, start in zip(texts, bodies, starts, strict=True)
        ]
        try:
            with self.transaction() as cursor:
                cursor.executemany("INSERT OR REPLACE INTO texts VALUES (?, ?, ?, ?, ?)", rows)
        except sqlite3.Error:
            pass

    def append(self, bodies: list[bytes]) -> tuple[str, list[int]]:
        """Write these bodies one after the other at the end of this process's pack; return the
        pack's name and where each starts."""
        if self.appending is None or self.appending[0] != os.getpid():
            self.packs.mkdir(parents=True, exist_ok=True)
            name = f"{secrets.token_hex(8)}.pack"
            handle = os.open(self.packs / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            self.appending, self.appended = (os.getpid(), handle, name), 0
            OPEN_STORES.add(self)
        _, handle, name = self.appending
        starts, end = [], self.appended
        for body in bodies:
            starts.append(end)
            end += len(body)
        for first in range(0, len(bodies), 512):  # a call takes at most IOV_MAX (1,024) buffers
            part = bodies[first : first + 512]
            size = sum(len(body) for body in part)
            if os.writev(handle, part) != size:  # the disk is full: this pack ends here
                os.close(handle)
                self.appending = None
                raise OSError("a pack was cut short")
            self.appended += size
        return name, starts

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Cursor]:
        """A cursor in a write transaction, committed when the block ends, else rolled back."""
        with closing(self.connection().cursor()) as cursor:
            cursor.execute("BEGIN IMMEDIATE")
            try:
                yield cursor
            except BaseException:
                cursor.execute("ROLLBACK")
                raise
            cursor.execute("COMMIT")

    def prune(self, keep: set[str]) -> None:
        """Forget the texts no build uses any more, once they outnumber the ones it does; then
        tidy the packs."""
        try:
            connection = self.connection()
            (count,) = connection.execute("SELECT count(*) FROM texts").fetchone()
            pruned = count > 2 * len(keep) + 100
            if pruned:
                connection.execute("CREATE TEMP TABLE IF NOT EXISTS kept (stamp TEXT PRIMARY KEY)")
                connection.execute("DELETE FROM kept")
                connection.executemany("INSERT OR IGNORE INTO kept VALUES (?)", ((stamp,) for stamp in keep))
                connection.execute("DELETE FROM texts WHERE stamp NOT IN (SELECT stamp FROM kept)")
                connection.execute("VACUUM")
            packs = self.pack_sizes()
            if pruned or sum(size < SMALL_PACK for size in packs.values()) > MANY_PACKS:
                self.repack(packs)
        except (sqlite3.Error, OSError):
            pass  # a cache too big is no error

    def pack_sizes(self) -> dict[str, int]:
        """The size of every pack left as it is for SETTLING_SECONDS, by name."""
        try:
            names = os.listdir(self.packs)
        except FileNotFoundError:
            return {}
        settled = time.time() - SETTLING_SECONDS
        sizes = {}
        for name in filter(PACK_NAME.fullmatch, names):
            info = os.stat(self.packs / name)
            if info.st_mtime <= settled:
                sizes[name] = info.st_size
        return sizes

    def repack(self, packs: dict[str, int]) -> None:
        """Of these packs, drop those no row names, and move the bodies out of those mostly
        forgotten and, when there are many, out of the small ones (each build that renders a
        few texts leaves a pack of its own)."""
        connection = self.connection()
        known = dict(connection.execute("SELECT pack, sum(size) FROM texts GROUP BY pack").fetchall())
        mine = self.appending[2] if self.appending and self.appending[0] == os.getpid() else None
        small = {name for name, size in packs.items() if size < SMALL_PACK}
        moving = small if len(small) > MANY_PACKS else set()
        moving |= {name for name, size in packs.items() if 2 * known.get(name, 0) < size}
        for name in sorted(moving - {mine}):
            if name in known:
                self.move_bodies(name)
            (self.packs / name).unlink(missing_ok=True)

    def move_bodies(self, old: str) -> None:
        """Copy the bodies kept in one pack to this process's pack; forget those it lost."""
        connection = self.connection()
        rows = connection.execute("SELECT stamp, start, size, crc FROM texts WHERE pack = ?", (old,))
        found = [(stamp, self.read_body(old, start, size, crc)) for stamp, start, size, crc in rows]
        moved = [(stamp, body) for stamp, body in found if body is not None]
        pack, starts = self.append([body for _, body in moved]) if moved else ("", [])
        places = [(pack, start, stamp, old) for (stamp, _), start in zip(moved, starts, strict=True)]
        with self.transaction() as cursor:
            cursor.executemany("UPDATE texts SET pack = ?, start = ? WHERE stamp = ? AND pack = ?", places)
            cursor.execute("DELETE FROM texts WHERE pack = ?", (old,))


# SQLite connections must not cross a fork: the parent closes its own before forking workers.
OPEN_STORES: weakref.WeakSet[BodyStore] = weakref.WeakSet()


def close_stores() -> None:
    for store in list(OPEN_STORES):
        store.close()


os.register_at_fork(before=close_stores)


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


class BuildCache:
    """The cache folder: the bodies of texts by digest, and the state and twin of each output folder.

    A state is kept in three files: the records of every text as of some build, the records
    changed since then, and the rest. A rebuild after a few edits writes only the changes
    (and the rest); once they grow past an eighth of the texts, the records are written whole.
    """

    def __init__(self, folder: Path, out_dir: Path) -> None:
        self.folder = folder.resolve()
        out = out_dir.resolve()
        self.bodies = BodyStore(self.folder / "texts.sqlite")
        self.site_folder = self.folder / "sites" / f"{out.name}-{digest(str(out))[:12]}"
        self.state_file = self.site_folder / "state.pickle"
        self.records_file = self.site_folder / "records.pickle"
        self.changes_file = self.site_folder / "changes.pickle"
        self.summary_file = self.site_folder / "summary.pickle"
        self.twin = self.site_folder / "twin"
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
        state.records = records
        return state

    def save_state(self, state: BuildState, parts: list[bytes] | None = None) -> None:
        """Keep the state; parts, when given, are state.records pickled (see save_records)."""
        self.summary_file.unlink(missing_ok=True)  # never describe a state it does not match
        changes = self.changes_since_base(state.records)
        if self.base is None or changes is None:
            token = secrets.token_hex(8)
            save_records(self.records_file, token, state.records, parts)
            self.changes_file.unlink(missing_ok=True)
        else:
            token = self.base[0]
            save_versioned(self.changes_file, (token, changes))
        records, state.records, state.records_token = state.records, {}, token
        try:
            save_versioned(self.state_file, state)
        finally:
            state.records = records
        summary = Summary(state.inputs, state.live_id, state.scanned, state.texts, len(state.outputs))
        save_versioned(self.summary_file, summary)

    def changes_since_base(self, records: Records) -> dict[str, Record | None] | None:
        """The records that differ from the records file, or None when there are too many."""
        if self.base is None:
            return None
        base = self.base[1]
        changes: dict[str, Record | None] = {
            path: record for path, record in records.items() if not same_record(base.get(path), record)
        }
        changes.update({path: None for path in base if path not in records})
        return changes if len(changes) <= max(16, len(records) // 8) else None

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


def same_record(old: Record | None, new: Record) -> bool:
    """A text kept from the last build is the very object it loaded."""
    return old is not None and old[0] == new[0] and old[1] is new[1]


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
