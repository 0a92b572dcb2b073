"""Markdown -> safe HTML with numbered paragraphs and alignment anchors, and its plain text.

markdown-it-pyrs, the Rust port of markdown-it, renders: about eight times faster than
markdown-it-py, and alike on the texts the archive holds (tests/site/test_markdown_engines.py).
markdown-it-py renders what the fast engine would get wrong: a text with a link the archive
refuses (the fast engine lets `ftp:` or `java%0ascript:` through; the reference leaves such a
link as text), a text with a backtick (the fast engine can crash on an unmatched one after a
`[`), and every text where the fast engine is not installed. What the archive adds (paragraph
numbers, anchors, the base path, plain text) is done on the HTML, alike for both.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import cache
from html import unescape
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

try:
    import markdown_it_pyrs
except ImportError:  # no wheel for this platform: the reference renders everything
    markdown_it_pyrs = None  # type: ignore[assignment]

SAFE_SCHEMES = {"http", "https", "mailto"}
PLAINLY_SAFE = ("https://", "http://", "mailto:", "/", "#")  # whatever follows, the scheme is settled
# An alignment anchor: a line of its own, `<!-- align: name -->`, hidden from readers.
ANCHOR = re.compile(r"<!--\s*align:\s*([a-z0-9]+(?:-[a-z0-9]+)*)\s*-->")
# The same line as the engines print it, opening a top-level paragraph, alone or before its text.
ANCHOR_PARAGRAPH = re.compile(
    r"<p>&lt;!--\s*align:\s*([a-z0-9]+(?:-[a-z0-9]+)*)\s*--&gt;(?:</p>\n$|(?:<br />)?\n)"
)
# Raw HTML is off, so every `<` of the engines' output opens a tag they wrote.
TAG = re.compile(r"<(/?)([a-z][a-z0-9]*)[^>]*?(/?)>")
BLOCK_TAG = re.compile(
    r"<(/?)(p|h[1-6]|blockquote|ul|ol|li|pre|table|thead|tbody|tr|th|td|section|hr)\b[^>]*>"
)
# The blocks whose end is found without counting every block tag inside them.
KNOWN_BLOCK = re.compile(r'<(p|h[1-6]|pre|ul|ol|blockquote|table|hr class="footnotes-sep")[ />]')
SAME_NESTING = {name: re.compile(rf"<(/?)({name})[ >]") for name in ("ul", "ol", "blockquote", "table")}
# A paragraph's opening, or a tag of a block that may hold paragraphs (the footnotes are a section).
PARAGRAPH_OR_HOLDER = re.compile(r"<(?:p>|(/?)(?:ul|ol|blockquote|table|section)[ >])")
CODE_BLOCK = re.compile(r"<pre><code[^>]*>.*?</code></pre>", re.S)
FOOTNOTE_MARKS = re.compile(
    r'<sup class="footnote-ref">.*?</sup>|<a href="#fnref[^"]*" class="footnote-backref">.*?</a>'
)
FAST_FOOTNOTE_ITEM = re.compile(r'(<li id="fn\d+" class="footnote-item">)\n')
# A link's or image's target that does not start, as written, as PLAINLY_SAFE ones do: only such
# targets need a closer look (unescaping cannot change what comes before an entity).
UNSETTLED_TARGET = re.compile(
    r'<a href="(?!https?://|mailto:|[/#])([^"]*)"|<img src="(?!https?://|mailto:|[/#])([^"]*)"'
)
SITE_RELATIVE = re.compile(r'(<a href="|<img src=")/(?!/)')
ENGINE_RULES: tuple[Any, ...] = (  # the reference's rules, without raw HTML
    *("blockquote", "code", "fence", "heading", "hr", "lheading", "list", "paragraph", "reference"),
    *("autolink", "backticks", "emphasis", "entity", "escape", "image", "link", "newline"),
    *("table", "strikethrough", "footnote"),
)


@dataclass(frozen=True)
class Block:
    """One top-level block of a text (a paragraph, a list, a heading...) for side-by-side views."""

    html: str
    bare_html: str  # the same without paragraph ids and numbers, for pages that show several texts
    text: str  # its words, without markup
    number: int | None  # its paragraph number, if it is a numbered paragraph
    anchor: str | None  # the alignment anchor that pins it, if any


@dataclass(frozen=True)
class RenderedBody:
    """A text rendered to HTML, with what the pages need to know about it."""

    html: str
    paragraphs: int
    sha256: str
    blocks: tuple[Block, ...] = ()
    opening: str = ""  # its first words, for a page description

    def light(self, keep_blocks: bool) -> RenderedBody:
        """The same without its HTML: what list pages, feeds and the model need."""
        return replace(self, html="", blocks=self.blocks if keep_blocks else ())


def is_safe_link(url: str) -> bool:
    """Allow web, mail and site-relative links; refuse javascript:, data:, file: and the like.

    The check runs on the URL as a browser might read it: percent-escapes decoded, and
    whitespace, control and invisible characters dropped, so `java%09script:` is no way round it.
    """
    if url.startswith(PLAINLY_SAFE):
        return True
    bare = "".join(c for c in unquote(url) if unicodedata.category(c)[0] not in "CZ").lower()
    scheme = bare.split(":", 1)[0] if ":" in bare else ""
    if any(c in scheme for c in "/?#"):
        scheme = ""  # the colon comes after the path starts: a relative link such as /a:b/
    return scheme in SAFE_SCHEMES or (scheme == "" and urlsplit(url.strip()).scheme == "")


@cache
def make_markdown() -> MarkdownIt:
    """The reference parser: CommonMark, raw HTML off, footnotes, tables and strikethrough on."""
    # Imported here: most builds never need it, and importing it is a good part of a small rebuild.
    from markdown_it import MarkdownIt
    from mdit_py_plugins.footnote import footnote_plugin

    md = MarkdownIt("commonmark", {"html": False, "typographer": False})
    md.use(footnote_plugin).enable(["table", "strikethrough"])
    md.validateLink = is_safe_link  # type: ignore[method-assign]
    return md


@cache
def fast_engine() -> Any:
    """The same rules in markdown-it-pyrs, or None where it is not installed."""
    if markdown_it_pyrs is None:
        return None
    md = markdown_it_pyrs.MarkdownIt("zero")
    md.enable_many(list(ENGINE_RULES))
    return md


def render_html(text: str) -> str:
    """Markdown -> HTML, by the fast engine unless the reference must render it."""
    fast = fast_html(text)
    return fast if fast is not None else make_markdown().render(text)


def fast_html(text: str) -> str | None:
    """The fast engine's HTML, or None where the reference must render the text."""
    engine = fast_engine()
    if engine is None or "`" in text:
        return None
    try:
        html: str = engine.render(text)
    except BaseException as error:
        if type(error).__name__ != "PanicException":  # how a crash in Rust arrives
            raise
        return None
    if any(not is_safe_link(unescape(a or b)) for a, b in UNSETTLED_TARGET.findall(html)):
        return None
    notes = html.find('<section class="footnotes">')
    if notes < 0:
        return html
    return html[:notes] + FAST_FOOTNOTE_ITEM.sub(r"\1", html[notes:])  # the reference's layout of footnotes


