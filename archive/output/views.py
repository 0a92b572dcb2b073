"""What each kind of page shows: a view made from the settings and the page's inputs alone.

A view function takes the site's settings, its interface (the words of the pages in the site's
language) and the inputs its page is keyed by, and nothing else: what a page can show is what
its key covers (output/keys.py). Templates get the view as
`page`, finished and ready to print.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from markupsafe import Markup

from archive.base import urls
from archive.base.dates import WrittenDate
from archive.base.interface import N_, Interface, N_plural
from archive.base.languages import LanguageInfo
from archive.base.records import Article, Correction, Source, translation_name
from archive.content.attachments import Attachment
from archive.content.config import SiteConfig
from archive.output import cite
from archive.site.model import ListPage, TaxonomyHeading, TermSummary, Text, Work, is_original


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
    translation: str  # how this step was translated, in words ("" where the record does not say)
    written_date: WrittenDate | None = None  # its date as written, when not one day


@dataclass(frozen=True)
class Translation:
    """How a text was translated, in words, with the list of the texts translated so."""

    kind: str  # a key of TRANSLATIONS: official, human, machine, unknown
    label: str  # "Machine translation", in the interface's language
    url: str
    reviewed: bool  # the archive has checked it against its original


@dataclass(frozen=True)
class FileView:
    """A file kept with a text, as its page lists it."""

    description: str
    url: str
    name: str
    kind: str  # "PDF", "PNG image"...
    size: str  # "2.3 MB"


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
    csl_url: str  # the CSL-JSON file to download
    ris_url: str  # the RIS file
    meta: tuple[tuple[str, str], ...]  # Highwire and Dublin Core meta tags: (name, content)


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
    translation: Translation | None  # None: the original
    work: Work | None
    versions: tuple[VersionView, ...]  # the other versions of its work
    citation: Citation
    json_ld: dict[str, object]
    filters: tuple[tuple[str, str], ...]  # (Pagefind filter, value), hidden on the page
    corrections: tuple[Correction, ...] = field(default=(), kw_only=True)  # newest first
    history_missing: str = field(default="", kw_only=True)  # why the corrections are not known
    status: str = field(default="", kw_only=True)  # 'draft', 'scheduled' (dated after today), or ''
    related: tuple[Text, ...] = field(default=(), kw_only=True)  # site/related.py
    files: tuple[FileView, ...] = field(default=(), kw_only=True)  # kept with it: facsimiles, scans
    # Every version of its work as search engines are told of them: (hreflang, URL), itself among
    # them, and x-default for the original; none for a text that is the only version.
    alternates: tuple[tuple[str, str], ...] = field(default=(), kw_only=True)
    og_type: str = field(default="article", kw_only=True)


@dataclass(frozen=True)
class ChangesPage(Page):
    changes: tuple[tuple[Text, Correction], ...]  # the newest corrections, newest first
    total: int  # corrections in all
    history_missing: str


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
    taxonomy: TaxonomyHeading
    terms: tuple[TermSummary, ...]
    lede: str


@dataclass(frozen=True)
class TermPage(Page):
    taxonomy: TaxonomyHeading
    term: TermSummary
    list_page: ListPage
    months: tuple[TermSummary, ...] = ()  # a year's months that have texts, newest first


@dataclass(frozen=True)
class NotFoundPage(Page):
    """The page for addresses the archive does not have."""


Bundles = tuple[tuple[str, str, tuple[str, ...]], ...]  # language, its name, its bundles' URLs


@dataclass(frozen=True)
class SearchPage(Page):
    indexes: tuple[tuple[str, str, tuple[str, ...]], ...]  # (language, name, bundle URLs): search.bundles
    result_counts: dict[str, str]  # "{count} results for “{term}”." in each plural form, by its CLDR name


@dataclass(frozen=True)
class RedirectPage:
    """An old URL (an alias) that sends readers on to a text's page."""

    title: str
    url: str  # the page it redirects to
    alias: str


def home_view(
    config: SiteConfig, ui: Interface, latest: tuple[Text, ...], counts: tuple[tuple[str, int, str], ...]
) -> HomePage:
    """counts: (what is counted, in English, how many, where): the words by the count's plural form."""
    shown = tuple((ui.ngettext(*COUNTED[label], count), count, url) for label, count, url in counts)
    return HomePage(config.title, urls.home_url(), config.description, latest, shown)


