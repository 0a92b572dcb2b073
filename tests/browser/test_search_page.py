"""A reader searches the archive in a browser: every language by its own rules, from one box,
at a domain's root and under a sub-path."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

OP_ED = "/articles/xi-2023-op-ed/"


def search(page: Page, words: str) -> None:
    page.locator("#search-input").fill(words)


def result(page: Page, url: str):  # type: ignore[no-untyped-def]
    return page.locator(f'.search-results a[href="{url}"]').first


def test_search_finds_the_op_ed_and_its_link_opens_it(page: Page) -> None:
    page.goto("/search/")
    search(page, "Belt and Road")
    expect(result(page, OP_ED)).to_be_visible()
    result(page, OP_ED).click()
    expect(page).to_have_url(OP_ED)
    expect(page.locator("h1")).to_contain_text("Forging Ahead to Open a New Chapter")


@pytest.mark.parametrize(
    ("words", "url"),
    [
        ("ratifying", "/articles/en-treaty/"),  # English, another form of "ratified"
        ("сотрудничества", "/articles/ru-cooperation/"),  # Russian, another case of "сотрудничество"
        ("历史逻辑", "/articles/zh-history/"),  # Chinese, no spaces between words
        ("ایران", "/articles/fa-relations/"),
        ("Belt and Road", OP_ED),
    ],
)
def test_texts_in_every_language_are_found_by_their_own_rules(page: Page, words: str, url: str) -> None:
    page.goto("/search/")
    search(page, words)
    expect(result(page, url)).to_be_visible()


def test_a_filter_narrows_the_results_in_every_language(page: Page) -> None:
    page.goto("/search/")
    page.locator(".search-narrow summary").click()
    tag = page.locator('select[name="tag"]')
    expect(tag.locator('option[value="treaties"]')).to_have_count(1)
    tag.select_option("treaties")
    expect(result(page, "/articles/en-treaty/")).to_be_visible()
    expect(result(page, "/articles/ru-cooperation/")).to_be_visible()
    expect(page.locator(".search-result")).to_have_count(2)
    search(page, "ratifying")
    expect(page.locator(".search-result")).to_have_count(1)
    expect(page).to_have_url("/search/?q=ratifying&tag=treaties")


def test_a_search_in_the_address_runs_when_the_page_opens(page: Page) -> None:
    page.goto("/search/?q=ratified")
    expect(page.locator("#search-input")).to_have_value("ratified")
    expect(result(page, "/articles/en-treaty/")).to_be_visible()


def test_search_under_a_sub_path(page: Page, subpath_url: str) -> None:
    page.goto(subpath_url + "search/")
    search(page, "Belt and Road")
    link = result(page, f"/archive{OP_ED}")
    expect(link).to_be_visible()
    link.click()
    expect(page.locator("h1")).to_contain_text("Forging Ahead to Open a New Chapter")


def test_without_javascript_the_page_says_search_needs_it(browser: Browser, base_url: str) -> None:
    context = browser.new_context(java_script_enabled=False, base_url=base_url)
    page = context.new_page()
    page.goto("/search/")
    # Playwright's text engine skips <noscript>; a CSS locator sees it.
    expect(page.locator("noscript p")).to_contain_text("Search needs JavaScript")
    expect(page.locator("noscript p")).to_be_visible()
    expect(page.locator("#search")).to_be_hidden()
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_search_page_with_results_passes_axe(page: Page, scheme: str) -> None:
    page.emulate_media(color_scheme=scheme)
    page.goto("/search/")
    search(page, "Belt and Road")
    expect(result(page, OP_ED)).to_be_visible()
    page.locator(".search-narrow summary").click()
    expect(page.locator('select[name="tag"]')).to_be_visible()
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
