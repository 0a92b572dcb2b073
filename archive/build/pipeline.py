"""build() and check(): the steps of the pipeline in order, each timed.

A build consults the cache (archive/cache.py): texts whose files did not change are not read
again, and only the files whose inputs changed are rendered and written; the rest of the new
site is hard links to the files of the old one. Reading and rendering run in a pool of
processes, one per core.
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import shutil
import signal
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from markupsafe import Markup

from archive.base import urls
from archive.base.diagnostics import Diagnostic
from archive.base.records import Article, ExportRows, Job, Output, Source, digest, digest_pairs
from archive.base.version import code_version
from archive.content.config import SiteConfig
from archive.content.reader import (
    Content,
    find_article_files,
    finish_content,
    read_article,
    read_articles,
    read_content,
    read_file,
    read_settings,
)
from archive.incremental.cache import (
    BodyStore,
    BuildCache,
    BuildState,
    Record,
    Records,
    StatKey,
    Summary,
    folder_digest,
    folder_id,
    folder_stats,
    stat_key,
)
from archive.output.assets import hash_assets
from archive.output.feeds import feed_jobs
from archive.output.pages import EntryKey, ListEntries, list_entries, make_environment, page_jobs
from archive.output.search import index_language, index_site
from archive.output.sitemap import export_rows, machine_jobs
from archive.output.writer import check_paths, link_output, link_tree, staged_update, write_output
from archive.site import markdown
from archive.site.model import Site, Text, build_site, look_up_ahead

Progress = Callable[[str, int, int], None]  # step, done, total
T = TypeVar("T")
R = TypeVar("R")
PARALLEL_MIN = 64  # below this many items a pool costs more than it saves
RACY_NS = 2_000_000_000  # a file changed this close to a build's scan is read again, whatever its stat


@dataclass(frozen=True)
class BuildOptions:
    """What to build from, and where to."""

    content_dir: Path = Path("content")
    out_dir: Path = Path("_site")
    templates_dir: Path = Path("templates")
    base_url: str | None = None
    search: bool = True  # False: skip the Pagefind index (faster; /search/ then finds nothing)
    jobs: int = 0  # processes that read and render; 0: one per core
    cache: bool = True  # False: build from scratch and keep nothing
    cache_dir: Path | None = None  # None: .cache beside the content folder

    @property
    def cache_folder(self) -> Path:
        return self.cache_dir or self.content_dir.resolve().parent / ".cache"

    @property
    def processes(self) -> int:
        if not hasattr(os, "fork"):
            return 1  # workers inherit the site model by forking; elsewhere the build is serial
        return self.jobs if self.jobs > 0 else os.cpu_count() or 1


@dataclass
class BuildReport:
    """What a build did: counts and the time each step took."""

    texts: int = 0
    files: int = 0
    written: int = 0  # files rendered and written; the others were kept from the last build
    timings: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def timed(self, step: str) -> Iterator[None]:
        start = time.perf_counter()
        yield
        self.timings[step] = self.timings.get(step, 0.0) + time.perf_counter() - start

    def summary(self) -> str:
        steps = ", ".join(f"{name} {seconds:.2f}s" for name, seconds in self.timings.items())
        total = sum(self.timings.values())
        texts = "text" if self.texts == 1 else "texts"
        return (
            f"built {self.texts} {texts} into {self.files} files ({self.written} written)"
            f" in {total:.2f}s ({steps})"
        )


def check(options: BuildOptions) -> Content:
    """Read and validate everything; raise ContentError, write nothing."""
    return read_content(options.content_dir, options.base_url)


def nothing_changed(
    summary: Summary, inputs: str, live_id: tuple[int, int] | None, stats: list[StatKey]
) -> bool:
    """Same inputs, same live folder, and no file touched too close to the last scan to trust its time."""
    racy = any(stat[0] >= summary.scanned - RACY_NS for stat in stats)
    return not racy and live_id is not None and (inputs, live_id) == (summary.inputs, summary.live_id)


def render_text(article: Article, stamp: str = "", base_path: str = "/") -> Text:
    """Render one article's body, editorial sections and notes, links under the base path."""
    return render_texts([(stamp, article)], base_path)[0]


def render_texts(articles: Sequence[tuple[str, Article]], base_path: str = "/") -> list[Text]:
    """render_text of each (stamp, article), the bodies rendered together."""
    bodies = markdown.render_bodies([(a.body, a.work is not None) for _, a in articles], base_path)
    return [
        Text(article, body, editorial_of(article, base_path), notes_of(article, base_path), stamp)
        for (stamp, article), body in zip(articles, bodies, strict=True)
    ]


