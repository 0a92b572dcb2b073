"""A plain text's layout read as a reader reads it: wrapped lines joined into paragraphs, spacing made plain.

A line break in a hard-wrapped text is told from a paragraph break by the text, not by the line:
a blank line, a first line indented as the text indents its paragraphs, a paragraph number, a
sentence that ends on a line the next word would have fitted on, or a short heading-like line
all end a paragraph; a line that stops mid-sentence never does, even across a blank line left by
a page number. Every join is counted in the report, and each paragraph keeps its line numbers.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from archive.importer.records import Block, BlockKind
from archive.importer.textinput import Kind, Line, count_of, list_numbers

SENTENCE_END_RE = re.compile(r"[.!?…:;。！？؟][\"'”’»)\]]*$|[\"'”’»)]$")
CONTINUES_RE = re.compile(r"[,\-–—(\[/&]$|\b(?:and|or|the|of|to|a|an|in|и|в|с|на|и|der|die|und|de|la|el|et)$")
OPENS_RE = re.compile(r"^[\"'“‘«(\[—–-]*[^\W\d_]*[A-ZÀ-ÝА-ЯЁ0-9]|^[\"'“‘«(\[—–-]*[^\W\d_a-zà-ÿа-яё]")
CLAUSE_END_RE = re.compile(r"[.!?…:;,。！？؟)][\"'”’»)\]]*$")
HYPHEN_END_RE = re.compile(r"[^\W\d_]-$")
PARAGRAPH_NUMBER_RE = re.compile(r"^\d{1,3}\.(?:\s|$)")
NUMBER_ONLY_RE = re.compile(r"^\d{1,3}\.?$")
PAGE_NUMBER_RE = re.compile(r"^\s*\d{1,3}\s*$")
LETTER_SPACED_RE = re.compile(r"^(?:[^\W\d_] ){3,}[^\W\d_]$")
COLUMN_GAP_RE = re.compile(r"\S( {8,})\S")
SPACES_RE = re.compile(r"[ \t\u00a0]{2,}|\t")
WRAPPED_SHARE = 0.15  # of lines that stop mid-sentence before a lower-case line
MIN_WRAPPED_LINES = 3
MIN_LINES = 8  # fewer lines tell too little to read a text as wrapped
TAB_WIDTH = 8


@dataclass(frozen=True)
class Arrangement:
    """The body lines arranged into blocks, the page numbers taken out, and what was done."""

    blocks: tuple[Block, ...]
    head: tuple[Block, ...]  # centred lines before the text, a wrapped text's title
    page_numbers: tuple[Line, ...]
    normalised: tuple[str, ...]
    summary: tuple[str, ...]
    doubts: tuple[str, ...] = ()


@dataclass(frozen=True)
class Shape:
    """How a wrapped text sets its lines: its width and its paragraphs' first-line indent."""

    width: int
    indent: int  # the first-line indent of its paragraphs; 0 if it does not indent them


def arrange_lines(lines: Sequence[Line], present: frozenset[int]) -> Arrangement:
    """Arrange the text's lines into blocks: one a line, or paragraphs joined if the text is wrapped."""
    if not is_wrapped(lines):
        return arrange_one_per_line(lines)
    pages = find_page_numbers(lines)
    text = [line for line in lines if line not in pages]
    shape = measure_shape(text, present)
    groups = split_groups(text, present, shape)
    head, rest = split_head(groups, shape)
    blocks = tuple(make_block(group, shape) for group in rest)
    heads = tuple(make_block(group, shape, heading=True) for group in head)
    return Arrangement(
        blocks=blocks,
        head=heads,
        page_numbers=tuple(Line(line.number, line.text, Kind.PAGE_NUMBER) for line in pages),
        normalised=describe_spacing(text) + describe_letter_spacing([*head, *rest]),
        summary=describe_joins(text, [*heads, *blocks], shape, pages),
        doubts=describe_doubtful_joins(groups),
    )


