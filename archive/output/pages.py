"""Site model -> the HTML pages, each a job: its file, its key, and how to render it.

Each kind of page has a maker, render_*(context, template, *inputs): the inputs are all its
view is made from (output/views.py), so the job's key, a fingerprint of them, covers the page
(output/keys.py).
"""

from __future__ import annotations

import secrets
import traceback
from collections.abc import Mapping
from pathlib import Path

from jinja2 import TemplateError, TemplateSyntaxError

from archive.base import urls
from archive.base.diagnostics import ContentError, Diagnostic, display_path
from archive.base.interface import Interface
from archive.base.records import Correction, Job, Output
from archive.content.attachments import Attachment
from archive.output import views
from archive.output.keys import OutputKeys, RenderContext
from archive.output.portable import relative_links
from archive.output.templating import prints_plainly
from archive.site.history import History
from archive.site.model import Site, TaxonomyHeading, Term, TermSummary, Text, Work, list_page
from archive.site.publishing import Publishing

LATEST_ON_HOME = 10


CHANGES_LISTED = 200  # corrections on /changes/: each text's page lists all of its own


def page_jobs(
    site: Site,
    keys: OutputKeys,
    bundles: views.Bundles,
    history: History,
    publishing: Publishing,
    related: Mapping[str, tuple[Text, ...]],
    attachments: Mapping[str, Attachment],
) -> list[Job]:
    """Every HTML page of the site as a job; bundles: those of the search index, by language;
    history: the texts' corrections; publishing: which texts are drafts or dated after today;
    related: each text's related texts, by its URL; attachments: content/files/, by name."""
    # Made here, before any writer forks, and kept with the other checks for the next build.
    prints_plainly(keys.context.env, "article.html", "page", "body")
    jobs = [
        keys.job(path_of(urls.home_url()), render_home, *home_inputs(site), template="home.html"),
        keys.job(path_of(urls.not_found_url()), render_not_found, template="404.html"),
        keys.job(path_of(urls.search_url()), render_search, bundles, template="search.html"),
    ]
    missing = history.reason
    for text in site.texts:
        corrections = history.of(text.article.path)
        jobs.append(
            keys.job(
                path_of(text.url),
                render_article,
                *(text, site.work_of(text), corrections, missing, publishing.status(text.article)),
                related.get(text.url, ()),
                *kept_files(keys.context.ui, text, attachments),
                template="article.html",
            )
        )
    changes = history.newest(site.texts, CHANGES_LISTED)
    jobs.append(
        keys.job(
            path_of(urls.changes_url()),
            render_changes,
            *(changes, history.count(), missing),
            template="changes.html",
        )
    )
    jobs.append(keys.job(path_of(urls.works_url()), render_works, site.works, template="works.html"))
    jobs += [keys.job(path_of(work.url), render_work, work, template="work.html") for work in site.works]
    for text in site.texts:
        for alias in text.article.aliases:
            jobs.append(keys.job(path_of(alias), render_redirect, text, alias, template="redirect.html"))
    # The pages of a way to browse whose terms hold as many texts as the site (the years, or
    # the sources: every text on one page) make the texts' entries; the other lists come later
    # and share them.
    listing_each_once = next(
        (t for t in site.taxonomies if sum(term.count for term in t.terms) == len(site.texts)), None
    )
    for taxonomy in site.taxonomies:
        heading = taxonomy.heading
        terms = tuple(term.summary for term in taxonomy.terms)
        jobs.append(
            keys.job(path_of(taxonomy.url), render_taxonomy, heading, terms, template="taxonomy.html")
        )
        later = taxonomy is not listing_each_once
        for term in taxonomy.terms:
            months = tuple(m.summary for m in site.months_of(term.slug)) if taxonomy is site.years else ()
            jobs += term_jobs(keys, heading, term, months, later)
    for year, of_year in site.months_by_year.items():
        heading = TaxonomyHeading("months", year, "month", urls.year_url(year))
        jobs += [job for month in of_year for job in term_jobs(keys, heading, month, (), later=True)]
    return jobs