def editorial_of(article: Article, base_path: str) -> tuple[tuple[str, str], ...]:
    return tuple((s.heading, markdown.render_fragment(s.body, base_path)) for s in article.editorial)


def notes_of(article: Article, base_path: str) -> str:
    return markdown.render_fragment(article.notes, base_path) if article.notes else ""


# What forked workers inherit: set by the parent just before its pool starts.
SHARED: dict[str, Any] = {}
# The last build's model and plan. Freeing their few hundred thousand objects one by one takes
# a good part of a small rebuild: they go when the next build starts, or with the process.
LINGERING: list[object] = []


def build(options: BuildOptions, progress: Progress | None = None) -> BuildReport:
    """Build the whole site into options.out_dir, or raise ContentError and leave it untouched."""
    LINGERING.clear()
    gc.unfreeze()  # what the last build froze (below) is the collector's again
    scratch = nullcontext(None) if options.cache else tempfile.TemporaryDirectory(prefix="archive-build-")
    collecting = gc.isenabled()
    # A build makes a few hundred thousand lasting objects and few cycles: the collector would
    # walk them again and again (and make forked workers copy the pages they sit on).
    gc.disable()
    with scratch as folder:  # without a cache, one in a temporary folder, dropped after the build
        cache = BuildCache(Path(folder) if folder else options.cache_folder, options.out_dir)
        try:
            return build_with(options, cache, progress, keep=options.cache)
        finally:
            cache.bodies.close()
            SHARED.clear()  # what the workers were given: the model, the jobs
            if collecting:
                # Frozen first: the collector's next pass would otherwise walk every object the
                # build made (a tenth of a second at 10,000 texts), all of them new to it.
                gc.freeze()
                gc.enable()


def build_with(
    options: BuildOptions, cache: BuildCache, progress: Progress | None, keep: bool = True
) -> BuildReport:
    report = BuildReport()
    scanned = time.time_ns()
    with report.timed("read"):
        paths = find_article_files(options.content_dir)
        stats = [stat_key(path) for path in paths]
        inputs = input_signature(options, paths, stats)  # the settings' stats too
        live_id = folder_id(options.out_dir)
        summary = cache.load_summary() if keep else None
        if summary and nothing_changed(summary, inputs, live_id, stats):
            report.texts, report.files = summary.texts, summary.files
            return report  # nothing changed since the last build, which succeeded
        state = cache.load_state() if keep else BuildState()
        state.reuse_lookups()
        config, sources, diagnostics = read_settings(options.content_dir, options.base_url)
        env = digest(
            code_version(),
            read_bytes(options.content_dir / "site.yaml"),
            read_bytes(options.content_dir / "sources.yaml"),
            repr(config),
        )
        settings = (config, sources, diagnostics)
        cache.bodies.prepare()
        records, parts = read_texts(
            paths, stats, state, env, cache.bodies, options, progress, diagnostics, settings
        )
        texts = [text for _, text, _ in records.values()]
        finish_content(config, sources, [t.article for t in texts], diagnostics)
    with report.timed("model"):
        site: Site = build_site(config, sources, texts)
    with report.timed("plan"):
        compiled = cache.folder / "templates" if keep else None
        rows = {text.stamp: text_rows for _, text, text_rows in records.values()}
        jobs, keys, entries = plan_jobs(site, options, env, cache.bodies, sources, rows, compiled)
        live = state.outputs if live_id and live_id == state.live_id else {}
        todo = [job for job in jobs if live.get(job.path) != keys[job.path]]
        search_key = digest_pairs(index_language(site), sorted(keys.items())) if options.search else None
    unchanged = not todo and set(keys) == set(live) and search_key == state.search
    if not unchanged:
        twin = cache.twin if keep and same_device(cache.twin.parent, options.out_dir) else None
        # A build that rewrites every file (the first, or one after a change of code or
        # templates) stages afresh and leaves a new twin, linking each file as it is written:
        # the old site would be a twin stale throughout, for the next build to redo whole.
        mirror = twin if twin and len(todo) == len(jobs) else None
        twin_keys = state.twin if twin and not mirror and folder_id(twin) == state.twin_id else None
        staging_from = time.perf_counter()
        staged = staged_update(options.out_dir, twin, live, twin_keys, keys, mirrored=mirror is not None)
        with staged as (staging, missing):
            report.timings["stage"] = time.perf_counter() - staging_from  # linking the unchanged files
            todo += [job for job in jobs if job.path in missing]
            with report.timed("write"):
                report.written = render_jobs(todo, staging, options.processes, progress, mirror, entries)
            if options.search:
                with report.timed("search"):
                    update_index(staging, options.out_dir, site, search_key, state, twin_keys is not None)
            else:
                shutil.rmtree(staging / "pagefind", ignore_errors=True)
            swap_from = time.perf_counter()
        report.timings["swap"] = time.perf_counter() - swap_from  # the new site in, the old out
        if mirror:  # the twin holds the new site, but for its search index
            state.twin, state.twin_id, state.twin_search = dict(keys), folder_id(mirror), None
        else:  # the twin is the old live site, if it was this build's to know
            kept_twin = twin if twin and live_id and live_id == state.live_id else None
            state.twin, state.twin_id = (dict(live), folder_id(kept_twin)) if kept_twin else (None, None)
            state.twin_search = state.search if kept_twin else None
    report.texts, report.files = len(site.texts), len(keys)
    if keep:
        state.records, state.env, state.inputs, state.outputs = records, env, inputs, keys
        state.keep_lookups()
        state.live_id, state.texts, state.search, state.scanned = (
            folder_id(options.out_dir),
            len(texts),
            search_key,
            scanned,
        )
        with report.timed("save"):
            cache.save_state(state, parts)
            cache.bodies.prune({text.stamp for text in texts})
    LINGERING.extend((site, jobs, keys, records, state))
    return report


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b""