def arrange_one_per_line(lines: Sequence[Line]) -> Arrangement:
    """Keep each line a paragraph, its spacing made plain."""
    blocks = tuple(
        Block(BlockKind.PARAGRAPH, plain(line.text), "", f"line {line.number}", lines=(line.number,))
        for line in lines
    )
    return Arrangement(blocks, (), (), describe_spacing(lines), ())


def plain(text: str) -> str:
    """A line with its indentation dropped and each run of spaces or tabs read as one space."""
    return SPACES_RE.sub(" ", text.strip(" \t")).strip(" ")


def is_wrapped(lines: Sequence[Line]) -> bool:
    """Tell whether the text is hard-wrapped: many lines stop mid-sentence and the next goes on."""
    pairs = itertools.pairwise(lines)
    going_on = sum(1 for a, b in pairs if continues(a.text.strip(), b.text.strip()))
    return (
        len(lines) >= MIN_LINES and going_on >= MIN_WRAPPED_LINES and going_on >= WRAPPED_SHARE * len(lines)
    )


def continues(line: str, following: str) -> bool:
    """Tell whether a line stops mid-sentence and the next line goes on with it."""
    if HYPHEN_END_RE.search(line) and following[:1].isalpha():
        return True
    return not SENTENCE_END_RE.search(line) and following[:1].islower()


def find_page_numbers(lines: Sequence[Line]) -> tuple[Line, ...]:
    """Lines that hold only a number, rising through the text: page numbers of a printed copy."""
    numbers = [line for line in lines[1:-1] if PAGE_NUMBER_RE.match(line.text)]
    rising: list[Line] = []
    for line in numbers:
        if not rising or int(line.text) > int(rising[-1].text):
            rising.append(line)
    return tuple(rising)


def measure_shape(lines: Sequence[Line], present: frozenset[int]) -> Shape:
    """Measure the width of the text's lines and the indent that opens its paragraphs."""
    lengths = sorted(len(line.text.expandtabs(TAB_WIDTH)) for line in lines)
    width = lengths[int(len(lengths) * 0.95)] if lengths else 0
    indents = Counter(indent_of(line.text) for line in lines)
    margin = indents.most_common(1)[0][0] if indents else 0
    opening = [n for n, count in indents.items() if 2 <= n - margin <= 12 and count >= MIN_WRAPPED_LINES]
    indent = max(opening, key=lambda n: indents[n]) if opening and margin == 0 else 0
    opens = indent and indents_open_paragraphs(lines, indent, present, width)
    return Shape(width, indent if opens else 0)


def indents_open_paragraphs(lines: Sequence[Line], indent: int, present: frozenset[int], width: int) -> bool:
    """Tell whether lines at this indent mostly follow, directly, a line that ends a sentence or a
    clause, or stops short of the text's width."""
    after = [
        a.text.rstrip()
        for a, b in itertools.pairwise(lines)
        if indent_of(b.text) == indent and b.number == a.number + 1 and b.number in present
    ]
    ends = sum(
        1
        for text in after
        if SENTENCE_END_RE.search(text) or text.endswith(",") or len(text.expandtabs(TAB_WIDTH)) < 0.8 * width
    )
    return bool(after) and ends >= 0.7 * len(after)


def indent_of(text: str) -> int:
    """The width of a line's leading spaces and tabs; none for a line justified with tabs between its
    words, whose leading tab is justification too."""
    if "\t" in text.strip():
        return 0
    return len(text.expandtabs(TAB_WIDTH)) - len(text.expandtabs(TAB_WIDTH).lstrip())


def split_groups(lines: Sequence[Line], present: frozenset[int], shape: Shape) -> list[list[Line]]:
    """Split the lines into paragraphs (and headings), each a list of lines.

    A run of lines between blank lines that is set in the middle of the page is one heading,
    whatever its lines' indents; other runs are split where a paragraph ends.
    """
    groups: list[list[Line]] = []
    for chunk in split_at_blanks(lines, present):
        if is_centred_group(chunk, shape):
            groups.append(list(chunk))
            continue
        for line in chunk:
            after_heading = line is chunk[0] and bool(groups) and is_centred_group(groups[-1], shape)
            joins = (
                bool(groups) and not after_heading and not breaks_before(groups[-1][-1], line, present, shape)
            )
            if joins:
                groups[-1].append(line)
            else:
                groups.append([line])
    return groups


