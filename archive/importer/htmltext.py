"""A saved page's pieces -> the text's blocks, its notes, its removed furniture and its fields.

Each piece is judged by where it is (before the title, between the title and the text, in the
text, after it) and by what the page says it is. In the text, a quotation that repeats the
text's own words is a pull quote; a block made of credit lines is an information block; a
heading such as "Notes" opens the notes; a short bold paragraph is a heading; a dateline, a
time stamp or an end mark of a transcript is set apart. Everything taken out is kept verbatim
with what it was, and every field says where it was read.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from lxml.html import HtmlElement

from archive.base.languages import standard_form
from archive.importer.credits import (
    bio_names,
    byline_names,
    looks_like_name,
    merge_names,
    published_hint,
    read_info_block,
)
from archive.importer.dates import find_date
from archive.importer.htmlblocks import Piece, Run, class_words, runs_text
from archive.importer.htmlpage import Page, read_page_structure
from archive.importer.layout import arrange_lines
from archive.importer.patterns import (
    BYLINE_TOKENS,
    DATE_TOKENS,
    EDITOR_RE,
    END_MARK_RE,
    LEAD_TOKENS,
    NOTES_HEADINGS,
    PLACE_TOKENS,
    SECTION_BREAK_RE,
    TIME_STAMP_RE,
)
from archive.importer.records import Block, BlockKind, Extract, Found, Removal, Section
from archive.importer.textinput import Line, count_of
from archive.importer.writing import Span, heading_markdown, write_inline

TITLE_DATE_SUFFIX_RE = re.compile(r"\s*[|–—-]\s*(?P<date>[^|–—]{4,30})$")
NOTE_LABEL_RE = re.compile(r"^\s*\[?(?P<label>\d{1,3}|[*†‡§])\]?[.)]?\s+(?=\S)")
WORD_RE = re.compile(r"[^\W_]+")
SHINGLE = 3
REPEAT_SHARE = 0.6
HEADING_MAX_WORDS = 14
HEADING_MAX_CHARACTERS = 60  # for scripts written without spaces
PROSE_WORDS = 25
CAPTION_CUES = re.compile(
    r"^\s*(?:图为|圖為|photo\s*:|foto\s*:|фото\s*:|picture\s*:|image\s*:)", re.IGNORECASE
)
SPEAKER_LABEL_WORDS = 8


@dataclass
class PageReading:
    """What the reading of one page has gathered so far."""

    body: list[Piece] = field(default_factory=list)
    before: list[Piece] = field(default_factory=list)  # in the article but before its title: reported only
    lead: list[Piece] = field(default_factory=list)
    removed: list[Removal] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)
    authors: list[tuple[str, str]] = field(default_factory=list)  # name, where
    translators: list[str] = field(default_factory=list)
    editors: list[str] = field(default_factory=list)
    dates: list[tuple[datetime.date, str]] = field(default_factory=list)
    info_names_a_work: bool = False
    date_hints: list[str] = field(default_factory=list)
    original_language: tuple[str, str] = ("", "")
    license: tuple[str, str] = ("", "")
    place: str = ""
    sections: list[Section] = field(default_factory=list)
    footnotes: list[Block] = field(default_factory=list)
    comment_boxes: int = 0


def read_html(html: str) -> Extract:
    """Read a saved page into its text's blocks, sections, removed furniture and fields."""
    page = read_page_structure(html)
    reading = PageReading()
    sort_zones(page, reading)
    take_info_blocks(reading)
    take_notes(reading)
    take_captions(reading)
    take_transcript_marks(reading)
    take_pull_quotes(reading)
    take_comments(reading)
    take_bio(reading)
    blocks = [*make_lead(reading), *make_blocks(reading)]
    labels = {note.label for note in reading.footnotes}
    blocks = [resolve_markers(block, labels) for block in blocks]
    found = make_found(page, reading, blocks)
    return Extract(
        body=tuple(blocks)
        + tuple(note for note in reading.footnotes if f"[^{note.label}]" in joined(blocks)),
        sections=tuple(reading.sections) + unreferenced_notes(reading.footnotes, blocks),
        removed=tuple(reading.removed),
        found=found,
        notes=tuple(reading.notes),
        normalised=describe_normalised(html, page),
        summary=(*describe_page(page), *reading.summary, *describe_speakers(blocks)),
        outside=tuple(outside_lines([*reading.before, *page.outside])),
    )


def joined(blocks: Sequence[Block]) -> str:
    """All the blocks' Markdown, to look footnote references up in."""
    return "\n".join(block.markdown for block in blocks)


