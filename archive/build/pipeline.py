"""build() and check(): the steps of the pipeline in order, each timed.

Read the settings and the texts (each text rendered as it is read) -> the site model -> plan
every file of the site -> write those whose keys changed into a staging folder -> index for
search -> swap the staging folder in. The cache (archive/incremental/) answers two questions on
the way, which texts can be taken again and which files must be made, and nothing else.
"""

from __future__ import annotations

import datetime
import gc
import os
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import ExitStack, closing, contextmanager, nullcontext
from dataclasses import dataclass, field, replace
from pathlib import Path

from archive.base.diagnostics import Diagnostic
from archive.base.interface import Interface, load_interface
from archive.base.records import Article, digest, digest_pairs
from archive.base.version import code_version
from archive.build.parallel import Progress, run_parallel
from archive.build.plan import BodyReader, Plan, plan_outputs
from archive.build.reading import ReadingContext, Settings, read_chunk
from archive.build.searching import SearchIndexing
from archive.build.writing import write_jobs
from archive.content.attachments import Attachment, find_attachments
from archive.content.reader import Content, find_article_files, finish_content, read_content, read_settings
from archive.content.schema import read_settings_file
from archive.incremental.cache import BuildCache, open_cache
from archive.incremental.outputs import LiveSite, SiteUpdate, changed_by_hand
from archive.incremental.state import (
    BuildState,
    Lookups,
    StatKey,
    TextsState,
    folder_id,
    folder_stats,
    stat_key,
)
from archive.incremental.texts import RACY_NS, KnownTexts
from archive.output.writer import output_lock
from archive.site.history import History, read_history, repository
from archive.site.model import Site, Text, build_site, look_up_ahead, newest_first
from archive.site.publishing import Publishing, describe_held_back
from archive.site.related import features_key, related_texts, related_urls


@dataclass(frozen=True)
class BuildOptions:
    """What to build from, and where to."""

    content_dir: Path = Path("content")
    out_dir: Path = Path("_site")
    templates_dir: Path = Path("templates")
    base_url: str | None = None
    relative_urls: bool = False  # links relative to each page: the site works from any folder
    search: bool = True  # False: skip the Pagefind index (faster; /search/ then finds nothing)
    history: bool = True  # False: leave out the texts' corrections read from git
    jobs: int = 0  # processes that read and render; 0: one per core
    cache: bool = True  # False: build from scratch and keep nothing
    cache_dir: Path | None = None  # None: .cache beside the content folder
    drafts: bool = False  # True: drafts are built too, each marked as such on its page
    future: bool = False  # True: so are texts dated after today
    today: datetime.date | None = None  # the day of the build (None: the machine's date)

    def publishing(self) -> Publishing:
        """Which texts a build started now publishes, as of its day (asked once a build: a
        server that rebuilds for days publishes each day's texts)."""
        return Publishing(self.drafts, self.future, self.today or datetime.date.today())

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
    held_back: str = ""  # the drafts and texts dated after today left out, in words
    interface: str = ""  # a warning when the interface has no catalog for the site's language
    timings: dict[str, float] = field(default_factory=dict)
    # The model and plan the build made. Freeing their few hundred thousand objects one by one
    # takes a good part of a small rebuild: they go with the report (a command exits first).
    made: object = None

    @contextmanager
    def timed(self, step: str) -> Iterator[None]:
        start = time.perf_counter()
        yield
        self.timings[step] = self.timings.get(step, 0.0) + time.perf_counter() - start

    def summary(self) -> str:
        steps = ", ".join(f"{name} {seconds:.2f}s" for name, seconds in self.timings.items())
        total = sum(self.timings.values())
        texts = "text" if self.texts == 1 else "texts"
        held = "".join(f"\n{notice}" for notice in (self.held_back, self.interface) if notice)
        return (
            f"built {self.texts} {texts} into {self.files} files ({self.written} written)"
            f" in {total:.2f}s ({steps}){held}"
        )