def with_base_path(html: str, base_path: str) -> str:
    """Point site-relative links (/tags/china/) under the site's base path (/archive/tags/china/)."""
    return html if base_path == "/" else SITE_RELATIVE.sub(lambda m: m.group(1) + base_path, html)


def blocks_of(html: str) -> Iterator[str]:
    """The top-level blocks of some HTML, one by one, each from its opening tag to the line end
    after its close.

    Only block tags are counted (inline ones cannot hold them). The footnotes' separator rule
    stays with the footnotes it introduces.
    """
    start, length = 0, len(html)
    while start < length:
        end = block_end(html, start)
        yield html[start:end]
        start = end


def block_end(html: str, start: int) -> int:
    """Where the block that starts at start ends: after the line end that follows its close."""
    opening = KNOWN_BLOCK.match(html, start)
    if opening is None:
        return nested_block_end(html, start, BLOCK_TAG)
    name = opening.group(1)
    if name in SAME_NESTING:  # lists, quotes and tables may hold their own kind
        return nested_block_end(html, start, SAME_NESTING[name])
    # A paragraph, heading or code block holds no block; the footnotes are one section.
    close = html.find("</section>" if name.startswith("hr") else f"</{name}>", opening.end())
    return len(html) if close < 0 else html.find("\n", close) + 1 or len(html)


def nested_block_end(html: str, start: int, tags: re.Pattern[str]) -> int:
    """The end of the block at start, counting the opening and closing tags found by tags."""
    depth = 0
    for match in tags.finditer(html, start):
        if match.group(1):
            depth -= 1
        elif match.group(2) != "hr":
            depth += 1
        if depth == 0 and not (match.group(2) == "hr" and 'class="footnotes-sep"' in match.group()):
            return html.find("\n", match.end()) + 1 or len(html)
    return len(html)


def html_text(html: str) -> str:
    """The words of some HTML, one block a line, without markup, code blocks or footnote marks."""
    words = CODE_BLOCK.sub("", FOOTNOTE_MARKS.sub("", html)).replace("<br />\n", " ").replace("\n", " ")
    words = TAG.sub("", BLOCK_TAG.sub("\n", words))
    return "\n".join(line for line in (line.strip() for line in unescape(words).split("\n")) if line)


def number_paragraph(html: str, number: int) -> str:
    """A top-level paragraph with its id and a visible number that links to it."""
    return numbered_opening(number) + html[3:]


