"""A saved page's structure: where its text is, its title, the article around it, and what it says of itself.

trafilatura finds the main text; the importer takes from it only where that text is on the page
(the element holding nearly all of it), then reads the page's own markup around that place: the
title element, the lead and byline between the title and the text, the furniture after it. The
rest of the page (site navigation, header, footer, sidebars) is outside the article.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import lxml.html
from lxml.html import HtmlElement

from archive.importer.htmlblocks import (
    Piece,
    class_words,
    inline_runs,
    is_hidden,
    runs_text,
    text_of,
    walk_pieces,
)
from archive.importer.patterns import BYLINE_TOKENS
from archive.importer.textinput import ImportFailed

XML_DECLARATION_RE = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
NORMAL_RE = re.compile(r"[\W_]+")
TITLE_SPLIT_RE = re.compile(r"\s+[|–—·:»]\s+|\s*[_|]\s*")
TITLE_CLASSES = {"title", "headline", "tit", "entry-title", "post-title", "article-title", "l_tit"}
MIN_SIMILARITY = 0.5
REGION_SHARE = 0.9
MIN_MATCH_LENGTH = 12
Zone = str  # "before" (outside the text's element), "above" (inside it), "title", "head", "body", "tail"


@dataclass(frozen=True)
class PageFacts:
    """What the page's head and markup say of it."""

    title: str = ""  # from its metadata (og:title, <title>), as found
    title_parts: tuple[str, ...] = ()  # that title cut at its separators ("Title | Site")
    url: str = ""
    license: str = ""
    language: str = ""  # <html lang>
    authors: tuple[str, ...] = ()  # meta author, as written
    date: str = ""  # the publication date its markup gives (YYYY-MM-DD)
    date_hint: str = ""  # a date found by a wider search of the page, less sure
    alternates: tuple[str, ...] = ()  # languages of the versions it links (hreflang)
    sitename: str = ""


@dataclass(frozen=True)
class Page:
    """A saved page read into zones of pieces around its text."""

    facts: PageFacts
    title: str  # the title element's words ('' if none was found)
    title_element: HtmlElement | None
    pieces: tuple[tuple[Zone, Piece], ...]  # the article's pieces, in order, each with its zone
    outside: tuple[Piece, ...] = ()  # the page around the article
    comments_skipped: int = 0
    located_by: str = ""
    matched: frozenset[HtmlElement] = frozenset()  # the elements holding trafilatura's paragraphs
    bylines: tuple[str, ...] = ()  # bylines beside the article (in the element around it)
    notes: tuple[str, ...] = field(default_factory=tuple)


def parse_page(html: str) -> HtmlElement:
    """Parse a saved page; refuse one that holds no document."""
    try:
        root = lxml.html.document_fromstring(XML_DECLARATION_RE.sub("", html, count=1))
    except (lxml.etree.ParserError, ValueError) as error:
        raise ImportFailed(f"the HTML page cannot be read: {error}") from error
    return root


def read_page_structure(html: str) -> Page:
    """Find the page's text, title and article, and split the article into zones of pieces."""
    root = parse_page(html)
    facts = read_facts(root, html)
    body = root.find("body") if root.find("body") is not None else root
    region, located_by, matched = locate_text(root, html, body)
    title_element = find_title_element(root, region, facts)
    scope = common_ancestor(region, title_element) if title_element is not None else region
    protected = frozenset(
        {
            region,
            *region.iterancestors(),
            *((title_element, *title_element.iterancestors()) if title_element is not None else ()),
        }
    )
    pieces = walk_pieces(scope, protected)
    order = {node: index for index, node in enumerate(scope.iter())}
    zones = tuple((zone_of(piece.element, region, title_element, order), piece) for piece in pieces)
    title = title_text(title_element) if title_element is not None else ""
    return Page(
        facts=facts,
        title=title,
        title_element=title_element,
        pieces=tuple((zone, piece) for zone, piece in zones if zone != "title"),
        outside=tuple(outside_pieces(body, scope)),
        comments_skipped=sum(1 for node in scope.iter() if node.tag is lxml.html.HtmlComment),
        located_by=located_by,
        matched=matched,
        bylines=tuple(nearby_bylines(scope)),
    )


def nearby_bylines(scope: HtmlElement) -> Iterable[str]:
    """The words of elements classed as bylines just outside the article (in the element around it)."""
    parent = scope.getparent()
    if parent is None:
        return
    inside = set(scope.iter())
    for element in parent.iter():
        if element not in inside and isinstance(element.tag, str) and class_words(element)[1] & BYLINE_TOKENS:
            text = text_of(element)
            if text and len(text.split()) <= 20:
                yield text