def sort_zones(page: Page, reading: PageReading) -> None:
    """Send each piece to the text, the lead, the fields or the removed furniture, by its zone."""
    for text in page.bylines:
        reading.authors += [(name, "the byline beside the article") for name in byline_names(text)]
    confirmed = confirmed_span(page)
    for index, (zone, piece) in enumerate(page.pieces):
        if zone == "body" and confirmed and not (confirmed[0] <= index <= confirmed[1]):
            zone = "head" if index < confirmed[0] else "tail" if not same_container(piece, page) else "body"
        if piece.kind == "furniture":
            reading.comment_boxes += piece.what == "comments" and zone in ("body", "tail")
            if zone in ("head", "body", "tail") and piece.text:
                reading.removed.append(Removal(piece.text, piece.what, where_of(piece)))
                take_furniture_fields(piece, reading)
        elif zone == "before":
            reading.before.append(piece)
        elif zone == "above":
            take_before(piece, reading, page)
        elif zone == "head":
            take_head(piece, reading)
        elif zone == "body" and is_link_only(piece):
            reading.removed.append(Removal(piece.text, "link within the page", where_of(piece)))
        elif zone == "body" and is_byline(piece):
            take_meta_line(piece, reading, class_words(piece.element)[1] | {"byline"})
        elif zone == "body":
            reading.body.append(piece)
        else:
            take_tail(piece, reading)


def confirmed_span(page: Page) -> tuple[int, int] | None:
    """The first and last pieces trafilatura's text confirms as text."""
    hits = [
        index
        for index, (zone, piece) in enumerate(page.pieces)
        if zone == "body"
        and (piece.element in page.matched or any(a in page.matched for a in piece.element.iterancestors()))
    ]
    return (hits[0], hits[-1]) if hits else None


def same_container(piece: Piece, page: Page) -> bool:
    """Tell whether a piece after the confirmed text stands beside the text's paragraphs, as text does."""
    parents = {element.getparent() for element in page.matched}
    return piece.element.getparent() in parents or piece.element in page.matched


def is_link_only(piece: Piece) -> bool:
    """Tell whether a short paragraph is nothing but a link ('Document Introduction.')."""
    return piece.kind == "p" and piece.link_share >= 0.9 and len(piece.text.split()) <= 8


def is_byline(piece: Piece) -> bool:
    """Tell whether the page marks a piece as a byline (by its tag or class) and it names people."""
    _whole, parts = class_words(piece.element)
    return bool(parts & BYLINE_TOKENS or piece.element.tag == "byline") and bool(byline_names(piece.text))


def where_of(piece: Piece) -> str:
    """Where a piece was on the page, for the report: its tag and the line of the saved file."""
    return f"<{piece.element.tag}> at line {piece.element.sourceline}"


def take_before(piece: Piece, reading: PageReading, page: Page) -> None:
    """Read what stands before the title inside the text's element: an author's name, or page headings."""
    text = piece.text.replace("\n", " ")
    if not text or piece.kind in ("break", "image"):
        return
    names = author_line_names(text, page) if is_heading_like(piece) else ()
    if names:
        reading.authors += [(name, "the author's name above the title") for name in names]
        reading.removed.append(Removal(text, "author's name above the title", where_of(piece)))
    else:
        reading.removed.append(Removal(text, "page heading above the title", where_of(piece)))


def is_heading_like(piece: Piece) -> bool:
    """Tell whether a piece is set as a heading (a heading element, or one classed as a title)."""
    _whole, parts = class_words(piece.element)
    return piece.kind == "heading" or bool(parts & {"title", "author", "byline"})


def author_line_names(text: str, page: Page) -> tuple[str, ...]:
    """The author a line above the title names ('V. I. Lenin', 'Frederick Engels 1847'), if it names one."""
    bare = re.sub(
        r"\b(?:1[5-9]|20)\d\d\b",
        "",
        re.sub(r"^(?:works|writings|selected works) of\s+", "", text, flags=re.I),
    ).strip(" ,")
    if not bare or not looks_like_name(bare) or not 2 <= len(bare.split()) <= 4:
        return ()
    meta = {re.sub(r"\W", "", name.casefold()) for name in page.facts.authors}
    key = re.sub(r"\W", "", bare.casefold())
    return (bare,) if not meta or any(name and name in key for name in meta) else ()


def take_head(piece: Piece, reading: PageReading) -> None:
    """Read what stands between the title and the text: a lead, a date, a byline, a place."""
    text = piece.text
    parts = lineage_words(piece.element)
    if not text or piece.kind in ("break", "image"):
        return
    if parts & LEAD_TOKENS or piece.element.tag == "subtitle" or piece.kind == "heading":
        reading.lead.append(piece)
    elif not take_meta_line(piece, reading, parts):
        if is_prose(text):
            reading.lead.append(piece)
            reading.notes.append(
                f"{where_of(piece)}: a paragraph between the title and the text, kept first: {text[:80]}"
            )
        else:
            reading.removed.append(
                Removal(text, "page furniture between the title and the text", where_of(piece))
            )


