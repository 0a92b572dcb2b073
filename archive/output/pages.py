"""Site model -> HTML pages through Jinja, one context type per page kind."""

from __future__ import annotations

import datetime
import secrets
import traceback
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, partial
from pathlib import Path

from jinja2 import (
    Environment,
    FileSystemLoader,
    StrictUndefined,
    TemplateError,
    TemplateSyntaxError,
    pass_context,
    select_autoescape,
)
from jinja2.runtime import Context
from markupsafe import Markup

from archive.base import urls
from archive.base.diagnostics import ContentError, Diagnostic, display_path
from archive.base.languages import LanguageInfo, describe
from archive.base.records import Article, Job, Output, Source, digest, digest_text
from archive.output import cite
from archive.output.templating import ArchiveEnvironment, compiled_templates, prints_plainly
from archive.site.model import ListPage, Site, Taxonomy, Term, Text, Work, is_original, stamps_of

LATEST_ON_HOME = 10


@dataclass(frozen=True)
class Link:
    """A name and the site URL of its page."""

    name: str
    url: str


@dataclass(frozen=True)
class ChainView:
    """One step of a translation chain, ready to show."""

    language: LanguageInfo
    translators: tuple[Link, ...]
    source: Source | None
    date: datetime.date | None
    note: str


@dataclass(frozen=True)
class VersionView:
    """One version of a work, as other pages name it."""

    text: Text
    title: str
    url: str
    language: LanguageInfo
    translators: tuple[Link, ...]
    source: Source
    is_original: bool


@dataclass(frozen=True)
class Citation:
    """Ways to cite a text, computed in cite.py."""

    permalink: str
    chicago: str
    bibtex: str


@dataclass(frozen=True)
class Cell:
    """One version's blocks in one row of a work page."""

    version: VersionView
    blocks: tuple[tuple[Markup, int | None], ...]  # (bare HTML, paragraph number)


@dataclass(frozen=True)
class Page:
    """What every page kind has: its title, URL and description, and what base.html shows of it."""

    title: str
    url: str
    description: str
    feeds: tuple[Link, ...] = field(default=(), kw_only=True)  # Atom feeds of this page, beside the site's
    og_type: str = field(default="website", kw_only=True)


@dataclass(frozen=True)
class HomePage(Page):
    latest: tuple[Text, ...]
    counts: tuple[tuple[str, int, str], ...]  # (label, count, url)


@dataclass(frozen=True)
class ArticlePage(Page):
    text: Text
    body: Markup
    editorial: tuple[tuple[str, Markup], ...]
    notes: Markup
    language: LanguageInfo
    original_language: LanguageInfo | None
    authors: tuple[Link, ...]
    translators: tuple[Link, ...]
    tags: tuple[Link, ...]
    chain: tuple[ChainView, ...]
    work: Work | None
    versions: tuple[VersionView, ...]  # the other versions of its work
    citation: Citation
    json_ld: dict[str, object]
    filters: tuple[tuple[str, str], ...]  # (Pagefind filter, value), hidden on the page
    og_type: str = field(default="article", kw_only=True)


@dataclass(frozen=True)
class WorkPage(Page):
    work: Work
    versions: tuple[VersionView, ...]
    rows: tuple[tuple[Cell, ...], ...]


@dataclass(frozen=True)
class WorksPage(Page):
    works: tuple[tuple[Work, tuple[VersionView, ...]], ...]


@dataclass(frozen=True)
class TaxonomyPage(Page):
    taxonomy: Taxonomy


@dataclass(frozen=True)
class TermPage(Page):
    taxonomy: Taxonomy
    term: Term
    list_page: ListPage


@dataclass(frozen=True)
class NotFoundPage(Page):
    """The page for addresses the archive does not have."""


@dataclass(frozen=True)
class SearchPage(Page):
    bundle_url: str  # where Pagefind's index and UI live
    stylesheet: str
    script: str


@dataclass(frozen=True)
class RedirectPage:
    """An old URL (an alias) that sends readers on to a text's page."""

    title: str
    url: str  # the page it redirects to
    alias: str


