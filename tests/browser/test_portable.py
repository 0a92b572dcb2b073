"""A portable build (build --relative-urls) read where no server maps its addresses: crawled
from the folder itself (file://) in Chromium, every page, link and asset found and no request
leaving the folder; then served under a sub-path and an IPFS gateway's /ipfs/<hash>/ prefix,
where search works."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect

from archive.build.pipeline import BuildOptions, build

from .conftest import ENGLISH, ROOT, serve

IPFS = "ipfs/bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi"
FOLLOWED = "a[href], link[href]:not([rel=canonical]), script[src], img[src]"


@pytest.fixture(scope="module")
def portable(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled content and an English text, built portable with its search index."""
    work = tmp_path_factory.mktemp("portable")
    content = work / "content"
    shutil.copytree(ROOT / "content", content)
    (content / "articles/2021").mkdir(parents=True, exist_ok=True)
    (content / "articles/2021/en-treaty.md").write_text(ENGLISH, encoding="utf-8")
    out = work / "_site"
    build(BuildOptions(content, out, ROOT / "templates", relative_urls=True, cache_dir=work / "cache"))
    return out


def crawl(page: Page, root: Path, start: str, prefix: str) -> tuple[int, list[str]]:
    """Open every page reachable from start by the links of each; the number of pages opened
    and what went wrong: a link to nothing, a request outside prefix, a request that failed."""
    problems: list[str] = []
    # A request the next page's navigation cut short (a favicon) is no missing file: over HTTP
    # a missing file answers 404, from disk it fails as not found.
    page.on(
        "requestfailed",
        lambda request: (
            "ERR_ABORTED" in (request.failure or "")
            or problems.append(f"failed: {request.url} ({request.failure})")
        ),
    )
    page.on(
        "request",
        lambda request: (
            None
            if request.url.startswith((prefix, "data:"))
            else problems.append(f"left the site: {request.url} (from {page.url})")
        ),
    )
    page.on(
        "response",
        lambda response: response.status < 400 or problems.append(f"{response.status}: {response.url}"),
    )
    seen, queue = {start}, [start]
    while queue:
        url = queue.pop()
        page.goto(url)
        for link in page.eval_on_selector_all(FOLLOWED, "els => els.map(e => e.href || e.src)"):
            target, _fragment = urldefrag(link)
            if not target.startswith(prefix):
                continue  # an absolute address of the archive's home, or another site
            if prefix.startswith("file:"):
                path = Path(unquote(urlsplit(target).path))
                if not path.is_file():
                    problems.append(f"broken: {link} on {url}")
                    continue
                assert root in path.parents
            if target.endswith((".html", "/")) and target not in seen:
                seen.add(target)
                queue.append(target)
    return len(seen), problems


def test_the_folder_opened_from_disk_has_no_broken_link_and_asks_nothing_outside(
    page: Page, portable: Path
) -> None:
    count, problems = crawl(page, portable, (portable / "index.html").as_uri(), portable.as_uri() + "/")
    assert problems == []
    assert count >= len(list(portable.rglob("*.html"))) - 2  # all but the 404 page and the redirects
    page.goto((portable / "articles/xi-2023-op-ed/index.html").as_uri())
    expect(page.locator("link[rel=stylesheet]")).to_have_count(1)
    assert page.evaluate("getComputedStyle(document.body).fontFamily") != "Times New Roman"


def test_canonical_and_feed_addresses_stay_absolute(portable: Path) -> None:
    page = (portable / "articles/xi-2023-op-ed/index.html").read_text("utf-8")
    assert '<link rel="canonical" href="https://example.org/articles/xi-2023-op-ed/">' in page
    feed = (portable / "feed.xml").read_text("utf-8")
    assert 'href="https://example.org/articles/' in feed and 'href="/' not in feed


def test_search_opened_from_disk_says_it_needs_a_web_server(page: Page, portable: Path) -> None:
    page.goto((portable / "search/index.html").as_uri())
    expect(page.locator(".search-status")).to_contain_text("needs the site to be served by a web server")
    expect(page.locator("#search-input")).to_be_disabled()


@pytest.fixture(scope="module")
def served(portable: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The same folder at /some/sub/path/ and at /ipfs/<hash>/ of one server."""
    parent = tmp_path_factory.mktemp("portable-served")
    shutil.copytree(portable, parent / "some/sub/path")
    shutil.copytree(portable, parent / IPFS)
    with serve(parent) as url:
        yield url


@pytest.mark.parametrize("prefix", ["/some/sub/path/", f"/{IPFS}/"])
def test_served_under_a_prefix_every_link_works_and_search_finds_texts(
    browser: Browser, portable: Path, served: str, prefix: str
) -> None:
    page = browser.new_page()
    start = served + prefix
    count, problems = crawl(page, portable, start, start)
    assert problems == [] and count > 40
    page.goto(start + "search/index.html")
    page.locator("#search-input").fill("ratifying")
    link = page.locator(f'.search-results a[href="{prefix}articles/en-treaty/"]')
    expect(link).to_be_visible()
    link.click()
    expect(page.locator("h1")).to_have_text("A Treaty Kept")
    page.close()
