"""Search shards -> Pagefind bundles, by Pagefind's indexing service (see output/search.py).

Imported only by a build that indexes: a rebuild that changes no text has no need of it.
"""

from __future__ import annotations

import base64
import json
import os
import queue
import re
import subprocess
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

from archive.output.search import SearchIndexError, Shard, search_record
from archive.output.writer import is_normal_relative
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
        self.received = bytearray()
        self.message = 0

    def index(self, language: str, records: Sequence[dict[str, Any]]) -> dict[str, bytes]:
        """Index these records in one language: the bundle's files, by their paths in it.

        The files are asked for rather than written by Pagefind: its WriteFiles answers before
        its writes are done (a file could still be empty, or cut short, when the answer came),
        and it writes files the search page never loads."""
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
        files = self.ask({"type": "GetFiles", "index_id": index})["files"]
        self.ask({"type": "DeleteIndex", "index_id": index})
        return {file["path"]: base64.b64decode(file["content"]) for file in files}

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
        end = self.received.find(b",")
        while end < 0:  # an answer of a bundle's files is megabytes: only what came is searched
            searched = len(self.received)
            chunk = os.read(self.process.stdout.fileno(), 1 << 20)
            if not chunk:
                raise SearchIndexError(f"Pagefind stopped while indexing (exit status {self.process.poll()})")
            self.received += chunk
            end = self.received.find(b",", searched)
        message = bytes(self.received[:end])
        del self.received[: end + 1]
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
            files = service.index(shard.language, records)
        finally:
            idle.put(service)
        write_bundle(folder, files, first=shard.first)

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


def write_bundle(folder: Path, files: dict[str, bytes], first: bool) -> None:
    """Write what the search page loads of a bundle: its index, and for its language's first
    shard (the one the others are merged into) the script and WebAssembly as well."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        needed = INDEX_FILES.fullmatch(name) or (
            first and (name in ("pagefind.js", "pagefind-worker.js") or name.startswith("wasm."))
        )
        if not needed:
            continue
        if not is_normal_relative(name):
            raise SearchIndexError(f"Pagefind named a file outside its bundle: {name!r}")
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
