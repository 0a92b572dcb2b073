"""A saved page's elements -> pieces: its blocks in order, each with its words, its emphasis and its element.

What a reader does not see (hidden tooltips, scripts, attributes) never becomes a word of the
text; what the page sets apart as furniture (captions, share tools, see-also boxes, navigation)
becomes one piece of its own, named by what it is, for the importer to record as removed.
Whitespace is read as a browser shows it: any run of spaces and line breaks is one space.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from lxml.html import HtmlElement

from archive.importer.patterns import (
    FURNITURE_TOKENS,
    HIDDEN_CLASSES,
    SEE_ALSO_RE,
)

SKIPPED_TAGS = {
    "script", "style", "noscript", "template", "head", "meta", "link", "svg", "math", "iframe", "object",
    "embed", "video", "audio", "canvas", "map", "input", "select", "textarea", "button", "option",
    "source", "track", "img", "picture", "base", "param", "title",
}  # fmt: skip
INLINE_TAGS = {
    "a", "abbr", "acronym", "b", "bdi", "bdo", "big", "cite", "code", "data", "del", "dfn", "em", "font",
    "i", "img", "ins", "kbd", "label", "mark", "nobr", "q", "s", "samp", "small", "span", "strike",
    "strong", "sub", "sup", "time", "tt", "u", "var", "wbr", "br",
}  # fmt: skip
BOLD_TAGS = {"b", "strong"}
ITALIC_TAGS = {"i", "em", "cite", "dfn", "var"}
HTML_TAGS = (
    {
        "html",
        "body",
        "div",
        "p",
        "span",
        "a",
        "section",
        "article",
        "aside",
        "header",
        "footer",
        "nav",
        "main",
        "figure",
        "figcaption",
        "blockquote",
        "ul",
        "ol",
        "li",
        "dl",
        "dt",
        "dd",
        "table",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "td",
        "th",
        "caption",
        "colgroup",
        "col",
        "form",
        "fieldset",
        "legend",
        "pre",
        "hr",
        "center",
        "font",
        "address",
        "details",
        "summary",
        "dialog",
        "menu",
        "dir",
        "hgroup",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "br",
        "wbr",
    }
    | INLINE_TAGS
    | SKIPPED_TAGS
)
HEADING_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
LIST_TAGS = {"ul", "ol", "menu", "dir"}
FORM_TAGS = {"form", "fieldset"}
FURNITURE_ROLES = {
    "complementary": "box beside the text",
    "navigation": "navigation",
    "banner": "page header",
    "contentinfo": "page footer",
    "search": "search form",
    "toolbar": "page tools",
    "tablist": "page tools",
}
WHITESPACE = " \t\n\r\f\u00a0\u2028\u2029"
ZERO_WIDTH = "\ufeff\u200b"
MARKER_RE = re.compile(r"^\s*\[?\s*(\d{1,3}|[*†‡§])\s*\]?\s*$")
MARKER_CLASSES = {"note", "enote", "endnote", "footnote", "fn", "fnref", "ref", "noteref"}
RULE_CLASSES = {"divline", "divider", "separator", "rule", "hrule", "line"}
LINK_DENSE = 0.75
LINK_DENSE_WORDS = 30
CAMEL_RE = re.compile(r"(?<=[a-z])(?=[A-Z])")
WORD_SPLIT_RE = re.compile(r"[^0-9a-zA-Z\u00c0-\uffff]+")


@dataclass(frozen=True)
class Run:
    """A stretch of a block's words with one emphasis; or a line break; or a footnote marker."""

    text: str
    bold: bool = False
    italic: bool = False
    ref: str = ""  # a footnote marker's label
    brk: bool = False  # a line break (<br>)


@dataclass(frozen=True)
class Piece:
    """One block of the page as found: a paragraph, heading, item, cell or quotation; or furniture."""

    kind: str  # "p", "heading", "item", "quote", "pre", "break", "furniture"
    runs: tuple[Run, ...]
    element: HtmlElement
    level: int = 0
    label: str = ""  # a list item's bullet or number
    group: int = 0  # the blockquote (or pull-quote box) it belongs to
    what: str = ""  # for furniture: what it is
    pulled: bool = False  # inside an element the page marks as a pull quote
    link_share: float = 0.0  # how much of its text is link text

    @property
    def text(self) -> str:
        """Its words, each run of whitespace one space, line breaks as newlines."""
        return runs_text(self.runs)


