"""Tests for archive/importer/layout.py: when a plain text is wrapped, and how its lines are joined."""

from __future__ import annotations

from archive.importer.layout import arrange_lines
from archive.importer.records import BlockKind
from archive.importer.textinput import Kind, Line

WRAPPED = """The council met on Monday to discuss the
harbour, the school and the roads, and it
agreed after a long debate that the works
on the old sea wall would begin soon.
The mayor thanked the engineers for their
patience and their care, and the people in
the hall stood and applauded them for a
long time, before the meeting went on to
12

the roads and the new bridge.
Work on the bridge is to start in Septem-
ber, the mayor said, and to end next year.
"""


def arrange(text: str):  # type: ignore[no-untyped-def]
    numbered = [(n, line.rstrip()) for n, line in enumerate(text.split("\n"), start=1)]
    lines = [Line(n, line) for n, line in numbered if line.strip()]
    return arrange_lines(lines, frozenset(line.number for line in lines))


def test_one_paragraph_a_line_stays_so() -> None:
    text = "\n".join(f"Paragraph {n} ends here with a full stop, as a line of its own." for n in range(12))
    arranged = arrange(text)
    assert [block.text for block in arranged.blocks] == text.split("\n")
    assert arranged.summary == ()


def test_wrapped_lines_are_joined_by_the_text_not_by_the_line() -> None:
    arranged = arrange(WRAPPED)
    texts = [block.text for block in arranged.blocks]
    assert texts == [
        "The council met on Monday to discuss the harbour, the school and the roads, and it agreed after a "
        "long debate that the works on the old sea wall would begin soon.",
        "The mayor thanked the engineers for their patience and their care, and the people in the hall stood "
        "and applauded them for a long time, before the meeting went on to the roads and the new bridge.",
        "Work on the bridge is to start in Septem-ber, the mayor said, and to end next year.",
    ]
    assert [(line.text, line.kind) for line in arranged.page_numbers] == [("12", Kind.PAGE_NUMBER)]
    assert arranged.blocks[1].lines == (5, 6, 7, 8, 11)
    assert any("joined into 3 blocks" in note for note in arranged.summary)
    assert any("hyphen joined without a space, the hyphen kept" in note for note in arranged.summary)


def test_an_indented_first_line_opens_a_paragraph_and_centred_lines_are_headings() -> None:
    text = (
        "                     ARTICLE ONE\n\n"
        "     The parties agree to keep the harbour open to\n"
        "all ships, in all seasons, under the rules of the\n"
        "port,\n"
        "     and to share the cost of its repair between\n"
        "them, as the annex sets out in its first table.\n"
        "     Each party names an agent for the purposes of\n"
        "this agreement within one month of signing it.\n"
        "     The agents meet twice a year and report to\n"
        "the parties on the state of the works and costs.\n"
    )
    arranged = arrange(text)
    assert [(block.kind, block.text) for block in arranged.head] == [(BlockKind.HEADING, "ARTICLE ONE")]
    assert [block.text.split()[0] for block in arranged.blocks] == ["The", "and", "Each", "The"]
    assert any("indentation dropped" in note for note in arranged.normalised)
