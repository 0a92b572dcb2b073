"""Files -> validated records: site settings, sources and articles, with every diagnostic."""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from yaml.nodes import MappingNode, Node, SequenceNode

from archive.base.diagnostics import ContentError, Diagnostic, display_path
from archive.base.records import Article, ChainStep, EditorialSection, Imported, Source
from archive.base.urls import alias_problem, is_safe_site_path, is_safe_slug, output_path, slugify_name
from archive.content import safeyaml
from archive.content.config import SiteConfig, read_config
from archive.content.schema import FieldReader, decode_text, read_yaml_file

ARTICLE_FIELDS = (
    "title",
    "date",
    "source",
    "authors",
    "source_url",
    "retrieved",
    "language",
    "original_language",
    "original_title",
    "translators",
    "chain",
    "work",
    "license",
    "excerpt",
    "tags",
    "hashtags",
    "summary",
    "slug",
    "aliases",
    "notes",
    "removed",
    "imported",
)
REQUIRED_ARTICLE_FIELDS = ("title", "date", "source", "authors")
SOURCE_FIELDS = ("name", "url", "language", "country", "description")
REQUIRED_SOURCE_FIELDS = ("name", "language", "description")
CHAIN_FIELDS = ("language", "translators", "source", "date", "note")
IMPORTED_FIELDS = ("file", "sha256", "encoding", "repairs", "normalised")
SOURCES_HINT = "sources are listed in content/sources.yaml"
EDITORIAL_MARKER = re.compile(r"<!--\s*editorial:(.*?)-->\s*")


def editorial_marker(heading: str) -> str:
    """The line that opens an editorial section after the text."""
    return f"<!-- editorial: {heading} -->"


FENCE = "---"
READ_SIZE = 1 << 20  # most texts are read whole in one call


@dataclass(frozen=True)
class Content:
    """Everything read from the content folder, all of it valid."""

    config: SiteConfig
    sources: dict[str, Source]
    articles: tuple[Article, ...]


def read_content(content_dir: Path, base_url: str | None = None) -> Content:
    """Read and validate the whole content folder; raise ContentError listing every problem."""
    config, sources, diagnostics = read_settings(content_dir, base_url)
    articles: list[Article] = []
    for path in find_article_files(content_dir):
        article, article_diagnostics = read_article(path, sources, config.language)
        diagnostics += article_diagnostics
        if article is not None:
            articles.append(article)
    return finish_content(config, sources, articles, diagnostics)


def read_settings(
    content_dir: Path, base_url: str | None = None
) -> tuple[SiteConfig, dict[str, Source], list[Diagnostic]]:
    """Read site.yaml and sources.yaml, with their diagnostics."""
    config, diagnostics = read_config(content_dir / "site.yaml")
    config = config.with_base_url(base_url)
    sources, source_diagnostics = read_sources(content_dir / "sources.yaml")
    return config, sources, diagnostics + source_diagnostics


def finish_content(
    config: SiteConfig, sources: dict[str, Source], articles: list[Article], diagnostics: list[Diagnostic]
) -> Content:
    """Check the URLs the articles claim; raise ContentError if anything was wrong."""
    diagnostics = diagnostics + check_url_claims(articles)
    if diagnostics:
        raise ContentError(diagnostics)
    return Content(config, sources, tuple(articles))


def find_article_files(content_dir: Path) -> list[str]:
    """Every Markdown file under content/articles/, in a stable order."""
    root = content_dir / "articles"
    found: list[str] = []
    folders = [root] if root.is_dir() else []
    while folders:  # os.scandir: one system call per folder, where rglob stats every file
        with os.scandir(folders.pop()) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    folders.append(Path(entry.path))
                if entry.name.endswith(".md") and not entry.name.startswith(".") and entry.is_file():
                    found.append(entry.path)
    return sorted(found, key=lambda path: path.split(os.sep))  # folder by folder, as Path sorts


def read_file(path: str) -> bytes:
    """A file's bytes, in fewer system calls than open() makes (it also asks whether the file
    is a terminal, and where it stands)."""
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))
    try:
        chunks = []
        while chunk := os.read(descriptor, READ_SIZE):
            chunks.append(chunk)
    finally:
        os.close(descriptor)
    return b"".join(chunks)  # one chunk is returned as it is, not copied