def class_words(element: HtmlElement) -> tuple[set[str], set[str]]:
    """An element's class and id words as written, and the words inside them ('read__tags' -> read, tags)."""
    values = [element.get("class", ""), element.get("id", ""), element.get("type", "")]
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag and tag not in HTML_TAGS:
        values.append(tag)  # an invented tag names what it holds: <image-credits>, <linkbox>
    whole = {word.lower() for value in values for word in value.split()}
    parts = {
        part.lower()
        for value in values
        for word in value.split()
        for part in WORD_SPLIT_RE.split(CAMEL_RE.sub("-", word))
        if part
    }
    return whole, parts


def is_hidden(element: HtmlElement) -> bool:
    """Tell whether a reader cannot see the element: hidden, aria-hidden, display:none, a tooltip."""
    style = element.get("style", "").replace(" ", "").lower()
    if element.get("hidden") is not None or element.get("aria-hidden") == "true":
        return True
    if "display:none" in style or "visibility:hidden" in style:
        return True
    whole, _parts = class_words(element)
    return bool(whole & HIDDEN_CLASSES) or any(
        word.endswith(("tooltip", "tooltip_text")) and not word.startswith("with") for word in whole
    )


def furniture_kind(element: HtmlElement) -> str:
    """Name what the element is if the page marks it as furniture (by its tag, role or class), else ''."""
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag == "nav":
        return "navigation"
    if tag in FORM_TAGS:
        return "form"
    if tag in ("figure", "figcaption"):
        return "photo caption" if tag == "figcaption" or text_of(element) else ""
    role = element.get("role", "")
    if role in FURNITURE_ROLES:
        return FURNITURE_ROLES[role]
    _whole, parts = class_words(element)
    if "pull" in parts and "quote" in parts:
        return "pull quote"
    for token, kind in FURNITURE_TOKENS.items():
        if token in parts:
            return kind
    return ""


def is_marker(element: HtmlElement) -> bool:
    """Tell whether an inline element is a footnote marker ('[1]' in a sup, or a link to a note)."""
    if not MARKER_RE.match(element.text_content() or ""):
        return False
    _whole, parts = class_words(element)
    href = element.get("href", "") or next((a.get("href", "") for a in element.iter("a")), "")
    return element.tag == "sup" or bool(parts & MARKER_CLASSES) or href.startswith("#")


def text_of(element: HtmlElement, hidden_too: bool = False) -> str:
    """The words of an element as one line, for furniture and matching (not for the text itself)."""
    return " ".join(" ".join(text_pieces(element, hidden_too)).split())


def text_pieces(element: HtmlElement, hidden_too: bool) -> Iterator[str]:
    """An element's text nodes in order, without scripts, and without hidden elements unless asked."""
    if element.text:
        yield element.text.strip(ZERO_WIDTH)
    for child in element:
        if (
            isinstance(child.tag, str)
            and child.tag not in SKIPPED_TAGS
            and (hidden_too or not is_hidden(child))
        ):
            yield from text_pieces(child, hidden_too)
        if child.tail:
            yield child.tail.strip(ZERO_WIDTH)


def visible_text(element: HtmlElement) -> str:
    """The words a reader sees in an element, in order, one space between words."""
    return runs_text(tuple(inline_runs(element, False, False)))


def link_share(element: HtmlElement) -> float:
    """How much of an element's visible text is the text of links."""
    total = len(visible_text(element).replace(" ", ""))
    if not total:
        return 0.0
    linked = sum(len(visible_text(a).replace(" ", "")) for a in element.iter("a") if a.get("href"))
    return min(1.0, linked / total)


def inline_runs(element: HtmlElement, bold: bool, italic: bool) -> Iterator[Run]:
    """The runs of an element's inline content, its children's included, hidden ones left out."""
    bold = bold or element.tag in BOLD_TAGS
    italic = italic or element.tag in ITALIC_TAGS
    if element.text:
        yield Run(element.text, bold, italic)
    for child in element:
        yield from child_runs(child, bold, italic)
        if child.tail:
            yield Run(child.tail, bold, italic)


def child_runs(child: HtmlElement, bold: bool, italic: bool) -> Iterator[Run]:
    """The runs of one child of inline content: a break, a marker, or its own runs."""
    if not isinstance(child.tag, str) or child.tag in SKIPPED_TAGS or is_hidden(child):
        return
    if child.tag == "br":
        yield Run("", brk=True)
    elif child.tag in ("sup", "span", "a") and is_marker(child):
        yield Run("", ref=MARKER_RE.match(child.text_content() or "")[1])  # type: ignore[index]
    else:
        yield from inline_runs(child, bold, italic)


