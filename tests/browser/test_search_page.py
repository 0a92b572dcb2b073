"""A reader searches the archive in a browser, at a domain's root and under a sub-path."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

OP_ED = "/articles/xi-2023-op-ed/"


def search(page: Page, words: str) -> None:
    page.locator("pagefind-input input").fill(words)


def test_search_finds_the_op_ed(page: Page) -> None:
    page.goto("/search/")
    search(page, "Belt and Road")
    result = page.locator(f'pagefind-results a[href="{OP_ED}"]').first
    expect(result).to_be_visible()
    result.click()
    expect(page).to_have_url(OP_ED)
    expect(page.locator("h1")).to_contain_text("Forging Ahead to Open a New Chapter")


@pytest.mark.parametrize(
    ("words", "url"),
    [("历史逻辑", "/articles/zh-history/"), ("ایران", "/articles/fa-relations/"), ("Belt and Road", OP_ED)],
)
def test_texts_in_every_language_are_found(page: Page, words: str, url: str) -> None:
    page.goto("/search/")
    search(page, words)
    expect(page.locator(f'pagefind-results a[href="{url}"]').first).to_be_visible()


def test_search_under_a_sub_path(page: Page, subpath_url: str) -> None:
    page.goto(subpath_url + "search/")
    search(page, "Belt and Road")
    result = page.locator(f'pagefind-results a[href="/archive{OP_ED}"]').first
    expect(result).to_be_visible()
    result.click()
    expect(page.locator("h1")).to_contain_text("Forging Ahead to Open a New Chapter")


def test_without_javascript_the_page_says_search_needs_it(browser: Browser, base_url: str) -> None:
    context = browser.new_context(java_script_enabled=False, base_url=base_url)
    page = context.new_page()
    page.goto("/search/")
    # Playwright's text engine skips <noscript>; a CSS locator sees it.
    expect(page.locator("noscript p")).to_contain_text("Search needs JavaScript")
    expect(page.locator("noscript p")).to_be_visible()
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_search_page_with_results_passes_axe(page: Page, scheme: str) -> None:
    page.emulate_media(color_scheme=scheme)
    page.goto("/search/")
    search(page, "Belt and Road")
    expect(page.locator(f'pagefind-results a[href="{OP_ED}"]').first).to_be_visible()
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
