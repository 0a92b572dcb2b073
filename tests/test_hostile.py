"""Bad and hostile content through the real command line: exact messages, an untouched old site,
and for hostile-but-valid content, escaped output.

Each row: a name, the files to write over a valid content tree (None deletes a file), the exit
code, the exact lines on stderr, and, for content that builds, snippets every built page must or
must not hold.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import ARTICLE, TEMPLATES, WriteTree, hash_tree, minimal_content

from archive.cli import main

A = "content/articles/2023/a-text.md"
B = "content/articles/2023/b-text.md"
SOURCES = "content/sources.yaml"
SITE = "content/site.yaml"
PAGE = "_site/articles/a-text/index.html"
YAML_HINT = "(check the indentation, colons and quotes on this line and the one before)"
ANCHOR_HINT = "(write the value out in full; anchors and aliases are refused in content)"
TAG_HINT = "(content may hold only plain text, numbers, dates, lists and mappings)"
URL_HINT = "(write the full address, https://...)"
SLUG_RULE = "is not a safe slug (lower-case a-z, 0-9, hyphens)"
# An href or src a browser would run or load as code.
DANGEROUS = re.compile(r"""(href|src)\s*=\s*["']?\s*(javascript|data|vbscript)""", re.IGNORECASE)


def field_(name: str, value: str) -> str:
    """The valid article with one more front-matter line, just before 'authors:' (line 5)."""
    return ARTICLE.replace("authors:", f"{name}: {value}\nauthors:")


def body(text: str) -> str:
    return ARTICLE.replace("The first paragraph.\n", text + "\n")


def alias_bomb() -> str:
    lines = ["a: &a [x,x,x,x,x,x,x,x,x]"]
    lines += [f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 9) + "]" for i in range(8)]
    return ARTICLE.replace("title: A Text", "\n".join(lines) + "\ntitle: A Text")


@dataclass(frozen=True)
class Row:
    name: str
    files: dict[str, str | bytes | None]
    code: int
    stderr: list[str]
    present: dict[str, list[str]] = field(default_factory=dict)
    absent: list[str] = field(default_factory=list)


