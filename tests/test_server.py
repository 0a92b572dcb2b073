"""The dev server: loopback only by default, never outside the output folder, errors on the page."""

from __future__ import annotations

import http.client
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from archive.cli import make_parser
from archive.server import SiteState, decorate, make_server


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[int, SiteState]]:
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "index.html").write_text("<!doctype html><html><body><p>home</p></body></html>")
    (site / "404.html").write_text("<!doctype html><html><body>not found</body></html>")
    (site / "a" / "x.css").write_text("p{}")
    (tmp_path / "secret.txt").write_text("secret")
    state = SiteState()
    httpd = make_server("127.0.0.1", 0, site, state)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield httpd.server_address[1], state
    httpd.shutdown()
    httpd.server_close()


def get(port: int, path: str) -> tuple[int, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    connection.request("GET", path)
    try:
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


def test_the_default_host_is_loopback() -> None:
    args = make_parser().parse_args(["serve"])
    assert args.host == "127.0.0.1"


def test_serves_the_site(server: tuple[int, SiteState]) -> None:
    port, _ = server
    status, body = get(port, "/")
    assert status == 200 and "home" in body
    assert get(port, "/a/x.css") == (200, "p{}")


@pytest.mark.parametrize(
    "path",
    [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/a/%2E%2E/%2e%2e/secret.txt",
        "/..%2fsecret.txt",
        "//secret.txt",
    ],
)
def test_never_serves_outside_the_folder(server: tuple[int, SiteState], path: str) -> None:
    port, _ = server
    status, body = get(port, path)
    assert "secret" not in body
    assert status == 404


def test_errors_of_a_failed_rebuild_show_on_pages(server: tuple[int, SiteState]) -> None:
    port, state = server
    state.publish(["content/articles/2023/x.md:3: error: <bad> date"])
    status, body = get(port, "/")
    assert status == 200
    assert "The last build failed" in body and "&lt;bad&gt; date" in body and "home" in body


def test_pages_get_the_reload_script() -> None:
    state = SiteState()
    state.publish([])
    page = decorate("<html><body class=x><p>t</p></body></html>", state)
    assert page.startswith("<html><body class=x><script>")
    assert 'var since = "1"' in page


def test_a_kept_search_index_answers_for_pagefind_only_inside_it(
    server: tuple[int, SiteState], tmp_path: Path
) -> None:
    port, state = server
    kept = tmp_path / "kept" / "pagefind"
    kept.mkdir(parents=True)
    (kept / "pagefind.js").write_text("index()")
    (tmp_path / "kept" / "private.txt").write_text("private")
    assert get(port, "/pagefind/pagefind.js")[0] == 404
    state.search_dir = kept
    assert get(port, "/pagefind/pagefind.js") == (200, "index()")
    for path in ("/pagefind/../private.txt", "/pagefind/%2e%2e/private.txt", "/pagefind/..%2fprivate.txt"):
        status, body = get(port, path)
        assert status == 404 and "private" not in body, path