def lineage_words(element: HtmlElement, depth: int = 3) -> set[str]:
    """The class words of an element and of the few elements holding it."""
    words: set[str] = set()
    for node in [element, *element.iterancestors()][: depth + 1]:
        words |= class_words(node)[1]
    return words


def take_meta_line(piece: Piece, reading: PageReading, parts: set[str]) -> bool:
    """Take a date, time, place or byline line as fields (and removed lines); tell whether it was one."""
    text = piece.text.replace("\n", " / ")
    tag = piece.element.tag
    names = byline_names(text) if parts & BYLINE_TOKENS or tag in ("byline", "address") else ()
    found = find_date(text)
    editor = EDITOR_RE.match(text)
    if editor:
        reading.editors.append(editor["names"].strip())
        reading.removed.append(Removal(text, "editor's credit", where_of(piece)))
    elif names:
        reading.authors += [(name, f"the byline ({where_of(piece)})") for name in names]
        reading.removed.append(Removal(text, "byline", where_of(piece)))
    elif found and (len(text) <= len(found.words) + 40 or parts & DATE_TOKENS or tag == "time"):
        reading.dates.append((found.date, f"the date line '{text}'"))
        reading.removed.append(Removal(text, "date line", where_of(piece)))
    elif TIME_STAMP_RE.match(text):
        reading.removed.append(Removal(text, "time stamp", where_of(piece)))
    elif parts & PLACE_TOKENS or (len(text.split()) <= 5 and parts & {"signature", "meta"}):
        reading.place = reading.place or text
        reading.removed.append(Removal(text, "place", where_of(piece)))
    else:
        return False
    return True


def take_tail(piece: Piece, reading: PageReading) -> None:
    """Read what follows the text: bylines and dates as fields, the rest as furniture."""
    parts = lineage_words(piece.element, 1) - PLACE_TOKENS - {"signature", "meta"}
    text = piece.text.replace("\n", " / ")
    if not text or piece.kind in ("break", "image") or take_meta_line(piece, reading, parts):
        return
    reading.removed.append(Removal(text, "page furniture after the text", where_of(piece)))
    if is_prose(text):
        reading.notes.append(
            f"{where_of(piece)}: a paragraph after the text taken as page furniture: {text[:80]}"
        )


def take_furniture_fields(piece: Piece, reading: PageReading) -> None:
    """Read names from furniture that credits them (a byline box)."""
    if piece.what == "photo credit":
        return
    _whole, parts = class_words(piece.element)
    if parts & BYLINE_TOKENS:
        reading.authors += [(name, f"the byline ({where_of(piece)})") for name in byline_names(piece.text)]


def is_prose(text: str) -> bool:
    """Tell whether a block reads as prose: many words, ending a sentence."""
    return len(text.split()) >= PROSE_WORDS and text.rstrip()[-1:] in ".!?…»”\"'。"


def take_info_blocks(reading: PageReading) -> None:
    """Take information blocks (lines of credits) out of the text, into fields and removed lines."""
    kept = []
    for piece in reading.body:
        lines = piece.text.split("\n")
        block = read_info_block(lines) if piece.kind == "p" else None
        if block is None:
            kept.append(piece)
            continue
        reading.removed += [Removal(line, "information block (credits)", where_of(piece)) for line in lines]
        reading.translators += block.translators
        reading.info_names_a_work = reading.info_names_a_work or block.names_a_work
        if block.original_language and not reading.original_language[0]:
            reading.original_language = (block.original_language, "the information block ('translated from')")
        if block.published:
            reading.dates.insert(0, (block.published, f"the information block ('{block.published_words}')"))
        elif published_hint(block):
            reading.date_hints.append(published_hint(block))
        if block.license and not reading.license[0]:
            reading.license = (block.license, "the information block")
    reading.body = kept


def take_notes(reading: PageReading) -> None:
    """Take the notes that close the text: numbered ones as footnotes, the rest as a 'Notes' section."""
    start = next((i for i, piece in enumerate(reading.body) if is_notes_heading(piece)), None)
    if start is None:
        return
    heading, pieces = reading.body[start], reading.body[start + 1 :]
    reading.body = reading.body[:start]
    loose: list[Block] = []
    numbered: list[list[Block]] = []
    for piece in pieces:
        if piece.kind in ("break", "image") or not piece.text:
            continue
        label, runs = note_label(piece)
        text = runs_text(runs).replace("\n", " ")
        block = Block(
            BlockKind.PARAGRAPH,
            text,
            write_inline(spans_of(runs), text).markdown,
            where_of(piece),
            label=label,
        )
        if label:
            numbered.append([block])
        elif numbered:
            numbered[-1].append(block)  # a note's second paragraph
        else:
            loose.append(block)
    reading.footnotes += [footnote_block(paragraphs) for paragraphs in numbered]
    name = heading.text.strip(" []:")
    if loose:
        reading.sections.append(Section(name, tuple(loose)))
    if not loose and not numbered:
        reading.removed.append(Removal(heading.text, "empty notes heading", where_of(heading)))
    reading.summary.append(
        f"notes: '{name}' with {count_of(len(numbered), 'numbered note')} "
        f"and {count_of(len(loose), 'other paragraph')}"
    )