COUNTED = {  # what the home page counts, in the singular and the plural
    "texts": N_plural("text", "texts"),
    "sources": N_plural("source", "sources"),
    "tags": N_plural("tag", "tags"),
    "authors": N_plural("author", "authors"),
    "translators": N_plural("translator", "translators"),
    "original languages": N_plural("original language", "original languages"),
    "translations": N_plural("translation", "translations"),
    "works": N_plural("work", "works"),
}


def article_view(
    config: SiteConfig,
    ui: Interface,
    text: Text,
    work: Work | None,
    body_html: str,
    corrections: tuple[Correction, ...] = (),
    history_missing: str = "",
    status: str = "",
    related: tuple[Text, ...] = (),
    files: tuple[FileView, ...] = (),
) -> ArticlePage:
    """A text's page, its body given apart (the cache keeps bodies apart from the texts)."""
    article = text.article
    describe = ui.describe
    original = describe(article.original_language) if article.original_language else None
    base_url, site_title = config.base_url, config.title
    original_text = work.original.article if work and work.original else None
    return ArticlePage(
        title=article.title,
        url=article.url,
        description=text.description,
        text=text,
        body=Markup(body_html),
        editorial=tuple((heading, Markup(html)) for heading, html in text.editorial),
        notes=Markup(text.notes_html) if text.notes_html else Markup(""),
        language=describe(article.language),
        original_language=original,
        authors=links(article.authors, urls.author_url),
        translators=links(article.translators, urls.translator_url),
        tags=tuple(Link(tag, urls.tag_url(tag)) for tag in article.tags),
        chain=tuple(
            ChainView(
                describe(s.language),
                links(s.translators, urls.translator_url),
                s.source,
                s.date,
                s.note,
                translation_name(s.translation, ui) if s.translation else "",
                s.written_date,
            )
            for s in article.chain
        ),
        translation=translation_of(ui, article),
        work=work,
        versions=tuple(version_view(ui, v) for v in work.others(text)) if work else (),
        citation=Citation(
            cite.permalink(article, base_url),
            cite.chicago(article, base_url, site_title),
            cite.bibtex(article, base_url, site_title),
            urls.cite_url(article.slug, "json"),
            urls.cite_url(article.slug, "ris"),
            cite.meta_tags(article, base_url),
        ),
        json_ld=cite.json_ld(article, base_url, original_text),
        filters=search_filters(ui, article),
        corrections=corrections,
        history_missing=history_missing,
        status=status,
        related=related,
        files=files,
        alternates=language_alternates(work, text),
    )


def language_alternates(work: Work | None, text: Text) -> tuple[tuple[str, str], ...]:
    """The versions of a work by language, for <link rel="alternate" hreflang> and the sitemap:
    one for each language (the first in the work's order: the original, then the earliest),
    and x-default for the original; the same on each of them, which search engines ask for.
    A second version in a language names none (it is not the one the others point to)."""
    if work is None or len(work.versions) < 2:
        return ()
    by_language: dict[str, str] = {}
    for version in work.versions:
        by_language.setdefault(version.article.language, version.url)
    if len(by_language) < 2 or by_language[text.article.language] != text.url:
        return ()
    found = tuple(by_language.items())
    return (*found, ("x-default", work.original.url)) if work.original else found


def file_view(ui: Interface, description: str, kept: Attachment) -> FileView:
    extension = kept.name.rsplit(".", 1)[-1].upper() if "." in kept.name else ""
    if extension == "PDF":
        kind = "PDF"
    elif kept.is_image:
        kind = ui.gettext("%(format)s image") % {"format": extension}
    else:
        kind = extension or ui.gettext("file")
    return FileView(description, kept.url, kept.name.rsplit("/", 1)[-1], kind, file_size(ui, kept.size))


def file_size(ui: Interface, size: int) -> str:
    """'850 bytes', '12 KB', '2.3 MB'."""
    if size < 1000:
        return ui.count("%(num)s byte", "%(num)s bytes", size)
    if size < 1_000_000:
        return ui.gettext("%(num)s KB") % {"num": ui.number(round(size / 1000))}
    return ui.gettext("%(num)s MB") % {"num": ui.decimal(size / 1_000_000)}