def split_at_blanks(lines: Sequence[Line], present: frozenset[int]) -> list[list[Line]]:
    """Split the lines where a blank line stands between two of them."""
    chunks: list[list[Line]] = []
    for line in lines:
        if chunks and not any(n not in present for n in range(chunks[-1][-1].number + 1, line.number)):
            chunks[-1].append(line)
        else:
            chunks.append([line])
    return chunks


def breaks_before(previous: Line, line: Line, present: frozenset[int], shape: Shape) -> bool:
    """Tell whether a paragraph ends between two lines of the text."""
    before, text = previous.text.strip(), line.text.strip()
    if centred(previous.text, shape) != centred(line.text, shape):
        return True
    if HYPHEN_END_RE.search(before) and text[:1].isalpha():
        return False
    if shape.indent and indent_of(line.text) == shape.indent and CLAUSE_END_RE.search(before):
        return True
    if continues(before, text):
        return False
    gap = any(number not in present for number in range(previous.number + 1, line.number))
    if gap or PARAGRAPH_NUMBER_RE.match(text) or NUMBER_ONLY_RE.match(before) or NUMBER_ONLY_RE.match(text):
        return True
    if shape.indent and indent_of(line.text) == shape.indent:
        return True
    if column_gap(previous.text) or column_gap(line.text):
        return True
    if not OPENS_RE.match(text):
        return False
    fits = len(previous.text.expandtabs(TAB_WIDTH).rstrip()) + 1 + len(text.split()[0]) <= shape.width - 1
    return (bool(SENTENCE_END_RE.search(before)) and fits) or (fits and looks_like_heading_line(before))


def looks_like_heading_line(text: str) -> bool:
    """Tell whether a short line reads as a heading or a salutation: capitals, few words."""
    words = [word for word in text.split() if word[:1].isalpha()]
    if not words or len(text.split()) > 8 or CONTINUES_RE.search(text) or PARAGRAPH_NUMBER_RE.match(text):
        return False
    return text.upper() == text or sum(word[0].isupper() for word in words) >= 0.7 * len(words)