def footnote_block(paragraphs: Sequence[Block]) -> Block:
    """A numbered note as a Markdown footnote; its further paragraphs indented under it."""
    first = paragraphs[0]
    rest = "".join(f"\n\n    {block.markdown}" for block in paragraphs[1:])
    text = "\n\n".join(block.text for block in paragraphs)
    return Block(
        BlockKind.FOOTNOTE, text, f"[^{first.label}]: {first.markdown}{rest}", first.where, label=first.label
    )


def is_notes_heading(piece: Piece) -> bool:
    """Tell whether a piece is the heading that opens the text's notes."""
    return piece.kind in ("heading", "p") and piece.text.strip(" []:").casefold() in NOTES_HEADINGS


def note_label(piece: Piece) -> tuple[str, tuple[Run, ...]]:
    """A note's label ('1' of '[1] The notes...', '39' of '39 This work') and its runs without it."""
    runs = piece.runs
    first = next((i for i, run in enumerate(runs) if run.ref or run.text.strip()), None)
    if first is None:
        return "", runs
    if runs[first].ref:
        return runs[first].ref, runs[first + 1 :]
    match = NOTE_LABEL_RE.match(runs_text(runs))
    if not match:
        return "", runs
    return match["label"], drop_characters(runs[first:], len(match.group().replace(" ", "")))


def drop_characters(runs: Sequence[Run], count: int) -> tuple[Run, ...]:
    """The runs without their first `count` characters that are not spaces."""
    out: list[Run] = []
    for run in runs:
        if count <= 0 or run.ref or run.brk:
            out.append(run)
            continue
        text = run.text
        while text and count > 0:
            if not text[0].isspace():
                count -= 1
            text = text[1:]
        out.append(replace(run, text=text))
    return tuple(out)


def take_transcript_marks(reading: PageReading) -> None:
    """Set apart a transcript's dateline and time stamps at its start and its end mark at its end."""
    while reading.body and opening_mark(reading.body[0], reading):
        reading.body.pop(0)
    while reading.body and closing_mark(reading.body[-1], reading):
        reading.body.pop()


def opening_mark(piece: Piece, reading: PageReading) -> bool:
    """Take a dateline, time stamp or date line that opens the text; tell whether it was one."""
    text = piece.text
    if piece.kind in ("break", "image"):
        return True
    lines = text.split("\n")
    if all(TIME_STAMP_RE.match(line) for line in lines):
        reading.removed.append(Removal(text.replace("\n", " / "), "time stamp", where_of(piece)))
        return True
    found = find_date(text)
    if found and len(text) <= len(found.words) + 45:
        reading.dates.append((found.date, f"the date line '{text}'"))
        reading.removed.append(Removal(text, "date line", where_of(piece)))
        return True
    if is_centred(piece) and len(text.split()) <= 12 and not is_prose(text):
        reading.place = reading.place or text.replace("\n", ", ")
        reading.removed.append(Removal(text.replace("\n", " / "), "dateline (place)", where_of(piece)))
        return True
    return False


def closing_mark(piece: Piece, reading: PageReading) -> bool:
    """Take an end mark ('END', with its time stamp) or a rule that closes the text."""
    if piece.kind in ("break", "image"):
        return True
    lines = piece.text.split("\n")
    if END_MARK_RE.match(lines[0]) and all(TIME_STAMP_RE.match(line) for line in lines[1:]):
        reading.removed.append(
            Removal(piece.text.replace("\n", " / "), "end mark and time stamp", where_of(piece))
        )
        return True
    return False


def is_centred(piece: Piece) -> bool:
    """Tell whether the page centres a block (align, style or class)."""
    element = piece.element
    style = element.get("style", "").replace(" ", "").lower()
    _whole, parts = class_words(element)
    return (
        element.get("align", "").lower() == "center"
        or "text-align:center" in style
        or bool(parts & {"center", "centre", "rtecenter", "centered", "text-center"})
    )


