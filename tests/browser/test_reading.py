"""A reader in a real browser: following links, phones and desktops, both schemes, axe, print, keys."""

from __future__ import annotations

import shutil

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

from archive.build.pipeline import BuildOptions, build
from tests.browser.conftest import ROOT, serve

# One page of every kind the archive makes.
PAGES = {
    "home": "/",
    "article": "/articles/xi-2023-op-ed/",
    "article-rtl": "/articles/persia-1906-farman-fa/",
    "works index": "/works/",
    "work": "/works/xi-2023-russia-op-ed/",
    "tags": "/tags/",
    "tag": "/tags/china/",
    "sources": "/sources/",
    "source": "/sources/pogled-info/",
    "authors": "/authors/",
    "author": "/authors/xi-jinping/",
    "translators": "/translators/",
    "translator": "/translators/v-sergeev/",
    "languages": "/languages/",
    "language": "/languages/zh/",
    "years": "/years/",
    "year": "/years/2023/",
    "search": "/search/",
    "404": "/404.html",
}
OP_ED = "/articles/xi-2023-op-ed/"


def test_home_tag_article_source_author_by_clicking(page: Page) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/")
    page.get_by_role("navigation", name="Browse the archive").get_by_role("link", name="Tags").click()
    expect(page).to_have_url("/tags/")
    page.get_by_role("main").get_by_role("link", name="china", exact=True).click()
    expect(page).to_have_url("/tags/china/")
    expect(page.locator("h1")).to_have_text("china")
    page.locator(f'main .text-item-title a[href="{OP_ED}"]').click()
    expect(page).to_have_url(OP_ED)
    expect(page.locator("h1")).to_contain_text("Forging Ahead to Open a New Chapter")
    page.locator(".text-head .facts").get_by_role("link", name="world today news").click()
    expect(page).to_have_url("/sources/world-today-news/")
    page.locator(f'main a[href="{OP_ED}"]').click()
    page.locator(".byline").get_by_role("link", name="Xi Jinping").click()
    expect(page).to_have_url("/authors/xi-jinping/")
    expect(page.locator("h1")).to_have_text("Xi Jinping")


def test_the_masthead_is_one_line_of_links_on_a_phone(page: Page) -> None:
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto("/")
    links = page.locator(".site-nav a")
    tops = {round(links.nth(i).bounding_box()["y"]) for i in range(links.count())}  # type: ignore[index]
    assert len(tops) == 1, f"the nav wraps into {len(tops)} rows"
    expect(page.locator("#search-link")).to_be_in_viewport()
    # The last link scrolls into reach within the nav; the page itself does not move sideways.
    page.locator(".site-nav a", has_text="Years").focus()
    expect(page.locator(".site-nav a", has_text="Years")).to_be_in_viewport()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert page.evaluate("window.scrollX") == 0


def test_the_works_page_sets_the_versions_side_by_side(page: Page) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/works/")
    page.get_by_role(
        "link", name="Forging Ahead to Open a New Chapter of China-Russia Friendship"
    ).first.click()
    expect(page).to_have_url("/works/xi-2023-russia-op-ed/")
    heads = page.get_by_role("columnheader")
    expect(heads).to_have_count(3)
    expect(heads.first).to_contain_text("Chinese")
    first_row = page.locator(".parallel-row:not(.parallel-head)").first
    cells = first_row.get_by_role("cell")
    expect(cells.nth(0)).to_have_attribute("lang", "zh-Hans")
    boxes = [cells.nth(i).bounding_box() for i in range(3)]
    assert all(b is not None for b in boxes)
    assert len({round(b["y"]) for b in boxes if b}) == 1, "the versions do not stand side by side"
    page.set_viewport_size({"width": 375, "height": 800})
    shown = first_row.locator(".parallel-cell:not(.empty)")
    lefts = {round(shown.nth(i).bounding_box()["x"]) for i in range(shown.count())}  # type: ignore[index]
    assert shown.count() >= 2 and len(lefts) == 1, "on a phone the versions should stack"
    expect(shown.first.locator(".cell-label")).to_be_visible()