def make_environment(
    templates_dir: Path, base_url: str, assets: Mapping[str, str], compiled: Path | None = None
) -> Environment:
    """The one Jinja environment: autoescaping, StrictUndefined, the URL filters, the asset names.

    With compiled, templates compiled by an earlier build are kept there (Jinja recompiles any
    whose source changed) instead of being compiled again on every build.
    """
    env = ArchiveEnvironment(
        loader=FileSystemLoader(templates_dir),
        autoescape=select_autoescape(["html", "xml"]),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,  # one environment per build: no need to stat each template on every page
        bytecode_cache=compiled_templates(compiled) if compiled else None,
    )
    prefix = urls.base_path(base_url)
    env.filters["url"] = lambda url: urls.href(url, prefix)
    env.filters["absolute"] = lambda url: urls.absolute(url, base_url)
    env.filters["external"] = urls.external
    env.filters["tag_url"] = urls.tag_url
    env.filters["human_date"] = human_date
    env.filters["language"] = describe
    env.globals["assets"] = dict(assets)
    env.globals["text_item"] = item = pass_context(ListEntries(env))
    env.globals["text_items"] = items_renderer(item)
    env.globals["once"] = once_renderer(env)
    return env


def once_renderer(env: Environment) -> Callable[[Context, str], Markup]:
    """once(template) for templates: a part that is the same on every page (the masthead, the
    footer), rendered on first use with the site and kept for as long as the environment."""
    made: dict[str, Markup] = {}

    @pass_context
    def once(context: Context, name: str) -> Markup:
        if name not in made:
            made[name] = Markup(env.get_template(name).render(site=context["site"]))
        return made[name]

    return once


EntryKey = tuple[str, str, int]  # a text's URL and stamp, and the heading level of its title


class ListEntries:
    """text_item(text, level) for templates: a text's entry in a list, rendered once per build.

    A text is listed on the pages of its tags, authors, translators, source, language and year;
    its entry is the same on each, so it is kept, for as long as the environment (one build).
    Processes rendering pages side by side hand on the entries they made (take_fresh, keep),
    for the processes that make the pages after them.
    """

    def __init__(self, env: Environment) -> None:
        self.env = env
        self.made: dict[EntryKey, Markup] = {}
        self.fresh: list[EntryKey] = []

    def __call__(self, context: Context, text: Text, level: int) -> Markup:
        key = (text.url, text.stamp, level)
        entry = self.made.get(key)
        if entry is None:
            template = self.env.get_template("_text_item.html")
            entry = self.made[key] = Markup(template.render(site=context["site"], text=text, level=level))
            self.fresh.append(key)
        return entry

    def take_fresh(self) -> list[tuple[EntryKey, Markup]]:
        """The entries made since the last call."""
        fresh = [(key, self.made[key]) for key in self.fresh]
        self.fresh.clear()
        return fresh

    def keep(self, entries: list[tuple[EntryKey, Markup]]) -> None:
        self.made.update(entries)


def list_entries(env: Environment) -> ListEntries:
    entries = env.globals["text_item"]
    assert isinstance(entries, ListEntries)
    return entries


def items_renderer(
    item: Callable[[Context, Text, int], Markup],
) -> Callable[[Context, Sequence[Text], int], Markup]:
    """text_items(texts, level) for templates: the entries of several texts, in one call."""

    @pass_context
    def text_items(context: Context, texts: Sequence[Text], level: int) -> Markup:
        return Markup("".join([item(context, text, level) for text in texts]))

    return text_items


@cache  # texts share dates, and formatting one is slow
def human_date(value: datetime.date) -> str:
    """'20 March 2023'."""
    return f"{value.day} {value:%B %Y}"


def render(env: Environment, template: str, site: Site, page: object, url: str) -> Output:
    """Render one page to the file serving url; a template mistake becomes a diagnostic."""
    try:
        html = env.get_template(template).render(site=site, page=page)
    except TemplateError as error:
        raise ContentError([template_diagnostic(error, template)]) from None
    return Output(urls.output_path(url), html.encode("utf-8"))


def template_diagnostic(error: TemplateError, template: str) -> Diagnostic:
    """Point at the template file and line where rendering failed."""
    if isinstance(error, TemplateSyntaxError) and error.filename:
        return Diagnostic(display_path(Path(error.filename)), error.lineno, f"template: {error.message}")
    frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename.endswith(".html")]
    where = frames[-1] if frames else None
    path = display_path(Path(where.filename)) if where else template
    return Diagnostic(path, where.lineno or 1 if where else 1, f"template: {error}")