def take_pull_quotes(reading: PageReading) -> None:
    """Take quotations that repeat the text's own words (pull quotes) out of the text."""
    paragraphs = [piece for piece in reading.body if piece.kind in ("p", "item", "heading")]
    numbers = paragraph_numbers(reading)
    shingles = [(numbers.get(id(piece), 0), shingles_of(piece.text)) for piece in paragraphs]
    kept: list[Piece] = []
    groups = Counter(piece.group for piece in reading.body if piece.kind == "quote")
    for piece in reading.body:
        if piece.kind != "quote":
            kept.append(piece)
            continue
        repeated = repeated_paragraphs(piece.text, shingles)
        if repeated:
            what = "pull quote repeating " + ", ".join(f"¶{n}" for n in repeated)
            reading.removed.append(Removal(piece.text, what, where_of(piece)))
        elif piece.pulled:
            reading.removed.append(
                Removal(piece.text, "pull quote (its words are not in this copy)", where_of(piece))
            )
        else:
            kept.append(piece)
            if groups[piece.group]:
                reading.notes.append(
                    f"{where_of(piece)}: a quotation that repeats no paragraph, kept in the text; "
                    f"move it to removed if it is a pull quote: {piece.text[:60]}"
                )
                groups[piece.group] = 0
    reading.body = kept


def paragraph_numbers(reading: PageReading) -> dict[int, int]:
    """The number each paragraph will have in the draft (the lead counts; headings and quotes do not)."""
    numbers: dict[int, int] = {}
    number = len(reading.lead)
    for piece in reading.body:
        if piece.kind == "p" and not is_pseudo_heading(piece):
            number += 1
            numbers[id(piece)] = number
    return numbers


def shingles_of(text: str) -> set[tuple[str, ...]]:
    """The runs of three words of a text, case-folded: what a shortened copy still shares with it."""
    words = [word.casefold() for word in WORD_RE.findall(text)]
    return {tuple(words[i : i + SHINGLE]) for i in range(max(1, len(words) - SHINGLE + 1))}


def repeated_paragraphs(text: str, paragraphs: Sequence[tuple[int, set[tuple[str, ...]]]]) -> list[int]:
    """The paragraphs whose words a quotation repeats: fewest that hold most of its runs of words."""
    own = shingles_of(text)
    left, chosen = set(own), []
    while left:
        number, theirs = max(paragraphs, key=lambda entry: len(left & entry[1]), default=(0, set()))
        if not number or len(left & theirs) < 0.25 * len(own):
            break
        chosen.append(number)
        left -= theirs
    return sorted(chosen) if own and len(own) - len(left) >= REPEAT_SHARE * len(own) else []


def take_captions(reading: PageReading) -> None:
    """Take a caption that follows a photo (a short centred line, or one that opens 'Photo:')."""
    kept: list[Piece] = []
    after_image = False
    for piece in reading.body:
        if piece.kind == "image":
            after_image = True
            continue
        text = piece.text
        if piece.kind == "p" and (
            (after_image and is_centred(piece) and len(text) <= 200) or CAPTION_CUES.match(text)
        ):
            reading.removed.append(Removal(text, "photo caption", where_of(piece)))
        else:
            kept.append(piece)
        after_image = False
    reading.body = kept


def take_comments(reading: PageReading) -> None:
    """Take what stands between the last rule and a comments box (a comments policy) out of the text."""
    comments = reading.comment_boxes
    rules = [i for i, piece in enumerate(reading.body) if piece.kind == "break"]
    if not rules:
        return
    last = rules[-1]
    after = reading.body[last + 1 :]
    short = all(len(p.text.split()) <= 120 and p.kind != "heading" for p in after)
    if after and comments and short:
        reading.removed += [
            Removal(p.text, "comments policy (before the comments box)", where_of(p)) for p in after
        ]
        reading.body = reading.body[:last]


def take_bio(reading: PageReading) -> None:
    """Take a closing note on who the authors are into a section of its own, and their names as authors."""
    texts = [piece for piece in reading.body if piece.kind == "p"]
    if not texts:
        return
    last = texts[-1]
    names = bio_names(last.text)
    if not names or len(last.text.split()) > 80:
        return
    reading.body.remove(last)
    reading.authors += [(name, "the closing note on the authors") for name in names]
    runs = last.runs
    block = Block(
        BlockKind.PARAGRAPH, last.text, write_inline(spans_of(runs), last.text).markdown, where_of(last)
    )
    reading.sections.append(Section("About the authors", (block,)))
    reading.summary.append(
        f"closing note on the authors ({', '.join(names)}) set apart as 'About the authors'"
    )


def make_lead(reading: PageReading) -> list[Block]:
    """The lead (or deck) as the text's first paragraphs."""
    blocks = []
    for piece in reading.lead:
        block = paragraph_block(replace(piece, kind="p"))
        blocks.append(replace(block, note="lead"))
    if blocks:
        reading.summary.append(
            f"lead: {count_of(len(blocks), 'paragraph')} between the title and the text, kept as its first"
        )
    return blocks


def make_blocks(reading: PageReading) -> list[Block]:
    """The text's pieces as blocks: paragraphs, headings, list items, quotations, breaks."""
    blocks = [block for block in (piece_block(piece, reading) for piece in reading.body) if block is not None]
    return group_headings(trim_breaks(blocks))