def term_jobs(
    keys: OutputKeys, heading: TaxonomyHeading, term: Term, months: tuple[TermSummary, ...], later: bool
) -> list[Job]:
    """The pages of a term's list; months: those of a year, which its pages link to."""
    summary, count = term.summary, term.page_count
    return [
        keys.job(
            path_of(urls.paged(term.url, number)),
            render_term,
            *(heading, summary, texts, number, count, months),
            template="term.html",
            later=later,
        )
        for number, texts in enumerate(term.page_texts(), 1)
    ]


def home_inputs(site: Site) -> tuple[tuple[Text, ...], tuple[tuple[str, int, str], ...]]:
    """The newest texts, and how many of each thing the archive holds, with where to browse them."""
    counts = (
        ("texts", len(site.texts), urls.years_url()),
        ("sources", len(site.sources.terms), site.sources.url),
        ("tags", len(site.tags.terms), site.tags.url),
        ("authors", len(site.authors.terms), site.authors.url),
        ("translators", len(site.translators.terms), site.translators.url),
        ("original languages", len(site.languages.terms), site.languages.url),
        ("translations", sum(term.count for term in site.translations.terms), site.translations.url),
        ("works", len(site.works), urls.works_url()),
    )
    return site.texts[:LATEST_ON_HOME], counts


def path_of(url: str) -> str:
    return urls.output_path(url)


def render(context: RenderContext, template: str, page: object, url: str) -> Output:
    """Render one page to the file serving url."""
    return page_output(context, url, render_html(context, template, page).encode("utf-8"))


def render_html(context: RenderContext, template: str, page: object) -> str:
    """A template mistake becomes a diagnostic."""
    try:
        return context.env.get_template(template).render(site=context.site, page=page)
    except TemplateError as error:
        raise ContentError([template_diagnostic(error, template)]) from None


def page_output(context: RenderContext, url: str, html: bytes) -> Output:
    """The page's file; with --relative-urls, its links made relative to it."""
    path = urls.output_path(url)
    if context.config.relative_urls:
        html = relative_links(html, urls.base_path(context.config.base_url), path)
    return Output(path, html)


def template_diagnostic(error: TemplateError, template: str) -> Diagnostic:
    """Point at the template file and line where rendering failed."""
    if isinstance(error, TemplateSyntaxError) and error.filename:
        return Diagnostic(display_path(Path(error.filename)), error.lineno, f"template: {error.message}")
    frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename.endswith(".html")]
    where = frames[-1] if frames else None
    path = display_path(Path(where.filename)) if where else template
    return Diagnostic(path, where.lineno or 1 if where else 1, f"template: {error}")


def render_home(
    context: RenderContext, template: str, latest: tuple[Text, ...], counts: tuple[tuple[str, int, str], ...]
) -> Output:
    page = views.home_view(context.config, context.ui, latest, counts)
    return render(context, template, page, page.url)


# Printed in place of a body kept as UTF-8, and replaced by it in the page's bytes: the body is
# not decoded only to be encoded again. No text holds it (files with NUL bytes are refused),
# nor any template (it is new in every build process).
BODY_MARK = f"\x00body-{secrets.token_hex(8)}\x00"


def render_article(
    context: RenderContext,
    template: str,
    text: Text,
    work: Work | None,
    corrections: tuple[Correction, ...],
    history_missing: str,
    status: str,
    related: tuple[Text, ...],
    files: tuple[views.FileView, ...],
    images: tuple[tuple[str, int, int], ...],
) -> Output:
    """A text's page, its body as the cache keeps it (UTF-8) set in after rendering where the
    templates print it as it is; status: 'draft' or 'scheduled' for a text not yet published;
    files: those kept with it; images: the width and height of each kept image its body shows."""
    body = with_image_sizes(context.body_of(text), images, urls.base_path(context.config.base_url))
    history = (corrections, history_missing, status, related, files)
    if not prints_plainly(context.env, template, "page", "body"):
        page = views.article_view(context.config, context.ui, text, work, body.decode(), *history)
        return render(context, template, page, page.url)
    page = views.article_view(context.config, context.ui, text, work, BODY_MARK, *history)
    html = render_html(context, template, page)
    return page_output(context, page.url, body.join(html.encode("utf-8").split(BODY_MARK.encode())))


