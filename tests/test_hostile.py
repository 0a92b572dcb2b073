"""Bad and hostile content through the real command line: exact messages, an untouched old site,
and for hostile-but-valid content, escaped output.

Each row: a name, the files to write over a valid content tree (None deletes a file), the exit
code, the exact lines on stderr, and, for content that builds, snippets every built page must or
must not hold.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

import pytest
from conftest import ARTICLE, SITE_YAML, SOURCES_YAML, TEMPLATES, WriteTree, hash_tree, minimal_content

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
    Row(
        "no front matter",
        {A: "Just text\n"},
        1,
        [
            f"{A}:1: error: no front matter: the file must start with a line '---' (see docs/content-format.md)"
        ],
    ),
    Row(
        "unclosed front matter",
        {A: "---\ntitle: x\n\nbody\n"},
        1,
        [f"{A}:1: error: the front matter is not closed (add a line '---' after the last field)"],
    ),
    Row(
        "empty file",
        {A: ""},
        1,
        [f"{A}:1: error: the file is empty (an article starts with front matter between '---' lines)"],
    ),
    Row(
        "only blank lines",
        {A: "\n \n\t\n"},
        1,
        [f"{A}:1: error: the file is empty (an article starts with front matter between '---' lines)"],
    ),
    Row(
        "not UTF-8",
        {A: ARTICLE.encode().replace(b"A Text", b"A \xe9 Text")},
        1,
        [f"{A}:2: error: not valid UTF-8 (byte 0xe9) (save the file as UTF-8)"],
    ),
    Row(
        "UTF-16 with a byte-order mark",
        {A: ARTICLE.encode("utf-16")},
        1,
        [f"{A}:1: error: the file is UTF-16, not UTF-8 (save the file as UTF-8)"],
    ),
    Row(
        "binary file",
        {A: b"\x89PNG\r\n\x1a\n\x00\x00"},
        1,
        [f"{A}:1: error: not a text file (it contains NUL bytes) (only UTF-8 Markdown files belong here)"],
    ),
    # YAML syntax, with the line of the mistake.
    Row(
        "two colons",
        {A: ARTICLE.replace("source: pogled-info", "source: pogled: info")},
        1,
        [
            f"{A}:4: error: YAML syntax error: mapping values are not allowed here (check the indentation, colons and quotes on this line and the one before)"
        ],
    ),
    Row(
        "unclosed quote",
        {A: ARTICLE.replace("title: A Text", 'title: "A Text')},
        1,
        [
            f"{A}:2: error: YAML syntax error: the quoted value that starts on this line is not closed (add the closing quote)"
        ],
    ),
    Row(
        "unclosed bracket",
        {A: ARTICLE.replace("[Xi Jinping]", "[Xi Jinping")},
        1,
        [f"{A}:5: error: YAML syntax error: the '[' on this line is not closed (add the closing ']')"],
    ),
    Row(
        "unclosed bracket then more fields",
        {A: ARTICLE.replace("authors: [Xi Jinping]", "authors: [Xi Jinping\ntags: [china]")},
        1,
        [f"{A}:5: error: YAML syntax error: the '[' on this line is not closed (add the closing ']')"],
    ),
    Row(
        "tab indentation",
        {A: ARTICLE.replace("date:", "\tdate:")},
        1,
        [
            f"{A}:3: error: YAML syntax error: found character '\\t' that cannot start any token (check the indentation, colons and quotes on this line and the one before)"
        ],
    ),
    Row(
        "bad list indentation",
        {A: ARTICLE.replace("authors: [Xi Jinping]", "authors:\n  - Xi Jinping\n - Li Qiang")},
        1,
        [
            f"{A}:7: error: YAML syntax error: expected <block end>, but found '<block sequence start>' (check the indentation, colons and quotes on this line and the one before)"
        ],
    ),
    Row(
        "front matter is a list",
        {A: "---\n- a\n- b\n---\n\ntext\n"},
        1,
        [
            f"{A}:1: error: the front matter must be a mapping of fields (name: value) (see docs/content-format.md)"
        ],
    ),
    Row(
        "front matter is text",
        {A: "---\njust some words\n---\n\ntext\n"},
        1,
        [
            f"{A}:1: error: the front matter must be a mapping of fields (name: value) (see docs/content-format.md)"
        ],
    ),
    Row(
        "front matter is empty",
        {A: "---\n---\n\ntext\n"},
        1,
        [
            f"{A}:1: error: the front matter must be a mapping of fields (name: value) (see docs/content-format.md)"
        ],
    ),
    # YAML that tries to do more than hold data.
    Row(
        "control character in the front matter",
        {A: ARTICLE.replace("title: A Text", "title: A\x1bText")},
        1,
        [
            f"{A}:2: error: a control character (U+001B) is not allowed in YAML (delete it; it is invisible in most editors)"
        ],
    ),
    Row(
        "object tag",
        {A: ARTICLE.replace("title: A Text", "title: !!python/object/apply:os.system [echo hi]")},
        1,
        [
            f"{A}:2: error: YAML tag '!!python/object/apply:os.system' is not allowed (content may hold only plain text, numbers, dates, lists and mappings)"
        ],
    ),
    Row(
        "custom tag",
        {A: ARTICLE.replace("title: A Text", "title: !shell rm -rf")},
        1,
        [
            f"{A}:2: error: YAML tag '!shell' is not allowed (content may hold only plain text, numbers, dates, lists and mappings)"
        ],
    ),
    Row(
        "alias bomb",
        {A: alias_bomb()},
        1,
        [
            f"{A}:2: error: YAML anchor '&a' is not allowed (write the value out in full; anchors and aliases are refused in content)"
        ],
    ),
    Row(
        "deep nesting",
        {A: ARTICLE.replace("title: A Text", "title: " + "[" * 10000 + "]" * 10000)},
        1,
        [f"{A}:2: error: YAML nesting too deep (content needs only a few levels of lists and mappings)"],
    ),
    # YAML's silent conversions.
    Row(
        "no read as false",
        {A: field_("language", "no")},
        1,
        [
            f"{A}:5: error: 'language': YAML reads no as a true/false value (False), not text (put it in quotes: language: \"no\")"
        ],
    ),
    Row(
        "1.10 read as 1.1",
        {A: ARTICLE.replace("title: A Text", "title: 1.10")},
        1,
        [
            f"{A}:2: error: 'title': YAML reads 1.10 as a number (1.1), not text (put it in quotes: title: \"1.10\")"
        ],
    ),
    Row(
        "octal-looking 010",
        {A: ARTICLE.replace("title: A Text", "title: 010")},
        1,
        [
            f"{A}:2: error: 'title': YAML reads 010 as a number (8), not text (put it in quotes: title: \"010\")"
        ],
    ),
    Row(
        "yes as an author",
        {A: ARTICLE.replace("[Xi Jinping]", "[yes]")},
        1,
        [
            f"{A}:5: error: 'authors': YAML reads yes as a true/false value (True), not text (put it in quotes: \"yes\")"
        ],
    ),
    # Fields.
    Row(
        "missing required fields",
        {A: "---\ntitle: x\n---\n\ntext\n"},
        1,
        [
            f"{A}:1: error: missing required field 'authors' in the front matter",
            f"{A}:1: error: missing required field 'date' in the front matter",
            f"{A}:1: error: missing required field 'source' in the front matter",
        ],
    ),
    Row(
        "unknown field",
        {A: ARTICLE.replace("title:", "titel:")},
        1,
        [
            f"{A}:1: error: missing required field 'title' in the front matter",
            f"{A}:2: error: unknown field 'titel' in the front matter (did you mean 'title'?)",
        ],
    ),
    Row(
        "unknown field, far from any",
        {A: field_("colour", "red")},
        1,
        [f"{A}:5: error: unknown field 'colour' in the front matter"],
    ),
    Row(
        "impossible date",
        {A: ARTICLE.replace("2023-03-20", "2023-02-30")},
        1,
        [f"{A}:3: error: 'date': 2023-02-30 is not a real date (dates are YYYY-MM-DD)"],
    ),
    Row(
        "date in words",
        {A: ARTICLE.replace("2023-03-20", "20 March 2023")},
        1,
        [f"{A}:3: error: 'date': '20 March 2023' is not a date (write 2023-03-20)"],
    ),
    Row(
        "date with a time",
        {A: ARTICLE.replace("2023-03-20", "2023-03-20 10:00:00")},
        1,
        [f"{A}:3: error: 'date': give a date without a time (write 2023-03-20)"],
    ),
    Row(
        "retrieved is a number",
        {A: field_("retrieved", "2023")},
        1,
        [f"{A}:5: error: 'retrieved': '2023' is not a date in the form YYYY-MM-DD (dates are YYYY-MM-DD)"],
    ),
    Row(
        "unknown source",
        {A: ARTICLE.replace("source: pogled-info", "source: pogled-inf")},
        1,
        [
            f"{A}:4: error: unknown source 'pogled-inf' (did you mean 'pogled-info'? sources are listed in content/sources.yaml)"
        ],
    ),
    Row(
        "authors empty",
        {A: ARTICLE.replace("[Xi Jinping]", "[]")},
        1,
        [f"{A}:5: error: 'authors' is an empty list (list at least one, or remove 'authors')"],
    ),
    Row(
        "authors not a list",
        {A: ARTICLE.replace("[Xi Jinping]", "Xi Jinping")},
        1,
        [f"{A}:5: error: 'authors' must be a list (write authors: [Xi Jinping])"],
    ),
    Row(
        "authors with an empty name",
        {A: ARTICLE.replace("[Xi Jinping]", '[Xi Jinping, ""]')},
        1,
        [f"{A}:5: error: 'authors' has an empty entry (remove it from the list or fill it in)"],
    ),
    Row(
        "authors with a null",
        {A: ARTICLE.replace("[Xi Jinping]", "[Xi Jinping, null]")},
        1,
        [f"{A}:5: error: 'authors' has an empty entry (remove it from the list or fill it in)"],
    ),
    Row(
        "author with no letters",
        {A: ARTICLE.replace("[Xi Jinping]", '["???"]')},
        1,
        [f"{A}:5: error: '???' has no letters or digits to name a page by"],
    ),
    Row(
        "translators not a list",
        {A: field_("translators", "V. Sergeev")},
        1,
        [f"{A}:5: error: 'translators' must be a list (write translators: [V. Sergeev])"],
    ),
    Row(
        "translators with an empty name",
        {A: field_("translators", '[""]')},
        1,
        [f"{A}:5: error: 'translators' has an empty entry (remove it from the list or fill it in)"],
    ),
    Row(
        "tags empty",
        {A: field_("tags", "[]")},
        1,
        [f"{A}:5: error: 'tags' is an empty list (list at least one, or remove 'tags')"],
    ),
    Row(
        "tags with an empty tag",
        {A: field_("tags", '[""]')},
        1,
        [f"{A}:5: error: 'tags' has an empty entry (remove it from the list or fill it in)"],
    ),
    Row(
        "tag not in slug form",
        {A: field_("tags", "[China]")},
        1,
        [f"{A}:5: error: tag 'China' is not in its normal form (write 'china')"],
    ),
    Row(
        "tags a mapping",
        {A: field_("tags", "{china: 1}")},
        1,
        [f"{A}:5: error: 'tags' must be a list (write tags: [...])"],
    ),
    Row(
        "language as a name",
        {A: field_("language", "chinese")},
        1,
        [f"{A}:5: error: 'language': 'chinese' is not a BCP 47 language code (did you mean 'zh' (Chinese)?)"],
    ),
    Row(
        "original language not a code",
        {A: field_("original_language", "xx-yy-zz-1")},
        1,
        [
            f"{A}:5: error: 'original_language': 'xx-yy-zz-1' is not a BCP 47 language code (use a BCP 47 code such as en, zh, ru, fa, zh-Hans)"
        ],
    ),
    Row(
        "language not in standard form",
        {A: field_("language", "EN")},
        1,
        [f"{A}:5: error: 'language': write 'en', the standard form of 'EN'"],
    ),
    Row(
        "slug with a slash",
        {A: field_("slug", "a/b")},
        1,
        [f"{A}:5: error: 'slug': 'a/b' is not a safe slug (lower-case a-z, 0-9, hyphens) (write 'a-b')"],
    ),
    Row(
        "slug going up",
        {A: field_("slug", "..")},
        1,
        [
            f"{A}:5: error: 'slug': '..' is not a safe slug (lower-case a-z, 0-9, hyphens) (use a-z, 0-9 and hyphens)"
        ],
    ),
    Row(
        "slug with a space",
        {A: field_("slug", "my slug")},
        1,
        [
            f"{A}:5: error: 'slug': 'my slug' is not a safe slug (lower-case a-z, 0-9, hyphens) (write 'my-slug')"
        ],
    ),
    Row(
        "slug in upper case",
        {A: field_("slug", "A-Text")},
        1,
        [
            f"{A}:5: error: 'slug': 'A-Text' is not a safe slug (lower-case a-z, 0-9, hyphens) (write 'a-text')"
        ],
    ),
    Row(
        "file name in upper case",
        {A: None, "content/articles/2023/A-Text.md": ARTICLE},
        1,
        [
            "content/articles/2023/A-Text.md:1: error: file name 'A-Text.md' is not a safe slug (rename it 'a-text.md' or set slug:)"
        ],
    ),
    Row(
        "file name with a space",
        {A: None, "content/articles/2023/a text.md": ARTICLE},
        1,
        [
            "content/articles/2023/a text.md:1: error: file name 'a text.md' is not a safe slug (rename it 'a-text.md' or set slug:)"
        ],
    ),
    Row(
        "file name with dots",
        {A: None, "content/articles/2023/a..b.md": ARTICLE},
        1,
        [
            "content/articles/2023/a..b.md:1: error: file name 'a..b.md' is not a safe slug (rename it 'a-b.md' or set slug:)"
        ],
    ),
    Row(
        "duplicate slug",
        {B: field_("slug", "a-text")},
        1,
        [
            f"{B}:5: error: URL /articles/a-text/ is already claimed by content/articles/2023/a-text.md:1 (change the slug or the alias of one of them)"
        ],
    ),
    Row(
        "alias claiming a text's URL",
        {B: field_("aliases", "[/articles/a-text/]")},
        1,
        [
            f"{B}:5: error: URL /articles/a-text/ is already claimed by content/articles/2023/a-text.md:1 (change the slug or the alias of one of them)"
        ],
    ),
    Row(
        "alias going up",
        {A: field_("aliases", "[/../../etc/passwd.html]")},
        1,
        [
            f"{A}:5: error: alias '/../../etc/passwd.html' is not a safe site path (write it like /old/url/, in lower case)"
        ],
    ),
    Row(
        "alias as a full URL",
        {A: field_("aliases", "[https://evil.example/]")},
        1,
        [
            f"{A}:5: error: alias 'https://evil.example/' is not a safe site path (write it like /old/url/, in lower case)"
        ],
    ),
    Row(
        "javascript source_url",
        {A: field_("source_url", "javascript:alert(1)")},
        1,
        [
            f"{A}:5: error: 'source_url': 'javascript:alert(1)' is not an http(s) URL (write the full address, https://...)"
        ],
    ),
    Row(
        "ftp source_url",
        {A: field_("source_url", "ftp://example.org/x")},
        1,
        [
            f"{A}:5: error: 'source_url': 'ftp://example.org/x' is not an http(s) URL (write the full address, https://...)"
        ],
    ),
    Row(
        "source_url without a host",
        {A: field_("source_url", "https:///x")},
        1,
        [
            f"{A}:5: error: 'source_url': 'https:///x' is not an http(s) URL (write the full address, https://...)"
        ],
    ),
    Row(
        "excerpt not a boolean",
        {A: field_("excerpt", "maybe")},
        1,
        [f"{A}:5: error: 'excerpt' must be true or false"],
    ),
    Row(
        "TODO left by the importer",
        {A: ARTICLE.replace("title: A Text", 'title: "TODO: the title"')},
        1,
        [
            f"{A}:2: error: 'title' is still a TODO: TODO: the title (fill in what the importer could not know)"
        ],
    ),
    Row(
        "empty text",
        {A: ARTICLE.replace("The first paragraph.\n", "")},
        1,
        [f"{A}:7: error: the text is empty (put the text itself after the front matter)"],
    ),
    Row(
        "editorial marker without a heading",
        {A: body("Text.\n\n<!-- editorial: -->\n\nQ?")},
        1,
        [f"{A}:10: error: an editorial section needs a heading (<!-- editorial: Heading -->)"],
    ),
    # The translation chain.
    Row(
        "chain empty",
        {A: field_("chain", "[]")},
        1,
        [
            f"{A}:5: error: 'chain' must be a list of steps, oldest first (each step: {{language: zh, source: key}})"
        ],
    ),
    Row(
        "chain step not a mapping",
        {A: field_("chain", "[zh, ru]")},
        1,
        [f"{A}:5: error: a chain step must be a mapping (e.g. {{language: ru, source: rossiyskaya-gazeta}})"],
    ),
    Row(
        "chain step without a language",
        {A: field_("chain", "[{source: pogled-info}]")},
        1,
        [f"{A}:5: error: missing required field 'language' in a chain step"],
    ),
    Row(
        "chain step with an unknown source",
        {A: field_("chain", "[{language: zh, source: pogled-inf}]")},
        1,
        [
            f"{A}:5: error: unknown source 'pogled-inf' (did you mean 'pogled-info'? sources are listed in content/sources.yaml)"
        ],
    ),
    Row(
        "chain step with an unknown field",
        {A: field_("chain", "[{language: zh, translator: [x]}]")},
        1,
        [f"{A}:5: error: unknown field 'translator' in a chain step (did you mean 'translators'?)"],
    ),
    Row(
        "chain step with a bad date",
        {A: field_("chain", "[{language: zh, date: 2023-02-30}]")},
        1,
        [f"{A}:5: error: 'date': 2023-02-30 is not a real date (dates are YYYY-MM-DD)"],
    ),
    # sources.yaml and site.yaml.
    Row(
        "sources.yaml missing",
        {SOURCES: None},
        1,
        [
            f"{A}:4: error: unknown source 'pogled-info' (sources are listed in content/sources.yaml)",
            f"{SOURCES}:1: error: sources.yaml is missing",
        ],
    ),
    Row(
        "sources.yaml syntax error",
        {SOURCES: "pogled-info:\n  name: Pogled.Info\n description: x\n"},
        1,
        [
            f"{A}:4: error: unknown source 'pogled-info' (sources are listed in content/sources.yaml)",
            f"{SOURCES}:3: error: YAML syntax error: expected <block end>, but found '<block mapping start>' (check the indentation, colons and quotes on this line and the one before)",
        ],
    ),
    Row(
        "sources.yaml a list",
        {SOURCES: "- pogled-info\n"},
        1,
        [
            f"{A}:4: error: unknown source 'pogled-info' (sources are listed in content/sources.yaml)",
            f"{SOURCES}:1: error: sources.yaml must map keys to sources (key: {{name: ..., ...}})",
        ],
    ),
    Row(
        "source with a bad key and a bad url",
        {SOURCES: "Pogled Info:\n  name: P\n  url: javascript:x\n  language: bulgarian\n  description: d\n"},
        1,
        [
            f"{A}:4: error: unknown source 'pogled-info' (sources are listed in content/sources.yaml)",
            f"{SOURCES}:1: error: 'source key': 'Pogled Info' is not a safe slug (lower-case a-z, 0-9, hyphens) (write 'pogled-info')",
            f"{SOURCES}:3: error: 'url': 'javascript:x' is not an http(s) URL (write the full address, https://...)",
            f"{SOURCES}:4: error: 'language': 'bulgarian' is not a BCP 47 language code (did you mean 'bg' (Bulgarian)?)",
        ],
    ),
    Row(
        "site.yaml missing",
        {SITE: None},
        1,
        [f"{SITE}:1: error: site.yaml is missing (create it with title, language and base_url)"],
    ),
    Row(
        "site.yaml syntax error",
        {SITE: "title: 'T\nlanguage: en\n"},
        1,
        [
            f"{SITE}:1: error: YAML syntax error: the quoted value that starts on this line is not closed (add the closing quote)"
        ],
    ),
    Row(
        "site.yaml not UTF-8",
        {SITE: b"title: \xff\n"},
        1,
        [f"{SITE}:1: error: not valid UTF-8 (byte 0xff) (save the file as UTF-8)"],
    ),
    Row(
        "site.yaml bad per_page",
        {SITE: "title: T\nlanguage: en\nbase_url: https://example.org/\nper_page: 0\n"},
        1,
        [f"{SITE}:4: error: 'per_page' must be a whole number from 1 to 1000"],
    ),
    # Hostile but valid: it builds, and whatever it holds is shown as text.
    Row(
        "a date where text was meant, unchanged",
        {A: ARTICLE.replace("title: A Text", "title: 2023-03-20")},
        0,
        [],
        {PAGE: ['lang="en" dir="ltr">2023-03-20</h1>']},
    ),
    Row(
        "translators empty means unknown",
        {A: field_("translators", "[]\noriginal_language: zh")},
        0,
        [],
        {PAGE: ["<dt>Translators</dt>\n      <dd>unknown</dd>"]},
    ),
    Row(
        "raw HTML in the body",
        {A: body("Hi <script>alert(1)</script> <img src=x onerror=alert(1)>")},
        0,
        [],
        {PAGE: ["Hi &lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=alert(1)&gt;"]},
        ["<script>", "<img"],
    ),
    Row(
        "javascript: link", {A: body("[x](javascript:alert(1))")}, 0, [], {PAGE: ["[x](javascript:alert(1))"]}
    ),
    Row(
        "JaVaScRiPt: link", {A: body("[x](JaVaScRiPt:alert(1))")}, 0, [], {PAGE: ["[x](JaVaScRiPt:alert(1))"]}
    ),
    Row(
        "javascript: after spaces",
        {A: body("[x](  javascript:alert(1))")},
        0,
        [],
        {PAGE: ["[x](  javascript:alert(1))"]},
    ),
    Row(
        "java&#x09;script: link",
        {A: body("[x](java&#x09;script:alert(1))")},
        0,
        [],
        {PAGE: ["[x](java\tscript:alert(1))"]},
    ),
    Row(
        "java%0ascript: link",
        {A: body("[x](java%0ascript:alert(1))")},
        0,
        [],
        {PAGE: ["[x](java%0ascript:alert(1))"]},
    ),
    Row(
        "&#106;avascript: link",
        {A: body("[x](&#106;avascript:alert(1))")},
        0,
        [],
        {PAGE: ["[x](javascript:alert(1))"]},
    ),
    Row(
        "javascript&colon; link",
        {A: body("[x](javascript&colon;alert(1))")},
        0,
        [],
        {PAGE: ["[x](javascript:alert(1))"]},
    ),
    Row(
        "javascript with a zero-width space",
        {A: body("[x](java\u200bscript:alert(1))")},
        0,
        [],
        {PAGE: ["[x](java\u200bscript:alert(1))"]},
    ),
    Row(
        "javascript: in angle brackets with a space",
        {A: body("[x](<java script:alert(1)>)")},
        0,
        [],
        {PAGE: ["[x](&lt;java script:alert(1)&gt;)"]},
    ),
    Row(
        "javascript: image",
        {A: body("![x](javascript:alert(1))")},
        0,
        [],
        {PAGE: ["![x](javascript:alert(1))"]},
        ["<img"],
    ),
    Row(
        "javascript: autolink",
        {A: body("<javascript:alert(1)>")},
        0,
        [],
        {PAGE: ["&lt;javascript:alert(1)&gt;"]},
    ),
    Row(
        "javascript: reference link",
        {A: body("[x]\n\n[x]: javascript:alert(1)")},
        0,
        [],
        {PAGE: ["[x]: javascript:alert(1)"]},
    ),
    Row(
        "data: and vbscript: links",
        {A: body("[d](data:text/html;base64,PHNjcmlwdD4=) [v](VBScript:msgbox(1)) <DATA:text/html,x>")},
        0,
        [],
        {PAGE: ["[d](data:text/html;base64,PHNjcmlwdD4=) [v](VBScript:msgbox(1)) &lt;DATA:text/html,x&gt;"]},
    ),
    Row(
        "HTML in the title",
        {A: ARTICLE.replace("title: A Text", """title: '<script>alert("t")</script>'""")},
        0,
        [],
        {
            PAGE: ["&lt;script&gt;alert(&#34;t&#34;)&lt;/script&gt;"],
            "_site/index.html": ["&lt;script&gt;alert(&#34;t&#34;)&lt;/script&gt;"],
        },
        ["<script>"],
    ),
    Row(
        "attribute breakout in the summary",
        {A: field_("summary", """'"><img src=x onerror=alert(1)>'""")},
        0,
        [],
        {PAGE: ['content="&#34;&gt;&lt;img src=x onerror=alert(1)&gt;"']},
        ["<img"],
    ),
    Row(
        "HTML in names",
        {
            A: ARTICLE.replace("[Xi Jinping]", "['<b>Xi</b>']").replace(
                "authors:", "translators: ['<i>V</i>']\nauthors:"
            )
        },
        0,
        [],
        {PAGE: ["&lt;b&gt;Xi&lt;/b&gt;", "&lt;i&gt;V&lt;/i&gt;"]},
        ["<b>", "<i>"],
    ),
    Row(
        "quotes in source_url",
        {A: field_("source_url", """'https://example.org/?q="><script>alert(1)</script>'""")},
        0,
        [],
        {
            PAGE: [
                # The address is percent-encoded in href (as a browser would), escaped where shown.
                'href="https://example.org/?q=%22%3E%3Cscript%3Ealert(1)%3C/script%3E"',
                ">https://example.org/?q=&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;</a>",
            ]
        },
        ["<script>"],
    ),
    Row(
        "HTML in the source registry",
        {
            SOURCES: SOURCES_YAML.replace("name: Pogled.Info", "name: '<i>Pogled</i>'").replace(
                "description: Bulgarian news site.", "description: '<script>x</script>'"
            )
        },
        0,
        [],
        {
            PAGE: ["&lt;i&gt;Pogled&lt;/i&gt;"],
            "_site/sources/pogled-info/index.html": [
                "&lt;i&gt;Pogled&lt;/i&gt;",
                "&lt;script&gt;x&lt;/script&gt;",
            ],
        },
        ["<script>", "<i>"],
    ),
    Row(
        "HTML in an editorial heading",
        {A: body("Text.\n\n<!-- editorial: <b>Q</b> & A -->\n\n<script>x</script>")},
        0,
        [],
        {PAGE: ["&lt;b&gt;Q&lt;/b&gt; &amp; A</h2>", "&lt;script&gt;x&lt;/script&gt;"]},
        ["<script>", "<b>"],
    ),
    Row(
        "HTML in notes",
        {A: field_("notes", "'<script>alert(1)</script> [n](javascript:x)'")},
        0,
        [],
        {PAGE: ["&lt;script&gt;alert(1)&lt;/script&gt; [n](javascript:x)"]},
        ["<script>"],
    ),
    Row(
        "HTML in removed lines and hashtags",
        {A: field_("removed", """['<iframe src="https://evil.example/">']\nhashtags: ['#<b>x</b>']""")},
        0,
        [],
        {PAGE: ["&lt;iframe src=&#34;https://evil.example/&#34;&gt;", "<code>#&lt;b&gt;x&lt;/b&gt;</code>"]},
        ["<iframe", "<b>"],
    ),
    Row(
        "HTML in a chain note",
        {A: field_("chain", "[{language: zh, note: '<em>x</em>'}, {language: en, source: pogled-info}]")},
        0,
        [],
        {PAGE: ["&lt;em&gt;x&lt;/em&gt;"]},
        ["<em>"],
    ),
    Row(
        "HTML in the original title",
        {A: field_("original_title", "'<b>踔厉</b>'\noriginal_language: zh")},
        0,
        [],
        {PAGE: ["&lt;b&gt;踔厉&lt;/b&gt;"]},
        ["<b>"],
    ),
    Row(
        "a footnote defined twice",
        {A: body("One.[^1] Two.[^2]\n\n[^1]: First.\n[^2]: Second.\n[^1]: First again.")},
        1,
        [
            f"{A}:12: error: footnote [^1] is defined twice (first on line 10): Markdown would drop this one"
            " (give one of them another label, and its reference too)"
        ],
    ),
    Row(
        "a thousand tags",
        {A: field_("tags", "[" + ", ".join(f"t{i}" for i in range(1000)) + "]")},
        1,
        [f"{A}:5: error: 'tags' lists 1000 entries; at most 100 are allowed (keep the ones that matter)"],
    ),
    Row(
        "a newline in a file name",
        {"content/articles/2023/a\nb.md": ARTICLE},
        1,
        [
            "content/articles/2023/a\\nb.md:1: error: file name 'a\\nb.md' is not a safe slug"
            " (rename it 'a-b.md' or set slug:)"
        ],
    ),
    Row(
        "an editorial marker inside a code block is text",
        {A: body("Before.\n\n```\n<!-- editorial: Not a marker -->\nStill code.\n```\n\nAfter.")},
        0,
        [],
        {PAGE: ["&lt;!-- editorial: Not a marker --&gt;", "Still code.", "After."]},
        ["Not part of the text. This material"],
    ),
    Row(
        "HTML in the site title",
        {SITE: SITE_YAML.replace("title: Test Archive", "title: '<Archive & Co>'")},
        0,
        [],
        {"_site/index.html": ["&lt;Archive &amp; Co&gt;"]},
    ),
]


def write_files(root: Path, files: dict[str, str | bytes | None]) -> None:
    for name, data in files.items():
        path = root / name
        if data is None:
            path.unlink()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))


def run_cli(command: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    args = [command, "--content", "content", "--templates", str(TEMPLATES)]
    if command == "build":
        args += ["--out", "_site"]
    capsys.readouterr()
    code = main(args)
    return code, capsys.readouterr().err.splitlines()


def summary_of(lines: list[str]) -> str:
    files = len({line.split(":")[0] for line in lines})
    errors = "error" if len(lines) == 1 else "errors"
    in_files = "file" if files == 1 else "files"
    return f"{len(lines)} {errors} in {files} {in_files}; nothing was written"


def unsafe_links(page: str) -> list[str]:
    """Every href or src a browser would read as a script, data or other non-web scheme."""
    found = []
    for value in re.findall(r"""(?:href|src)\s*=\s*["']([^"']*)""", page, re.IGNORECASE):
        bare = "".join(c for c in unquote(html.unescape(value)) if unicodedata.category(c)[0] not in "CZ")
        scheme = re.match(r"([a-zA-Z][a-zA-Z0-9+.-]*):", bare)
        if scheme and scheme.group(1).lower() not in ("http", "https", "mailto"):
            found.append(value)
    return found


@pytest.fixture
def good_site(
    write_tree: WriteTree, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Path:
    """A valid content tree built into _site/, the working directory set to its root."""
    root = write_tree(minimal_content())
    monkeypatch.chdir(root)
    assert run_cli("build", capsys)[0] == 0
    return root


BAD = [row for row in ROWS if row.code != 0]
GOOD = [row for row in ROWS if row.code == 0]


def test_the_table_is_big_enough() -> None:
    assert len(ROWS) >= 40 and len({row.name for row in ROWS}) == len(ROWS)


@pytest.mark.parametrize("row", BAD, ids=[row.name for row in BAD])
def test_bad_input_is_reported_exactly_and_the_old_site_stays(
    row: Row, good_site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = hash_tree(good_site / "_site")
    write_files(good_site, row.files)
    expected = [*row.stderr, summary_of(row.stderr)]
    assert run_cli("build", capsys) == (row.code, expected)
    assert hash_tree(good_site / "_site") == before
    assert sorted(p.name for p in good_site.iterdir() if p.name != ".cache") == ["_site", "content"]
    assert run_cli("check", capsys) == (row.code, expected)


@pytest.mark.parametrize("row", GOOD, ids=[row.name for row in GOOD])
def test_hostile_input_builds_as_text(row: Row, good_site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_files(good_site, row.files)
    assert run_cli("build", capsys) == (0, [])
    for name, snippets in row.present.items():
        page = (good_site / name).read_text(encoding="utf-8")
        for snippet in snippets:
            assert snippet in page, f"{snippet!r} not in {name}"
    for path in sorted((good_site / "_site").rglob("*.html")):
        page = path.read_text(encoding="utf-8")
        assert unsafe_links(page) == [], path
        for snippet in row.absent:
            assert snippet not in page, f"{snippet!r} in {path}"


def test_a_settings_file_that_is_a_device_is_refused_not_read_without_end(
    good_site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sources = good_site / SOURCES
    sources.unlink()
    sources.symlink_to("/dev/zero")
    code, lines = run_cli("build", capsys)
    assert code == 1
    assert (
        f"{SOURCES}:1: error: sources.yaml cannot be read: it is not a regular file (a device, a pipe or"
        " a folder) (it must be a readable regular file)"
    ) in lines


def test_a_text_that_is_a_device_is_refused(good_site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (good_site / B).symlink_to("/dev/zero")
    code, lines = run_cli("check", capsys)
    assert code == 1
    assert lines[0] == (
        f"{B}:1: error: cannot be read: not a regular file (a device, a pipe or a socket) (content must be"
        " readable regular files and folders; check a file's permissions or remove it)"
    )