def read_facts(root: HtmlElement, html: str) -> PageFacts:
    """Read the page's own metadata, with trafilatura's reading of its head for title, address and licence."""
    import trafilatura  # here: only HTML needs it, and it takes a while to load

    meta = trafilatura.extract_metadata(copy.deepcopy(root), extensive=False)
    title = meta_content(root, ("og:title", "twitter:title")) or (meta.title or "" if meta else "")
    tag_title = " ".join((root.findtext(".//title") or "").split())
    parts = tuple(dict.fromkeys(p for t in (title, tag_title) for p in (t, *TITLE_SPLIT_RE.split(t)) if p))
    return PageFacts(
        title=title or tag_title,
        title_parts=parts,
        url=(meta.url or "") if meta else "",
        license=(meta.license or "") if meta else "",
        language=page_language(root),
        authors=tuple(meta_contents(root, ("author", "article:author", "dc.creator", "byl"))),
        date=(meta.date or "") if meta else "",
        date_hint="" if meta and meta.date else wider_date(html),
        alternates=alternate_languages(root),
        sitename=(meta.sitename or "") if meta else "",
    )


def wider_date(html: str) -> str:
    """A date found by htmldate's wider search of the page (its text, not only its markup), as a hint."""
    from htmldate import find_date  # trafilatura's own date finder

    found = find_date(html, original_date=True, extensive_search=True)
    return f"a wider search of the page finds {found}" if found else ""


def meta_content(root: HtmlElement, names: Sequence[str]) -> str:
    """The first content of a <meta> with one of these names or properties."""
    return next(iter(meta_contents(root, names)), "")


def meta_contents(root: HtmlElement, names: Sequence[str]) -> Iterable[str]:
    """The contents of the <meta> elements with these names or properties, that are not addresses."""
    for meta in root.iter("meta"):
        key = (meta.get("name") or meta.get("property") or "").lower()
        content = " ".join((meta.get("content") or "").split())
        if key in names and content and not content.startswith(("http://", "https://")):
            yield content


def page_language(root: HtmlElement) -> str:
    """The language the page declares for itself (<html lang>, or a content-language meta)."""
    for html in root.iter("html"):
        if html.get("lang") or html.get("{http://www.w3.org/XML/1998/namespace}lang"):
            return str(html.get("lang") or html.get("{http://www.w3.org/XML/1998/namespace}lang"))
    return meta_content(root, ("content-language", "language", "og:locale")).replace("_", "-")


def alternate_languages(root: HtmlElement) -> tuple[str, ...]:
    """The languages of the other versions the page links to (link rel=alternate hreflang)."""
    found = (
        link.get("hreflang", "")
        for link in root.iter("link")
        if "alternate" in (link.get("rel") or "").split()
        and link.get("hreflang", "") not in ("", "x-default")
    )
    return tuple(dict.fromkeys(found))


def normal(text: str) -> str:
    """Text reduced to its letters and digits, case-folded, for matching."""
    return NORMAL_RE.sub("", text.casefold())


def locate_text(
    root: HtmlElement, html: str, body: HtmlElement
) -> tuple[HtmlElement, str, frozenset[HtmlElement]]:
    """Find the element that holds the main text: nearly all of what trafilatura extracts."""
    import trafilatura

    document = trafilatura.bare_extraction(
        html, include_comments=False, include_tables=True, favor_recall=True
    )
    text = getattr(document, "text", None) or ""
    paragraphs = [normal(line) for line in text.split("\n") if len(normal(line)) >= MIN_MATCH_LENGTH]
    if not paragraphs:
        return semantic_region(body), "the page's own markup (trafilatura found no main text)", frozenset()
    weights = match_paragraphs(body, paragraphs)
    if not weights:
        return semantic_region(body), "the page's own markup (trafilatura's text was not in it)", frozenset()
    return heaviest_descendant(body, weights), "trafilatura", frozenset(weights)


def semantic_region(body: HtmlElement) -> HtmlElement:
    """The element the page itself marks as its article, or its body."""
    for path in ('.//*[@itemprop="articleBody"]', ".//article", ".//main", './/*[@role="main"]'):
        found = body.find(path) if not path.startswith(".//*[") else next(iter(body.xpath(path)), None)
        if found is not None:
            return found
    return body


def match_paragraphs(body: HtmlElement, paragraphs: Sequence[str]) -> dict[HtmlElement, int]:
    """Weigh the smallest elements holding each extracted paragraph by the paragraph's length."""
    candidates = [
        (element, normal(text_of(element)))
        for element in body.iter()
        if isinstance(element.tag, str) and not is_hidden(element) and element.tag not in ("script", "style")
    ]
    exact: dict[str, list[HtmlElement]] = {}
    for element, key in candidates:
        same = exact.setdefault(key, [])
        if same and same[-1] in element.iterancestors():
            same[-1] = element  # the innermost of nested elements holding the same words
        else:
            same.append(element)
    by_length = sorted(((len(key), element, key) for element, key in candidates if key), key=lambda c: c[0])
    weights: dict[HtmlElement, int] = {}
    for paragraph in paragraphs:
        # A paragraph the page repeats is matched to each of its elements in turn.
        holders = exact.get(paragraph, [])
        element = holders.pop(0) if len(holders) > 1 else holders[0] if holders else None
        if element is None:
            element = next((e for n, e, k in by_length if n >= len(paragraph) and paragraph in k), None)
        if element is not None:
            weights[element] = weights.get(element, 0) + len(paragraph)
    return weights


