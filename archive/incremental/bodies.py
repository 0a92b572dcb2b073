"""The bodies of texts as rendered by earlier builds, by stamp: HTML in pack files, and where
each is in one SQLite file beside them."""

from __future__ import annotations

import os
import re
import secrets
import shutil
import sqlite3
import time
import zlib
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

from archive.incremental.state import FORMAT

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
    build state, by file. Each process opens its own connection and pack (workers are forked;
    SQLite connections must not cross a fork: the build closes its own before it forks, see
    close). A damaged or missing file is only a cache miss: a damaged SQLite
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