def group_headings(blocks: list[Block]) -> list[Block]:
    """Set runs of bold-paragraph headings as a heading and one subheading (stacked lines joined)."""
    out: list[Block] = []
    run: list[Block] = []
    for block in [*blocks, None]:
        if block is not None and block.kind is BlockKind.HEADING and block.note == "bold paragraph":
            run.append(block)
            continue
        if run:
            out.append(replace(run[0], level=2, markdown=heading_markdown(replace(run[0], level=2))))
            if len(run) > 1:
                sub = Block(
                    BlockKind.HEADING,
                    " ".join(b.text for b in run[1:]),
                    "",
                    run[1].where,
                    level=3,
                    note="bold paragraph",
                )
                out.append(replace(sub, markdown=heading_markdown(sub)))
            run = []
        if block is not None:
            out.append(block)
    return out


def trim_breaks(blocks: list[Block]) -> list[Block]:
    """Drop section breaks at the ends of the text and next to each other."""
    out: list[Block] = []
    for block in blocks:
        if block.kind is BlockKind.BREAK and (not out or out[-1].kind is BlockKind.BREAK):
            continue
        out.append(block)
    while out and out[-1].kind is BlockKind.BREAK:
        out.pop()
    return out


def piece_block(piece: Piece, reading: PageReading) -> Block | None:
    """One piece of the text as a block."""
    if piece.kind == "image":
        return None
    if piece.kind == "break":
        return Block(BlockKind.BREAK, "", "* * *", where_of(piece), note="rule")
    if piece.kind == "pre":
        return pre_block(piece, reading)
    if piece.kind == "heading":
        block = Block(
            BlockKind.HEADING, piece.text.replace("\n", " "), "", where_of(piece), level=piece.level
        )
        return replace(block, markdown=heading_markdown(block))
    if piece.kind == "p" and SECTION_BREAK_RE.match(piece.text):
        return Block(
            BlockKind.BREAK, piece.text, "* * *", where_of(piece), note=f"'{piece.text}' as a section break"
        )
    if piece.kind == "p" and is_pseudo_heading(piece):
        block = Block(
            BlockKind.HEADING,
            piece.text.replace("\n", " "),
            "",
            where_of(piece),
            level=2,
            note="bold paragraph",
        )
        return replace(block, markdown=heading_markdown(block))
    block = paragraph_block(piece)
    if piece.kind == "item":
        return replace(
            block, kind=BlockKind.LIST_ITEM, label=piece.label, markdown=f"{piece.label} {block.markdown}"
        )
    if piece.kind == "quote":
        return replace(block, kind=BlockKind.QUOTE, label=str(piece.group))
    return block


def pre_block(piece: Piece, reading: PageReading) -> Block | None:
    """Preformatted text read as a plain text is (wrapped lines joined), never as code."""
    lines = [Line(n, text) for n, text in enumerate(piece.text.split("\n"), start=1) if text.strip()]
    arranged = arrange_lines(lines, frozenset(line.number for line in lines))
    reading.summary.append(f"{where_of(piece)}: preformatted text read as lines of text, not as code")
    text = "\n\n".join(block.text for block in arranged.blocks)
    return Block(
        BlockKind.PARAGRAPH,
        text,
        "\n\n".join(write_inline([Span(b.text)], b.text).markdown for b in arranged.blocks),
        where_of(piece),
    )


def is_pseudo_heading(piece: Piece) -> bool:
    """Tell whether a paragraph is a heading set in bold: all of it bold, short, not a sentence."""
    texts = [run for run in piece.runs if run.text.strip() and not run.ref]
    if piece.kind != "p" or not texts or not all(run.bold for run in texts):
        return False
    text = piece.text.replace("\n", " ")
    spaced = len(text.split()) > 1 or len(text) <= 12
    short = len(text.split()) <= HEADING_MAX_WORDS if spaced else len(text) <= HEADING_MAX_CHARACTERS
    return short and text[-1:] not in ".,;:" and not text.endswith("...")


def paragraph_block(piece: Piece) -> Block:
    """A paragraph's block: its words, and its Markdown with emphasis and a speaker's label normalised."""
    runs = normalise_label(piece.runs)
    text = runs_text(runs)
    written = write_inline(spans_of(runs), text)
    return Block(BlockKind.PARAGRAPH, text, written.markdown, where_of(piece), note=written.note)