def numbered_opening(number: int) -> str:
    """What opens a top-level paragraph in place of its <p>: its id and its number."""
    return (
        f'<p id="p{number}"><a class="pn" href="#p{number}" aria-label="Paragraph {number}"'
        f" data-pagefind-ignore>{number}</a> "
    )


def number_paragraphs(html: str) -> tuple[str, int]:
    """Number the top-level paragraphs of HTML that holds no alignment anchor; and count them.

    The same as numbering each top-level block that is a paragraph, in one pass over the whole:
    a <p> opens a top-level paragraph unless it is inside a block that may hold paragraphs.
    """
    pieces: list[str] = []
    number = depth = position = 0
    for match in PARAGRAPH_OR_HOLDER.finditer(html):
        closing = match.group(1)
        if closing is None:  # a paragraph
            if depth == 0:
                number += 1
                pieces += (html[position : match.start()], numbered_opening(number))
                position = match.end()
        elif closing:
            depth = max(0, depth - 1)
        else:
            depth += 1
    pieces.append(html[position:])
    return "".join(pieces), number


def render_body(text: str, base_path: str = "/", with_blocks: bool = True) -> RenderedBody:
    """Render a text's body: numbered paragraphs, its opening words and its fingerprint.

    Blocks (each also without its number, for side-by-side pages) are kept only with_blocks.
    """
    return finish_body(text, render_html(text), base_path, with_blocks)


def render_bodies(bodies: Sequence[tuple[str, bool]], base_path: str = "/") -> list[RenderedBody]:
    """render_body of each (text, with_blocks), the engine's part done for all of them first:
    its code and data stay in the processor's caches from one text to the next."""
    htmls = [render_html(text) for text, _ in bodies]
    return [
        finish_body(text, html, base_path, with_blocks)
        for (text, with_blocks), html in zip(bodies, htmls, strict=True)
    ]


def finish_body(text: str, html: str, base_path: str, with_blocks: bool) -> RenderedBody:
    """A body from the engine's HTML of its text: see render_body."""
    html = with_base_path(html, base_path)
    sha = fingerprint(strip_anchors(text) if "<!--" in text else text)
    if with_blocks or "&lt;!--" in html:  # else no block can open with an anchor
        return render_blocks(html, sha, with_blocks)
    rendered, number = number_paragraphs(html)
    return RenderedBody(rendered, number, sha, (), opening_words(blocks_of(html)))


def render_blocks(html: str, sha: str, with_blocks: bool) -> RenderedBody:
    """Render a body block by block: anchors taken out, paragraphs numbered, blocks kept with_blocks."""
    parts: list[tuple[str, str, int | None, str | None]] = []  # html, bare html, number, anchor
    number, pending = 0, None
    for block in blocks_of(html):
        anchor = ANCHOR_PARAGRAPH.match(block)
        if anchor:
            pending, block = anchor.group(1), "<p>" + block[anchor.end() :]
            if block == "<p>":
                continue
        bare, numbered = block, None
        if block.startswith("<p>"):
            number += 1
            numbered, block = number, number_paragraph(block, number)
        parts.append((block, bare, numbered, pending))
        pending = None
    rendered = "".join([part[0] for part in parts])
    blocks = tuple(Block(h, bare, html_text(bare), n, a) for h, bare, n, a in parts) if with_blocks else ()
    return RenderedBody(rendered, number, sha, blocks, opening_words(part[1] for part in parts))


def opening_words(blocks: Iterable[str], limit: int = 160) -> str:
    """The first words of a text's blocks (only as many blocks as it takes), for a description."""
    words: list[str] = []
    length = 0
    for block in blocks:
        text = html_text(block)
        words.append(text)
        length += len(text)
        if length > 2 * limit:
            break
    return first_words("\n".join(words), limit)


def render_fragment(text: str, base_path: str = "/") -> str:
    """Render editorial Markdown (notes, discussion questions) without paragraph numbers."""
    return with_base_path(render_html(text), base_path)


def strip_anchors(text: str) -> str:
    """The body without its anchor lines (and the blank line after each), as readers have it."""
    kept: list[str] = []
    after_anchor = False
    for line in text.split("\n"):
        if ANCHOR.fullmatch(line.strip()):
            after_anchor = True
        elif not (after_anchor and not line.strip()):
            kept.append(line)
            after_anchor = False
        else:
            after_anchor = False
    return "\n".join(kept)


def fingerprint(text: str) -> str:
    """SHA-256 of the body as published: UTF-8, LF line ends, without blank lines at its ends."""
    return hashlib.sha256(text.strip("\n").encode("utf-8")).hexdigest()


def first_words(text: str, limit: int = 160) -> str:
    """The opening of a text, cut at a word boundary, for a page description."""
    flat = " ".join(text[: 4 * limit].split())  # a long text's opening is all it needs
    if len(flat) <= limit and len(text) > 4 * limit:
        flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    return flat[:limit].rsplit(" ", 1)[0] + "…"
