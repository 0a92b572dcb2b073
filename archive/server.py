"""Dev server on 127.0.0.1: build, serve, watch, rebuild, reload open pages."""

from __future__ import annotations

import functools
import html
import http.server
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import watchfiles

from archive.base.diagnostics import ContentError
from archive.build.pipeline import BuildOptions, build
from archive.output.search import SearchIndexError

RELOAD_PATH = "/__archive/reload"
SWAP_TRIES = 40  # a request that meets a swap waits at most SWAP_TRIES * SWAP_PAUSE seconds
SWAP_PAUSE = 0.025
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


def inside(root: Path, candidate: Path) -> bool:
    return candidate == root or root in candidate.parents


class ArchiveHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files of the output folder only, with live reload and build errors in HTML pages,
    to requests that name the server by an address it listens on (no other site's page can
    read the archive through a name that points here: DNS rebinding)."""

    state: SiteState
    hosts: frozenset[str]
    sending_body = True

    def __init__(self, *args: Any, state: SiteState, hosts: frozenset[str], **kwargs: Any) -> None:
        self.state = state
        self.hosts = hosts
        super().__init__(*args, **kwargs)

    def handle(self) -> None:
        """A client that goes away mid-answer is no error of the server's."""
        try:
            super().handle()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def known_host(self) -> bool:
        host = (self.headers.get("Host") or "").strip().lower()
        name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        return name in self.hosts

    def do_HEAD(self) -> None:
        """What GET would send, but for its body."""
        self.sending_body = False
        self.do_GET()

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

    def do_GET(self) -> None:
        if not self.known_host():
            self.send_bytes(b"This server answers only to the addresses it listens on.\n", "text/plain", 421)
            return
        parts = urlsplit(self.path)
        if parts.path == RELOAD_PATH:
            self.send_generation(parts.query)
            return
        for _ in range(SWAP_TRIES):
            try:
                self.send_file(parts.path)
                return
            except FileNotFoundError:  # moved by a swap between the lookup and the read
                time.sleep(SWAP_PAUSE)
        self.send_not_found()

    def send_file(self, path: str) -> None:
        """Answer with the file for path (FileNotFoundError if it went away while being read);
        while a rebuild swaps the new site in, the output folder is missing for an instant:
        wait for it rather than answer 404."""
        root = Path(self.directory)
        for _ in range(SWAP_TRIES):
            if root.is_dir():
                break
            time.sleep(SWAP_PAUSE)
        target = Path(self.translate_path(self.path))
        if target.is_dir() and path.endswith("/"):
            target = target / "index.html"
        if target.suffix == ".html" and target.is_file():
            self.send_page(target.read_text(encoding="utf-8"), 404 if target.name == "404.html" else 200)
        elif target.is_file():
            self.send_bytes(target.read_bytes(), self.guess_type(str(target)), 200)
        elif target.is_dir():
            self.send_moved(path + "/")
        elif not self.state.errors:
            self.send_not_found()
        else:
            self.send_page("<!doctype html><title>Build failed</title><body></body>", 503)

    def send_moved(self, location: str) -> None:
        self.send_response(301)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

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
        if self.sending_body:
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


class ArchiveServer(http.server.ThreadingHTTPServer):
    request_queue_size = 200  # a burst of connections (a page and its assets, many tabs) waits
    daemon_threads = True


def make_server(host: str, port: int, out_dir: Path, state: SiteState) -> ArchiveServer:
    handler = functools.partial(ArchiveHandler, directory=str(out_dir), state=state, hosts=host_names(host))
    return ArchiveServer((host, port), handler)


def host_names(host: str) -> frozenset[str]:
    """The names a request may give as its Host: the loopback ones, and the address listened on."""
    given = host.lower()
    return frozenset({"127.0.0.1", "localhost", "[::1]", given, f"[{given}]" if ":" in given else given})


def serve(options: BuildOptions, host: str, port: int, say: Callable[[str], None] = print) -> int:
    """Build, serve on host:port, and rebuild whenever content or templates change (the search
    index too: a rebuild indexes again only the shards whose texts changed)."""
    if options.base_url is None:
        options = replace(options, base_url=f"http://{host}:{port}/")
    state = SiteState()
    rebuild(options, state, say)
    return watch_and_serve(options, host, port, state, say)


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
