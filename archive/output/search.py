"""The texts -> Pagefind search indexes: one per language, in shards a rebuild indexes again
only when their texts change.

Each language has indexes of its own, so that its words are stemmed (or, for Chinese and
Japanese, split into words) by its own rules; the search page queries every language at once
and ranks the results together. A language's texts are split by a stable hash of their URLs
into shards of about SHARD_TEXTS: an edit touches one shard, and indexing one takes about a
second. Pagefind is given only what it indexes, each text's words, title and filters, through
its service (one process per core, each indexing one shard after the other).
"""

from __future__ import annotations

import re
import zlib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from archive.base import urls
from archive.base.interface import Interface, english
from archive.base.languages import describe
from archive.base.records import digest
from archive.output.views import search_filters
from archive.site.markdown import html_text
from archive.site.model import Text

SHARD_TEXTS = 256  # texts a shard holds, about: indexing one takes a second
BUNDLE = "pagefind"  # the folder of the site that holds the indexes
# The paragraph numbers a body carries (see markdown.numbered_opening): not words of the text.
PARAGRAPH_NUMBER = re.compile(r'<a class="pn" [^>]*>\d+</a> ?')


class SearchIndexError(RuntimeError):
    """Pagefind could not index the site; the previous output stays as it was."""


@dataclass(frozen=True)
class Shard:
    """Some texts of one language, indexed together into one Pagefind bundle."""

    language: str  # the language of the index (a primary subtag, as Pagefind names them)
    number: int
    texts: tuple[Text, ...]  # in the site's order
    first: bool  # its language's first shard, the one the others are merged into
    ui: Interface = field(default_factory=english)  # the words of what results show (dates, filters)

    @property
    def folder(self) -> str:
        """Its bundle's folder, in the site."""
        return f"{BUNDLE}/{self.language}/{self.number}"

    @cached_property  # asked for by each step of the index's cache
    def key(self) -> str:
        """A digest of all it indexes: each text by its URL and index stamp (the code, a part of
        every stamp, covers Pagefind's version and how records are made). Not the stamp: a site
        served under another base URL has the same records (their URLs are from its root)."""
        texts = [(text.url, text.index_stamp or text.stamp) for text in self.texts]
        return digest(self.language, self.number, self.first, self.ui.fingerprint, texts)


def index_language(text: Text) -> str:
    """The language a text is indexed in: its primary subtag ('zh' for 'zh-Hans')."""
    return describe(text.article.language).primary


def plan_shards(texts: Sequence[Text], ui: Interface | None = None) -> tuple[Shard, ...]:
    """Every language's texts in shards: a power of two of them, by a hash of each text's URL,
    so that a text stays in its shard while the number of the language's texts changes little."""
    by_language: dict[str, list[Text]] = defaultdict(list)
    for text in texts:
        by_language[index_language(text)].append(text)
    shards = []
    for language, members in sorted(by_language.items()):
        count = 1
        while count * SHARD_TEXTS < len(members):
            count *= 2
        parts: list[list[Text]] = [[] for _ in range(count)]
        for text in members:  # in the site's order, in which a text keeps its place among the others
            parts[shard_of(text.url, count)].append(text)
        found = [(n, tuple(part)) for n, part in enumerate(parts) if part]
        shards += [Shard(language, n, part, n == found[0][0], ui or english()) for n, part in found]
    return tuple(shards)


def shard_of(url: str, count: int) -> int:
    """The shard of a URL among count: CRC-32 is stable from one Python to the next, and fast."""
    return zlib.crc32(url.encode("utf-8")) % count


def bundles(shards: Sequence[Shard], ui: Interface) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """For the search page: each language's code, name and bundle URLs, its first bundle first."""
    by_language: dict[str, list[str]] = defaultdict(list)
    for shard in shards:
        by_language[shard.language].append(f"/{shard.folder}/")
    return tuple((code, ui.describe(code).heading, tuple(found)) for code, found in by_language.items())


def search_record(text: Text, body_html: str, ui: Interface) -> dict[str, Any]:
    """What Pagefind indexes of a text: its words (title, original title, body), the meta the
    results show, and the filters a reader can narrow a search by."""
    article = text.article
    words = "\n".join(part for part in (article.title, article.original_title) if part)
    content = f"{words}\n{html_text(PARAGRAPH_NUMBER.sub('', body_html))}"
    filters: dict[str, list[str]] = defaultdict(list)
    for name, value in search_filters(ui, article):  # those the page carries, for the same search
        filters[name].append(value)
    meta = {
        "title": article.title,
        "date": ui.date(article.date, article.written_date),
        "language": article.language,
    }
    return {
        "url": urls.article_url(article.slug),
        "content": content,
        "language": index_language(text),
        "meta": meta,
        "filters": dict(filters),
        "sort": {"date": article.date.isoformat()},
    }