def heaviest_descendant(body: HtmlElement, weights: dict[HtmlElement, int]) -> HtmlElement:
    """The deepest element whose descendants hold nearly all the matched text."""
    totals: dict[HtmlElement, int] = {}
    for element, weight in weights.items():
        for node in (element, *element.iterancestors()):
            totals[node] = totals.get(node, 0) + weight
    needed = REGION_SHARE * sum(weights.values())
    region = body
    while True:
        child = next((c for c in region if isinstance(c.tag, str) and totals.get(c, 0) >= needed), None)
        if child is None:
            return region
        region = child


def find_title_element(root: HtmlElement, region: HtmlElement, facts: PageFacts) -> HtmlElement | None:
    """Find the element that shows the text's title: the heading most like the page's own title."""
    order = {element: index for index, element in enumerate(root.iter())}
    end = max((order[e] for e in region.iter() if e in order), default=order[region])
    candidates = [
        element
        for element in root.iter()
        if isinstance(element.tag, str)
        and (element.tag in ("h1", "h2", "h3") or is_title_classed(element))
        and order[element] <= end
        and 0 < len(text_of(element)) <= 400
        and not is_hidden(element)
    ]
    scored = [(title_similarity(text_of(e), facts), -abs(order[region] - order[e]), e) for e in candidates]
    scored = [entry for entry in scored if entry[0] >= MIN_SIMILARITY]
    if scored:
        return max(scored, key=lambda entry: (round(entry[0], 1), entry[1]))[2]
    before = [e for e in candidates if e.tag == "h1" and order[e] <= order[region] + len(region)]
    return before[-1] if before else None


def is_title_classed(element: HtmlElement) -> bool:
    """Tell whether an element's class names it a title (not a subtitle)."""
    whole, parts = class_words(element)
    return bool(whole & TITLE_CLASSES or parts & {"title", "headline"}) and not parts & {
        "subtitle",
        "widget",
        "cut",
        "sidebar",
        "footer",
    }


def title_similarity(text: str, facts: PageFacts) -> float:
    """How much a heading is the page's title: the share of words in common, or of one held in the other."""
    words = set(normal_words(text))
    best = 0.0
    for title in facts.title_parts:
        other = set(normal_words(title))
        if words and other:
            best = max(best, len(words & other) / len(words | other))
        key, whole = normal(text), normal(title)
        if key and whole and (key in whole or whole in key):
            best = max(best, min(len(key), len(whole)) / max(len(key), len(whole)))
    return best


def normal_words(text: str) -> list[str]:
    """The words of a text, case-folded, without punctuation."""
    return [word for word in NORMAL_RE.split(text.casefold()) if word]


def title_text(element: HtmlElement) -> str:
    """The words of the title element, without footnote markers, line breaks read as spaces."""
    return " ".join(runs_text(tuple(inline_runs(element, False, False))).split())


def common_ancestor(a: HtmlElement, b: HtmlElement) -> HtmlElement:
    """The nearest element holding both."""
    ancestors = {a, *a.iterancestors()}
    return next(node for node in (b, *b.iterancestors()) if node in ancestors)


def zone_of(
    element: HtmlElement, region: HtmlElement, title: HtmlElement | None, order: dict[HtmlElement, int]
) -> Zone:
    """Where a piece's element is: before the title, the title, between it and the text, the text, after."""
    lineage = {element, *element.iterancestors()}
    if title is not None and title in lineage:
        return "title"
    title_at = order.get(title, -1) if title is not None else -1
    if region in lineage:
        return "above" if order[element] < title_at else "body"
    if order[element] < title_at:
        return "before"
    return "head" if order[element] < order[region] else "tail"


def outside_pieces(body: HtmlElement, scope: HtmlElement) -> list[Piece]:
    """The pieces of the page around the article: its navigation, header, footer and sidebars."""
    if scope is body:
        return []
    tree = body.getroottree()
    path = tree.getpath(scope)[len(tree.getpath(body)) :]
    outside = copy.deepcopy(body)
    for element in outside.xpath("." + path):
        remove_keeping_tail(element)
    return walk_pieces(outside)


def remove_keeping_tail(element: HtmlElement) -> None:
    """Take an element out of its tree, leaving the text that follows it in place."""
    parent = element.getparent()
    if parent is None:
        return
    if element.tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)