@dataclass(frozen=True)
class Inputs:
    """Every input file's path and stat, when they were listed, and a digest of it all."""

    paths: list[str]
    stats: list[StatKey]
    scanned: int  # ns since the epoch
    signature: str  # of the stats, the settings' stats and the options: equal means the same site
    problems: list[Diagnostic]  # folders that could not be listed
    repository: tuple[Path, str] | None  # the content's git repository and commit (None: no history)
    attachments: dict[str, Attachment]  # the files of content/files/, by name


def check(options: BuildOptions) -> Content:
    """Read and validate everything; raise ContentError, write nothing."""
    return read_content(options.content_dir, options.base_url)


def build(
    options: BuildOptions, progress: Progress | None = None, say: Callable[[str], None] | None = None
) -> BuildReport:
    """Build the whole site into options.out_dir, or raise ContentError and leave it untouched.

    say: where notices go (waiting for another build, a cache that cannot be used or saved)."""
    report = BuildReport()
    with (
        output_lock(options.out_dir, say),
        open_cache(options.cache_folder, options.out_dir, options.cache, say) as cache,
        collector_paused(),
        ExitStack() as finishing,  # what runs beside the steps (checks, indexing) is stopped
    ):
        with report.timed("read"):
            publishing = options.publishing()
            inputs = scan_inputs(options, publishing)
            if nothing_changed(cache, inputs, options.out_dir, report):
                return report
            state = cache.load_state()
            reading = reading_context(options, cache, state)
            texts, pickled = read_texts(inputs, reading, state.texts, options, progress)
            live = finishing.enter_context(
                closing(LiveSite(state.site, options.out_dir, cache.twin(), cache.trash()))
            )
        with report.timed("model"):
            shown, held = published(texts.texts(), publishing)
            report.held_back = describe_held_back(publishing.held_back(held))
            attachments = files_shown(inputs.attachments, shown, held)
            config = reading.settings.config
            ui, report.interface = load_interface(options.templates_dir, config.language, cache.compiled)
            ordered = newest_first(shown)  # the site's order, which its search shards keep
            search = finishing.enter_context(closing(search_indexing(ordered, reading, cache, options, ui)))
            site = build_site(config, reading.settings.sources, ordered, ui)
            history = texts_history(site, inputs, options, cache)
            related = find_related(site, cache)
        with report.timed("plan"):
            plan = plan_outputs(
                site,
                options.templates_dir,
                reading,
                texts,
                cache.compiled,
                search.shards,
                history,
                publishing,
                related,
                attachments,
                ui,
            )
            update = live.plan(plan.jobs, search.key if options.search else None)
        with ExitStack() as committed:
            write_site(update, plan, search, options, progress, report, committed)
            with report.timed("save"):
                state = BuildState(inputs.signature, texts, update.settled(), Lookups.known())
                problem = cache.save_state(state, len(plan.jobs), pickled, search.shards)
                if problem and say:
                    say(
                        f"warning: the site is built, but the cache could not be saved ({problem}):"
                        " the next build starts afresh"
                    )
                if not problem:
                    update.saved()
    report.texts, report.files, report.made = len(site.texts), len(plan.jobs), (site, plan, state)
    return report


@contextmanager
def collector_paused() -> Iterator[None]:
    """The garbage collector off during a build: a build makes a few hundred thousand lasting
    objects and few cycles, which it would walk again and again (and make forked workers copy
    the memory pages they sit on)."""
    collecting = gc.isenabled()
    gc.unfreeze()  # what the last build froze (below) is the collector's again
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            # Frozen first: the collector's next pass would otherwise walk every object the
            # build made (a tenth of a second at 10,000 texts), all of them new to it.
            gc.freeze()
            gc.enable()


