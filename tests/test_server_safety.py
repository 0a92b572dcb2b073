"""The dev server refuses every way out of the output folder, and a failed rebuild keeps the
last good site with its errors formatted for the terminal and the page."""

from __future__ import annotations

import http.client
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ARTICLE, TEMPLATES, WriteTree, hash_tree, minimal_content

from archive.build.pipeline import BuildOptions
from archive.server import SiteState, make_server, rebuild


@pytest.fixture
def port(tmp_path: Path) -> Iterator[int]:
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<!doctype html><html><body><p>home</p></body></html>")
    (site / "404.html").write_text("<!doctype html><html><body>not found</body></html>")
    (tmp_path / "secret.txt").write_text("secret")
    (tmp_path / "secret-dir").mkdir()
    (tmp_path / "secret-dir" / "index.html").write_text("<html><body>secret</body></html>")
    (site / "link.txt").symlink_to(tmp_path / "secret.txt")
    (site / "linked-dir").symlink_to(tmp_path / "secret-dir")
    httpd = make_server("127.0.0.1", 0, site, SiteState())
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield httpd.server_address[1]
    httpd.shutdown()
    httpd.server_close()


def get(port: int, path: str) -> tuple[int, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    connection.putrequest("GET", path, skip_accept_encoding=True)
    connection.endheaders()
    try:
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


@pytest.mark.parametrize(
    "path",
    [
        "/..\\secret.txt",
        "/..%5csecret.txt",
        "/%2e%2e%5csecret.txt",
        "/%2e%2e%2fsecret.txt",
        "/.%2e/secret.txt",
        "/%2E%2E/secret.txt",
        "/./../secret.txt",
        "/a/../../secret.txt",
        "/" + str(Path("/etc/passwd")),
        "//etc/passwd",
        "/%2fetc%2fpasswd",
        "/C:/Windows/win.ini",
        "/link.txt",
        "/linked-dir/",
        "/linked-dir/index.html",
        "/%00secret.txt",
    ],
)
def test_never_serves_outside_the_folder(port: int, path: str) -> None:
    status, body = get(port, path)
    assert "secret" not in body and "root:" not in body
    assert status in (400, 404)


def test_rebuild_with_a_broken_file_keeps_the_last_good_site(write_tree: WriteTree) -> None:
    root = write_tree(minimal_content())
    options = BuildOptions(root / "content", root / "_site", TEMPLATES)
    said: list[str] = []
    state = SiteState()
    rebuild(options, state, said.append)
    assert state.errors == [] and state.generation == 1
    before = hash_tree(root / "_site")
    broken = root / "content/articles/2023/a-text.md"
    broken.write_text(ARTICLE.replace("2023-03-20", "2023-02-30"))
    rebuild(options, state, said.append)
    expected = f"{broken.as_posix()}:3: error: 'date': 2023-02-30 is not a real date (dates are YYYY-MM-DD)"
    assert state.errors == [expected]
    assert state.generation == 2
    assert said[-2:] == [expected, "1 error(s); still serving the last good site"]
    assert hash_tree(root / "_site") == before
    broken.write_text(ARTICLE)
    rebuild(options, state, said.append)
    assert state.errors == [] and state.generation == 3