def same_device(folder: Path, out_dir: Path) -> bool:
    """Folders can be swapped by renaming only on one file system."""
    folder.mkdir(parents=True, exist_ok=True)
    parent = out_dir.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    return folder.stat().st_dev == parent.stat().st_dev


def input_signature(options: BuildOptions, paths: list[str], stats: list[StatKey]) -> str:
    """A digest of every input's stat and of the options: equal means the same site."""
    settings = [
        (name, stat_key(options.content_dir / name))
        for name in ("site.yaml", "sources.yaml")
        if (options.content_dir / name).exists()
    ]
    where = (
        str(options.out_dir.resolve()),
        str(options.templates_dir.resolve()),
        options.base_url,
        options.search,
    )
    head = (code_version(), where, settings, folder_stats(options.templates_dir))
    return digest_pairs(head, zip(paths, stats, strict=True))


def read_texts(
    paths: list[str],
    stats: list[StatKey],
    state: BuildState,
    env: str,
    bodies: BodyStore,
    options: BuildOptions,
    progress: Progress | None,
    diagnostics: list[Diagnostic],
    settings: tuple[Any, dict[str, Any], list[Diagnostic]],
) -> tuple[Records, list[bytes] | None]:
    """The record of every text that reads without error (its stat, the light text, its export
    rows), by path: from the last build where its file kept its stat or its bytes, else read
    and rendered.

    With them, when every text was read and rendered, the records as the readers pickled them,
    a part a chunk: the cache keeps them as they are (and this process received them so)."""
    last = state.records if state.env == env else {}
    found: list[Record | None] = [None] * len(paths)
    to_read = []
    for index, (path, stat) in enumerate(zip(paths, stats, strict=True)):
        record = last.get(path)
        if record is not None and record[0] == stat and stat[0] < state.scanned - RACY_NS:
            found[index] = record
        else:
            to_read.append(index)
    shared = {"env": env, "bodies": bodies, "settings": settings}
    items = [(paths[i], stats[i], last[paths[i]][1].stamp if paths[i] in last else "") for i in to_read]
    parts = []
    done = kept = 0
    for results in run_parallel(read_chunk, items, options.processes, shared, "read", progress):
        part = results[0][1]  # the records of the whole chunk, each item holding the same bytes
        chunk: Records = pickle.loads(part)
        parts.append(part)
        look_up_ahead(light for _, light, _ in chunk.values())
        for index, (problems, _, same) in zip(to_read[done : done + len(results)], results, strict=True):
            diagnostics += problems
            if same:  # the text of the last build: the same record, with the file's new stat
                found[index] = (stats[index], *last[paths[index]][1:])
                kept += 1
            else:
                found[index] = chunk.get(paths[index])
        done += len(results)
    records = {path: record for path, record in zip(paths, found, strict=True) if record is not None}
    return records, parts if len(to_read) == len(paths) and not kept else None


