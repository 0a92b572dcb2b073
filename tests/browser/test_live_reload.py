"""`python build.py serve` in a real browser: an edit shows up by itself, and so do build errors."""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import ROOT

ARTICLE = "content/articles/2023/xi-2023-op-ed.md"
TITLE = "title: Forging Ahead to Open a New Chapter of China–Russia Friendship, Cooperation and Common Development"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """The real serve command on a free port, over a copy of the bundled content; yield URL and folder."""
    shutil.copytree(ROOT / "content", tmp_path / "content")
    port = free_port()
    command = [
        sys.executable,
        str(ROOT / "build.py"),
        "serve",
        "--content",
        str(tmp_path / "content"),
        "--templates",
        str(ROOT / "templates"),
        "--out",
        str(tmp_path / "_site"),
        "--port",
        str(port),
    ]
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen(command, cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                assert server.poll() is None, (tmp_path / "serve.log").read_text()
                assert time.monotonic() < deadline, "serve did not start in 30 s"
                time.sleep(0.1)
        time.sleep(0.5)  # let the watcher start before the first edit
        yield f"http://127.0.0.1:{port}", tmp_path
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_an_edit_reloads_the_open_page_within_two_seconds(page: Page, served: tuple[str, Path]) -> None:
    url, folder = served
    page.goto(url + "/articles/xi-2023-op-ed/")
    expect(page.locator("h1")).to_contain_text("Forging Ahead")
    page.wait_for_timeout(300)  # the page's long poll is open
    started = time.monotonic()
    edit(folder / ARTICLE, TITLE, "title: Edited While Served")
    expect(page.locator("h1")).to_have_text("Edited While Served", timeout=2000)
    assert time.monotonic() - started < 2.0
    log = (folder / "serve.log").read_text()
    assert "rebuilt after a change in" in log


def test_a_broken_edit_shows_its_error_on_the_page_then_clears(page: Page, served: tuple[str, Path]) -> None:
    url, folder = served
    page.goto(url + "/articles/xi-2023-op-ed/")
    page.wait_for_timeout(300)
    edit(folder / ARTICLE, "date: 2023-03-20", "date: 20 March 2023")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("The last build failed", timeout=3000)
    expect(alert).to_contain_text("xi-2023-op-ed.md:")
    expect(page.locator("h1")).to_contain_text("Forging Ahead")  # the last good site is still served
    edit(folder / ARTICLE, "date: 20 March 2023", "date: 2023-03-20")
    expect(alert).to_have_count(0, timeout=3000)
    log = (folder / "serve.log").read_text()
    assert "error(s); still serving the last good site" in log


def test_search_follows_an_edit_while_served(page: Page, served: tuple[str, Path]) -> None:
    url, folder = served
    page.goto(url + "/articles/xi-2023-op-ed/")
    page.wait_for_timeout(300)
    edit(folder / ARTICLE, TITLE, "title: Edited While Served")
    expect(page.locator("h1")).to_have_text("Edited While Served", timeout=5000)
    page.goto(url + "/search/")
    page.locator("#search-input").fill("Edited While Served")
    found = page.locator('.search-results a[href="/articles/xi-2023-op-ed/"]').first
    expect(found).to_have_text("Edited While Served")
