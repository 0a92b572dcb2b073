"""Reading texts: files -> validated articles -> rendered texts, their bodies kept in the cache."""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Sequence
from dataclasses import dataclass

from archive.base import urls
from archive.base.diagnostics import Diagnostic
from archive.base.records import Article, Source
from archive.content.config import SiteConfig
from archive.content.reader import Unreadable, read_article, read_articles, read_file, unreadable
from archive.incremental.bodies import BodyStore
from archive.incremental.state import TextRecord
from archive.incremental.texts import FileToRead, ReadChunk
from archive.output.sitemap import export_rows
from archive.site import markdown
from archive.site.model import Text


@dataclass(frozen=True)
class Settings:
    """What every text is read with: site.yaml, the sources, and their problems."""

    config: SiteConfig
    sources: dict[str, Source]
    diagnostics: tuple[Diagnostic, ...]


@dataclass(frozen=True)
class ReadingContext:
    """What a reading process is given: the settings, the key they make, the body store."""

    settings: Settings
    reading_key: str  # a digest of the settings' files and the code: part of every text's stamp
    bodies: BodyStore
    # The same but for where the site is served (its base URL, relative links): part of every
    # text's index stamp, which its search record (words, title, filters) does not change without.
    index_key: str = ""


def render_text(article: Article, stamp: str = "", base_path: str = "/") -> Text:
    """Render one article's body, editorial sections and notes, links under the base path."""
    return render_texts([(stamp, article)], base_path)[0]


def render_texts(
    articles: Sequence[tuple[str, Article]], base_path: str = "/", index_stamps: Sequence[str] = ()
) -> list[Text]:
    """render_text of each (stamp, article), the bodies rendered together; index_stamps: their
    index stamps (none: the stamps stand for them)."""
    bodies = markdown.render_bodies([(a.body, a.work is not None) for _, a in articles], base_path)
    indexed = index_stamps or [""] * len(articles)
    return [
        Text(article, body, editorial_of(article, base_path), notes_of(article, base_path), stamp, indexed_as)
        for (stamp, article), body, indexed_as in zip(articles, bodies, indexed, strict=True)
    ]


def editorial_of(article: Article, base_path: str) -> tuple[tuple[str, str], ...]:
    return tuple((s.heading, markdown.render_fragment(s.body, base_path)) for s in article.editorial)


def notes_of(article: Article, base_path: str) -> str:
    return markdown.render_fragment(article.notes, base_path) if article.notes else ""


def read_chunk(context: ReadingContext, files: Sequence[FileToRead]) -> ReadChunk:
    """Read some files and render their texts; keep the bodies in the cache, in one go.

    A file whose bytes give the stamp of its text in the last build is neither rendered nor
    among the records. Each text comes with its line and row of the data export, made when it
    is read: a rebuild joins them instead of encoding every record again. Each step is taken
    for all the chunk's texts before the next (front matter, Markdown, export rows): a step's
    code and data stay in the processor's caches from one text to the next.
    """
    config, sources = context.settings.config, context.settings.sources
    failed: dict[str, list[Diagnostic]] = {}
    data = [read_or_report(file.path, failed) for file in files]
    stamps = [text_stamp(context.reading_key, f.path, d) for f, d in zip(files, data, strict=True)]
    same = [
        stamp == file.last_stamp and file.path not in failed
        for stamp, file in zip(stamps, files, strict=True)
    ]
    fresh = [
        ((file.path, bytes_), stamp)
        for file, bytes_, stamp, kept in zip(files, data, stamps, same, strict=True)
        if not kept and file.path not in failed
    ]
    articles = read_articles([file for file, _ in fresh], sources, config.language)
    read = [(stamp, found) for (_, stamp), found in zip(fresh, articles, strict=True)]
    made = [
        (stamp, article, text_stamp(context.index_key, path, bytes_))
        for ((path, bytes_), stamp), (article, _) in zip(fresh, articles, strict=True)
        if article
    ]
    base_path = urls.base_path(config.base_url)
    stamped = [(stamp, article) for stamp, article, _ in made]
    rendered = render_texts(stamped, base_path, [index_stamp for *_, index_stamp in made])
    texts = {t.stamp: t for t in rendered}
    if texts:
        context.bodies.save([(stamp, text.body.html) for stamp, text in texts.items()])
    records = {
        file.path: TextRecord(file.stat, texts[stamp].light(), export_rows(texts[stamp], config))
        for file, stamp in zip(files, stamps, strict=True)
        if stamp in texts
    }
    problems = {stamp: found for stamp, (_, found) in read}
    each = [
        failed.get(file.path) or problems.get(stamp, []) for file, stamp in zip(files, stamps, strict=True)
    ]
    return ReadChunk(pickle.dumps(records, pickle.HIGHEST_PROTOCOL), each, same)


def read_or_report(path: str, failed: dict[str, list[Diagnostic]]) -> bytes:
    """A file's bytes, or b"" with its problem in failed."""
    try:
        return read_file(path)
    except Unreadable as error:
        failed[path] = [unreadable(path, str(error))]
        return b""


def text_stamp(reading_key: str, path: str, data: bytes) -> str:
    """A digest of a file and of everything it is read with: the key of its text in the cache.

    SHA-256: on processors with SHA instructions (most current ones) about twice as fast as BLAKE2.
    """
    head = f"{reading_key}\0{path}\0".encode("utf-8", "surrogatepass")
    return hashlib.sha256(head + data).hexdigest()[:32]


def render_again(text: Text, context: ReadingContext) -> str:
    """The body of a text the cache lost, from its file; kept again when the file is still the
    one the text was read from (the next build finds it)."""
    config, sources = context.settings.config, context.settings.sources
    path = text.article.path
    try:
        data = read_file(path)
    except Unreadable:
        data = b""  # gone since it was listed: the page shows what the text's record holds
    article, _ = read_article(path, sources, config.language, data) if data else (None, [])
    html = render_text(article or text.article, text.stamp, urls.base_path(config.base_url)).body.html
    if article is not None and text_stamp(context.reading_key, path, data) == text.stamp:
        context.bodies.save([(text.stamp, html)])
    return html
