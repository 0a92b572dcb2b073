"""Search shards -> Pagefind bundles, by Pagefind's indexing service (see output/search.py).

Imported only by a build that indexes: a rebuild that changes no text has no need of it.
"""

from __future__ import annotations

import base64
import gzip
import json
import os
import queue
import re
import subprocess
import threading
import time
import zlib
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

from archive.output.search import SearchIndexError, Shard, search_record
from archive.site.model import Text

# What every search page's script needs of a bundle; a shard merged into its language's first
# one needs only its index (merged indexes are searched by the first one's WebAssembly).
INDEX_FILES = re.compile(r"pagefind-entry\.json|.*\.pf_meta|(index|fragment|filter)/.*")


class PagefindService:
    """Pagefind's indexing service (the process its own Python and Node packages drive), fed
    every record of a shard at once: a request is a JSON message in base64 ending with a comma,
    and so is each answer."""

    def __init__(self) -> None:
        from pagefind.service import get_executable

        executable = get_executable()
        if executable is None:
            raise SearchIndexError("Pagefind's binary is missing: pip install 'pagefind[bin,extended]'")
        self.process = subprocess.Popen(
            [str(executable), "--service"], stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )
        self.received = b""
        self.message = 0

    def index(self, language: str, records: Sequence[dict[str, Any]], folder: Path) -> None:
        """Index these records in one language and write the bundle into folder."""
        index = self.ask({"type": "NewIndex", "config": {"force_language": language}})["index_id"]

        def send_records() -> None:
            for record in records:
                self.send({"type": "AddRecord", "index_id": index, **record})
            self.flush()

        sender = threading.Thread(target=send_records)  # answers come while records go
        sender.start()
        try:
            for _ in records:
                self.answer()
        finally:
            sender.join()
        self.ask({"type": "WriteFiles", "index_id": index, "output_path": str(folder)})
        self.ask({"type": "DeleteIndex", "index_id": index})

    def ask(self, payload: dict[str, Any]) -> dict[str, Any]:
        self.send(payload)
        self.flush()
        return self.answer()

    def send(self, payload: dict[str, Any]) -> None:
        self.message += 1
        request = json.dumps({"message_id": self.message, "payload": payload}, ensure_ascii=False)
        assert self.process.stdin is not None
        self.process.stdin.write(base64.b64encode(request.encode("utf-8")) + b",")

    def flush(self) -> None:
        assert self.process.stdin is not None
        try:
            self.process.stdin.flush()
        except BrokenPipeError:
            raise SearchIndexError("Pagefind stopped while indexing") from None

    def answer(self) -> dict[str, Any]:
        """The payload of the next answer; an error answer raises SearchIndexError."""
        assert self.process.stdout is not None
        while b"," not in self.received:
            chunk = os.read(self.process.stdout.fileno(), 1 << 16)
            if not chunk:
                raise SearchIndexError(f"Pagefind stopped while indexing (exit status {self.process.poll()})")
            self.received += chunk
        message, _, self.received = self.received.partition(b",")
        payload: dict[str, Any] = json.loads(base64.b64decode(message))["payload"]
        if payload.get("type") == "Error":
            raise SearchIndexError(f"the search index could not be built: {payload.get('message')}")
        return payload

    def close(self) -> None:
        for stream in (self.process.stdin, self.process.stdout):
            if stream:
                stream.close()
        self.process.wait()


def index_shards(
    shards: Sequence[tuple[Shard, Path]],
    bodies_of: Callable[[Sequence[Text]], list[bytes]],
    processes: int,
) -> None:
    """Index each shard into its folder, by as many Pagefind processes as given, the largest
    shards first; raise SearchIndexError if Pagefind fails.

    The records are made here, one shard ahead of the processes (the bodies come from the
    cache, whose connection belongs to this thread); a thread hands each shard to a process.
    """
    order = sorted(shards, key=lambda item: -len(item[0].texts))
    count = max(1, min(processes, len(order)))
    idle: queue.Queue[PagefindService] = queue.Queue()
    started = [PagefindService() for _ in range(count)]
    for service in started:
        idle.put(service)

    def index(service: PagefindService, shard: Shard, records: list[dict[str, Any]], folder: Path) -> None:
        try:
            service.index(shard.language, records, folder)
            wait_until_written(folder)
            keep_what_is_needed(folder, first=shard.first)
        finally:
            idle.put(service)

    try:
        with ThreadPoolExecutor(count) as pool:
            done: list[Future[None]] = []
            for shard, folder in order:
                bodies = bodies_of(shard.texts)
                records = [
                    search_record(text, body.decode(), shard.ui)
                    for text, body in zip(shard.texts, bodies, strict=True)
                ]
                service = idle.get()
                if any(future.done() and future.exception() for future in done):
                    idle.put(service)
                    break
                done.append(pool.submit(index, service, shard, records, folder))
            for future in done:
                future.result()
    finally:
        for service in started:
            service.close()


WRITE_WAIT_SECONDS = 10.0
COMPRESSED = re.compile(r"\.pagefind$|\.pf_[a-z]+$")  # the WebAssembly and the index's chunks, gzipped


def wait_until_written(folder: Path) -> None:
    """Wait until each compressed file of a bundle is a whole gzip stream; raise SearchIndexError
    if one is not within WRITE_WAIT_SECONDS. Pagefind has been seen, on a loaded machine, to
    answer WriteFiles while a file (its WebAssembly) was still empty or cut short, and a bundle
    kept so would serve a broken search from then on."""
    deadline = time.monotonic() + WRITE_WAIT_SECONDS
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or not COMPRESSED.search(path.name):
            continue
        while not is_whole_gzip(path):
            if time.monotonic() > deadline:
                raise SearchIndexError(f"Pagefind left {path.name} unfinished in the search index")
            time.sleep(0.02)


def is_whole_gzip(path: Path) -> bool:
    try:
        gzip.decompress(path.read_bytes())
    except (OSError, EOFError, zlib.error):
        return False
    return True


def keep_what_is_needed(folder: Path, first: bool) -> None:
    """Drop what the search page never loads from a bundle: Pagefind's own interfaces, and
    from a shard merged into its language's first, its script and WebAssembly as well."""
    for path in list(folder.rglob("*")):
        name = path.relative_to(folder).as_posix()
        if not path.is_file() or INDEX_FILES.fullmatch(name):
            continue
        if first and (name in ("pagefind.js", "pagefind-worker.js") or name.startswith("wasm.")):
            continue
        path.unlink()