def page_jobs(site: Site, env: Environment, body_of: Callable[[Text], bytes]) -> list[Job]:
    """Every HTML page as a job: its path, a key of all it shows (beside the templates, code and
    settings), and how to render it."""
    jobs = [
        Job(path_of(urls.home_url()), home_key(site), partial(render_home, site, env)),
        Job(path_of(urls.not_found_url()), "404", partial(render_not_found, site, env)),
        Job(path_of(urls.search_url()), "search", partial(render_search, site, env)),
    ]
    for text in site.texts:
        work = site.work_of(text)
        versions = stamps_of(work.versions) if work else ""
        key = f"article {text.stamp} {versions}"  # hex digits: no need to digest them
        jobs.append(Job(path_of(text.url), key, partial(render_light_article, site, env, text, body_of)))
    works = tuple((w.key, stamps_of(w.versions)) for w in site.works)
    jobs.append(Job(path_of(urls.works_url()), digest("works", works), partial(render_works, site, env)))
    for work in site.works:
        key = digest("work", work.key, stamps_of(work.versions))
        jobs.append(Job(path_of(work.url), key, partial(render_work, site, env, work)))
    for text in site.texts:
        for alias in text.article.aliases:
            key = digest("redirect", alias, text.stamp)
            jobs.append(Job(path_of(alias), key, partial(render_redirect, site, env, text, alias)))
    # The pages of a way to browse whose terms hold as many texts as the site (the years, or
    # the sources: every text on one page) make the texts' entries; the other lists come later
    # and share them.
    listing_each_once = next(
        (t for t in site.taxonomies if sum(term.count for term in t.terms) == len(site.texts)), None
    )
    for taxonomy in site.taxonomies:
        jobs.append(
            Job(path_of(taxonomy.url), taxonomy_key(taxonomy), partial(render_taxonomy, site, env, taxonomy))
        )
        later = taxonomy is not listing_each_once
        for term in taxonomy.terms:
            for page in term.pages:
                key = term_key(taxonomy, term, page)
                render_page = partial(render_term, site, env, taxonomy, term, page)
                jobs.append(Job(path_of(page.url), key, render_page, later))
    return jobs


# Printed in place of a body kept as UTF-8, and replaced by it in the page's bytes: the body is
# not decoded only to be encoded again. No text holds it (files with NUL bytes are refused),
# nor any template (it is new in every build process).
BODY_MARK = f"\x00body-{secrets.token_hex(8)}\x00"


def render_light_article(
    site: Site, env: Environment, text: Text, body_of: Callable[[Text], bytes]
) -> Output:
    """The page of a text whose body the cache holds (as UTF-8)."""
    body = body_of(text)
    if not prints_plainly(env, "article.html", "page", "body"):
        return render_article(site, env, text, body.decode())
    output = render_article(site, env, text, BODY_MARK)
    return Output(output.path, body.join(output.data.split(BODY_MARK.encode())))


def path_of(url: str) -> str:
    return urls.output_path(url)


def home_key(site: Site) -> str:
    counts = (len(site.texts), len(site.works), *(len(t.terms) for t in site.taxonomies))
    return digest("home", stamps_of(site.texts[:LATEST_ON_HOME]), counts)


def taxonomy_key(taxonomy: Taxonomy) -> str:
    terms = tuple((t.name, t.slug, t.url, t.count, t.feed_url) for t in taxonomy.terms)
    return digest("taxonomy", taxonomy.kind, terms)


def term_key(taxonomy: Taxonomy, term: Term, page: ListPage) -> str:
    where = (page.url, page.number, page.count, page.previous_url, page.next_url)
    head = ("term", taxonomy.kind, term.name, term.slug, term.count, term.feed_url, where)
    return digest_text(repr(head) + stamps_of(page.texts))  # hex digits and spaces: no repr needed


def render_home(site: Site, env: Environment) -> Output:
    counts = (
        ("texts", len(site.texts), urls.years_url()),
        ("sources", len(site.sources.terms), site.sources.url),
        ("tags", len(site.tags.terms), site.tags.url),
        ("authors", len(site.authors.terms), site.authors.url),
        ("translators", len(site.translators.terms), site.translators.url),
        ("original languages", len(site.languages.terms), site.languages.url),
        ("works", len(site.works), urls.works_url()),
    )
    page = HomePage(
        site.config.title, urls.home_url(), site.config.description, site.texts[:LATEST_ON_HOME], counts
    )
    return render(env, "home.html", site, page, page.url)


