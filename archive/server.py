"""Dev server on 127.0.0.1: build, serve, watch, rebuild, reload open pages."""

from __future__ import annotations

import functools
import html
import http.server
import shutil
import tempfile
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import watchfiles

from archive.base import urls
from archive.base.diagnostics import ContentError
from archive.build.pipeline import BuildOptions, build
from archive.output.search import SearchIndexError

RELOAD_PATH = "/__archive/reload"
RELOAD_WAIT = 25.0
RELOAD_SCRIPT = """<script>
(function () {
  var since = "%s";
  function poll() {
    fetch("%s?since=" + since).then(function (r) { return r.text(); }).then(function (g) {
      if (g !== since) { location.reload(); } else { poll(); }
    }).catch(function () { setTimeout(poll, 1000); });
  }
  poll();
})();
</script>"""


@dataclass
class SiteState:
    """The served site's build generation and the errors of the last failed build."""

    generation: int = 0
    errors: list[str] = field(default_factory=list)
    changed: threading.Condition = field(default_factory=threading.Condition)
    search_dir: Path | None = None  # the first build's search index, served while rebuilds skip it

    def publish(self, errors: list[str]) -> None:
        with self.changed:
            self.generation += 1
            self.errors = errors
            self.changed.notify_all()

    def wait_for_change(self, since: int, timeout: float) -> int:
        with self.changed:
            self.changed.wait_for(lambda: self.generation != since, timeout=timeout)
            return self.generation


def rebuild(options: BuildOptions, state: SiteState, say: Callable[[str], None]) -> bool:
    """Build; on content errors keep the last good site and show the errors. Say if it built."""
    try:
        report = build(options)
    except (ContentError, SearchIndexError) as error:
        lines = [d.format() for d in error.diagnostics] if isinstance(error, ContentError) else [str(error)]
        for line in lines:
            say(line)
        say(f"{len(lines)} error(s); still serving the last good site")
        state.publish(lines)
        return False
    except Exception as error:  # a bug, not the content: show it, keep serving the last good site
        say(traceback.format_exc())
        state.publish([f"internal error while building: {error!r} (see the terminal)"])
        return False
    say(report.summary())
    state.publish([])
    return True


def keep_search_index(out_dir: Path, keep_dir: Path) -> Path | None:
    """Copy the built search index aside, so that rebuilds without one still have search."""
    index = out_dir / urls.search_bundle_url().strip("/")
    if not index.is_dir():
        return None
    kept = keep_dir / "pagefind"
    shutil.rmtree(kept, ignore_errors=True)
    shutil.copytree(index, kept)
    return kept


def inside(root: Path, candidate: Path) -> bool:
    return candidate == root or root in candidate.parents


class ArchiveHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files of the output folder only, with live reload and build errors in HTML pages."""

    state: SiteState

    def __init__(self, *args: Any, state: SiteState, **kwargs: Any) -> None:
        self.state = state
        super().__init__(*args, **kwargs)

    def translate_path(self, path: str) -> str:
        """Map a URL to a file, refusing anything that resolves outside the output folder."""
        root = Path(self.directory).resolve()
        refused = str(root / "__outside__" / "refused")
        try:
            candidate = Path(super().translate_path(path)).resolve()
        except (ValueError, OSError):  # a NUL byte or an unreadable name: nothing to serve
            return refused
        if not inside(root, candidate):
            return refused
        return str(candidate)

    def kept_index_file(self, path: str) -> Path | None:
        """A file of the kept search index for a /pagefind/ URL the current build lacks, or None."""
        prefix = urls.search_bundle_url()
        kept = self.state.search_dir
        if kept is None or not path.startswith(prefix):
            return None
        candidate = (kept / path[len(prefix) :]).resolve()
        root = kept.resolve()
        return candidate if inside(root, candidate) and candidate.is_file() else None

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        if parts.path == RELOAD_PATH:
            self.send_generation(parts.query)
            return
        target = Path(self.translate_path(self.path))
        if target.is_dir() and parts.path.endswith("/"):
            target = target / "index.html"
        kept = None if target.exists() else self.kept_index_file(parts.path)
        if kept is not None:
            self.send_bytes(kept.read_bytes(), self.guess_type(str(kept)), 200)
        elif target.suffix == ".html" and target.is_file():
            self.send_page(target.read_text(encoding="utf-8"), 404 if target.name == "404.html" else 200)
        elif not target.exists() and not self.state.errors:
            self.send_not_found()
        elif not target.exists():
            self.send_page("<!doctype html><title>Build failed</title><body></body>", 503)
        else:
            super().do_GET()

    def send_not_found(self) -> None:
        page = Path(self.directory) / "404.html"
        if page.is_file():
            self.send_page(page.read_text(encoding="utf-8"), 404)
        else:
            self.send_error(404)

    def send_generation(self, query: str) -> None:
        since = parse_qs(query).get("since", ["0"])[0]
        wanted = int(since) if since.isdigit() else 0
        generation = self.state.wait_for_change(wanted, RELOAD_WAIT)
        self.send_bytes(str(generation).encode(), "text/plain; charset=utf-8", 200)

    def send_page(self, page: str, status: int) -> None:
        self.send_bytes(decorate(page, self.state).encode("utf-8"), "text/html; charset=utf-8", status)

    def send_bytes(self, data: bytes, content_type: str, status: int) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        pass


def decorate(page: str, state: SiteState) -> str:
    """Add the reload script, and the build errors if the last build failed, to a served page."""
    extra = RELOAD_SCRIPT % (state.generation, RELOAD_PATH)
    if state.errors:
        items = "".join(f"<li>{html.escape(line)}</li>" for line in state.errors)
        extra = (
            '<div role="alert" style="background:#fff3f0;color:#5c0f00;border:2px solid #b3261e;'
            'padding:1rem;margin:0;font:14px/1.4 monospace;white-space:pre-wrap">'
            "<strong>The last build failed; this is the last good site.</strong>"
            f"<ul>{items}</ul></div>" + extra
        )
    marker = page.find("<body")
    if marker == -1:
        return extra + page
    end = page.find(">", marker) + 1
    return page[:end] + extra + page[end:]


def make_server(host: str, port: int, out_dir: Path, state: SiteState) -> http.server.ThreadingHTTPServer:
    handler = functools.partial(ArchiveHandler, directory=str(out_dir), state=state)
    server = http.server.ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    return server


def serve(
    options: BuildOptions,
    host: str,
    port: int,
    say: Callable[[str], None] = print,
    index_every_build: bool = False,
) -> int:
    """Build, serve on host:port, and rebuild whenever content or templates change.

    Indexing for search is the slowest step, so by default only the first build makes the index;
    rebuilds skip it and /search/ keeps answering from that first index (index_every_build: not so).
    """
    if options.base_url is None:
        options = replace(options, base_url=f"http://{host}:{port}/")
    state = SiteState()
    with tempfile.TemporaryDirectory(prefix="archive-serve-") as keep_dir:
        if rebuild(options, state, say) and options.search and not index_every_build:
            state.search_dir = keep_search_index(options.out_dir, Path(keep_dir))
        if state.search_dir is not None:
            say("search uses the first build's index until restart (serve --search reindexes each time)")
        watched = options if index_every_build or state.search_dir is None else replace(options, search=False)
        return watch_and_serve(watched, host, port, state, say)


def watch_and_serve(
    options: BuildOptions, host: str, port: int, state: SiteState, say: Callable[[str], None]
) -> int:
    """Serve the output folder; rebuild and tell open pages to reload on every change."""
    try:
        server = make_server(host, port, options.out_dir, state)
    except OSError as error:
        say(f"error: cannot listen on {host}:{port}: {error.strerror}")
        return 2
    threading.Thread(target=server.serve_forever, daemon=True).start()
    say(f"serving {options.out_dir} at http://{host}:{port}/ (Ctrl-C to stop)")
    try:
        for _changes in watchfiles.watch(options.content_dir, options.templates_dir, debounce=200):
            started = time.perf_counter()
            rebuild(options, state, say)
            say(f"rebuilt after a change in {time.perf_counter() - started:.2f}s")
    except KeyboardInterrupt:
        say("stopped")
    finally:
        server.shutdown()
        server.server_close()
    return 0
