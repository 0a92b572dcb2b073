"""Planning: the site model -> every file of the site as a job, with its key."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

from archive.base import urls
from archive.base.interface import Interface
from archive.base.records import ExportRows, Job, Output, digest
from archive.base.version import code_version
from archive.build.reading import ReadingContext, render_again
from archive.content.attachments import Attachment
from archive.incremental.bodies import BodyStore
from archive.incremental.state import TextsState, folder_digest
from archive.output.assets import hash_assets
from archive.output.feeds import changes_jobs, feed_jobs
from archive.output.keys import OutputKeys, RenderContext
from archive.output.pages import page_jobs
from archive.output.search import Shard, bundles
from archive.output.sitemap import citation_jobs, export_rows, machine_jobs
from archive.output.templating import ListEntries, list_entries, make_environment
from archive.output.writer import MARKER, MARKER_TEXT, check_paths
from archive.site.history import History
from archive.site.model import Site, Text
from archive.site.publishing import Publishing

READ_AHEAD = 32  # bodies loaded with the one asked for: pages are mostly made in the order of the texts


class Plan(NamedTuple):
    """Every file of the site as a job, and the entries of texts in lists that pages share."""

    jobs: list[Job]
    entries: ListEntries


def plan_outputs(
    site: Site,
    templates_dir: Path,
    reading: ReadingContext,
    texts: TextsState,
    compiled: Path | None,
    shards: Sequence[Shard],
    history: History,
    publishing: Publishing,
    related: Mapping[str, tuple[Text, ...]],
    attachments: Mapping[str, Attachment],
    ui: Interface,
) -> Plan:
    """Every file of the site as a job, and what the writing and indexing steps need beside.

    Every key starts with the context key: a digest of the code and its dependencies, the
    templates and their assets, and the settings the texts were read with (site.yaml,
    sources.yaml, the base URL). compiled: where compiled templates are kept between builds;
    shards: those of the search index (none: the search page says it was built without one);
    history: the texts' corrections (or why there are none, which the pages say); publishing:
    which texts a page marks as drafts or as dated after today; related: each text's related
    texts, by its URL; attachments: the files of content/files/, copied as they are; ui: the
    words of the pages (its catalog is in the templates folder, which the context key covers).
    """
    assets = hash_assets(templates_dir)
    env = make_environment(templates_dir, site.config.base_url, assets.urls, compiled, ui)
    templates = digest(code_version(), folder_digest(templates_dir))
    checks = compiled / f"checks-{templates}.pickle" if compiled else None
    if checks:
        env.recall_checks(checks)
    context_key = digest(templates, reading.reading_key, repr(site.config))
    rows = {record.text.stamp: record.rows for record in texts.records.values()}

    def rows_of(text: Text) -> ExportRows:
        return rows.get(text.stamp) or export_rows(text, site.config)

    bodies = BodyReader(site.texts, reading)
    context = RenderContext(site.config, ui, env, site, bodies, rows_of)
    keys = OutputKeys(context_key, context)
    # The files about the whole site first: the largest (the sitemap, the data export) take
    # a tenth of a second each, and a worker left alone with them at the end leaves a core idle.
    jobs = (
        machine_jobs(site, keys)
        + feed_jobs(site, keys)
        + page_jobs(site, keys, bundles(shards, ui), history, publishing, related, attachments)
    )
    jobs += changes_jobs(site, keys, history)
    jobs += citation_jobs(site, keys)
    jobs += [keys.job(output.path, keep_as_it_is, output) for output in assets.outputs]
    jobs += [keys.job(urls.output_path(kept.url), copy_attachment, kept) for kept in attachments.values()]
    jobs.append(keys.job(MARKER, keep_as_it_is, Output(MARKER, MARKER_TEXT)))  # "a site this archive built"
    check_paths(job.path for job in jobs)
    if checks:
        env.keep_checks(checks)
    return Plan(jobs, list_entries(env))


def copy_attachment(context: RenderContext, kept: Attachment) -> Output:
    """A file of content/files/, as it is (its key: its name, size and time)."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    with open(os.open(kept.source, flags), "rb") as file:  # a link put there since the scan: refused
        return Output(urls.output_path(kept.url), file.read())


def keep_as_it_is(context: RenderContext, output: Output) -> Output:
    """An output made before planning (an asset)."""
    return output


class BodyReader:
    """A text's body HTML, as UTF-8: from the cache, with the bodies of the texts after it, or
    else rendered again from its file."""

    def __init__(self, texts: Sequence[Text], reading: ReadingContext) -> None:
        self.texts = texts
        self.reading = reading
        self.bodies: BodyStore = reading.bodies
        self.position: dict[str, int] = {}
        self.ahead: dict[str, bytes] = {}

    def __call__(self, text: Text) -> bytes:
        if text.stamp not in self.ahead:
            if not self.position:
                self.position.update((t.stamp, i) for i, t in enumerate(self.texts))
            start = self.position.get(text.stamp, 0)
            wanted = [t.stamp for t in self.texts[start : start + READ_AHEAD]] + [text.stamp]
            self.ahead.clear()
            self.ahead.update(self.bodies.load_html(wanted))
        stored = self.ahead.pop(text.stamp, None)
        if stored is not None:
            return stored
        return render_again(text, self.reading).encode()

    def many(self, texts: Sequence[Text]) -> list[bytes]:
        """The bodies of these texts, read from the cache together (those it lost rendered again)."""
        found = self.bodies.load_html([text.stamp for text in texts])
        return [found.get(text.stamp) or render_again(text, self.reading).encode() for text in texts]
