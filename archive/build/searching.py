"""The index step: the site's texts in search shards, those the cache lacks indexed by Pagefind,
every shard linked into the staging folder (output/search.py says how texts are sharded)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path

from archive.base.forked import Forked
from archive.base.interface import Interface
from archive.base.records import digest
from archive.incremental.shards import ShardStore
from archive.output.search import Shard, plan_shards
from archive.site.model import Text

BodiesOf = Callable[[Sequence[Text]], list[bytes]]


class SearchIndexing:
    """The search index of one build (no shards when search is off).

    When the shards the cache lacks are few (a rebuild: at most one per core), they are indexed
    in a forked process from the moment the texts are read, while this one models the site,
    plans and writes the pages; a build that lacks more (the first) indexes them once the pages
    are written, when every core is free for it. close() stops what was started and not taken.
    """

    def __init__(
        self, texts: Sequence[Text], store: ShardStore, bodies_of: BodiesOf, processes: int, ui: Interface
    ) -> None:
        self.shards: tuple[Shard, ...] = plan_shards(texts, ui)
        self.store = store
        self.bodies_of = bodies_of
        self.processes = processes
        self.ahead: list[tuple[Shard, Path]] = []
        self.indexing: Forked[None] | None = None
        missing = store.missing(self.shards)
        if 0 < len(missing) <= processes:
            self.ahead = store.prepare(missing)
            self.indexing = Forked(partial(index_with_pagefind, self.ahead, bodies_of, processes))

    @property
    def key(self) -> str:
        """A digest of every shard's key: equal keys, equal index."""
        return digest([shard.key for shard in self.shards])

    def index_into(self, site: Path) -> None:
        """Index what the cache lacks (waiting for what was started ahead), keep it in the cache,
        and link every shard into the site's folder; raise SearchIndexError if Pagefind fails."""
        if self.indexing is not None:
            indexing, self.indexing = self.indexing, None
            indexing.result()
            self.store.keep(self.ahead)
            self.ahead = []  # in place: nothing left for close() to remove
        run = partial(index_with_pagefind, bodies_of=self.bodies_of, processes=self.processes)
        self.store.index(self.shards, run)
        self.store.link(self.shards, site)

    def close(self) -> None:
        if self.indexing is not None:
            self.indexing.stop()
            self.indexing = None
        self.store.drop(self.ahead)


def index_with_pagefind(work: list[tuple[Shard, Path]], bodies_of: BodiesOf, processes: int) -> None:
    from archive.output.indexing import index_shards  # only here: a rebuild may index nothing

    index_shards(work, bodies_of, processes)