def hidden_texts(element: HtmlElement) -> list[str]:
    """The words of the hidden elements inside an element (tooltips), each once."""
    found = []
    for node in element.iterdescendants():
        outermost = not any(is_hidden(parent) for parent in node.iterancestors() if parent is not element)
        if isinstance(node.tag, str) and node.tag not in SKIPPED_TAGS and is_hidden(node) and outermost:
            text = text_of_hidden(node)
            if text:
                found.append(text)
    return found


def text_of_hidden(element: HtmlElement) -> str:
    """The words of a hidden element, as one line."""
    return text_of(element, hidden_too=True)


def runs_text(runs: Sequence[Run]) -> str:
    """The plain words of runs: whitespace collapsed as a browser does, breaks as newlines."""
    return "\n".join(
        " ".join(line.split()) if "\u00a0" not in line else collapse(line) for line in lines_of(runs)
    )


def lines_of(runs: Sequence[Run]) -> list[str]:
    """The runs' text split at their line breaks, each line stripped."""
    lines: list[str] = []
    current: list[str] = []
    for run in runs:
        if run.brk:
            lines.append("".join(current))
            current = []
        elif not run.ref:
            current.append(run.text)
    lines.append("".join(current))
    stripped = [strip_space(line) for line in lines]
    return [line for line in stripped if line] or [""]


def strip_space(text: str) -> str:
    """Strip whitespace, no-break spaces and zero-width marks from both ends."""
    return text.strip(WHITESPACE + ZERO_WIDTH)


def collapse(text: str) -> str:
    """Read each run of whitespace as one space; a lone no-break space stays one (it joins two words)."""
    return re.sub(rf"[{WHITESPACE}]+", lambda m: m.group() if m.group() == "\u00a0" else " ", text)


@dataclass
class Walk:
    """One walk over a part of a page: the pieces found so far, and the elements never taken as furniture."""

    pieces: list[Piece]
    protected: frozenset[HtmlElement]  # the text's element and the title's, and those holding them


def walk_pieces(root: HtmlElement, protected: frozenset[HtmlElement] = frozenset()) -> list[Piece]:
    """The pieces of an element, in document order."""
    walk = Walk([], protected)
    walk_element(root, walk, 0, False)
    return walk.pieces


def walk_element(element: HtmlElement, walk: Walk, group: int, pulled: bool) -> None:
    """Add an element's pieces: furniture as one piece, blocks by kind, containers child by child."""
    tag = element.tag
    pieces = walk.pieces
    if not isinstance(tag, str) or tag in SKIPPED_TAGS:
        return
    if element not in walk.protected:
        kind = (
            "hidden text"
            if is_hidden(element)
            else "see-also box"
            if see_also_box(element)
            else furniture_kind(element)
        )
        if kind == "pull quote":
            pulled, group = True, id(element)
        elif kind:
            add_furniture(element, pieces, kind, hidden=kind == "hidden text")
            return
    if is_rule(element):
        pieces.append(Piece("break", (), element))
    elif not text_of(element):
        if any(node.tag == "img" for node in element.iter()):
            pieces.append(Piece("image", (), element))
    elif tag == "hr":
        pieces.append(Piece("break", (), element))
    elif tag in HEADING_TAGS:
        add_block(element, pieces, "heading", level=int(tag[1]), group=group, pulled=pulled)
    elif tag == "blockquote":
        walk_children(element, walk, id(element), pulled, "quote")
    elif tag in LIST_TAGS:
        walk_list(element, walk, group, pulled)
    elif tag == "pre":
        pieces.append(Piece("pre", (Run(element.text_content()),), element, group=group, pulled=pulled))
    elif tag == "table" and link_share(element) >= LINK_DENSE:
        add_furniture(element, pieces, "navigation links")
    elif has_blocks(element):
        walk_children(element, walk, group, pulled, "quote" if group else "p")
    else:
        add_block(element, pieces, "quote" if group else "p", group=group, pulled=pulled)