ROWS = [
    # The file as a whole.
    Row("no front matter", {A: "Just text\n"}, 1, [f"{A}:1: error: no front matter: the file must start with a line '---' (see docs/content-format.md)"]),
    Row("unclosed front matter", {A: "---\ntitle: x\n\nbody\n"}, 1, [f"{A}:1: error: the front matter is not closed (add a line '---' after the last field)"]),
    Row("empty file", {A: ""}, 1, []),
    Row("only blank lines", {A: "\n \n\t\n"}, 1, []),
    Row("not UTF-8", {A: ARTICLE.encode().replace(b"A Text", b"A \xe9 Text")}, 1, []),
    Row("UTF-16 with a byte-order mark", {A: ARTICLE.encode("utf-16")}, 1, []),
    Row("binary file", {A: b"\x89PNG\r\n\x1a\n\x00\x00"}, 1, []),
    # YAML syntax, with the line of the mistake.
    Row("two colons", {A: ARTICLE.replace("source: pogled-info", "source: pogled: info")}, 1, []),
    Row("unclosed quote", {A: ARTICLE.replace("title: A Text", 'title: "A Text')}, 1, []),
    Row("unclosed bracket", {A: ARTICLE.replace("[Xi Jinping]", "[Xi Jinping")}, 1, []),
    Row("unclosed bracket then more fields", {A: ARTICLE.replace("authors: [Xi Jinping]", "authors: [Xi Jinping\ntags: [china]")}, 1, []),
    Row("tab indentation", {A: ARTICLE.replace("date:", "\tdate:")}, 1, []),
    Row("bad list indentation", {A: ARTICLE.replace("authors: [Xi Jinping]", "authors:\n  - Xi Jinping\n - Li Qiang")}, 1, []),
    Row("front matter is a list", {A: "---\n- a\n- b\n---\n\ntext\n"}, 1, []),
    Row("front matter is text", {A: "---\njust some words\n---\n\ntext\n"}, 1, []),
    Row("front matter is empty", {A: "---\n---\n\ntext\n"}, 1, []),
    # YAML that tries to do more than hold data.
    Row("object tag", {A: ARTICLE.replace("title: A Text", "title: !!python/object/apply:os.system [echo hi]")}, 1, []),
    Row("custom tag", {A: ARTICLE.replace("title: A Text", "title: !shell rm -rf")}, 1, []),
    Row("alias bomb", {A: alias_bomb()}, 1, []),
    Row("deep nesting", {A: ARTICLE.replace("title: A Text", "title: " + "[" * 10000 + "]" * 10000)}, 1, []),
    # YAML's silent conversions.
    Row("no read as false", {A: field_("language", "no")}, 1, []),
    Row("1.10 read as 1.1", {A: ARTICLE.replace("title: A Text", "title: 1.10")}, 1, []),
    Row("a date where text was meant", {A: ARTICLE.replace("title: A Text", "title: 2023-03-20")}, 1, []),
    Row("octal-looking 010", {A: ARTICLE.replace("title: A Text", "title: 010")}, 1, []),
    Row("yes as an author", {A: ARTICLE.replace("[Xi Jinping]", "[yes]")}, 1, []),
    # Fields.
    Row("missing required fields", {A: "---\ntitle: x\n---\n\ntext\n"}, 1, []),
    Row("unknown field", {A: ARTICLE.replace("title:", "titel:")}, 1, []),
    Row("unknown field, far from any", {A: field_("colour", "red")}, 1, []),
    Row("impossible date", {A: ARTICLE.replace("2023-03-20", "2023-02-30")}, 1, []),
    Row("date in words", {A: ARTICLE.replace("2023-03-20", "20 March 2023")}, 1, []),
    Row("date with a time", {A: ARTICLE.replace("2023-03-20", "2023-03-20 10:00:00")}, 1, []),
    Row("retrieved is a number", {A: field_("retrieved", "2023")}, 1, []),
    Row("unknown source", {A: ARTICLE.replace("source: pogled-info", "source: pogled-inf")}, 1, []),
    Row("authors empty", {A: ARTICLE.replace("[Xi Jinping]", "[]")}, 1, []),
    Row("authors not a list", {A: ARTICLE.replace("[Xi Jinping]", "Xi Jinping")}, 1, []),
    Row("authors with an empty name", {A: ARTICLE.replace("[Xi Jinping]", '[Xi Jinping, ""]')}, 1, []),
    Row("authors with a null", {A: ARTICLE.replace("[Xi Jinping]", "[Xi Jinping, null]")}, 1, []),
    Row("author with no letters", {A: ARTICLE.replace("[Xi Jinping]", '["???"]')}, 1, []),
    Row("translators not a list", {A: field_("translators", "V. Sergeev")}, 1, []),
    Row("translators with an empty name", {A: field_("translators", '[""]')}, 1, []),
    Row("tags empty", {A: field_("tags", "[]")}, 1, []),
    Row("tags with an empty tag", {A: field_("tags", '[""]')}, 1, []),
    Row("tag not in slug form", {A: field_("tags", "[China]")}, 1, []),
    Row("tags a mapping", {A: field_("tags", "{china: 1}")}, 1, []),
    Row("language as a name", {A: field_("language", "chinese")}, 1, []),
    Row("original language not a code", {A: field_("original_language", "xx-yy-zz-1")}, 1, []),
    Row("language not in standard form", {A: field_("language", "EN")}, 1, []),
    Row("slug with a slash", {A: field_("slug", "a/b")}, 1, []),
    Row("slug going up", {A: field_("slug", "..")}, 1, []),
    Row("slug with a space", {A: field_("slug", "my slug")}, 1, []),
    Row("slug in upper case", {A: field_("slug", "A-Text")}, 1, []),
    Row("file name in upper case", {A: None, "content/articles/2023/A-Text.md": ARTICLE}, 1, []),
    Row("file name with a space", {A: None, "content/articles/2023/a text.md": ARTICLE}, 1, []),
    Row("file name with dots", {A: None, "content/articles/2023/a..b.md": ARTICLE}, 1, []),
    Row("duplicate slug", {B: field_("slug", "a-text")}, 1, []),
    Row("alias claiming a text's URL", {B: field_("aliases", "[/articles/a-text/]")}, 1, []),
    Row("alias going up", {A: field_("aliases", "[/../../etc/passwd.html]")}, 1, []),
    Row("alias as a full URL", {A: field_("aliases", "[https://evil.example/]")}, 1, []),
    Row("javascript source_url", {A: field_("source_url", "javascript:alert(1)")}, 1, []),
    Row("ftp source_url", {A: field_("source_url", "ftp://example.org/x")}, 1, []),
    Row("source_url without a host", {A: field_("source_url", "https:///x")}, 1, []),
    Row("excerpt not a boolean", {A: field_("excerpt", "maybe")}, 1, []),
    Row("TODO left by the importer", {A: ARTICLE.replace("title: A Text", 'title: "TODO: the title"')}, 1, []),
    Row("empty text", {A: ARTICLE.replace("The first paragraph.\n", "")}, 1, []),
    Row("editorial marker without a heading", {A: body("Text.\n\n<!-- editorial: -->\n\nQ?")}, 1, []),
    # The translation chain.
    Row("chain empty", {A: field_("chain", "[]")}, 1, []),
    Row("chain step not a mapping", {A: field_("chain", "[zh, ru]")}, 1, []),
    Row("chain step without a language", {A: field_("chain", "[{source: pogled-info}]")}, 1, []),
    Row("chain step with an unknown source", {A: field_("chain", "[{language: zh, source: xinhau}]")}, 1, []),
    Row("chain step with an unknown field", {A: field_("chain", "[{language: zh, translator: [x]}]")}, 1, []),
    Row("chain step with a bad date", {A: field_("chain", "[{language: zh, date: 2023-02-30}]")}, 1, []),
    # sources.yaml and site.yaml.
    Row("sources.yaml missing", {SOURCES: None}, 1, []),
    Row("sources.yaml syntax error", {SOURCES: "pogled-info:\n  name: Pogled.Info\n description: x\n"}, 1, []),
    Row("sources.yaml a list", {SOURCES: "- pogled-info\n"}, 1, []),
    Row("source with a bad key and a bad url", {SOURCES: "Pogled Info:\n  name: P\n  url: javascript:x\n  language: bulgarian\n  description: d\n"}, 1, []),
    Row("site.yaml missing", {SITE: None}, 1, []),
    Row("site.yaml syntax error", {SITE: "title: 'T\nlanguage: en\n"}, 1, []),
    Row("site.yaml not UTF-8", {SITE: b"title: \xff\n"}, 1, []),
    Row("site.yaml bad per_page", {SITE: "title: T\nlanguage: en\nbase_url: https://example.org/\nper_page: 0\n"}, 1, []),
]