def scan_inputs(options: BuildOptions, publishing: Publishing) -> Inputs:
    """List the texts' files and take the stat of every input."""
    scanned = time.time_ns()
    problems: list[Diagnostic] = []
    paths = find_article_files(options.content_dir, problems)
    stats = [stat_key(path) for path in paths]
    attachments, attachment_problems = find_attachments(options.content_dir)
    problems += attachment_problems
    found = repository(options.content_dir) if options.history else None
    settings = [
        (name, stat_key(options.content_dir / name))
        for name in ("site.yaml", "sources.yaml")
        if (options.content_dir / name).exists()
    ]
    where = (
        str(options.out_dir.resolve()),
        str(options.templates_dir.resolve()),
        options.base_url,
        options.relative_urls,
        options.search,
        found[1] if found else "",  # a new commit changes the corrections pages show
        publishing.signature,  # a text dated tomorrow is published tomorrow
        [(a.name, a.size, a.modified) for a in attachments.values()],
    )
    head = (code_version(), where, settings, folder_stats(options.templates_dir))
    signature = digest_pairs(head, zip(paths, stats, strict=True))
    return Inputs(paths, stats, scanned, signature, problems, found, attachments)


def nothing_changed(cache: BuildCache, inputs: Inputs, out_dir: Path, report: BuildReport) -> bool:
    """Same inputs as the last build, which succeeded, into the same live folder, and no file
    touched too close to its scan to trust its time: then there is nothing to do."""
    summary = cache.load_summary()
    if summary is None or any(stat[0] >= summary.scanned - RACY_NS for stat in inputs.stats):
        return False
    live_id = folder_id(out_dir)
    if live_id is None or (inputs.signature, live_id) != (summary.inputs, summary.live_id):
        return False
    if changed_by_hand(out_dir, summary.live_files, summary.live_files):
        return False  # a file of the live folder was deleted, replaced or edited
    report.texts, report.files = summary.texts, summary.files
    return True


def reading_context(options: BuildOptions, cache: BuildCache, state: BuildState) -> ReadingContext:
    """The settings every text is read with, and the key they make."""
    state.lookups.reuse()
    config, sources, diagnostics = read_settings(options.content_dir, options.base_url)
    config = replace(config, relative_urls=options.relative_urls)
    sources_file = read_bytes(options.content_dir / "sources.yaml")
    key = digest(code_version(), read_bytes(options.content_dir / "site.yaml"), sources_file, repr(config))
    served_anywhere = replace(config, base_url="", relative_urls=False)
    index_key = digest(code_version(), sources_file, repr(served_anywhere))
    cache.bodies.prepare()
    return ReadingContext(Settings(config, sources, tuple(diagnostics)), key, cache.bodies, index_key)


def read_texts(
    inputs: Inputs,
    reading: ReadingContext,
    last: TextsState,
    options: BuildOptions,
    progress: Progress | None,
) -> tuple[TextsState, list[bytes] | None]:
    """Every text, taken from the last build or read and rendered; raise ContentError if any
    file (or setting) has a problem. With them, the records as the readers pickled them, when
    every file was read anew (see KnownTexts.pickled)."""
    known = KnownTexts(last, reading.reading_key, inputs.scanned)
    diagnostics = [*reading.settings.diagnostics, *inputs.problems]
    to_read = known.to_read(inputs.paths, inputs.stats)
    parallel = run_parallel(
        read_chunk, reading, to_read, options.processes, progress, "read", reading.bodies.close
    )
    for files, chunk in parallel:
        look_up_ahead(known.receive(files, chunk))
        diagnostics += [problem for problems in chunk.problems for problem in problems]
    texts = known.texts()
    settings = reading.settings
    articles = [t.article for t in texts.texts()]
    finish_content(settings.config, settings.sources, articles, diagnostics, inputs.attachments)
    return texts, known.pickled()


