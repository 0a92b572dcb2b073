"""Files -> validated records: site settings, sources and articles, with every diagnostic."""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from frontmatter.default_handlers import YAMLHandler
from yaml.nodes import MappingNode, Node

from archive.base.diagnostics import ContentError, Diagnostic, display_path
from archive.base.records import Article, EditorialSection, Source
from archive.base.urls import is_safe_slug, output_path, slugify_name
from archive.content import fields, safeyaml
from archive.content.attachments import Attachment, check_attachments, file_links, find_attachments
from archive.content.config import SiteConfig, read_config
from archive.content.fields import read_fields
from archive.content.schema import FieldReader, decode_text, read_yaml_file

EDITORIAL_MARKER = re.compile(r"<!--\s*editorial:(.*?)-->\s*")


def editorial_marker(heading: str) -> str:
    """The line that opens an editorial section after the text."""
    return f"<!-- editorial: {heading} -->"


READ_SIZE = 1 << 20  # most texts are read whole in one call
MAX_FILE_BYTES = 64 << 20  # a text or a settings file larger than this is a mistake


@dataclass(frozen=True)
class Content:
    """Everything read from the content folder, all of it valid."""

    config: SiteConfig
    sources: dict[str, Source]
    articles: tuple[Article, ...]
    attachments: dict[str, Attachment] = field(default_factory=dict)  # content/files/, by name


def read_content(content_dir: Path, base_url: str | None = None) -> Content:
    """Read and validate the whole content folder; raise ContentError listing every problem."""
    config, sources, diagnostics = read_settings(content_dir, base_url)
    attachments, problems = find_attachments(content_dir)
    diagnostics += problems
    articles: list[Article] = []
    for path in find_article_files(content_dir, diagnostics):
        article, article_diagnostics = read_article(path, sources, config.language)
        diagnostics += article_diagnostics
        if article is not None:
            articles.append(article)
    return finish_content(config, sources, articles, diagnostics, attachments)


def read_settings(
    content_dir: Path, base_url: str | None = None
) -> tuple[SiteConfig, dict[str, Source], list[Diagnostic]]:
    """Read site.yaml and sources.yaml, with their diagnostics."""
    config, diagnostics = read_config(content_dir / "site.yaml")
    config = config.with_base_url(base_url)
    sources, source_diagnostics = read_sources(content_dir / "sources.yaml")
    return config, sources, diagnostics + source_diagnostics


def finish_content(
    config: SiteConfig,
    sources: dict[str, Source],
    articles: list[Article],
    diagnostics: list[Diagnostic],
    attachments: dict[str, Attachment],
) -> Content:
    """Check the URLs the articles claim and the kept files they name; raise ContentError if
    anything was wrong."""
    diagnostics = diagnostics + check_url_claims(articles) + check_attachments(articles, attachments)
    if diagnostics:
        raise ContentError(diagnostics)
    return Content(config, sources, tuple(articles), attachments)


def find_article_files(content_dir: Path, problems: list[Diagnostic] | None = None) -> list[str]:
    """Every Markdown file under content/articles/, in a stable order; a folder that cannot be
    listed is a problem (added to problems, when given), and so is, when read, a .md that is not
    a regular file."""
    root = content_dir / "articles"
    found: list[str] = []
    folders = [root] if root.is_dir() else []
    while folders:  # os.scandir: one system call per folder, where rglob stats every file
        folder = folders.pop()
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    if entry.is_dir(follow_symlinks=False):
                        folders.append(Path(entry.path))
                    elif entry.name.endswith(".md") and not entry.name.startswith("."):
                        found.append(entry.path)
        except OSError as error:
            if problems is not None:
                problems.append(unreadable(str(folder), error.strerror or str(error), "a folder"))
    return sorted(found, key=lambda path: path.split(os.sep))  # folder by folder, as Path sorts


class Unreadable(OSError):
    """A content or settings file that cannot be read as one: what is wrong, in words."""


def read_file(path: str | Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """A file's bytes, in fewer system calls than open() makes (it also asks whether the file
    is a terminal, and where it stands). Raise Unreadable for anything but a regular file of at
    most limit bytes (a device or a pipe could be read without end)."""
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))
    except OSError as error:
        raise Unreadable(error.strerror or str(error)) from None
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise Unreadable("not a regular file (a device, a pipe or a socket)")
        chunks, size = [], 0
        while size <= limit and (chunk := os.read(descriptor, READ_SIZE)):
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:
            raise Unreadable(f"larger than {limit >> 20} MB")
    except Unreadable:
        raise
    except OSError as error:
        raise Unreadable(error.strerror or str(error)) from None
    finally:
        os.close(descriptor)
    return b"".join(chunks)  # one chunk is returned as it is, not copied


def unreadable(path: str, why: str, what: str = "a file") -> Diagnostic:
    return Diagnostic(
        display_path(path),
        1,
        f"cannot be read: {why}",
        f"content must be readable regular files and folders; check {what}'s permissions or remove it",
    )


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
    where = f"source '{key_node.value}'"
    values, _lines, complete = read_fields(reader, node, fields.SOURCE, {}, reader.line(key_node), where)
    if key is None or not complete or None in (values.get("name"), values.get("language")):
        return None
    return Source(key=key, **{"url": None, "country": None, "description": None, **values})