def translation_of(ui: Interface, article: Article) -> Translation | None:
    """How the text was translated, in words (None for an original)."""
    kind = article.translation
    if not kind or not article.is_translation:
        return None
    return Translation(kind, translation_name(kind, ui), urls.translation_url(kind), article.reviewed)


def changes_view(
    config: SiteConfig,
    ui: Interface,
    changes: tuple[tuple[Text, Correction], ...],
    total: int,
    history_missing: str,
) -> ChangesPage:
    site = config.title
    description = ui.gettext("Every correction made to the texts of %(site)s, newest first.") % {"site": site}
    feeds = (Link(ui.gettext("Corrections: %(site)s") % {"site": site}, urls.changes_feed_url()),)
    return ChangesPage(
        ui.gettext("Corrections"),
        urls.changes_url(),
        description,
        changes,
        total,
        history_missing,
        feeds=feeds,
    )


def version_view(ui: Interface, text: Text) -> VersionView:
    """How a version is named beside the others: language, translators, source, link."""
    article = text.article
    return VersionView(
        text,
        article.title,
        article.url,
        ui.describe(article.language),
        links(article.translators, urls.translator_url),
        article.source,
        is_original(article),
    )


def work_view(config: SiteConfig, ui: Interface, work: Work) -> WorkPage:
    """The versions of one work side by side, aligned block by block."""
    versions = tuple(version_view(ui, v) for v in work.versions)
    rows = tuple(
        tuple(
            Cell(version, tuple((Markup(b.bare_html), b.number) for b in blocks))
            for version, blocks in zip(versions, row, strict=True)
        )
        for row in work.rows
    )
    description = ui.count(
        "%(num)s version of %(title)s, side by side, paragraph by paragraph.",
        "%(num)s versions of %(title)s, side by side, paragraph by paragraph.",
        len(versions),
        title=work.title,
    )
    return WorkPage(work.title, work.url, description, work, versions, rows)


def works_view(config: SiteConfig, ui: Interface, works: tuple[Work, ...]) -> WorksPage:
    listed = tuple((w, tuple(version_view(ui, v) for v in w.versions)) for w in works)
    description = ui.gettext("Works the archive holds in more than one version, to read side by side.")
    return WorksPage(ui.gettext("Works"), urls.works_url(), description, listed)


def search_filters(ui: Interface, article: Article) -> tuple[tuple[str, str], ...]:
    """What a reader can narrow a search by: tag, source, author, original language, year, and
    for a translation, how it was made."""
    original = ui.describe(article.original_language or article.language).heading
    made = article.translation if article.is_translation else None
    return (
        *(("tag", tag) for tag in article.tags),
        ("source", article.source.name),
        *(("author", author) for author in article.authors),
        ("original language", original),
        ("year", str(article.date.year)),
        *((("translation", translation_name(made, ui)),) if made else ()),
    )


def redirect_view(config: SiteConfig, ui: Interface, text: Text, alias: str) -> RedirectPage:
    """A page at an old URL that points to the text's page, for browsers and search engines."""
    return RedirectPage(text.article.title, text.url, alias)


def search_view(config: SiteConfig, ui: Interface, bundles: Bundles) -> SearchPage:
    return SearchPage(
        title=ui.gettext("Search"),
        url=urls.search_url(),
        description=ui.gettext("Search the full text of every text in %(site)s.") % {"site": config.title},
        indexes=bundles,
        result_counts=ui.plural_forms("%(num)s result for “%(term)s”.", "%(num)s results for “%(term)s”."),
    )


def links(names: tuple[str, ...], url_of: Callable[[str], str]) -> tuple[Link, ...]:
    return tuple(Link(name, url_of(urls.slugify_name(name))) for name in names)


def taxonomy_view(
    config: SiteConfig, ui: Interface, taxonomy: TaxonomyHeading, terms: tuple[TermSummary, ...]
) -> TaxonomyPage:
    site, count = config.title, len(terms)
    description = ui.gettext(INDEX_DESCRIPTIONS[taxonomy.kind]) % {"site": site}
    lede = ui.count(*INDEX_LEDES[taxonomy.kind], count)
    return TaxonomyPage(taxonomy.title, taxonomy.url, description, taxonomy, terms, lede)