def spans_of(runs: Sequence[Run]) -> list[Span]:
    """Runs as spans of Markdown: whitespace collapsed as the page shows it, breaks as newlines."""
    text = runs_text(runs)
    spans: list[Span] = []
    position = 0
    for run in runs:
        if run.ref:
            spans.append(Span("", ref=run.ref))
            continue
        piece = "\n" if run.brk else collapse_like(run.text)
        matched = match_in(text, position, piece)
        if matched is None:
            continue
        start, end = matched
        if start > position:
            spans.append(Span(text[position:start]))
        spans.append(Span(text[start:end], run.bold, run.italic))
        position = end
    if position < len(text):
        spans.append(Span(text[position:]))
    return spans


def collapse_like(text: str) -> str:
    """A run's text with whitespace collapsed as runs_text does, for finding it in the block's text."""
    from archive.importer.htmlblocks import collapse

    return collapse(text.replace("\ufeff", "").replace("\u200b", ""))


def match_in(text: str, position: int, piece: str) -> tuple[int, int] | None:
    """Where a run's words are in the block's text, from a position on (spacing may differ at its ends)."""
    core = piece.strip(" ")
    if not core:
        return None
    if core == "\n":
        at = text.find("\n", position)
        return (at, at + 1) if at >= 0 else None
    at = text.find(core, position)
    if at < 0:
        return None
    return at, at + len(core)


def normalise_label(runs: tuple[Run, ...]) -> tuple[Run, ...]:
    """Write a speaker's label as one bold 'Name:' ('<b>Vladimir</b> <b>Putin</b>:', '<b>Name: </b>')."""
    first = next((i for i, run in enumerate(runs) if run.text.strip() or run.ref or run.brk), None)
    if first is None or not runs[first].bold:
        return runs
    end = first
    while end < len(runs) and (
        runs[end].bold or (not runs[end].text.strip() and not runs[end].brk and not runs[end].ref)
    ):
        end += 1
    label = "".join(run.text for run in runs[first:end])
    rest = list(runs[end:])
    if not label.strip().endswith(":") and rest and rest[0].text.lstrip().startswith(":"):
        label = label.rstrip() + ":"
        rest[0] = replace(rest[0], text=rest[0].text.lstrip()[1:])
    words = label.split()
    if not label.strip().endswith(":") or not words or len(words) > SPEAKER_LABEL_WORDS:
        return runs
    return (Run(" ".join(words), bold=True), Run(" "), *rest)


def resolve_markers(block: Block, labels: set[str]) -> Block:
    """Keep footnote references that have their note; write the others back as the marks they were."""

    def back(match: re.Match[str]) -> str:
        return match.group() if match.group(1) in labels else f"\\[{match.group(1)}\\]"

    markdown = re.sub(r"\[\^([^\]\s]+)\]", back, block.markdown)
    if markdown == block.markdown:
        return block
    return replace(block, markdown=markdown)


def unreferenced_notes(notes: Sequence[Block], blocks: Sequence[Block]) -> tuple[Section, ...]:
    """Notes the text never refers to (a note on its title), kept verbatim in a 'Notes' section."""
    text = joined(blocks)
    loose = [
        Block(
            BlockKind.PARAGRAPH,
            f"{note.label} {note.text}",
            f"{note.label} " + note.markdown.split(": ", 1)[1].replace("\n    ", "\n"),
            note.where,
        )
        for note in notes
        if f"[^{note.label}]" not in text
    ]
    return (Section("Notes", tuple(loose)),) if loose else ()


def make_found(page: Page, reading: PageReading, blocks: Sequence[Block]) -> Found:
    """The fields the page gives: title, authors, translators, date, languages, licence, address."""
    title, title_note = clean_title(page.title or page.facts.title)
    if title_note:
        reading.notes.append(title_note)
    authors, authors_where = choose_authors(page, reading, blocks)
    date, date_where, hint = choose_date(page, reading)
    language = standard_form(page.facts.language) if page.facts.language else None
    original, original_where = reading.original_language
    return Found(
        title=title,
        title_where="the page's title heading" if page.title else "the page's metadata",
        authors=authors,
        authors_where=authors_where,
        translators=merge_names(reading.translators),
        translators_where="the information block" if reading.translators else "",
        date=date,
        date_where=date_where,
        date_hint=hint,
        original_language=original,
        original_language_where=original_where,
        original_language_hint="" if original else alternate_hint(page),
        language=language or "",
        language_where="the page's lang attribute" if language else "",
        source_url=page.facts.url,
        license=reading.license[0] or page.facts.license,
        license_where=reading.license[1] or ("the page's licence link" if page.facts.license else ""),
        place=reading.place,
        author_hint=speaker_hint(blocks) if not authors else "",
    )


def choose_authors(page: Page, reading: PageReading, blocks: Sequence[Block]) -> tuple[tuple[str, ...], str]:
    """The authors the page credits (bylines, bios, a name above the title), else its author metadata
    (unless that names its editor), else the name the text is signed with; and where they were read."""
    if reading.authors:
        return merge_names([name for name, _ in reading.authors]), reading.authors[0][1]
    meta = tuple(name for name in page.facts.authors if not any(e and e in name for e in reading.editors))
    if meta:
        return merge_names(meta), "the page's author metadata"
    signed = signature_names(blocks)
    return signed, "the signature at the end of the text" if signed else ""