def walk_children(element: HtmlElement, walk: Walk, group: int, pulled: bool, kind: str) -> None:
    """Walk a container: its block children in turn, its loose inline content as paragraphs of its own."""
    pieces = walk.pieces
    loose: list[Run] = [Run(element.text)] if element.text else []
    for child in element:
        if isinstance(child.tag, str) and (child.tag not in INLINE_TAGS or has_blocks(child)):
            flush_loose(element, loose, pieces, kind, group, pulled)
            loose = []
            walk_element(child, walk, group, pulled)
        else:
            loose.extend(child_runs(child, False, False) if isinstance(child.tag, str) else ())
        if child.tail:
            loose.append(Run(child.tail))
    flush_loose(element, loose, pieces, kind, group, pulled)


def flush_loose(
    element: HtmlElement, runs: list[Run], pieces: list[Piece], kind: str, group: int, pulled: bool
) -> None:
    """Add the loose inline content of a container as paragraphs, if it holds words."""
    for part in split_at_breaks(runs):
        if runs_text(part):
            pieces.append(Piece(kind, tuple(part), element, group=group, pulled=pulled))


def walk_list(element: HtmlElement, walk: Walk, group: int, pulled: bool) -> None:
    """Add a list's items, each with its bullet or number."""
    pieces = walk.pieces
    if (
        element not in walk.protected
        and link_share(element) >= LINK_DENSE
        and len(visible_text(element).split()) <= 12 * LINK_DENSE_WORDS
    ):
        add_furniture(element, pieces, "navigation links")
        return
    ordered = element.tag == "ol"
    number = int(element.get("start", "1")) if element.get("start", "1").isdigit() else 1
    for child in element:
        if not isinstance(child.tag, str) or child.tag in SKIPPED_TAGS:
            continue
        if child.tag != "li" or has_blocks(child):
            walk_element(child, walk, group, pulled)
            continue
        label = f"{number}." if ordered else "-"
        before = len(pieces)
        add_block(child, pieces, "item", label=label, group=group, pulled=pulled)
        number += 1 if len(pieces) > before else 0


def add_block(
    element: HtmlElement,
    pieces: list[Piece],
    kind: str,
    level: int = 0,
    label: str = "",
    group: int = 0,
    pulled: bool = False,
) -> None:
    """Add a block element's inline content: one piece, or several where two <br> split it."""
    runs = list(inline_runs(element, False, False))
    share = link_share(element)
    for part in split_at_breaks(runs) if kind != "heading" else [runs]:
        if runs_text(part):
            pieces.append(Piece(kind, tuple(part), element, level, label, group, "", pulled, share))
    for text in hidden_texts(element):
        pieces.append(Piece("furniture", (Run(text),), element, what="hidden text (tooltip)"))


def add_furniture(element: HtmlElement, pieces: list[Piece], what: str, hidden: bool = False) -> None:
    """Add furniture as one piece holding its words; an empty comments box still marks its place."""
    text = text_of_hidden(element) if hidden else text_of(element)
    if text or what == "comments":
        pieces.append(Piece("furniture", (Run(text),) if text else (), element, what=what))


def split_at_breaks(runs: Sequence[Run]) -> list[list[Run]]:
    """Split runs where two or more line breaks follow each other (a paragraph break by <br><br>)."""
    parts: list[list[Run]] = [[]]
    pending = 0
    for run in runs:
        if run.brk:
            pending += 1
            continue
        if run.text.strip(WHITESPACE) == "" and not run.ref and pending:
            continue
        if pending >= 2 and runs_text(parts[-1]):
            parts.append([])
        elif pending == 1:
            parts[-1].append(Run("", brk=True))
        pending = 0
        parts[-1].append(run)
    return parts


def has_blocks(element: HtmlElement) -> bool:
    """Tell whether an element holds block elements (not only inline content)."""
    return any(
        isinstance(child.tag, str)
        and child.tag not in SKIPPED_TAGS
        and (child.tag not in INLINE_TAGS or has_blocks(child))
        for child in element
    )


def see_also_box(element: HtmlElement) -> bool:
    """Tell whether a small container opens with words such as "See also" or "Most read"."""
    if element.tag in INLINE_TAGS or element.tag in HEADING_TAGS or element.tag == "p":
        return False
    text = text_of(element)
    return bool(SEE_ALSO_RE.match(text)) and len(text.split()) <= 150


def is_rule(element: HtmlElement) -> bool:
    """Tell whether an element is a rule across the page: an <hr>, or an empty divider."""
    if element.tag == "hr":
        return True
    _whole, parts = class_words(element)
    return bool(parts & RULE_CLASSES) and not text_of(element) and element.find(".//img") is None