INDEX_DESCRIPTIONS = {  # by taxonomy kind: its index page's description
    "tags": N_("All tags of %(site)s, with the number of texts."),
    "sources": N_("All sources of %(site)s, with the number of texts."),
    "authors": N_("All authors of %(site)s, with the number of texts."),
    "translators": N_("All translators of %(site)s, with the number of texts."),
    "languages": N_("All original languages of %(site)s, with the number of texts."),
    "years": N_("All years of %(site)s, with the number of texts."),
    "translations": N_("The translations of %(site)s by how they were made."),
}
INDEX_LEDES = {  # by taxonomy kind: the lede of its index, in the singular and the plural
    "tags": N_plural(
        "%(num)s tag, with the number of texts for each.", "%(num)s tags, with the number of texts for each."
    ),
    "sources": N_plural(
        "%(num)s source, with the number of texts for each.",
        "%(num)s sources, with the number of texts for each.",
    ),
    "authors": N_plural(
        "%(num)s author, with the number of texts for each.",
        "%(num)s authors, with the number of texts for each.",
    ),
    "translators": N_plural(
        "%(num)s translator, with the number of texts for each.",
        "%(num)s translators, with the number of texts for each.",
    ),
    "languages": N_plural(
        "%(num)s original language, with the number of texts for each.",
        "%(num)s original languages, with the number of texts for each.",
    ),
    "years": N_plural(
        "%(num)s year, with the number of texts for each.",
        "%(num)s years, with the number of texts for each.",
    ),
    "translations": N_plural(
        "The translations by how they were made, as each text’s record says: by an official body, by a"
        " person, by machine, or by means not known; with the number of texts of each.",
        "The translations by how they were made, as each text’s record says: by an official body, by a"
        " person, by machine, or by means not known; with the number of texts of each.",
    ),
}
TERM_DESCRIPTIONS = {  # by taxonomy kind: a term's page description, in the singular and the plural
    "tags": N_plural("Texts tagged %(term)s: %(num)s in all.", "Texts tagged %(term)s: %(num)s in all."),
    "sources": N_plural("Texts from %(term)s: %(num)s in all.", "Texts from %(term)s: %(num)s in all."),
    "authors": N_plural("Texts by %(term)s: %(num)s in all.", "Texts by %(term)s: %(num)s in all."),
    "translators": N_plural(
        "Texts translated by %(term)s: %(num)s in all.", "Texts translated by %(term)s: %(num)s in all."
    ),
    "languages": N_plural(
        "Texts whose original language is %(term)s: %(num)s in all.",
        "Texts whose original language is %(term)s: %(num)s in all.",
    ),
    "years": N_plural(
        "Texts of %(site)s first published in %(term)s: %(num)s in all.",
        "Texts of %(site)s first published in %(term)s: %(num)s in all.",
    ),
    "months": N_plural(
        "Texts of %(site)s first published in %(term)s: %(num)s in all.",
        "Texts of %(site)s first published in %(term)s: %(num)s in all.",
    ),
    "translations": N_plural(
        "Texts of %(site)s by how they were translated (%(term)s): %(num)s in all.",
        "Texts of %(site)s by how they were translated (%(term)s): %(num)s in all.",
    ),
}


def term_view(
    config: SiteConfig,
    ui: Interface,
    taxonomy: TaxonomyHeading,
    term: TermSummary,
    list_page: ListPage,
    months: tuple[TermSummary, ...] = (),
) -> TermPage:
    title = term.name
    if list_page.number > 1:
        title = ui.gettext("%(term)s (page %(number)s)") % {
            "term": term.name,
            "number": ui.number(list_page.number),
        }
    words = {"term": term.name, "site": config.title}
    description = ui.count(*TERM_DESCRIPTIONS[taxonomy.kind], term.count, **words)
    feeds: tuple[Link, ...] = ()
    if term.feed_url:
        feeds = (Link(ui.gettext("%(term)s: %(site)s") % words, term.feed_url),)
    return TermPage(title, list_page.url, description, taxonomy, term, list_page, months, feeds=feeds)


def not_found_view(config: SiteConfig, ui: Interface) -> NotFoundPage:
    return NotFoundPage(
        ui.gettext("Page not found"), urls.not_found_url(), ui.gettext("This page is not in the archive.")
    )
