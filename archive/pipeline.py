"""build() and check(): the steps of the pipeline in order, each timed."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from archive import markdown, urls
from archive.assets import hash_assets
from archive.content import Content, read_content
from archive.feeds import render_feeds
from archive.model import Site, Text, build_site
from archive.pages import make_environment, render_pages
from archive.records import Article
from archive.search import index_language, index_site
from archive.sitemap import render_machine_files
from archive.writer import check_outputs, staged_folder, write_all


@dataclass(frozen=True)
class BuildOptions:
    """What to build from, and where to."""

    content_dir: Path = Path("content")
    out_dir: Path = Path("_site")
    templates_dir: Path = Path("templates")
    base_url: str | None = None
    search: bool = True  # False: skip the Pagefind index (faster; /search/ then finds nothing)


@dataclass
class BuildReport:
    """What a build did: counts and the time each step took."""

    texts: int = 0
    files: int = 0
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
        return f"built {self.texts} {texts} into {self.files} files in {total:.2f}s ({steps})"


def check(options: BuildOptions) -> Content:
    """Read and validate everything; raise ContentError, write nothing."""
    return read_content(options.content_dir, options.base_url)


def render_text(article: Article, base_path: str = "/") -> Text:
    """Render one article's body, editorial sections and notes, links under the base path."""
    editorial = tuple((s.heading, markdown.render_fragment(s.body, base_path)) for s in article.editorial)
    notes = markdown.render_fragment(article.notes, base_path) if article.notes else ""
    return Text(article, markdown.render_body(article.body, base_path), editorial, notes)


def build(options: BuildOptions) -> BuildReport:
    """Build the whole site into options.out_dir, or raise ContentError and leave it untouched."""
    report = BuildReport()
    with report.timed("read"):
        content = check(options)
    with report.timed("markdown"):
        base_path = urls.base_path(content.config.base_url)
        texts = [render_text(article, base_path) for article in content.articles]
    with report.timed("model"):
        site: Site = build_site(content.config, content.sources, texts)
    with report.timed("pages"):
        assets = hash_assets(options.templates_dir)
        env = make_environment(options.templates_dir, site.config.base_url, assets.urls)
        outputs = render_pages(site, env) + list(assets.outputs)
    with report.timed("feeds"):
        outputs += render_feeds(site)
    with report.timed("sitemap"):
        outputs += render_machine_files(site)
    checked = check_outputs(outputs)
    # The index is built in the staging folder, so a failed index never goes live.
    with staged_folder(options.out_dir) as staging:
        with report.timed("write"):
            report.files = write_all(checked, staging)
        if options.search:
            with report.timed("search"):
                index_site(staging, index_language(site))
    report.texts = len(site.texts)
    return report