def alternate_hint(page: Page) -> str:
    """The language of the one other version a page links to, which may be its original."""
    own = (page.facts.language or "").split("-")[0].lower()
    others = [code for code in page.facts.alternates if code.split("-")[0].lower() != own]
    return others[0] if len(others) == 1 and standard_form(others[0]) else ""


def describe_speakers(blocks: Sequence[Block]) -> tuple[str, ...]:
    """Count a transcript's speaker turns (paragraphs opening with a bold 'Name:')."""
    labels = Counter(
        match.group(1)
        for block in blocks
        for match in [re.match(r"^\*\*(.{1,80}?):\*\*", block.markdown)]
        if match
    )
    if sum(labels.values()) < 2:
        return ()
    top = ", ".join(f"{name} ({count})" for name, count in labels.most_common(6))
    return (
        f"speaker turns: {sum(labels.values())}, each label written as one bold 'Name:'; "
        f"{count_of(len(labels), 'label')}, most often: {top}",
    )


def clean_title(title: str) -> tuple[str, str]:
    """The title without a date the page appends to it ('Remarks ... | July 6, 2017')."""
    match = TITLE_DATE_SUFFIX_RE.search(title)
    if match and find_date(match["date"]):
        return title[
            : match.start()
        ].strip(), f"title: the date after it ('{match.group().strip()}') left out"
    return title, ""


def signature_names(blocks: Sequence[Block]) -> tuple[str, ...]:
    """The name a text is signed with, if its last paragraph is only a name."""
    paragraphs = [block for block in blocks if block.kind is BlockKind.PARAGRAPH]
    if not paragraphs:
        return ()
    last = paragraphs[-1].text
    return (last,) if looks_like_name(last) and 2 <= len(last.split()) <= 4 and last[-1:].isalpha() else ()


def speaker_hint(blocks: Sequence[Block]) -> str:
    """The speaker with most turns, as a hint for the author of a transcript."""
    labels = Counter(
        match.group(1)
        for block in blocks
        for match in [re.match(r"^\*\*(.{2,80}?):\*\*", block.markdown)]
        if match and match.group(1) not in ("Question", "Remark", "Q")
    )
    if not labels:
        return ""
    name, count = labels.most_common(1)[0]
    return f"most turns: {name}, {count}" if count >= 2 else ""


def choose_date(page: Page, reading: PageReading) -> tuple[datetime.date | None, str, str]:
    """The work's date: the credits' date of publication, else the page's own (unless credits date it)."""
    credited = [(date, where) for date, where in reading.dates if where.startswith("the information block")]
    if credited:
        return credited[0][0], credited[0][1], ""
    hints = "; ".join(reading.date_hints)
    if reading.info_names_a_work:
        page_date = f"; the page's own date {page.facts.date} is its copy's" if page.facts.date else ""
        return None, "", (hints or "the information block gives no full date") + page_date
    if page.facts.date:
        try:
            return (
                datetime.date.fromisoformat(page.facts.date),
                "the page's metadata: its publication date",
                "",
            )
        except ValueError:
            pass
    if reading.dates:
        return reading.dates[0][0], reading.dates[0][1], ""
    return None, "", hints or page.facts.date_hint


def describe_page(page: Page) -> tuple[str, ...]:
    """Say how the page was read: where its text was found, what was outside the article."""
    words = sum(len(piece.text.split()) for piece in page.outside)
    return (
        f"main text located by {page.located_by}; article read from the page's own markup",
        f"outside the article (site navigation, header, footer, sidebars): "
        f"{count_of(len(page.outside), 'block')}, {count_of(words, 'word')}, listed below",
    )


def describe_normalised(html: str, page: Page) -> tuple[str, ...]:
    """What reading the page as a browser shows it changed: spacing, zero-width marks, links, comments."""
    notes = [
        "HTML page: blocks read from its markup; spaces and line breaks inside a block read as one space"
    ]
    stray = html.count("\ufeff")
    if stray:
        notes.append(f"{count_of(stray, 'stray U+FEFF (zero-width no-break space)')} left out")
    if page.comments_skipped:
        notes.append(
            f"{count_of(page.comments_skipped, 'HTML comment')} in the article left out (the page hides them)"
        )
    return tuple(notes)


def outside_lines(pieces: Iterable[Piece]) -> Iterable[str]:
    """The page's blocks outside the article, one a line, for the report."""
    for piece in pieces:
        text = piece.text.replace("\n", " / ")
        if text:
            yield f"  {where_of(piece)}{' (' + piece.what + ')' if piece.what else ''}: {text}"
