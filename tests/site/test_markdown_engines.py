"""The fast Markdown engine renders exactly as the reference does, or steps aside."""

from __future__ import annotations

import random
import re
import sys
from html import unescape
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archive.site import markdown
from archive.site.markdown import fast_engine, fast_html, make_markdown, render_body, render_fragment

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import make_corpus

ROOT = Path(__file__).resolve().parents[2]
needs_fast = pytest.mark.skipif(fast_engine() is None, reason="markdown-it-pyrs is not installed")

# Markdown whose every piece the archive's texts may hold: the engines must agree on it.
SHARED_GROUND = [
    "[a](https://example.org/a_(b)) [b](/tags/x/) [c](mailto:a@b.org) [d](#p1) <https://a.b/c>",
    '[e](javascript:alert(1)) [f](data:text/html,x) [g](//evil.com) ![i](/p.png "t") [j](</x>y> "t>i")',
    "x[^a] y[^b]\n\n[^a]: one\n    two\n\n    para2\n\n[^b]: three",
    "| a | b |\n|:--|--:|\n| 1 | 2 |\n| *3* | **4** |",
    "* a\n\n  b\n* c\n\n1) x\n2) y\n\n    indented code",
    "# h #\n\nSetext\n===\n\n***\n\n~~s~~ *e* **s** \\* &copy; &#0; &nosuch; 5*3*2",
    "> q\n> > q2\n>\n> - l\n\n<!-- align: x -->\ntext  \nmore\\\nend",
    "\0 \x01 text\r\nx\u2028y \u00a0inside\u00a0words \ufeff 中文，标点。 فارسی",
    "<script>alert(1)</script> <b onclick=x>b</b> <!-- c --> <?php ?> <![CDATA[x]]>",
    "[ref]\n\n[ref]: /tags/x/ 'T'\n\n[REF]: /other/",
]


def bodies(folder: Path) -> list[str]:
    return [path.read_text(encoding="utf-8").split("\n---\n", 1)[1] for path in sorted(folder.rglob("*.md"))]


LINK_TARGET = re.compile(r'<a href="([^"]*)"|<img src="([^"]*)"')
HELD = bodies(ROOT / "content") + bodies(ROOT / "tests" / "golden" / "content")
GENERATED = [make_corpus.body(random.Random(seed)) for seed in range(40)]


@needs_fast
@pytest.mark.parametrize("text", SHARED_GROUND + HELD + GENERATED)
def test_the_engines_render_the_archives_texts_alike(text: str) -> None:
    assert fast_html(text) == make_markdown().render(text)


@needs_fast
@pytest.mark.parametrize("text", ["[a](ftp://x)", "[b](java%0ascript:x)", "[c](tel:1)", "a [` b", "`code`"])
def test_links_the_archive_refuses_and_backticks_go_to_the_reference(text: str) -> None:
    assert fast_html(text) is None
    assert render_fragment(text) == make_markdown().render(text)


def test_a_refused_link_stays_as_text() -> None:
    assert "[a](ftp://x)" in render_fragment("[a](ftp://x)") and "href" not in render_fragment("[a](ftp://x)")


PIECES = st.sampled_from(
    [
        *("# ", "## ", "> ", "- ", "* ", "1. ", "2) ", "    ", "\n", "\n\n", "\t", "  \n", "\\"),
        *("*", "**", "_", "`", "```", "~~", "[", "]", "(", ")", "<", ">", "!", "&", "#", ":", "|"),
        *("[^1]", "[^1]: ", "[^a]", "[x]: /y", "---", "===", "| a | b |\n|---|---|\n", "<b>", "<script>"),
        *("https://x.org/a_b", "/tags/x/", "ftp://x", "javascript:x", "mailto:a@b.c", "&amp;", "&#x27;"),
        *("<!-- align: a -->", "word", "two words", "中文", "فارسی", "\u00a0", "\u200b", "é", "\0"),
    ]
)
ALLOWED_TAGS = {
    *("p", "a", "em", "strong", "s", "code", "pre", "blockquote", "ul", "ol", "li", "hr", "br", "img"),
    *("h1", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td", "sup", "section"),
}


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES, max_size=40).map("".join))
def test_any_markdown_renders_safely_by_either_engine(text: str) -> None:
    html = render_body(text, "/archive/").html
    assert {name for _, name, _ in markdown.TAG.findall(html)} <= ALLOWED_TAGS
    assert all(markdown.is_safe_link(unescape(a or b)) for a, b in LINK_TARGET.findall(html))


@pytest.mark.parametrize("text", SHARED_GROUND + HELD + GENERATED[:10])
def test_bodies_render_alike_without_the_fast_engine(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with_fast = render_body(text, "/archive/")
    monkeypatch.setattr(markdown, "fast_engine", lambda: None)
    assert render_body(text, "/archive/") == with_fast
