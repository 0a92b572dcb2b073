"""Tests for archive/importer/htmltext.py and its helpers, on small pages made for each kind of block."""

from __future__ import annotations

import pytest

pytest.importorskip("trafilatura")

from archive.importer.credits import bio_names, byline_names, merge_names, read_info_block
from archive.importer.htmltext import read_html
from archive.importer.records import BlockKind, Extract
from archive.importer.writing import render_blocks

PROSE = (
    "The council met on Monday to discuss the harbour, the school and the roads, and it agreed after a long "
    "debate that the works on the old sea wall would begin in the spring and end before the winter storms."
)


def page(article: str, head: str = "<title>Harbour Works Begin | Coastal Gazette</title>") -> str:
    return (
        f"<!DOCTYPE html><html lang='en'><head>{head}</head><body>"
        "<nav><ul><li><a href='/'>Home</a></li><li><a href='/news'>News</a></li></ul></nav>"
        f"<article><h1>Harbour Works Begin</h1>{article}</article>"
        "<footer><p>Copyright Coastal Gazette</p></footer></body></html>"
    )


def kinds(extract: Extract) -> list[tuple[str, str]]:
    return [(block.kind.value, block.text) for block in extract.body]


def test_lists_stay_lists_and_headings_stay_headings() -> None:
    extract = read_html(
        page(
            f"<p>{PROSE}</p><h2>What will change</h2><ul><li>A new pier.</li><li>A longer wall.</li></ul>"
            f"<ol start='3'><li>Third point.</li><li>Fourth point.</li></ol><p>{PROSE}</p>"
        )
    )
    assert kinds(extract)[1:6] == [
        ("heading", "What will change"),
        ("list item", "A new pier."),
        ("list item", "A longer wall."),
        ("list item", "Third point."),
        ("list item", "Fourth point."),
    ]
    markdown = render_blocks(extract.body)
    assert (
        "## What will change\n\n- A new pier.\n- A longer wall.\n3. Third point.\n4. Fourth point."
        in markdown
    )


def test_a_quotation_that_repeats_nothing_stays_and_is_flagged() -> None:
    quote = "We shall build the harbour again, stone by stone, as our grandparents built it."
    extract = read_html(page(f"<p>{PROSE}</p><blockquote><p>{quote}</p></blockquote><p>{PROSE} Again.</p>"))
    assert (BlockKind.QUOTE, quote) in [(block.kind, block.text) for block in extract.body]
    assert any("a quotation that repeats no paragraph" in note for note in extract.notes)
    assert f"> {quote}" in render_blocks(extract.body)


def test_a_pull_quote_is_removed_with_the_paragraph_it_repeats() -> None:
    pulled = "the works on the old sea wall would begin in the spring"
    extract = read_html(
        page(f"<p>First words here, as found.</p><p>{PROSE}</p><blockquote><p>{pulled}</p></blockquote>")
    )
    assert [(r.text, r.what) for r in extract.removed if r.what.startswith("pull")] == [
        (pulled, "pull quote repeating ¶2")
    ]
    assert all(block.kind is not BlockKind.QUOTE for block in extract.body)


def test_hidden_text_captions_and_scripts_are_not_text() -> None:
    extract = read_html(
        page(
            f"<p>{PROSE} <span class='tooltip hidden'>Secret tooltip</span></p>"
            "<figure><img src='a.jpg'><figcaption>The pier at dawn.</figcaption></figure>"
            "<script>var x = 'not text';</script><p style='display:none'>Invisible words.</p>"
            f"<p>{PROSE} End.</p>"
        )
    )
    words = "\n".join(block.text for block in extract.body)
    for furniture in ("Secret tooltip", "The pier at dawn.", "not text", "Invisible words."):
        assert furniture not in words
    whats = {removal.text: removal.what for removal in extract.removed}
    assert whats["The pier at dawn."] == "photo caption" and whats["Secret tooltip"].startswith("hidden")
    assert any(line.endswith("Home News") or "Home" in line for line in extract.outside)


def test_preformatted_text_is_read_as_lines_of_text_not_as_code() -> None:
    wrapped = "\n".join(
        [
            "The council met on Monday to discuss the harbour,",
            "the school and the roads, and it agreed after a",
            "long debate that the works on the old sea wall",
            "would begin in the spring and end before the",
            "winter storms came and the boats were hauled up",
            "on the shingle for the cold months of the year.",
            "The mayor thanked the engineers for their patience.",
            "She said the town owed them a great deal, and the",
            "people in the hall stood and applauded them for a",
            "long time before the meeting went on to the roads.",
        ]
    )
    extract = read_html(page(f"<pre>{wrapped}</pre>"))
    markdown = render_blocks(extract.body)
    assert "    " not in markdown and "```" not in markdown
    assert "agreed after a long debate" in markdown


def test_a_line_break_inside_a_paragraph_is_kept_and_two_split_it() -> None:
    extract = read_html(
        page(f"<p>{PROSE}</p><p>Harbour Street 1<br>Coastal Town</p><p>One.<br><br>Two is {PROSE}</p>")
    )
    texts = [block.text for block in extract.body]
    assert "Harbour Street 1\nCoastal Town" in texts and "One." in texts
    assert "Harbour Street 1\\\nCoastal Town" in render_blocks(extract.body)


def test_an_information_block_gives_translators_language_and_date() -> None:
    block = read_info_block(
        [
            "Written: October-November 1847;",
            "First Published: March 22, 1913 in Pravda;",
            "Translated: Paul Sweezy and Ann Lee;",
            "Transcribed: Zodiac, 1993.",
        ]
    )
    assert block is not None
    assert block.translators == ("Paul Sweezy", "Ann Lee")
    assert block.published is not None and block.published.isoformat() == "1913-03-22"
    none = read_info_block(["Translated: from the German written in 1885;", "Source: Selected Works, 1968;"])
    assert none is not None and none.translators == () and none.original_language == "de"
    assert read_info_block([PROSE, "Translated: Ann Lee"]) is None


def test_names_are_split_deduplicated_and_read_from_bios() -> None:
    assert merge_names(["JEFFREY GETTLEMAN", "Jeffrey Gettleman"], ["V.I. Lenin", "V. I. Lenin"]) == (
        "Jeffrey Gettleman",
        "V.I. Lenin",
    )
    assert byline_names("By Jane Doe and John Roe") == ("Jane Doe", "John Roe")
    assert byline_names("DIE FRAGEN STELLTEN JOCHEN BITTNER UND TINA HILDEBRANDT") == (
        "JOCHEN BITTNER",
        "TINA HILDEBRANDT",
    )
    assert byline_names("Politik · Jochen Bittner, Tina Hildebrandt") == (
        "Jochen Bittner",
        "Tina Hildebrandt",
    )
    assert bio_names("Ana Pérez es politóloga. Luis Gil es abogado.") == ("Ana Pérez", "Luis Gil")
    assert bio_names(PROSE) == ()
