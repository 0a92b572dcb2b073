"""Blocks -> the draft's Markdown, written so the page shows the words as found, and checked that it does."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from archive.importer.records import Block, BlockKind
from archive.site.markdown import html_text, render_html

# Characters Markdown may read as inline markup; a backslash before any of them shows it as written.
INLINE_MARKUP_RE = re.compile(r"([\\`*_\[\]<>&])")
MARKDOWN_BLOCK_RE = re.compile(
    r"^(?P<indent> {0,3})(?:(?P<number>\d{1,9})(?P<dot>[.)])(?=\s|$)"
    r"|(?P<start>#|>|[-*+](?=\s|$)|(?:[-*_][ \t]*){3,}$|`{3}|~{3}|<!--|\[[^\]]+\]:|[=]+\s*$))"
)
FOOTNOTE_REF_RE = re.compile(r"\[\^[^\]\s]+\]")
HARD_BREAK = "\\\n"


@dataclass(frozen=True)
class Span:
    """Words with one emphasis, or a footnote reference, as a block's Markdown is made of."""

    text: str
    bold: bool = False
    italic: bool = False
    ref: str = ""


@dataclass(frozen=True)
class Written:
    """A block's Markdown, and a note if something about it needs saying in the report."""

    markdown: str
    note: str = ""


def escape_inline(text: str) -> str:
    """Backslash every character Markdown could read as inline markup."""
    return INLINE_MARKUP_RE.sub(r"\\\1", text)


def escape_block(text: str) -> str:
    """Escape a line that Markdown would read as a heading, list, quote or rule."""
    match = MARKDOWN_BLOCK_RE.match(text)
    if not match:
        return text
    at = match.start("dot") if match["dot"] else match.start("start")
    return text[:at] + "\\" + text[at:]


def block_start(text: str) -> str:
    """What opens a line that Markdown would read as block markup ('#', '1.'), or ''."""
    match = MARKDOWN_BLOCK_RE.match(text)
    return match.group().strip() if match else ""


def rendered_words(markdown: str) -> str:
    """The words a reader sees when some Markdown is rendered, one block a line."""
    return html_text(render_html(markdown))


def same_words(markdown: str, text: str) -> bool:
    """Tell whether Markdown renders as exactly these words (spacing aside, references left out)."""
    shown = rendered_words(FOOTNOTE_REF_RE.sub("", markdown))
    return " ".join(shown.split()) == " ".join(text.split())


def write_line(text: str) -> Written:
    """Write one line of plain words: as it is where Markdown leaves it alone, else with backslashes."""
    block = escape_block(text)
    if same_words(block, text):
        start = block_start(text)
        return Written(block, f"starts with {start!r}: backslash added" if start else "")
    escaped = escape_block(escape_inline(text))
    if not same_words(escaped, text):
        return Written(block, "Markdown may show it differently; check it on the page")
    return Written(escaped, "backslashes added before Markdown characters (\\ ` * _ [ ] < > &)")


def write_spans(spans: Sequence[Span]) -> str:
    """Write spans of words as Markdown: escaped, emphasis as asterisks, line breaks kept."""
    pieces: list[str] = []
    for span in merge_spans(spans):
        if span.ref:
            pieces.append(f"[^{span.ref}]")
            continue
        body = span.text.strip(" ")
        lead, tail = (
            span.text[: len(span.text) - len(span.text.lstrip(" "))],
            span.text[len(span.text.rstrip(" ")) :],
        )
        marker = "***" if span.bold and span.italic else "**" if span.bold else "*" if span.italic else ""
        lines = [escape_inline(line) for line in body.split("\n")]
        pieces.append(
            lead
            + HARD_BREAK.join(f"{marker}{line}{marker}" if line and marker else line for line in lines)
            + tail
        )
    joined = "".join(pieces).strip(" ")
    return "\n".join(escape_block(line) for line in joined.split("\n"))


def merge_spans(spans: Sequence[Span]) -> list[Span]:
    """Join neighbouring spans of one emphasis; spaces between two bold spans stay inside the bold."""
    merged: list[Span] = []
    for span in spans:
        last = merged[-1] if merged else None
        if (
            last and not span.ref and not last.ref and (last.bold, last.italic) == (span.bold, span.italic)
        ) or (last and not last.ref and not span.ref and not span.text.strip(" ") and "\n" not in span.text):
            merged[-1] = replace(last, text=last.text + span.text)
        else:
            merged.append(span)
    return merged


def write_inline(spans: Sequence[Span], text: str) -> Written:
    """Write spans with their emphasis where Markdown then shows the same words; else without it."""
    markdown = write_spans(spans)
    if same_words(markdown, text):
        return Written(markdown)
    plain = write_spans([Span(span.text, ref=span.ref) for span in spans])
    if same_words(plain, text):
        return Written(plain, "emphasis left out: Markdown would have shown other words")
    return Written(plain, "Markdown may show it differently; check it on the page")


def heading_markdown(block: Block) -> str:
    """A heading as Markdown: its level in hashes, its words escaped."""
    words = escape_inline(block.text.replace("\n", " "))
    return (
        f"{'#' * max(1, min(block.level, 6))} {words[:-1] + chr(92) + '#' if words.endswith('#') else words}"
    )


def render_blocks(blocks: Sequence[Block]) -> str:
    """Join the body's blocks: a list's items one a line, a quotation's paragraphs in one quote."""
    parts: list[str] = []
    previous: Block | None = None
    for block in blocks:
        markdown = block.markdown
        if block.kind is BlockKind.QUOTE:
            quoted = "\n".join(f"> {line}" if line else ">" for line in markdown.split("\n"))
            if previous and previous.kind is BlockKind.QUOTE and previous.label == block.label:
                parts[-1] += "\n>\n" + quoted
            else:
                parts.append(quoted)
        elif block.kind is BlockKind.LIST_ITEM and previous and previous.kind is BlockKind.LIST_ITEM:
            parts[-1] += "\n" + markdown
        else:
            parts.append(markdown)
        previous = block
    return "\n\n".join(parts)