def read_sources(path: Path) -> tuple[dict[str, Source], list[Diagnostic]]:
    """Read the registry of sources: key -> {name, url, language, country, description}."""
    reader = FieldReader(path, 1)
    node = read_yaml_file(path, reader)
    if node is None:
        return {}, reader.diagnostics
    if not isinstance(node, MappingNode):
        reader.error(node, "sources.yaml must map keys to sources (key: {name: ..., ...})")
        return {}, reader.diagnostics
    sources: dict[str, Source] = {}
    for key_node, value_node in node.value:
        source = read_source(reader, key_node, value_node)
        if source is not None and source.key in sources:
            reader.error(key_node, f"source '{source.key}' is listed twice", "keep one of them")
        elif source is not None:
            sources[source.key] = source
    return sources, reader.diagnostics


def read_source(reader: FieldReader, key_node: Node, node: Node) -> Source | None:
    key = reader.slug("source key", key_node)
    if not isinstance(node, MappingNode):
        reader.error(node, f"source '{key_node.value}' must be a mapping of its fields")
        return None
    found = reader.fields(node, SOURCE_FIELDS, f"source '{key_node.value}'")
    complete = reader.require(found, REQUIRED_SOURCE_FIELDS, reader.line(key_node), "a source")
    values = {
        "name": read_field(reader, found, "name", reader.text),
        "url": read_optional(reader, found, "url", reader.url),
        "language": read_field(reader, found, "language", reader.language),
        "country": read_optional(reader, found, "country", reader.text),
        "description": read_field(reader, found, "description", reader.text),
    }
    if key is None or not complete or None in (values["name"], values["language"]):
        return None
    return Source(key=key, **values)


def read_field(reader: FieldReader, found: dict[str, tuple[Node, Node]], name: str, read: Any) -> Any:
    """Read one field if present, with the given FieldReader method."""
    if name not in found:
        return None
    return read(name, found[name][1])


def read_optional(reader: FieldReader, found: dict[str, tuple[Node, Node]], name: str, read: Any) -> Any:
    """Like read_field, but an explicit empty value (url: null) means 'not known'."""
    if name in found and found[name][1].tag == safeyaml.CORE + "null":
        return None
    return read_field(reader, found, name, read)


def split_front_matter(text: str, reader: FieldReader) -> tuple[str, str, int] | None:
    """Split '---' fenced front matter from the body: (yaml, body, body's first line)."""
    if not text or text.isspace():
        reader.error(1, "the file is empty", "an article starts with front matter between '---' lines")
        return None
    end = text.find("\n")
    if (text if end < 0 else text[:end]).rstrip() != FENCE:
        reader.error(
            1, "no front matter: the file must start with a line '---'", "see docs/content-format.md"
        )
        return None
    start = position = end + 1
    number = 2  # of the line at position
    while end >= 0:  # line by line through the front matter only: a body can be long
        end = text.find("\n", position)
        if (text[position:] if end < 0 else text[position:end]).rstrip() == FENCE:
            return text[start : max(start, position - 1)], "" if end < 0 else text[end + 1 :], number + 1
        position, number = end + 1, number + 1
    reader.error(1, "the front matter is not closed", "add a line '---' after the last field")
    return None


def read_article(
    path: str, sources: dict[str, Source], language: str, data: bytes | None = None
) -> tuple[Article | None, list[Diagnostic]]:
    """Read one article file (or its bytes, already read) into an Article, or None with the reasons."""
    return read_articles([(path, read_file(path) if data is None else data)], sources, language)[0]


def read_articles(
    files: Sequence[tuple[str, bytes]], sources: dict[str, Source], language: str
) -> list[tuple[Article | None, list[Diagnostic]]]:
    """read_article of each (path, bytes), one step for all of them before the next: every
    front matter is parsed, then every article's fields are read (each step's code and data
    stay in the processor's caches from one file to the next)."""
    parsed = [parse_article(path, data) for path, data in files]
    return [finish_article(article, sources, language) for article in parsed]


@dataclass
class ParsedArticle:
    """An article file split and its front matter parsed, its fields not yet read."""

    path: str
    reader: FieldReader
    node: MappingNode | None = None  # None: the file could not be parsed (see reader)
    body: str = ""
    body_line: int = 0


def parse_article(path: str, data: bytes) -> ParsedArticle:
    reader = FieldReader(path, 2)
    parsed = ParsedArticle(path, reader)
    text = decode_text(data, reader)
    parts = split_front_matter(text, reader) if text is not None else None
    if parts is None:
        return parsed
    front, parsed.body, parsed.body_line = parts
    try:
        node = safeyaml.compose(front)
    except safeyaml.YamlProblem as problem:
        reader.error(problem.line + 2, problem.message, problem.hint)
        return parsed
    if not isinstance(node, MappingNode):
        reader.error(
            1, "the front matter must be a mapping of fields (name: value)", "see docs/content-format.md"
        )
        return parsed
    parsed.node = node
    return parsed


