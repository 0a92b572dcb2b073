"""One MarkdownIt factory; a body -> safe HTML with numbered paragraphs, and its plain text."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, replace
from functools import cache
from typing import Any
from urllib.parse import unquote, urlsplit

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

SAFE_SCHEMES = {"http", "https", "mailto"}
# An alignment anchor: a line of its own, `<!-- align: name -->`, hidden from readers.
ANCHOR = re.compile(r"<!--\s*align:\s*([a-z0-9]+(?:-[a-z0-9]+)*)\s*-->")


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
    plain_text: str
    paragraphs: int
    sha256: str
    blocks: tuple[Block, ...] = ()
    opening: str = ""  # its first words, for a page description

    def light(self, keep_blocks: bool) -> RenderedBody:
        """The same without its HTML and words: what list pages, feeds and the model need."""
        return replace(self, html="", plain_text="", blocks=self.blocks if keep_blocks else ())


def is_safe_link(url: str) -> bool:
    """Allow web, mail and site-relative links; refuse javascript:, data:, file: and the like.

    The check runs on the URL as a browser might read it: percent-escapes decoded, and
    whitespace, control and invisible characters dropped, so `java%09script:` is no way round it.
    """
    bare = "".join(c for c in unquote(url) if unicodedata.category(c)[0] not in "CZ").lower()
    scheme = bare.split(":", 1)[0] if ":" in bare else ""
    if any(c in scheme for c in "/?#"):
        scheme = ""  # the colon comes after the path starts: a relative link such as /a:b/
    return scheme in SAFE_SCHEMES or (scheme == "" and urlsplit(url.strip()).scheme == "")


def pin_anchors(state: StateCore) -> None:
    """Take alignment anchor lines out of the text and mark the block that follows each."""
    tokens, kept, pending = state.tokens, [], None
    index = 0
    while index < len(tokens):
        token = tokens[index]
        lines = tokens[index + 1].content.split("\n") if token.type == "paragraph_open" else []
        match = ANCHOR.fullmatch(lines[0].strip()) if token.level == 0 and lines else None
        if match and len(lines) == 1:
            pending, index = match.group(1), index + 3
            continue
        if match:
            tokens[index + 1].content = "\n".join(lines[1:])
            pending = match.group(1)
        if pending and token.level == 0 and token.nesting == 1:
            token.meta["anchor"], pending = pending, None
        kept.append(token)
        index += 1
    state.tokens = kept


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


def number_paragraphs(state: StateCore) -> None:
    """Give every top-level paragraph a number, stored for the renderer."""
    number = 0
    for token in state.tokens:
        if token.type == "paragraph_open" and token.level == 0:
            number += 1
            token.meta["number"] = number
            token.attrSet("id", f"p{number}")


def render_paragraph_open(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    """Open a paragraph with a visible number that links to it."""
    token = tokens[idx]
    number = token.meta.get("number")
    if number is not None and env.get("bare"):
        return "<p>"
    opening: str = self.renderToken(tokens, idx, options, env)
    if number is None:
        return opening
    return (
        f'{opening}<a class="pn" href="#p{number}" aria-label="Paragraph {number}"'
        f" data-pagefind-ignore>{number}</a> "
    )


@cache
def make_markdown(numbered: bool) -> MarkdownIt:
    """The one Markdown parser: CommonMark, raw HTML off, footnotes and tables on."""
    md = MarkdownIt("commonmark", {"html": False, "typographer": False})
    md.use(footnote_plugin).enable(["table", "strikethrough"])
    md.validateLink = is_safe_link  # type: ignore[method-assign]
    md.core.ruler.push("apply_base_path", apply_base_path)
    if numbered:
        md.core.ruler.after("block", "pin_anchors", pin_anchors)
        md.core.ruler.push("number_paragraphs", number_paragraphs)
        md.add_render_rule("paragraph_open", render_paragraph_open)
    return md


def apply_base_path(state: StateCore) -> None:
    """Point site-relative links (/tags/china/) under the site's base path (/archive/tags/china/)."""
    base = state.env.get("base_path", "/")
    for token in state.tokens:
        for child in token.children or ():
            attribute = "href" if child.type == "link_open" else "src" if child.type == "image" else ""
            value = child.attrGet(attribute) if attribute else None
            if isinstance(value, str) and value.startswith("/") and not value.startswith("//"):
                child.attrSet(attribute, base + value[1:])


def render_body(text: str, base_path: str = "/", with_blocks: bool = True) -> RenderedBody:
    """Render a text's body: numbered paragraphs, its plain text and its fingerprint.

    Blocks (each rendered twice, for side-by-side pages) are made only with_blocks.
    """
    md = make_markdown(numbered=True)
    env: dict[str, Any] = {"base_path": base_path}
    tokens = md.parse(text, env)
    if with_blocks:
        blocks = tuple(render_block(md, group, env) for group in top_level_groups(tokens))
        rendered = "".join(block.html for block in blocks)
    else:
        blocks = ()
        rendered = "".join(md.renderer.render(group, md.options, env) for group in top_level_groups(tokens))
    paragraphs = sum(1 for t in tokens if t.type == "paragraph_open" and t.level == 0)
    words = plain_text(tokens)
    sha = fingerprint(strip_anchors(text))
    return RenderedBody(rendered, words, paragraphs, sha, blocks, first_words(words))


def top_level_groups(tokens: list[Token]) -> list[list[Token]]:
    """Split a token stream into its top-level blocks, each from its opening to its close."""
    groups: list[list[Token]] = []
    depth = 0
    for token in tokens:
        if depth == 0:
            groups.append([])
        groups[-1].append(token)
        depth += token.nesting
    return groups


def render_block(md: MarkdownIt, group: list[Token], env: dict[str, Any]) -> Block:
    """Render one top-level block and note its number and anchor."""
    first = group[0]
    html_text = md.renderer.render(group, md.options, env)
    bare = md.renderer.render(group, md.options, {**env, "bare": True})
    number = first.meta.get("number") if first.type == "paragraph_open" else None
    return Block(html_text, bare, plain_text(group), number, first.meta.get("anchor"))


def render_fragment(text: str, base_path: str = "/") -> str:
    """Render editorial Markdown (notes, discussion questions) without paragraph numbers."""
    rendered: str = make_markdown(numbered=False).render(text, {"base_path": base_path})
    return rendered


def plain_text(tokens: list[Token]) -> str:
    """The words of a text, one block a line, without markup."""
    blocks = []
    for token in tokens:
        if token.type == "inline" and token.children is not None:
            blocks.append("".join(inline_text(child) for child in token.children))
    return "\n".join(b for b in blocks if b)


def inline_text(token: Token) -> str:
    if token.type in ("text", "code_inline"):
        return token.content
    return " " if token.type in ("softbreak", "hardbreak") else ""


def fingerprint(text: str) -> str:
    """SHA-256 of the body as published: UTF-8, LF line ends, without blank lines at its ends."""
    return hashlib.sha256(text.strip("\n").encode("utf-8")).hexdigest()


def first_words(text: str, limit: int = 160) -> str:
    """The opening of a text, cut at a word boundary, for a page description."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    return flat[:limit].rsplit(" ", 1)[0] + "…"