def render_article(site: Site, env: Environment, text: Text, body_html: str | None = None) -> Output:
    """A text's page; body_html is its body when the text carries none (a cached, light text)."""
    article = text.article
    original = describe(article.original_language) if article.original_language else None
    work = site.work_of(text)
    base_url, site_title = site.config.base_url, site.config.title
    original_text = work.original.article if work and work.original else None
    page = ArticlePage(
        title=article.title,
        url=article.url,
        description=text.description,
        text=text,
        body=Markup(text.body.html if body_html is None else body_html),
        editorial=tuple((heading, Markup(html)) for heading, html in text.editorial),
        notes=Markup(text.notes_html) if text.notes_html else Markup(""),
        language=describe(article.language),
        original_language=original,
        authors=links(article.authors, urls.author_url),
        translators=links(article.translators, urls.translator_url),
        tags=tuple(Link(tag, urls.tag_url(tag)) for tag in article.tags),
        chain=tuple(
            ChainView(
                describe(s.language), links(s.translators, urls.translator_url), s.source, s.date, s.note
            )
            for s in article.chain
        ),
        work=work,
        versions=tuple(version_view(v) for v in work.others(text)) if work else (),
        citation=Citation(
            cite.permalink(article, base_url),
            cite.chicago(article, base_url, site_title),
            cite.bibtex(article, base_url, site_title),
        ),
        json_ld=cite.json_ld(article, base_url, original_text),
        filters=search_filters(article),
    )
    return render(env, "article.html", site, page, page.url)


def version_view(text: Text) -> VersionView:
    """How a version is named beside the others: language, translators, source, link."""
    article = text.article
    return VersionView(
        text,
        article.title,
        article.url,
        describe(article.language),
        links(article.translators, urls.translator_url),
        article.source,
        is_original(article),
    )


def render_work(site: Site, env: Environment, work: Work) -> Output:
    """The versions of one work side by side, aligned block by block."""
    versions = tuple(version_view(v) for v in work.versions)
    rows = tuple(
        tuple(
            Cell(version, tuple((Markup(b.bare_html), b.number) for b in blocks))
            for version, blocks in zip(versions, row, strict=True)
        )
        for row in work.rows
    )
    description = f"{len(versions)} versions of {work.title}, side by side, paragraph by paragraph."
    page = WorkPage(work.title, work.url, description, work, versions, rows)
    return render(env, "work.html", site, page, page.url)


def render_works(site: Site, env: Environment) -> Output:
    works = tuple((w, tuple(version_view(v) for v in w.versions)) for w in site.works)
    description = "Works the archive holds in more than one version, to read side by side."
    page = WorksPage("Works", urls.works_url(), description, works)
    return render(env, "works.html", site, page, page.url)


def search_filters(article: Article) -> tuple[tuple[str, str], ...]:
    """What a reader can narrow a search by: tag, source, author, original language, year."""
    original = describe(article.original_language or article.language).name
    return (
        *(("tag", tag) for tag in article.tags),
        ("source", article.source.name),
        *(("author", author) for author in article.authors),
        ("original language", original),
        ("year", str(article.date.year)),
    )


def render_redirect(site: Site, env: Environment, text: Text, alias: str) -> Output:
    """A page at an old URL that points to the text's page, for browsers and search engines."""
    page = RedirectPage(text.article.title, text.url, alias)
    return render(env, "redirect.html", site, page, alias)


def render_search(site: Site, env: Environment) -> Output:
    bundle = urls.search_bundle_url()
    page = SearchPage(
        title="Search",
        url=urls.search_url(),
        description=f"Search the full text of every text in {site.config.title}.",
        bundle_url=bundle,
        stylesheet=bundle + "pagefind-component-ui.css",
        script=bundle + "pagefind-component-ui.js",
    )
    return render(env, "search.html", site, page, page.url)


def links(names: tuple[str, ...], url_of: Callable[[str], str]) -> tuple[Link, ...]:
    return tuple(Link(name, url_of(urls.slugify_name(name))) for name in names)


def render_taxonomy(site: Site, env: Environment, taxonomy: Taxonomy) -> Output:
    description = f"All {taxonomy.title.lower()} of {site.config.title}, with the number of texts."
    page = TaxonomyPage(taxonomy.title, taxonomy.url, description, taxonomy)
    return render(env, "taxonomy.html", site, page, page.url)


def render_term(site: Site, env: Environment, taxonomy: Taxonomy, term: Term, list_page: ListPage) -> Output:
    title = term.name if list_page.number == 1 else f"{term.name} (page {list_page.number})"
    description = f"Texts for the {taxonomy.singular} {term.name}: {term.count} in all."
    feeds = (Link(f"{term.name}: {site.config.title}", term.feed_url),) if term.feed_url else ()
    page = TermPage(title, list_page.url, description, taxonomy, term, list_page, feeds=feeds)
    return render(env, "term.html", site, page, page.url)


def render_not_found(site: Site, env: Environment) -> Output:
    page = NotFoundPage("Page not found", urls.not_found_url(), "This page is not in the archive.")
    return render(env, "404.html", site, page, page.url)