def finish_article(
    parsed: ParsedArticle, sources: dict[str, Source], language: str
) -> tuple[Article | None, list[Diagnostic]]:
    reader = parsed.reader
    if parsed.node is None:
        return None, reader.diagnostics
    values = read_article_fields(reader, parsed.node, sources)
    article = make_article(reader, parsed.path, values, parsed.body, parsed.body_line, language)
    return (article if not reader.diagnostics else None), reader.diagnostics


def read_article_fields(reader: FieldReader, node: MappingNode, sources: dict[str, Source]) -> dict[str, Any]:
    """Every front-matter field, read and checked; a field with errors is left out."""
    found = reader.fields(node, ARTICLE_FIELDS, "the front matter")
    reader.require(found, REQUIRED_ARTICLE_FIELDS, 1, "the front matter")
    values: dict[str, Any] = {"lines": {n: reader.line(k) for n, (k, _) in found.items()}}
    for name, (_, value_node) in found.items():
        value = read_article_field(reader, name, value_node, sources)
        if value is not None:
            values[name] = value
    return values


def read_article_field(reader: FieldReader, name: str, node: Node, sources: dict[str, Source]) -> Any:
    if name in ("date", "retrieved"):
        return reader.date(name, node)
    if name == "source":
        key = reader.key_of(name, node, sources, SOURCES_HINT)
        return sources.get(key) if key else None
    if name in ("authors", "tags"):
        return read_names(reader, name, node, allow_empty=False)
    if name in ("translators", "hashtags", "removed"):
        return read_names(reader, name, node, allow_empty=True)
    if name in ("language", "original_language"):
        return reader.language(name, node)
    if name == "source_url":
        return reader.url(name, node)
    if name in ("work", "slug"):
        return reader.slug(name, node)
    if name == "excerpt":
        return reader.boolean(name, node)
    if name == "chain":
        return read_chain(reader, node, sources)
    if name == "aliases":
        return read_aliases(reader, node)
    if name == "imported":
        return read_imported(reader, node)
    return reader.text(name, node)


def read_names(reader: FieldReader, name: str, node: Node, allow_empty: bool) -> tuple[str, ...] | None:
    """A list of texts; tags must already be in their slug form."""
    items = reader.text_list(name, node, allow_empty=allow_empty)
    if items is None or name not in ("tags", "authors", "translators"):
        return items
    for item, item_node in zip(items, node.value, strict=True):
        if name != "tags" and not slugify_name(item):
            reader.error(item_node, f"'{item}' has no letters or digits to name a page by")
            return None
        if name == "tags" and not is_safe_slug(item):
            suggestion = slugify_name(item)
            reader.error(item_node, f"tag '{item}' is not in its normal form", f"write '{suggestion}'")
            return None
    return items


def read_chain(reader: FieldReader, node: Node, sources: dict[str, Source]) -> tuple[ChainStep, ...] | None:
    """The translation chain: a list of steps, oldest first."""
    if not isinstance(node, SequenceNode) or not node.value:
        reader.error(
            node, "'chain' must be a list of steps, oldest first", "each step: {language: zh, source: key}"
        )
        return None
    steps = [read_chain_step(reader, step, sources) for step in node.value]
    return None if any(s is None for s in steps) else tuple(s for s in steps if s is not None)


def read_chain_step(reader: FieldReader, node: Node, sources: dict[str, Source]) -> ChainStep | None:
    if not isinstance(node, MappingNode):
        reader.error(
            node, "a chain step must be a mapping", "e.g. {language: ru, source: rossiyskaya-gazeta}"
        )
        return None
    errors_before = len(reader.diagnostics)
    found = reader.fields(node, CHAIN_FIELDS, "a chain step")
    if not reader.require(found, ("language",), reader.line(node), "a chain step"):
        return None
    key = read_field(reader, found, "source", lambda n, v: reader.key_of(n, v, sources, SOURCES_HINT))
    step = ChainStep(
        language=read_field(reader, found, "language", reader.language),
        translators=read_field(
            reader, found, "translators", lambda n, v: read_names(reader, n, v, allow_empty=True)
        )
        or (),
        source=sources.get(key) if key else None,
        date=read_field(reader, found, "date", reader.date),
        note=read_field(reader, found, "note", reader.text) or "",
    )
    return step if len(reader.diagnostics) == errors_before else None


