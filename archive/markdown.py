"""One MarkdownIt factory; a body -> safe HTML with numbered paragraphs, and its plain text."""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import urlsplit

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

SAFE_SCHEMES = {"http", "https", "mailto"}
TAGS = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class RenderedBody:
    """A text rendered to HTML, with what the pages need to know about it."""

    html: str
    plain_text: str
    paragraphs: int
    sha256: str


def is_safe_link(url: str) -> bool:
    """Allow web, mail and site-relative links; refuse javascript:, data:, file: and the like."""
    scheme = urlsplit(url.strip()).scheme.lower()
    return scheme in SAFE_SCHEMES or scheme == ""


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
    if numbered:
        md.core.ruler.push("number_paragraphs", number_paragraphs)
        md.add_render_rule("paragraph_open", render_paragraph_open)
    return md


def render_body(text: str) -> RenderedBody:
    """Render a text's body: numbered paragraphs, its plain text and its fingerprint."""
    md = make_markdown(numbered=True)
    tokens = md.parse(text)
    rendered = md.renderer.render(tokens, md.options, {})
    paragraphs = sum(1 for t in tokens if t.type == "paragraph_open" and t.level == 0)
    return RenderedBody(rendered, plain_text(tokens), paragraphs, fingerprint(text))


def render_fragment(text: str) -> str:
    """Render editorial Markdown (notes, discussion questions) without paragraph numbers."""
    return make_markdown(numbered=False).render(text)


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


def strip_tags(markup: str) -> str:
    """Text content of an HTML fragment (for summaries of rendered bodies)."""
    return html.unescape(TAGS.sub("", markup))


def first_words(text: str, limit: int = 160) -> str:
    """The opening of a text, cut at a word boundary, for a page description."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    return flat[:limit].rsplit(" ", 1)[0] + "…"