def read_chunk(items: Sequence[tuple[str, StatKey, str]]) -> list[tuple[list[Diagnostic], bytes, bool]]:
    """Read some files and render their texts; keep the bodies in the cache, in one go.

    items: each file's path and stat, and the stamp of its text in the last build ('' if none).
    For each file: its problems; the records of the chunk's texts pickled (see read_texts; one
    bytes object, sent once); and whether its text is still the last build's (a file touched,
    or written again with the same bytes), which is neither rendered nor among the records.
    Each text comes with its line and row of the data export, made when it is read: a rebuild
    joins them instead of encoding every record again. Each step is taken for all the chunk's
    texts before the next (front matter, Markdown, export rows): a step's code and data stay in
    the processor's caches from one text to the next.
    """
    config, sources, _problems = SHARED["settings"]
    files = [(path, read_file(path)) for path, _, _ in items]
    stamps = [text_stamp(SHARED["env"], path, data) for path, data in files]
    same = [stamp == last for stamp, (_, _, last) in zip(stamps, items, strict=True)]
    fresh = [(file, stamp) for file, stamp, kept in zip(files, stamps, same, strict=True) if not kept]
    articles = read_articles([file for file, _ in fresh], sources, config.language)
    read = [(stamp, found) for (_, stamp), found in zip(fresh, articles, strict=True)]
    base_path = urls.base_path(config.base_url)
    texts = {t.stamp: t for t in render_texts([(stamp, a) for stamp, (a, _) in read if a], base_path)}
    if texts:
        bodies: BodyStore = SHARED["bodies"]
        bodies.save([(stamp, text.body.html) for stamp, text in texts.items()])
    made = {stamp: (text.light(), export_rows(text, config.base_url)) for stamp, text in texts.items()}
    records = {
        path: (stat, *made[stamp])
        for (path, stat, _), stamp in zip(items, stamps, strict=True)
        if stamp in made
    }
    part = pickle.dumps(records, pickle.HIGHEST_PROTOCOL)
    problems = {stamp: found for stamp, (_, found) in read}
    return [(problems.get(stamp, []), part, kept) for stamp, kept in zip(stamps, same, strict=True)]


def text_stamp(env: str, path: str, data: bytes) -> str:
    """A digest of a file and of everything it is read with: the key of its text in the cache.

    SHA-256: on processors with SHA instructions (most current ones) about twice as fast as BLAKE2.
    """
    return hashlib.sha256(f"{env}\0{path}\0".encode("utf-8", "surrogatepass") + data).hexdigest()[:32]


def plan_jobs(
    site: Site,
    options: BuildOptions,
    env: str,
    bodies: BodyStore,
    sources: dict[str, Source],
    rows: dict[str, ExportRows],
    compiled: Path | None = None,
) -> tuple[list[Job], dict[str, str], ListEntries]:
    """Every file of the site as a job, each path's key (the job's, the templates', the code's),
    and the entries of texts in lists that the pages share.

    rows are the texts' export rows by stamp (any missing are made afresh).
    """
    assets = hash_assets(options.templates_dir)
    environment = make_environment(options.templates_dir, site.config.base_url, assets.urls, compiled)
    shared = digest(code_version(), folder_digest(options.templates_dir), env, repr(site.config))

    position: dict[str, int] = {}
    ahead: dict[str, bytes] = {}

    def body_of(text: Text) -> bytes:
        """The text's body HTML, as UTF-8: from the cache, with the bodies of the texts after it
        (pages are mostly made in the order of the texts), else rendered again."""
        if text.stamp not in ahead:
            if not position:
                position.update((t.stamp, i) for i, t in enumerate(site.texts))
            start = position.get(text.stamp, 0)
            ahead.clear()
            ahead.update(bodies.load_html([t.stamp for t in site.texts[start : start + 32]] + [text.stamp]))
        stored = ahead.pop(text.stamp, None)
        if stored is not None:
            return stored
        return render_again(text, env, bodies, sources, site.config).encode()

    def rows_of(site: Site) -> list[ExportRows]:
        return [rows.get(t.stamp) or export_rows(t, site.config.base_url) for t in site.texts]

    # The files about the whole site first: the largest (the sitemap, the data export) take
    # a tenth of a second each, and a worker left alone with them at the end leaves a core idle.
    jobs = machine_jobs(site, rows_of) + feed_jobs(site) + page_jobs(site, environment, body_of)
    jobs += [Job(output.path, digest(output.data), constant(output)) for output in assets.outputs]
    check_paths(job.path for job in jobs)
    return jobs, {job.path: shared + job.key for job in jobs}, list_entries(environment)


def render_again(
    text: Text, env: str, bodies: BodyStore, sources: dict[str, Source], config: SiteConfig
) -> str:
    """The body of a text the cache lost, from its file; kept again when the file is still the
    one the text was read from (the next build finds it)."""
    path = text.article.path
    try:
        data = read_file(path)
    except OSError:
        data = b""  # gone since it was listed: the page shows what the text's record holds
    article, _ = read_article(path, sources, config.language, data) if data else (None, [])
    html = render_text(article or text.article, text.stamp, urls.base_path(config.base_url)).body.html
    if article is not None and text_stamp(env, path, data) == text.stamp:
        bodies.save([(text.stamp, html)])
    return html