def centred(text: str, shape: Shape) -> bool:
    """Tell whether a line is set in the middle of the text's width."""
    expanded = text.expandtabs(TAB_WIDTH).rstrip()
    left = indent_of(expanded)
    right = shape.width - len(expanded)
    return left > shape.indent + 2 and abs(left - right) <= max(6, shape.width // 4)


def column_gap(text: str) -> bool:
    """Tell whether a line sets two columns side by side (a wide gap of spaces between words)."""
    return bool(COLUMN_GAP_RE.search(text.strip()))


def split_head(groups: list[list[Line]], shape: Shape) -> tuple[list[list[Line]], list[list[Line]]]:
    """Take the centred groups that open the text: its title, as a wrapped copy sets it."""
    count = 0
    while count < len(groups) and is_centred_group(groups[count], shape):
        count += 1
    return groups[:count], groups[count:]


def is_centred_group(group: Sequence[Line], shape: Shape) -> bool:
    """Tell whether most lines of a group are centred and none starts at the margin."""
    middle = sum(1 for line in group if centred(line.text, shape))
    return middle * 2 >= len(group) and all(indent_of(line.text) > 0 for line in group)


def make_block(group: Sequence[Line], shape: Shape, heading: bool = False) -> Block:
    """Join a group's lines into one block: a heading if centred, else a paragraph."""
    numbers = tuple(line.number for line in group)
    where = f"line {numbers[0]}" if len(numbers) == 1 else f"lines {numbers[0]}-{numbers[-1]}"
    if heading or is_centred_group(group, shape):
        text = " ".join(unspace_letters(plain(line.text)) for line in group)
        return Block(BlockKind.HEADING, text, "", where, level=2, lines=numbers)
    if len(group) == 1 and column_gap(group[0].text):
        columns = [plain(part) for part in re.split(r" {8,}", group[0].text.strip())]
        return Block(BlockKind.PARAGRAPH, "\n".join(columns), "", where, lines=numbers, note="columns")
    return Block(BlockKind.PARAGRAPH, join_lines(group), "", where, lines=numbers)


def join_lines(group: Sequence[Line]) -> str:
    """Join wrapped lines with a space; after a hyphen at a line's end, with none (the hyphen kept)."""
    text = ""
    for line in group:
        part = plain(line.text)
        text = part if not text else text + ("" if HYPHEN_END_RE.search(text) else " ") + part
    return text


def unspace_letters(text: str) -> str:
    """Write a letter-spaced word ('Р А С П О Р Я Ж Е Н И Е') as the word it spells."""
    return text.replace(" ", "") if LETTER_SPACED_RE.match(text) else text


def describe_spacing(lines: Sequence[Line]) -> tuple[str, ...]:
    """Count the indentation dropped and the runs of spaces or tabs read as one space."""
    indented = [line.number for line in lines if line.text[:1] in (" ", "\t")]
    spaced = [line.number for line in lines if SPACES_RE.search(line.text.strip(" \t"))]
    notes = []
    if indented:
        notes.append(
            f"indentation dropped on {count_of(len(indented), 'line')} ({list_numbers(indented)}): "
            "layout, which Markdown would show as code"
        )
    if spaced:
        notes.append(
            f"runs of spaces or tabs read as one space on {count_of(len(spaced), 'line')} "
            f"({list_numbers(spaced)})"
        )
    return tuple(notes)


def describe_letter_spacing(groups: Sequence[Sequence[Line]]) -> tuple[str, ...]:
    """Name the letter-spaced lines written as the words they spell."""
    return tuple(
        f"line {line.number}: letter-spaced '{plain(line.text)}' written as "
        f"'{unspace_letters(plain(line.text))}'"
        for group in groups
        for line in group
        if LETTER_SPACED_RE.match(plain(line.text))
    )


def describe_doubtful_joins(groups: Sequence[Sequence[Line]]) -> tuple[str, ...]:
    """Point at joins where a sentence ends on a full line and the next opens with a capital: a
    paragraph may end there too (the text does not tell)."""
    joins = [
        previous.number
        for group in groups
        for previous, line in itertools.pairwise(group)
        if SENTENCE_END_RE.search(previous.text.rstrip()) and OPENS_RE.match(line.text.strip())
    ]
    if not joins:
        return ()
    return (
        f"{count_of(len(joins), 'line')} ({list_numbers(joins)}) end a sentence on a full line and the next "
        "opens with a capital: joined, though a paragraph may end there",
    )


def describe_joins(
    lines: Sequence[Line], blocks: Sequence[Block], shape: Shape, pages: Sequence[Line]
) -> tuple[str, ...]:
    """Say how the wrapped lines were joined, with counts a person can check."""
    hyphens = sum(1 for line in lines if HYPHEN_END_RE.search(line.text.rstrip()))
    joined = sum(len(block.lines) - 1 for block in blocks if block.kind is BlockKind.PARAGRAPH)
    indent = f", paragraphs opened by a {shape.indent}-space indent" if shape.indent else ""
    notes = [
        f"hard-wrapped text (lines up to about {shape.width} characters{indent}): "
        f"{count_of(len(lines), 'line')} joined into {count_of(len(blocks), 'block')} "
        f"({count_of(joined, 'line break')} read as spaces)",
    ]
    if hyphens:
        notes.append(
            f"{count_of(hyphens, 'line')} ending in a hyphen joined without a space, the hyphen kept"
        )
    if pages:
        numbers = ", ".join(line.text.strip() for line in pages)
        notes.append(f"page numbers taken out: {numbers} (lines {list_numbers([p.number for p in pages])})")
    return tuple(notes)