def read_aliases(reader: FieldReader, node: Node) -> tuple[str, ...] | None:
    """Old URLs of the text: site paths such as /old/url/ or /old/page.html."""
    items = reader.text_list("aliases", node)
    if items is None:
        return None
    for item, item_node in zip(items, node.value, strict=True):
        if not is_safe_site_path(item) or not (item.endswith("/") or item.endswith(".html")):
            reader.error(
                item_node, f"alias '{item}' is not a safe site path", "write it like /old/url/, in lower case"
            )
            return None
        problem = alias_problem(item)
        if problem:
            reader.error(item_node, f"alias '{item}' {problem}", "choose another old URL or remove it")
            return None
    return items


def read_imported(reader: FieldReader, node: Node) -> Imported | None:
    """What the importer recorded about the file the text came from."""
    if not isinstance(node, MappingNode):
        reader.error(node, "'imported' must be a mapping", "it is written by the importer")
        return None
    found = reader.fields(node, IMPORTED_FIELDS, "'imported'")
    if not reader.require(found, ("file", "sha256", "encoding"), reader.line(node), "'imported'"):
        return None
    return Imported(
        file=read_field(reader, found, "file", reader.text) or "",
        sha256=read_field(reader, found, "sha256", reader.text) or "",
        encoding=read_field(reader, found, "encoding", reader.text) or "",
        repairs=read_field(reader, found, "repairs", reader.text_list) or (),
        normalised=read_field(reader, found, "normalised", reader.text_list) or (),
    )


def make_article(
    reader: FieldReader, path: str, values: dict[str, Any], body: str, body_line: int, language: str
) -> Article | None:
    """Assemble the Article once every field is valid; report file-level problems."""
    text, editorial = split_editorial(body, body_line, reader)
    slug = values.pop("slug", None) or slug_from_file(reader, path)
    if not text.strip():
        reader.error(body_line, "the text is empty", "put the text itself after the front matter")
    if reader.diagnostics or slug is None:
        return None
    values.setdefault("language", language)
    return Article(path=path, slug=slug, body=text, body_line=body_line, editorial=editorial, **values)


def slug_from_file(reader: FieldReader, path: str) -> str | None:
    stem = os.path.splitext(os.path.basename(path))[0]
    if is_safe_slug(stem):
        return stem
    suggestion = slugify_name(stem)
    reader.error(
        1,
        f"file name '{os.path.basename(path)}' is not a safe slug",
        f"rename it '{suggestion}.md' or set slug:",
    )
    return None


def split_editorial(
    body: str, body_line: int, reader: FieldReader
) -> tuple[str, tuple[EditorialSection, ...]]:
    """Separate the text from the editorial sections that follow `<!-- editorial: Heading -->`."""
    if "<!--" not in body:
        return body, ()
    lines = body.split("\n")
    starts = [i for i, line in enumerate(lines) if EDITORIAL_MARKER.fullmatch(line.strip())]
    if not starts:
        return body, ()
    sections = []
    for start, end in zip(starts, [*starts[1:], len(lines)], strict=True):
        match = EDITORIAL_MARKER.fullmatch(lines[start].strip())
        heading = match.group(1).strip() if match else ""
        if not heading:
            reader.error(
                body_line + start, "an editorial section needs a heading", "<!-- editorial: Heading -->"
            )
        section_body = "\n".join(lines[start + 1 : end]).strip("\n")
        sections.append(EditorialSection(heading, section_body, body_line + start))
    return "\n".join(lines[: starts[0]]), tuple(sections)


def check_url_claims(articles: list[Article]) -> list[Diagnostic]:
    """Two texts, or a text and an alias, claiming one URL: name both files."""
    claims: dict[str, tuple[Article, int]] = {}
    diagnostics = []
    for article in articles:
        wanted = [(article.url, article.lines.get("slug", 1))]
        wanted += [(alias, article.lines.get("aliases", 1)) for alias in article.aliases]
        for url, line in wanted:
            path = output_path(url)
            if path in claims:
                other, other_line = claims[path]
                where = f"{display_path(other.path)}:{other_line}"
                diagnostics.append(
                    Diagnostic(
                        display_path(article.path),
                        line,
                        f"URL {url} is already claimed by {where}",
                        "change the slug or the alias of one of them",
                    )
                )
            else:
                claims[path] = (article, line)
    return diagnostics