def constant(output: Output) -> Callable[[], Output]:
    return lambda: output


def render_jobs(
    jobs: list[Job],
    staging: Path,
    processes: int,
    progress: Progress | None,
    mirror: Path | None = None,
    entries: ListEntries | None = None,
) -> int:
    """Make every job's file in the staging folder, and a hard link to it in mirror; return how many.

    In a pool, the jobs marked later are made in a second round, by processes forked once the
    entries of texts in lists that the first round made are back in this one.
    """
    rounds = [jobs]
    if entries is not None and processes > 1:
        rounds = [[job for job in jobs if not job.later], [job for job in jobs if job.later]]
    done = 0
    for part in rounds:
        handing_on = entries if part is not rounds[-1] else None  # to the rounds after this one
        shared = {"jobs": part, "staging": staging, "mirror": mirror, "entries": handing_on}
        told = partial(progress_from, progress, done, len(jobs)) if progress else None
        for results in run_parallel(render_chunk, list(range(len(part))), processes, shared, "write", told):
            if handing_on is not None:
                for fresh in results:
                    handing_on.keep(fresh)
        done += len(part)
    return done


def progress_from(progress: Progress, done: int, total: int, step: str, count: int, _: int) -> None:
    """Progress over all rounds, from one round's."""
    progress(step, done + count, total)


def render_chunk(indices: Sequence[int]) -> list[list[tuple[EntryKey, Markup]]]:
    """Make these jobs; for each, the list entries it made first."""
    jobs: list[Job] = SHARED["jobs"]
    staging, mirror, entries = SHARED["staging"], SHARED["mirror"], SHARED["entries"]
    folders: set[str] = SHARED.setdefault("folders", set())  # made by this process, this round
    made = []
    outputs = []
    for index in indices:  # every page first, then every file: each step's code stays in the caches
        outputs.append(jobs[index].make())
        made.append(entries.take_fresh() if entries is not None else [])
    for output in outputs:
        write_output(staging, output, folders)
    if mirror:
        for output in outputs:
            link_output(staging, mirror, output.path, folders)
    return made


def update_index(
    staging: Path, out_dir: Path, site: Site, key: str | None, state: BuildState, twin: bool
) -> None:
    """Index the staging folder, or keep the live index when no page changed."""
    live = out_dir / "pagefind"
    if key == state.search and live.is_dir():
        if not (twin and state.twin_search == key):
            link_tree(live, staging / "pagefind")
        return
    shutil.rmtree(staging / "pagefind", ignore_errors=True)
    index_site(staging, index_language(site))


def run_parallel(
    function: Callable[[Sequence[T]], list[R]],
    items: Sequence[T],
    processes: int,
    shared: dict[str, Any],
    step: str,
    progress: Progress | None,
) -> Iterator[list[R]]:
    """function over items, a chunk at a time, in a pool of forked processes when it pays: each
    chunk's results, in order, as they come."""
    SHARED.clear()
    SHARED.update(shared)
    total, done = len(items), 0
    serial = processes <= 1 or total < PARALLEL_MIN
    chunks = chunked(items, 100) if serial else shrinking_chunks(items, processes)
    if serial:
        for chunk in chunks:
            yield function(chunk)
            done += len(chunk)
            if progress:
                progress(step, done, total)
        return
    # Imported here: a small rebuild needs no pool, and importing one is a good part of its time.
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    with ProcessPoolExecutor(
        processes, mp_context=get_context("fork"), initializer=ignore_interrupts
    ) as pool:
        try:
            for chunk_results in pool.map(function, chunks):
                yield chunk_results
                done += len(chunk_results)
                if progress:
                    progress(step, done, total)
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)
            raise


def chunked(items: Sequence[T], size: int) -> list[Sequence[T]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def shrinking_chunks(items: Sequence[T], processes: int) -> list[Sequence[T]]:
    """Chunks of up to 200 items, smaller towards the end, so that the processes finish together
    (each chunk at most an eighth of what is left for each process, at least 4 items)."""
    chunks: list[Sequence[T]] = []
    start = 0
    while start < len(items):
        size = max(4, min(200, (len(items) - start) // (processes * 8)))
        chunks.append(items[start : start + size])
        start += size
    return chunks


def ignore_interrupts() -> None:
    """Workers leave Ctrl-C to the parent, which stops the pool and drops the staging folder."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
