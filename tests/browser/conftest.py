"""Browser tests: the built site served on 127.0.0.1 and read through Debian's Chromium."""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from archive.build.pipeline import BuildOptions, build

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")  # Debian's package; .ci/run installs it
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
FARSI = """---
title: روابط ایران و چین
date: 2023-05-02
source: pogled-info
authors: [A. Writer]
language: fa
---

روابط ایران و چین در حال گسترش است
"""
CHINESE = """---
title: 中俄关系的历史逻辑
date: 2023-05-01
source: pogled-info
authors: [A. Writer]
language: zh
---

中俄关系发展有着清晰的历史逻辑和强大的内生动力。
"""


ENGLISH = """---
title: A Treaty Kept
date: 2021-06-01
source: pogled-info
authors: [A. Writer]
language: en
tags: [treaties]
---

The two parliaments ratified the treaty after a long debate.
"""
RUSSIAN = """---
title: О сотрудничестве
date: 2021-06-02
source: pogled-info
authors: [A. Writer]
language: ru
tags: [treaties]
---

Сотрудничество двух стран укрепляется год от года.
"""


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if CHROMIUM.exists():
        return
    skip = pytest.mark.skip(
        reason=f"{CHROMIUM} is missing: install Debian's chromium to run the browser tests"
    )
    for item in items:
        if Path(__file__).parent in Path(str(item.path)).parents:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Every test uses the system Chromium: Playwright cannot download its own here."""
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_FLAGS}


@contextlib.contextmanager
def serve(directory: Path) -> Iterator[str]:
    """python -m http.server on a free loopback port; yield its URL."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    command = [
        sys.executable,
        "-m",
        "http.server",
        str(port),
        "--bind",
        "127.0.0.1",
        "--directory",
        str(directory),
    ]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=5)


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled content plus a Chinese and a Persian text, built at a domain's root."""
    work = tmp_path_factory.mktemp("browser-site")
    content = work / "content"
    shutil.copytree(ROOT / "content", content)
    (content / "articles/2023/zh-history.md").write_text(CHINESE, encoding="utf-8")
    (content / "articles/2023/fa-relations.md").write_text(FARSI, encoding="utf-8")
    (content / "articles/2021/en-treaty.md").parent.mkdir(parents=True, exist_ok=True)
    (content / "articles/2021/en-treaty.md").write_text(ENGLISH, encoding="utf-8")
    (content / "articles/2021/ru-cooperation.md").write_text(RUSSIAN, encoding="utf-8")
    build(BuildOptions(content, work / "_site", ROOT / "templates"))
    return work / "_site"


@pytest.fixture(scope="session")
def base_url(site_dir: Path) -> Iterator[str]:
    """Overrides pytest-base-url: page.goto("/search/") goes to this server."""
    with serve(site_dir) as url:
        yield url


@pytest.fixture(scope="session")
def subpath_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The bundled content built for /archive/, served from the folder that contains it."""
    parent = tmp_path_factory.mktemp("browser-subpath")
    build(
        BuildOptions(
            ROOT / "content",
            parent / "archive",
            ROOT / "templates",
            base_url="http://127.0.0.1/archive/",
            cache_dir=tmp_path_factory.mktemp("browser-subpath-cache"),
        )
    )
    with serve(parent) as url:
        yield url + "/archive/"
