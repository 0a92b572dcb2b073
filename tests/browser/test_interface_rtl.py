"""An archive whose interface is Arabic: right to left, mirrored, accessible, in Chromium."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

from archive.build.pipeline import BuildOptions, build
from tests.browser.conftest import ROOT, serve

PAGES = {
    "home": "/",
    "article": "/articles/xi-2023-op-ed/",
    "article-rtl": "/articles/persia-1906-farman-fa/",
    "works index": "/works/",
    "work": "/works/persia-1906-constitutional-farman/",
    "tags": "/tags/",
    "tag": "/tags/china/",
    "years": "/years/",
    "search": "/search/",
    "404": "/404.html",
}


@pytest.fixture(scope="module")
def arabic_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The bundled content with site.yaml's language set to Arabic, search on."""
    work = tmp_path_factory.mktemp("arabic-site")
    content = work / "content"
    shutil.copytree(ROOT / "content", content)
    settings = content / "site.yaml"
    settings.write_text(settings.read_text("utf-8").replace("language: en", "language: ar"), "utf-8")
    build(BuildOptions(content, work / "_site", ROOT / "templates", cache_dir=work / "cache"))
    with serve(work / "_site") as url:
        yield url


@pytest.fixture
def arabic(browser: Browser, arabic_url: str) -> Iterator[Page]:
    page = browser.new_page(base_url=arabic_url, viewport={"width": 1280, "height": 900})
    yield page
    page.close()


def box(page: Page, selector: str) -> dict[str, float]:
    found = page.locator(selector).first.bounding_box()
    assert found is not None, selector
    return found


@pytest.mark.parametrize("name", list(PAGES))
def test_axe_finds_no_violations_right_to_left(arabic: Page, name: str) -> None:
    arabic.goto(PAGES[name])
    assert arabic.locator("html").get_attribute("dir") == "rtl"
    assert arabic.locator("html").get_attribute("lang") == "ar"
    if name == "search":
        expect(arabic.locator("#search-input")).to_be_visible()
    results = Axe().run(arabic)
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("name", list(PAGES))
def test_no_sideways_scrolling_right_to_left(arabic: Page, name: str, width: int) -> None:
    arabic.set_viewport_size({"width": width, "height": 900})
    arabic.goto(PAGES[name])
    scroll_width = arabic.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"{PAGES[name]} is {scroll_width}px wide at {width}px"


def test_the_layout_is_mirrored(arabic: Page) -> None:
    """The site's title at the right of the masthead, the facts card's labels to the right of
    their values, its rule on its right edge."""
    arabic.goto(PAGES["article"])
    title, search = box(arabic, ".site-title"), box(arabic, ".search-link")
    assert title["x"] > search["x"]
    label, value = box(arabic, ".facts dt"), box(arabic, ".facts dd")
    assert label["x"] > value["x"]
    rule = arabic.evaluate("getComputedStyle(document.querySelector('.facts')).borderRightWidth")
    assert rule == "3px"
    expect(arabic.locator(".facts dt").first).to_have_text("تاريخ النشر الأول")


def test_paragraph_numbers_stand_at_the_start_of_a_right_to_left_text(arabic: Page) -> None:
    arabic.goto(PAGES["article-rtl"])
    number, paragraph = box(arabic, ".text-body .pn"), box(arabic, ".text-body p")
    assert number["x"] >= paragraph["x"] + paragraph["width"] - 1, "the number sits to the right"


def test_the_works_page_reads_its_columns_right_to_left(arabic: Page) -> None:
    """The original (Persian) first, so at the right; its translation to its left."""
    arabic.goto(PAGES["work"])
    heads = arabic.locator(".parallel-head .parallel-cell")
    first, second = heads.nth(0).bounding_box(), heads.nth(1).bounding_box()
    assert first is not None and second is not None
    assert first["x"] > second["x"]


def test_search_speaks_arabic(arabic: Page) -> None:
    arabic.goto("/search/?q=China")
    status = arabic.locator(".search-status")
    expect(status).to_contain_text("China")
    expect(arabic.locator(".search-result").first).to_be_visible()
    assert "result" not in (status.text_content() or "")
    expect(arabic.locator(".search-label")).to_have_text("كلمات البحث")


def test_dates_and_language_names_are_arabic(arabic: Page) -> None:
    arabic.goto(PAGES["article"])
    expect(arabic.locator(".facts time").first).to_have_text("20 مارس 2023")
    expect(arabic.locator(".facts dd").nth(1)).to_contain_text("الإنجليزية")


def test_the_print_stylesheet_keeps_the_direction(arabic: Page, tmp_path: Path) -> None:
    arabic.goto(PAGES["article"])
    arabic.emulate_media(media="print")
    assert arabic.evaluate("getComputedStyle(document.querySelector('main')).direction") == "rtl"
