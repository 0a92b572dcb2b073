"""Bodies -> safe HTML with numbered paragraphs."""

from __future__ import annotations

import random
import sys
from dataclasses import replace
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from archive.site.markdown import (
    BLOCK_TAG,
    blocks_of,
    fingerprint,
    html_text,
    make_markdown,
    number_paragraphs,
    render_blocks,
    render_body,
    render_fragment,
    render_html,
)

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import make_corpus


def test_raw_html_is_shown_as_text() -> None:
    html = render_body("Hello <script>alert(1)</script> <b onclick=x>b</b>").html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<b " not in html


def test_dangerous_links_are_not_links() -> None:
    html = render_body(
        "[a](javascript:alert(1)) [b](data:text/html,x) [c](vbscript:x) [d](JAVASCRIPT:x)"
    ).html
    assert "href" not in html.replace('href="#p1"', "")


def test_safe_links_stay_links() -> None:
    html = render_body("[a](https://example.org/) [b](/tags/china/) [c](mailto:a@b.org)").html
    assert 'href="https://example.org/"' in html and 'href="/tags/china/"' in html and "mailto:" in html


def test_paragraphs_are_numbered_and_anchored() -> None:
    body = render_body("One.\n\nTwo.\n\n> quoted\n\n## Heading\n\nThree.")
    assert body.paragraphs == 3
    assert '<p id="p3"><a class="pn" href="#p3"' in body.html
    assert "quoted" in html_text(body.html)


def test_editorial_fragments_are_not_numbered() -> None:
    assert 'id="p1"' not in render_fragment("A question?")


def test_typography_is_left_as_written() -> None:
    assert render_body('"straight" -- quotes...').opening == '"straight" -- quotes...'


def test_fingerprint_ignores_only_blank_lines_at_the_ends() -> None:
    assert fingerprint("\nText.\n\n") == fingerprint("Text.")
    assert fingerprint("Text.") != fingerprint("Text .")


def test_footnotes_render() -> None:
    html = render_body("Said[^1].\n\n[^1]: A note.").html
    assert 'class="footnotes"' in html


def test_an_alignment_anchor_is_hidden_and_pins_the_next_block() -> None:
    body = render_body("One.\n\n<!-- align: farman -->\n\n1. A list.\n\n<!-- align: two -->\nTwo.")
    assert "align" not in body.html and "farman" not in body.html
    assert [b.anchor for b in body.blocks] == [None, "farman", "two"]
    assert body.paragraphs == 2 and '<p id="p2"><a class="pn" href="#p2"' in body.html


def test_an_anchor_ends_a_list_so_the_next_list_keeps_its_own_numbers() -> None:
    body = render_body("1. One\n2. Two\n\n<!-- align: x -->\n\n1. Again")
    assert [b.html.startswith("<ol>") for b in body.blocks] == [True, True]


def test_anchors_do_not_change_the_fingerprint() -> None:
    assert render_body("A.\n\n<!-- align: x -->\n\nB.").sha256 == fingerprint("A.\n\nB.")


def test_paragraph_anchors_are_stable_when_editorial_sections_follow() -> None:
    plain = render_body("One.\n\nTwo.")
    assert [b.number for b in plain.blocks] == [1, 2]
    assert [b.bare_html for b in plain.blocks] == ["<p>One.</p>\n", "<p>Two.</p>\n"]
    assert "".join(b.html for b in plain.blocks) == plain.html


def test_site_relative_links_follow_the_base_path() -> None:
    html = render_body(
        "[a](/tags/china/) [b](https://x.org/) [c](#p1) ![i](/static/i.png) [d](//cdn.x/)", "/archive/"
    ).html
    assert 'href="/archive/tags/china/"' in html and 'src="/archive/static/i.png"' in html
    assert 'href="https://x.org/"' in html and 'href="#p1"' in html and 'href="//cdn.x/"' in html
    assert 'href="/archive/archive' not in render_fragment("[a](/tags/)", "/archive/") + html


PIECES = [
    "A paragraph with *emphasis*, a [link](https://example.org/) and a note.[^1]",
    "> A quotation\n>\n> > within a quotation\n>\n> - and a list",
    "- one\n- two\n  - nested\n    1. deeper\n\n  loose",
    "3. three\n4. four",
    "```\n<p>not a tag</p>\n```",
    "    indented code",
    "## A heading",
    "Setext\n===",
    "---",
    "| a | b |\n|---|---|\n| 1 | 2 |",
    "[^1]: The note.\n\n    Its second paragraph.",
    "<!-- align: a1 -->\nAn anchored paragraph",
    "A `code` span",
]


def counted_blocks(html: str) -> list[str]:
    """Top-level blocks found by counting every block tag in one pass (the first way of it)."""
    blocks: list[str] = []
    depth, start = 0, 0
    for match in BLOCK_TAG.finditer(html):
        closing, name = match.group(1), match.group(2)
        if closing:
            depth -= 1
        elif name != "hr":
            depth += 1
        if depth == 0 and not (name == "hr" and 'class="footnotes-sep"' in match.group()):
            end = html.find("\n", match.end()) + 1 or len(html)
            blocks.append(html[start:end])
            start = end
    if start < len(html):
        blocks.append(html[start:])
    return blocks


@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=12))
def test_blocks_are_found_as_counting_every_block_tag_finds_them(pieces: list[str]) -> None:
    """The shortcuts for paragraphs, lists, quotes, tables and footnotes end where counting
    every block tag ends, with both engines."""
    text = "\n\n".join(pieces)
    for html in (render_html(text), make_markdown().render(text)):
        assert list(blocks_of(html)) == counted_blocks(html)


def test_an_anchor_written_with_entities_is_still_an_anchor() -> None:
    body = render_body("&lt;!-- align: a1 --&gt;\nThe paragraph.\n")
    assert body.blocks[0].anchor == "a1" and "align" not in body.html


@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=12))
def test_paragraphs_are_numbered_as_block_by_block(pieces: list[str]) -> None:
    """Numbering in a few passes over the whole equals numbering each top-level block that is
    a paragraph, with both engines; a text with an anchor is still numbered block by block."""
    text = "\n\n".join(pieces)
    for html in (render_html(text), make_markdown().render(text)):
        if "&lt;!--" not in html:
            by_block = render_blocks(html, "", with_blocks=False)
            assert number_paragraphs(html) == (by_block.html, by_block.paragraphs)
    assert render_body(text, with_blocks=False) == replace(render_body(text), blocks=())


def test_generated_texts_are_numbered_as_block_by_block() -> None:
    for seed in range(30):
        html = render_html(make_corpus.body(random.Random(seed)))
        by_block = render_blocks(html, "", with_blocks=False)
        assert number_paragraphs(html) == (by_block.html, by_block.paragraphs)