@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("name", list(PAGES))
def test_no_sideways_scrolling(page: Page, name: str, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(PAGES[name])
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"{PAGES[name]} is {scroll_width}px wide at {width}px"


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", list(PAGES))
def test_axe_finds_no_violations(page: Page, name: str, scheme: str) -> None:
    page.emulate_media(color_scheme=scheme)
    page.goto(PAGES[name])
    if name == "search":
        expect(page.locator("#search-input")).to_be_visible()
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def test_print_shows_the_text_its_numbers_and_citation_without_navigation(page: Page) -> None:
    page.goto(OP_ED)
    page.emulate_media(media="print")
    for hidden in (".masthead", ".site-nav", ".search-link", ".site-footer", ".browse-more"):
        expect(page.locator(hidden)).to_be_hidden()
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator(".text-head .facts")).to_be_visible()
    expect(page.locator("#p1")).to_be_visible()
    expect(page.locator("#p1 .pn")).to_be_visible()
    expect(page.locator("#p1 .pn")).to_have_text("1")
    expect(page.locator(".cite pre.citation").first).to_be_visible()
    expect(page.locator(".cite pre.citation").first).to_contain_text("Xi Jinping")
    pdf = page.pdf()
    assert pdf.startswith(b"%PDF")


def test_slash_opens_search_and_focuses_its_box(page: Page) -> None:
    page.goto(OP_ED)
    expect(page.locator(".shortcut-hint")).to_be_visible()
    page.keyboard.press("/")
    expect(page).to_have_url("/search/")
    box = page.locator("#search-input")
    expect(box).to_be_visible()
    page.locator("h1").click()
    page.keyboard.press("/")
    expect(box).to_be_focused()
    page.keyboard.type("Belt/Road")
    expect(box).to_have_value("Belt/Road")  # a slash typed in the box stays in the box


def test_the_skip_link_is_the_first_stop_and_moves_focus_to_the_main_text(page: Page) -> None:
    page.goto(OP_ED)
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


def test_without_javascript_everything_but_search_works(browser: Browser, base_url: str) -> None:
    context = browser.new_context(java_script_enabled=False, base_url=base_url)
    page = context.new_page()
    page.goto("/")
    expect(page.locator(".shortcut-hint")).to_be_hidden()
    page.get_by_role("link", name="Search").first.click()
    expect(page).to_have_url("/search/")
    page.get_by_role("navigation", name="Browse the archive").get_by_role("link", name="Works").click()
    expect(page).to_have_url("/works/")
    context.close()


OVERRIDING = """---
title: "Evil \u202eTitle"
date: 2023-05-03
source: pogled-info
authors: ["A \u202eWriter"]
---

A text whose title and author hold a right-to-left override.
"""


def test_a_direction_override_in_a_title_or_a_name_stays_inside_it(
    page: Page, tmp_path_factory: pytest.TempPathFactory
) -> None:
    work = tmp_path_factory.mktemp("bidi-site")
    shutil.copytree(ROOT / "content", work / "content")
    (work / "content/articles/2023/overriding.md").write_text(OVERRIDING, encoding="utf-8")
    build(BuildOptions(work / "content", work / "_site", ROOT / "templates"))
    with serve(work / "_site") as url:
        page.goto(url + "/years/2023/")
        item = page.locator(".text-item", has_text="Evil")
        # The words after the override (the source's name, the summary's line) read left to
        # right: each next letter of "Pogled" stands to the right of the one before.
        lefts = item.locator(".text-item-meta").evaluate(
            """meta => {
                const walker = document.createTreeWalker(meta, NodeFilter.SHOW_TEXT);
                let node;
                while ((node = walker.nextNode()) && !node.data.includes("Pogled")) {}
                const start = node.data.indexOf("Pogled"), range = document.createRange();
                return [...Array(6).keys()].map(i => {
                    range.setStart(node, start + i); range.setEnd(node, start + i + 1);
                    return range.getBoundingClientRect().left;
                });
            }"""
        )
        assert lefts == sorted(lefts) and len(set(lefts)) == 6
        title = item.locator(".text-item-title a")
        assert title.evaluate("a => getComputedStyle(a).unicodeBidi") == "isolate"
