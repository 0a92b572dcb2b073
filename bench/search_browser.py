#!/usr/bin/env python3
"""Time a reader's first search in a real browser: the archive's search page, and, beside it,
one Pagefind index of the same pages (what a site gets from `pagefind --site`).

    python3 bench/search_browser.py SITE                 # the archive's search page
    python3 bench/search_browser.py SITE --single        # and a single Pagefind index of SITE
    python3 bench/search_browser.py SITE --queries treaty,taxes --runs 5

SITE is a folder the archive built for a domain's root (the default base URL). It is served on
127.0.0.1 by Python's http.server; Debian's Chromium, driven by Playwright, opens the search
page with a query in the address (`/search/?q=WORD`) in a fresh browser context (nothing
cached), once per query and run. Reported for each: the milliseconds from the start of the
navigation to the first result on the page, the requests made, and the bytes received (headers
and bodies, as sent: Pagefind's files are compressed already, and the server compresses
nothing), all of them and those of the index alone. Both pages show ten results, each with its
excerpt. --single indexes SITE's pages with Pagefind's command line into SITE/_single/ (removed
at the end), as one index in one language.
"""

from __future__ import annotations

import argparse
import shutil
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

CHROMIUM = "/usr/bin/chromium"
SINGLE = "_single"
SINGLE_PAGE = """<!doctype html>
<html lang="en"><meta charset="utf-8"><title>One index</title>
<ol class="search-results"></ol>
<script type="module">
const term = new URLSearchParams(location.search).get("q");
const pagefind = await import("/_single/pagefind/pagefind.js");
await pagefind.options({ excerptLength: 24 });
const found = await pagefind.search(term);
const data = await Promise.all(found.results.slice(0, 10).map((result) => result.data()));
const list = document.querySelector(".search-results");
for (const page of data) {
  const item = document.createElement("li");
  item.className = "search-result";
  item.textContent = page.meta.title + ": " + page.excerpt.replace(/<[^>]*>/g, "");
  list.append(item);
}
</script>
</html>
"""


@contextmanager
def served(folder: Path) -> Iterator[str]:
    """folder served by http.server on a free loopback port; yields its address."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "-d", str(folder)]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=5)


def first_search(browser: Any, url: str, index_prefix: str) -> dict[str, float]:
    """One search in a fresh context: milliseconds to the first result, requests, bytes."""
    context = browser.new_context()
    page = context.new_page()
    finished: list[Any] = []
    page.on("requestfinished", lambda request: finished.append(request))
    page.goto(url)
    shown = page.wait_for_function(
        "document.querySelector('.search-result') && performance.now()", timeout=60_000
    )
    milliseconds = float(shown.json_value())
    page.wait_for_load_state("networkidle")
    sizes = [(request.url, request.sizes()) for request in finished]
    received = [(where, size["responseHeadersSize"] + size["responseBodySize"]) for where, size in sizes]
    index = [size for where, size in received if index_prefix in where]
    context.close()
    return {
        "ms": milliseconds,
        "requests": len(received),
        "kB": sum(size for _, size in received) / 1000,
        "index requests": len(index),
        "index kB": sum(index) / 1000,
    }


def make_single_index(site: Path) -> None:
    """One Pagefind index of every page of the site, with a page that searches it."""
    target = site / SINGLE
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir()
    command = [
        sys.executable,
        "-m",
        "pagefind",
        "--site",
        str(site),
        "--output-path",
        str(target / "pagefind"),
    ]
    subprocess.run([*command, "--silent"], check=True)
    (target / "index.html").write_text(SINGLE_PAGE, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path, help="a folder the archive built for a domain's root")
    parser.add_argument(
        "--queries", default="sovereignty,delegation,taxes,cooperation", help="comma-separated"
    )
    parser.add_argument("--runs", type=int, default=3, help="searches of each query (default 3)")
    parser.add_argument("--single", action="store_true", help="time a single Pagefind index of SITE too")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    pages = {"archive": ("/search/?q={}", "/pagefind/")}
    if args.single:
        make_single_index(args.site)
        pages["one index"] = (f"/{SINGLE}/?q={{}}", f"/{SINGLE}/pagefind/")
    queries = args.queries.split(",")
    try:
        with served(args.site) as address, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            print("| page | query | to first results | requests | received | of it, the index |")
            print("| --- | --- | --- | --- | --- | --- |")
            for query in queries:
                for name, (path, prefix) in pages.items():
                    runs = [
                        first_search(browser, address + path.format(query), prefix) for _ in range(args.runs)
                    ]
                    median = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
                    print(
                        f"| {name} | {query} | {median['ms']:.0f} ms | {median['requests']:.0f} |"
                        f" {median['kB']:.0f} kB | {median['index requests']:.0f} requests,"
                        f" {median['index kB']:.0f} kB |"
                    )
            browser.close()
    finally:
        shutil.rmtree(args.site / SINGLE, ignore_errors=True)


if __name__ == "__main__":
    main()