def write_site(
    update: SiteUpdate,
    plan: Plan,
    search: SearchIndexing,
    options: BuildOptions,
    progress: Progress | None,
    report: BuildReport,
    committed: ExitStack,
) -> None:
    """Make the files whose keys changed and the search index in a staging folder, then swap it
    in. From the swap on, the build is done: an interrupt waits for committed to close (after
    the cache is saved), and is then dropped, so it never cuts the swap or the save short."""
    if update.unchanged:
        return
    staging_from = time.perf_counter()
    with update.staged() as staging:
        report.timings["stage"] = time.perf_counter() - staging_from  # linking the unchanged files
        with report.timed("write"):
            todo, mirror = update.todo, update.mirror
            written = write_jobs(todo, staging, options.processes, progress, mirror, plan.entries)
            update.wrote(written)
            report.written = len(written)
        with report.timed("search") if update.search_key is not None else nullcontext():
            update.index_search(staging, search.index_into)
        committed.enter_context(interrupts_held())
        swap_from = time.perf_counter()
    report.timings["swap"] = time.perf_counter() - swap_from  # the new site in, the old out


@contextmanager
def interrupts_held() -> Iterator[None]:
    """Ctrl-C and SIGTERM held back for the block, and dropped at its end (where signals can be
    held: the main thread of a POSIX process)."""
    held = {signal.SIGINT, signal.SIGTERM}
    can_hold = hasattr(signal, "pthread_sigmask") and threading.current_thread() is threading.main_thread()
    before = signal.pthread_sigmask(signal.SIG_BLOCK, held) if can_hold else None
    try:
        yield
    finally:
        if can_hold and before is not None:
            while signal.sigtimedwait(held, 0) is not None:
                pass
            signal.pthread_sigmask(signal.SIG_SETMASK, before)


def published(texts: Iterable[Text], publishing: Publishing) -> tuple[list[Text], list[Article]]:
    """The texts the build publishes, and those it holds back."""
    shown: list[Text] = []
    held: list[Article] = []
    for text in texts:
        if publishing.shows(text.article):
            shown.append(text)
        else:
            held.append(text.article)
    return shown, held


def files_shown(
    attachments: dict[str, Attachment], shown: list[Text], held: list[Article]
) -> dict[str, Attachment]:
    """The kept files the site publishes: all but those that only texts held back name (a
    draft's facsimile stays out with the draft)."""
    if not held:
        return attachments
    named = {name for article in held for name in kept_names(article)}
    named -= {name for text in shown for name in kept_names(text.article)}
    return {name: kept for name, kept in attachments.items() if name not in named}


def kept_names(article: Article) -> Iterator[str]:
    yield from (kept.file for kept in article.files)
    yield from (name for name, _ in article.file_links)


def find_related(site: Site, cache: BuildCache) -> dict[str, tuple[Text, ...]]:
    """Each text's related texts: those the last build found, when they were found from the
    same authors, tags, sources, dates and works (site/related.py)."""
    key = features_key(site.texts)
    found = cache.load_related(key)
    if found is None:
        found = related_urls(site)
        cache.save_related(key, found)
    return related_texts(site, found)


def texts_history(site: Site, inputs: Inputs, options: BuildOptions, cache: BuildCache) -> History:
    """The texts' corrections from the content's git history (none with --no-history)."""
    if not options.history:
        return History(reason="this copy was built without it")
    paths = [text.article.path for text in site.texts]
    history, kept = read_history(inputs.repository, options.content_dir, paths, cache.load_history())
    cache.save_history(kept)
    return history


def search_indexing(
    texts: Sequence[Text], reading: ReadingContext, cache: BuildCache, options: BuildOptions, ui: Interface
) -> SearchIndexing:
    """The search index of the site's texts, in its order (of none when search is off), started
    at once when a rebuild lacks few shards of it: beside the model, the plan and the writing."""
    indexed = texts if options.search else ()
    return SearchIndexing(indexed, cache.shards, BodyReader(texts, reading).many, options.processes, ui)


def read_bytes(path: Path) -> bytes:
    """A settings file's bytes for the reading key ('' where it cannot be read: its problem is
    reported when it is read as settings)."""
    try:
        return read_settings_file(path)
    except OSError:
        return b""
