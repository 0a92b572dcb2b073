"""Bodies -> safe HTML with numbered paragraphs."""

from __future__ import annotations

from archive.markdown import fingerprint, render_body, render_fragment


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
    assert "quoted" in body.plain_text


def test_editorial_fragments_are_not_numbered() -> None:
    assert 'id="p1"' not in render_fragment("A question?")


def test_typography_is_left_as_written() -> None:
    assert render_body('"straight" -- quotes...').plain_text == '"straight" -- quotes...'


def test_fingerprint_ignores_only_blank_lines_at_the_ends() -> None:
    assert fingerprint("\nText.\n\n") == fingerprint("Text.")
    assert fingerprint("Text.") != fingerprint("Text .")


def test_footnotes_render() -> None:
    html = render_body("Said[^1].\n\n[^1]: A note.").html
    assert 'class="footnotes"' in html