class ArticleFrontMatter(YAMLHandler):
    """python-frontmatter's YAML handler, with the fence this archive documents: a line of
    exactly three dashes (trailing spaces allowed). The library's own fence also takes longer
    lines of dashes and swallows the blank lines after one, which would move a text's first
    line and change its bytes."""

    FM_BOUNDARY = re.compile(r"^---[^\S\n]*$", re.MULTILINE)


FRONT_MATTER = ArticleFrontMatter()


def split_front_matter(text: str, reader: FieldReader) -> tuple[str, str, int] | None:
    """Split '---' fenced front matter from the body: (yaml, body, body's first line). The
    yaml's first line is the file's second."""
    if not text or text.isspace():
        reader.error(1, "the file is empty", "an article starts with front matter between '---' lines")
        return None
    if not FRONT_MATTER.detect(text):
        reader.error(
            1, "no front matter: the file must start with a line '---'", "see docs/content-format.md"
        )
        return None
    try:
        front, rest = FRONT_MATTER.split(text)
    except ValueError:  # one fence only
        reader.error(1, "the front matter is not closed", "add a line '---' after the last field")
        return None
    fence_line = text.count("\n", 0, len(text) - len(rest)) + 1
    # Each part starts with the end of its fence's line.
    return front.partition("\n")[2], rest[1:], fence_line + 1


def read_article(
    path: str, sources: dict[str, Source], language: str, data: bytes | None = None
) -> tuple[Article | None, list[Diagnostic]]:
    """Read one article file (or its bytes, already read) into an Article, or None with the reasons."""
    if data is None:
        try:
            data = read_file(path)
        except Unreadable as error:
            return None, [unreadable(path, str(error))]
    return read_articles([(path, data)], sources, language)[0]


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
    values, lines, _complete = read_fields(reader, node, fields.ARTICLE, sources, 1)
    return {"lines": lines, **values}


def make_article(
    reader: FieldReader, path: str, values: dict[str, Any], body: str, body_line: int, language: str
) -> Article | None:
    """Assemble the Article once every field is valid; report file-level problems."""
    text, editorial = split_editorial(body, body_line, reader)
    slug = values.pop("slug", None) or slug_from_file(reader, path)
    if not text.strip():
        reader.error(body_line, "the text is empty", "put the text itself after the front matter")
    check_footnotes(text, body_line, reader)
    if reader.diagnostics or slug is None:
        return None
    values.setdefault("language", language)
    if not settle_translation(reader, values):
        return None
    values = fields.with_day(values)
    links = file_links(text, body_line)
    return Article(
        path=path, slug=slug, body=text, body_line=body_line, editorial=editorial, file_links=links, **values
    )


def settle_translation(reader: FieldReader, values: dict[str, Any]) -> bool:
    """A translation says how it was made: in its own field, or else in its chain's last step
    (in the text's language), or else it is 'unknown'; an original says nothing of it. False
    (with an error) where the fields disagree."""
    lines, language = values["lines"], values["language"]
    if values.get("original_language", language) == language:
        for name in ("translation", "reviewed"):
            if name in values:
                reader.error(
                    lines[name],
                    f"'{name}' is given, but the text is not a translation",
                    "set original_language to the language it was translated from, or remove the field",
                )
        return "translation" not in values and "reviewed" not in values
    chain = values.get("chain", ())
    last = chain[-1].translation if chain and chain[-1].language == language else None
    said = values.setdefault("translation", last or "unknown")
    if last is not None and said != last:
        reader.error(
            lines["translation"],
            f"'translation' is {said}, but the chain's last step says {last}",
            "make them agree (or say it once, in the chain)",
        )
        return False
    return True


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
    starts = [i for i in outside_fences(lines) if EDITORIAL_MARKER.fullmatch(lines[i].strip())]
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


FOOTNOTE_DEFINITION = re.compile(r" {0,3}\[\^([^\]\s]+)\]:")


def check_footnotes(body: str, body_line: int, reader: FieldReader) -> None:
    """A footnote defined twice is an error: Markdown would keep the first and drop the second."""
    lines = body.split("\n")
    first: dict[str, int] = {}
    for number in outside_fences(lines) if "[^" in body else ():
        found = FOOTNOTE_DEFINITION.match(lines[number])
        if not found:
            continue
        label = found.group(1).casefold()
        if label in first:
            reader.error(
                body_line + number,
                f"footnote [^{found.group(1)}] is defined twice (first on line {first[label]}):"
                " Markdown would drop this one",
                "give one of them another label, and its reference too",
            )
        else:
            first[label] = body_line + number


FENCE_LINE = re.compile(r" {0,3}(`{3,}|~{3,})")


def outside_fences(lines: list[str]) -> list[int]:
    """The numbers of the lines that are not inside a fenced code block (a marker line shown as
    code in a text is part of the text)."""
    found, fence = [], ""
    for number, line in enumerate(lines):
        opening = FENCE_LINE.match(line)
        if fence:
            closes = opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence)
            if closes and opening and not line[opening.end() :].strip():
                fence = ""
        elif opening and not (opening.group(1)[0] == "`" and "`" in line[opening.end() :]):
            fence = opening.group(1)
        else:
            found.append(number)
    return found


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