def kept_files(
    ui: Interface, text: Text, attachments: Mapping[str, Attachment]
) -> tuple[tuple[views.FileView, ...], tuple[tuple[str, int, int], ...]]:
    """The files kept with a text, as its page lists them; and the size of each kept image its
    body shows (what the page is made from, so what its key covers)."""
    article = text.article
    if not article.files and not article.file_links:
        return (), ()
    listed = tuple(
        views.file_view(ui, kept.description, attachments[kept.file])
        for kept in article.files
        if kept.file in attachments
    )
    shown = dict.fromkeys(name for name, _ in article.file_links if name in attachments)
    images = []
    for name in shown:
        kept = attachments[name]
        if kept.is_image:
            width, height = image_size(kept.source)
            if width > 0 and height > 0:
                images.append((kept.url, width, height))
    return listed, tuple(images)


def image_size(path: str) -> tuple[int, int]:
    import imagesize  # only here: it loads urllib and http.client, a tenth of a small rebuild

    try:
        width, height = imagesize.get(path)
    except (OSError, ValueError):
        return -1, -1
    return int(width), int(height)


def with_image_sizes(body: bytes, images: tuple[tuple[str, int, int], ...], base_path: str) -> bytes:
    """The body with width and height on each image of a kept file, so that the page does not
    move while it loads."""
    for url, width, height in images:
        source = f'<img src="{base_path}{url.lstrip("/")}"'.encode()
        body = body.replace(source, source + f' width="{width}" height="{height}"'.encode())
    return body


def render_changes(
    context: RenderContext,
    template: str,
    changes: tuple[tuple[Text, Correction], ...],
    total: int,
    history_missing: str,
) -> Output:
    page = views.changes_view(context.config, context.ui, changes, total, history_missing)
    return render(context, template, page, page.url)


def render_work(context: RenderContext, template: str, work: Work) -> Output:
    page = views.work_view(context.config, context.ui, work)
    return render(context, template, page, page.url)


def render_works(context: RenderContext, template: str, works: tuple[Work, ...]) -> Output:
    page = views.works_view(context.config, context.ui, works)
    return render(context, template, page, page.url)


def render_redirect(context: RenderContext, template: str, text: Text, alias: str) -> Output:
    return render(context, template, views.redirect_view(context.config, context.ui, text, alias), alias)


def render_search(context: RenderContext, template: str, bundles: views.Bundles) -> Output:
    page = views.search_view(context.config, context.ui, bundles)
    return render(context, template, page, page.url)


def render_taxonomy(
    context: RenderContext, template: str, taxonomy: TaxonomyHeading, terms: tuple[TermSummary, ...]
) -> Output:
    page = views.taxonomy_view(context.config, context.ui, taxonomy, terms)
    return render(context, template, page, page.url)


def render_term(
    context: RenderContext,
    template: str,
    taxonomy: TaxonomyHeading,
    term: TermSummary,
    texts: tuple[Text, ...],
    number: int,
    count: int,
    months: tuple[TermSummary, ...],
) -> Output:
    """Page number of count of a term's list, which holds these texts (and for a year, the
    months it links to)."""
    listed = list_page(term.url, texts, number, count)
    page = views.term_view(context.config, context.ui, taxonomy, term, listed, months)
    return render(context, template, page, page.url)


def render_not_found(context: RenderContext, template: str) -> Output:
    page = views.not_found_view(context.config, context.ui)
    return render(context, template, page, page.url)
