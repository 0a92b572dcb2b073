"""The dev server: loopback only by default, never outside the output folder, errors on the page."""

from __future__ import annotations

import http.client
import socket
import struct
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


def request(port: int, method: str, path: str, host: str | None = None) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    headers = {"Host": host} if host is not None else {}
    connection.request(method, path, headers=headers)
    try:
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


@pytest.mark.parametrize("host", ["evil.example", "127.0.0.1.evil.example", "localhost.evil:80", ""])
def test_a_request_for_another_name_is_refused(server: tuple[int, SiteState], host: str) -> None:
    port, _ = server
    status, _, body = request(port, "GET", "/", host)
    assert status == 421 and b"home" not in body


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "[::1]", "LOCALHOST"])
def test_the_loopback_names_are_answered(server: tuple[int, SiteState], host: str) -> None:
    port, _ = server
    assert request(port, "GET", "/", f"{host}:{port}")[0] == 200


@pytest.mark.parametrize("path", ["/", "/a/x.css", "/missing/"])
def test_head_says_what_get_would_send(server: tuple[int, SiteState], path: str) -> None:
    port, _ = server
    status, _, body = request(port, "GET", path)
    head_status, head_headers, head_body = request(port, "HEAD", path)
    assert (head_status, head_headers["Content-Length"], head_body) == (status, str(len(body)), b"")


def test_a_client_that_leaves_mid_answer_prints_nothing(
    server: tuple[int, SiteState], capsys: pytest.CaptureFixture[str]
) -> None:
    port, _ = server
    for _ in range(20):
        connection = socket.create_connection(("127.0.0.1", port))
        connection.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        connection.close()  # a reset, not a goodbye
    assert get(port, "/")[0] == 200
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err + captured.out


def test_a_request_during_a_swap_waits_for_the_new_site(
    server: tuple[int, SiteState], tmp_path: Path
) -> None:
    port, _ = server
    site = tmp_path / "site"
    site.rename(tmp_path / "retired")  # the swap's first rename...
    threading.Timer(0.2, lambda: (tmp_path / "retired").rename(site)).start()  # ...and its second
    status, body = get(port, "/")
    assert status == 200 and "home" in body


def test_a_burst_of_connections_waits_in_the_listen_queue() -> None:
    from archive.server import ArchiveServer

    assert ArchiveServer.request_queue_size >= 200
