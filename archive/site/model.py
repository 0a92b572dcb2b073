"""Records + rendered bodies -> the Site: every index, every URL, pages of lists, collisions."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property

from archive.base import urls
from archive.base.diagnostics import ContentError, Diagnostic, display_path
from archive.base.interface import Interface, english
from archive.base.languages import LanguageInfo, describe
from archive.base.records import TRANSLATIONS, Article, Source, translation_name
from archive.content.config import SiteConfig
from archive.site.align import Unit, align_versions, text_length
from archive.site.markdown import Block, RenderedBody

LINES_KEPT = ("slug", "aliases")  # the fields a light text may still have to point at, for clashing URLs


@dataclass(frozen=True)
class Text:
    """An article with its rendered body and editorial sections (heading, HTML)."""

    article: Article
    body: RenderedBody
    editorial: tuple[tuple[str, str], ...] = ()
    notes_html: str = ""
    stamp: str = ""  # digest of its file and everything read with it: changes whenever the text does
    index_stamp: str = ""  # the same but for the base URL: changes whenever its search record does

    @cached_property
    def url(self) -> str:
        return self.article.url

    def light(self) -> Text:
        """The text without its Markdown, HTML and words: what the model, lists and feeds need."""
        lines = {name: line for name, line in self.article.lines.items() if name in LINES_KEPT}
        # Made here, in the reading process, and kept with the copy:
        self.article.relation_key  # noqa: B018
        self.article.site_order  # noqa: B018
        article = copy_with(self.article, body="", lines=lines)
        body = self.body.light(keep_blocks=self.article.work is not None)
        return Text(article, body, self.editorial, self.notes_html, self.stamp, self.index_stamp)

    @property
    def description(self) -> str:
        """The text's summary, or else its opening words."""
        return self.article.summary or self.body.opening


def copy_with(article: Article, **changes: object) -> Article:
    """dataclasses.replace for an article already checked: its fields copied as they are, without
    running __init__ again (an eighth of the time, for every text read)."""
    copy = object.__new__(Article)
    copy.__dict__.update(article.__dict__, **changes)
    return copy


@dataclass(frozen=True)
class ListPage:
    """One page of a paginated list of texts."""

    url: str
    texts: tuple[Text, ...]
    number: int
    count: int
    previous_url: str | None
    next_url: str | None


@dataclass(frozen=True)
class TermSummary:
    """What a page shows of a term beside its texts: its name, where it is, how many texts."""

    name: str
    slug: str
    url: str
    count: int
    source: Source | None
    language: LanguageInfo | None
    feed_url: str | None


@dataclass(frozen=True)
class Term:
    """One value of a way to browse (a tag, an author, a year...) with its texts, newest first."""

    name: str
    slug: str
    url: str
    texts: tuple[Text, ...]
    per_page: int  # texts on a page of its list
    source: Source | None = None
    language: LanguageInfo | None = None
    feed_url: str | None = None  # its Atom feed, for tags and sources that have texts

    @property
    def count(self) -> int:
        return len(self.texts)

    @property
    def page_count(self) -> int:
        return max(1, -(-len(self.texts) // self.per_page))

    def page_texts(self) -> list[tuple[Text, ...]]:
        """The texts of each page of its list, first page first."""
        size = self.per_page
        return [self.texts[start : start + size] for start in range(0, self.page_count * size, size)]

    def page_urls(self) -> list[str]:
        return [urls.paged(self.url, number) for number in range(1, self.page_count + 1)]

    @cached_property
    def pages(self) -> tuple[ListPage, ...]:
        return paginate(self.texts, self.url, self.per_page)

    @cached_property
    def summary(self) -> TermSummary:
        return TermSummary(
            self.name, self.slug, self.url, self.count, self.source, self.language, self.feed_url
        )


@dataclass(frozen=True)
class TaxonomyHeading:
    """What a page names of a way to browse: its kind, titles and index URL."""

    kind: str
    title: str
    singular: str
    url: str


@dataclass(frozen=True)
class Taxonomy:
    """A way to browse: its index URL and its terms."""

    kind: str  # "tags", "sources", "authors", "translators", "languages", "years"
    title: str
    singular: str
    url: str
    terms: tuple[Term, ...]

    def term(self, slug: str) -> Term:
        return next(t for t in self.terms if t.slug == slug)

    @cached_property
    def heading(self) -> TaxonomyHeading:
        return TaxonomyHeading(self.kind, self.title, self.singular, self.url)


@dataclass(frozen=True)
class Work:
    """The versions of one work, the original first, and their blocks aligned in rows."""

    key: str
    title: str
    url: str
    versions: tuple[Text, ...]
    rows: tuple[tuple[tuple[Block, ...], ...], ...]  # row -> version -> its blocks in that row
    original: Text | None  # the version in the work's own language, if the archive holds it
    language: str = ""  # the language of its title: the site's, when a version is in it

    def others(self, text: Text) -> tuple[Text, ...]:
        return tuple(v for v in self.versions if v is not text)


@dataclass(frozen=True)
class Site:
    """The whole site, ready for the page writers."""

    config: SiteConfig
    texts: tuple[Text, ...]
    tags: Taxonomy
    sources: Taxonomy
    authors: Taxonomy
    translators: Taxonomy
    languages: Taxonomy
    years: Taxonomy
    translations: Taxonomy
    months: tuple[Term, ...] = ()  # the texts of each month, newest first: listed on its year's page
    works: tuple[Work, ...] = ()
    # A text's other versions, as its entry in a list names them: (language, URL, the source's
    # name where two of them share a language), the version in the interface's language first.
    # Apart from the works, so that what lists show of them is keyed by these alone, not by
    # every word of every version (a template reads it whole: a new version of any work
    # changes the key of every list page).
    other_versions: dict[str, tuple[tuple[str, str, str], ...]] = field(default_factory=dict)

    @property
    def works_url(self) -> str:
        return urls.works_url()

    @property
    def changes_url(self) -> str:
        return urls.changes_url()

    def work_of(self, text: Text) -> Work | None:
        key = text.article.work
        return self.works_by_key.get(key) if key else None

    @cached_property
    def works_by_key(self) -> dict[str, Work]:
        return {work.key: work for work in self.works}

    def months_of(self, year: str) -> tuple[Term, ...]:
        """The months of a year that have texts, newest first."""
        return self.months_by_year.get(year, ())

    @cached_property
    def months_by_year(self) -> dict[str, tuple[Term, ...]]:
        found: dict[str, list[Term]] = defaultdict(list)
        for month in self.months:
            found[str(int(month.slug[:4]))].append(month)  # as the years are named: "1906", "800"
        return {year: tuple(months) for year, months in found.items()}

    @property
    def feed_url(self) -> str:
        return urls.feed_url()

    @property
    def search_url(self) -> str:
        return urls.search_url()

    @property
    def taxonomies(self) -> tuple[Taxonomy, ...]:
        return (
            *(self.tags, self.sources, self.authors, self.translators, self.languages, self.years),
            self.translations,
        )


def stamps_of(texts: Sequence[Text]) -> str:
    """The texts' stamps in one string (hex digits, spaced): a cheap part of a job's key."""
    return " ".join([text.stamp for text in texts])


def newest_first(texts: Iterable[Text]) -> tuple[Text, ...]:
    """Newest first; ties by title then slug, so the order never depends on file order."""
    return tuple(sorted(texts, key=lambda t: t.article.site_order))


def paginate(texts: tuple[Text, ...], first_url: str, per_page: int) -> tuple[ListPage, ...]:
    """Split a list into pages at first_url, first_url/page/2/, ..."""
    count = max(1, -(-len(texts) // per_page))
    return tuple(
        list_page(first_url, texts[(number - 1) * per_page : number * per_page], number, count)
        for number in range(1, count + 1)
    )


def list_page(first_url: str, texts: tuple[Text, ...], number: int, count: int) -> ListPage:
    """Page number of count of a list whose first page is at first_url."""
    return ListPage(
        url=urls.paged(first_url, number),
        texts=texts,
        number=number,
        count=count,
        previous_url=urls.paged(first_url, number - 1) if number > 1 else None,
        next_url=urls.paged(first_url, number + 1) if number < count else None,
    )


Groups = dict[str, list[Text]]  # a value (a tag, an author...) -> its texts, in the order given


@dataclass(frozen=True)
class Grouping:
    """The texts by each way to browse, and by work."""

    tags: Groups
    sources: Groups
    authors: Groups
    translators: Groups
    languages: Groups
    years: Groups
    months: Groups  # "2023-03" -> its texts
    translations: Groups
    works: Groups


def group_texts(texts: Iterable[Text]) -> Grouping:
    """Every grouping in one pass over the texts (the passes, not the groups, are what cost)."""
    tags: Groups = defaultdict(list)
    sources: Groups = defaultdict(list)
    authors: Groups = defaultdict(list)
    translators: Groups = defaultdict(list)
    languages: Groups = defaultdict(list)
    years: Groups = defaultdict(list)
    months: Groups = defaultdict(list)
    translations: Groups = defaultdict(list)
    works: Groups = defaultdict(list)
    for text in texts:
        a = text.article
        add_member(tags, a.tags, text)
        add_member(sources, sources_of(a) if a.chain else (a.source.key,), text)
        add_member(authors, a.authors, text)
        add_member(translators, all_translators(a) if a.chain else a.translators, text)
        languages[describe(a.original_language or a.language).primary].append(text)
        years[str(a.date.year)].append(text)
        if a.written_date is None or a.written_date.precision != "year":  # a year alone has no month
            months[f"{a.date.year:04d}-{a.date.month:02d}"].append(text)
        if a.translation:
            translations[a.translation].append(text)
        if a.work:
            works[a.work].append(text)
    return Grouping(tags, sources, authors, translators, languages, years, months, translations, works)


def add_member(groups: Groups, keys: Sequence[str], text: Text) -> None:
    for key in keys if len(keys) < 2 else dict.fromkeys(keys):  # a text counts once per key
        groups[key].append(text)


def build_terms(
    texts: tuple[Text, ...],
    groups: Groups,
    url_of: Callable[[str], str],
    per_page: int,
    slug_of: Callable[[str], str] = urls.slugify_name,
) -> list[Term]:
    """One term per distinct slug (names that slugify alike are one term), texts newest first.

    The texts come newest first, and groups keep their order: only merged names need sorting.
    """
    by_slug: dict[str, dict[str, list[Text]]] = defaultdict(dict)
    for name, members in groups.items():
        by_slug[slug_of(name)][name] = members
    position = {id(t): i for i, t in enumerate(texts)}
    terms = []
    for slug, names in by_slug.items():
        if len(names) == 1:
            ordered = tuple(next(iter(names.values())))
        else:
            unique = {id(t): t for group in names.values() for t in group}
            ordered = tuple(sorted(unique.values(), key=lambda t: position[id(t)]))
        url = url_of(slug)
        terms.append(Term(min(names), slug, url, ordered, per_page))
    return sorted(terms, key=lambda t: (t.name.casefold(), t.slug))


def build_site(
    config: SiteConfig, sources: dict[str, Source], texts: Iterable[Text], ui: Interface | None = None
) -> Site:
    """Build every index of the site and check that no two pages claim one URL; the names of
    its ways to browse, months, languages and kinds of translation in ui's language."""
    ui = ui or english()
    _ = ui.gettext
    texts = newest_first(texts)
    per_page = config.per_page
    groups = group_texts(texts)
    look_up_languages(config, sources, texts, ui)
    site = Site(
        config=config,
        texts=texts,
        tags=Taxonomy("tags", _("Tags"), "tag", urls.tags_url(), build_tag_terms(texts, groups, per_page)),
        sources=Taxonomy(
            "sources",
            _("Sources"),
            "source",
            urls.sources_url(),
            build_source_terms(sources, groups, per_page),
        ),
        authors=Taxonomy(
            "authors",
            _("Authors"),
            "author",
            urls.authors_url(),
            tuple(build_terms(texts, groups.authors, urls.author_url, per_page)),
        ),
        translators=Taxonomy(
            "translators",
            _("Translators"),
            "translator",
            urls.translators_url(),
            tuple(build_terms(texts, groups.translators, urls.translator_url, per_page)),
        ),
        languages=Taxonomy(
            "languages",
            _("Original languages"),
            "original language",
            urls.languages_url(),
            build_language_terms(texts, groups, per_page, ui),
        ),
        years=Taxonomy(
            "years",
            _("Years"),
            "year",
            urls.years_url(),
            # newest first, by number: "800" is older than "1917"
            tuple(
                sorted(
                    build_terms(texts, groups.years, urls.year_url, per_page, str), key=lambda t: -int(t.name)
                )
            ),
        ),
        translations=Taxonomy(
            "translations",
            _("Translations"),
            "way of translating",
            urls.translations_url(),
            build_translation_terms(groups, per_page, ui),
        ),
    )
    works = build_works(groups, config.language)
    site = replace(
        site,
        months=build_month_terms(groups, per_page, ui),
        works=works,
        other_versions=versions_elsewhere(works, ui.language),
    )
    check_collisions(site)
    return site


def look_up_languages(
    config: SiteConfig, sources: dict[str, Source], texts: tuple[Text, ...], ui: Interface
) -> None:
    """Describe every language the pages name, here rather than in the workers that render
    them: what this process looked up, the build cache keeps for the next build."""
    codes = {config.language, *(source.language for source in sources.values())}
    for text in texts:
        a = text.article
        codes.add(a.language)
        codes.update(step.language for step in a.chain)
    for code in codes:
        describe(code)
        ui.describe(code)


def look_up_ahead(texts: Iterable[Text]) -> None:
    """Describe the languages these texts are grouped by, slug their people's names and map
    their URLs to files, as the model and the plan will: a build calls it on each chunk of
    texts as it arrives, while the workers read the next ones (the first description loads
    langcodes' tables, a tenth of a second)."""
    for text in texts:
        a = text.article
        urls.output_path(a.url)
        describe(a.original_language or a.language)
        for name in a.authors:
            urls.slugify_name(name)
        for name in all_translators(a) if a.chain else a.translators:
            urls.slugify_name(name)


def is_original(article: Article) -> bool:
    """A text in the work's own language: not marked as a translation of anything."""
    return article.original_language is None or article.original_language == article.language


def order_versions(texts: Iterable[Text]) -> tuple[Text, ...]:
    """The original first, then by date, language and slug."""
    return tuple(
        sorted(
            texts,
            key=lambda t: (not is_original(t.article), t.article.date, t.article.language, t.article.slug),
        )
    )


def build_works(groups: Grouping, site_language: str) -> tuple[Work, ...]:
    """One work per `work:` key, with its versions aligned block by block."""
    return tuple(
        build_work(key, order_versions(members), site_language)
        for key, members in sorted(groups.works.items())
    )


def versions_elsewhere(works: Iterable[Work], language: str) -> dict[str, tuple[tuple[str, str, str], ...]]:
    """Each version's others, by its URL: (language, URL, source's name or ''), those in
    language first, then in the work's order (the original first)."""
    found = {}
    for work in works:
        ordered = sorted(work.versions, key=lambda v: v.article.language != language)
        shared = Counter(v.article.language for v in work.versions)
        for text in work.versions:
            found[text.url] = tuple(
                (a.language, v.url, a.source.name if shared[a.language] > 1 else "")
                for v in ordered
                if v is not text and (a := v.article)
            )
    return found


def build_work(key: str, versions: tuple[Text, ...], site_language: str) -> Work:
    units = [[Unit(text_length(b.text), b.anchor) for b in v.body.blocks] for v in versions]
    rows = tuple(
        tuple(tuple(v.body.blocks[i] for i in span) for v, span in zip(versions, row, strict=True))
        for row in align_versions(units)
    )
    in_site_language = [v for v in versions if v.article.language == site_language]
    named_by = (in_site_language or list(versions))[0].article
    original = versions[0] if is_original(versions[0].article) else None
    return Work(key, named_by.title, urls.work_url(key), versions, rows, original, named_by.language)


def all_translators(article: Article) -> list[str]:
    """The text's translators and those of every step of its chain."""
    names = list(article.translators)
    for step in article.chain:
        names += step.translators
    return names


def build_tag_terms(texts: tuple[Text, ...], groups: Grouping, per_page: int) -> tuple[Term, ...]:
    terms = build_terms(texts, groups.tags, urls.tag_url, per_page, slug_of=str)
    return tuple(replace(term, feed_url=urls.tag_feed_url(term.slug)) for term in terms)


def build_source_terms(sources: dict[str, Source], groups: Grouping, per_page: int) -> tuple[Term, ...]:
    """Every source of the registry, with the texts taken from it or that passed through it."""
    terms = []
    for key, source in sources.items():
        members = tuple(groups.sources.get(key, []))  # in the order of texts: newest first
        url = urls.source_url(key)
        feed = urls.source_feed_url(key) if members else None
        terms.append(Term(source.name, key, url, members, per_page, source=source, feed_url=feed))
    return tuple(sorted(terms, key=lambda t: (t.name.casefold(), t.slug)))


def sources_of(article: Article) -> list[str]:
    """The source of the copy, then every source of its chain."""
    return [article.source.key] + [step.source.key for step in article.chain if step.source]


def build_month_terms(groups: Grouping, per_page: int, ui: Interface) -> tuple[Term, ...]:
    """One term per month that has texts ("March 2023", slug 2023-03), newest first."""
    terms = []
    for slug in sorted(groups.months, reverse=True):
        year, month = slug.split("-")
        name = ui.month(int(year), int(month))  # "March 2023"
        url = urls.month_url(str(int(year)), month)
        terms.append(Term(name, slug, url, tuple(groups.months[slug]), per_page))
    return tuple(terms)


def build_translation_terms(groups: Grouping, per_page: int, ui: Interface) -> tuple[Term, ...]:
    """The translations by how they were made, in the order of TRANSLATIONS (not by name)."""
    return tuple(
        Term(
            translation_name(kind, ui),
            kind,
            urls.translation_url(kind),
            tuple(groups.translations[kind]),
            per_page,
        )
        for kind in TRANSLATIONS
        if groups.translations.get(kind)
    )


def build_language_terms(
    texts: tuple[Text, ...], groups: Grouping, per_page: int, ui: Interface
) -> tuple[Term, ...]:
    terms = build_terms(texts, groups.languages, urls.language_url, per_page, slug_of=str.lower)
    return tuple(
        Term(ui.describe(t.name).heading, t.slug, t.url, t.texts, per_page, language=ui.describe(t.name))
        for t in terms
    )


def listing_urls(site: Site) -> list[str]:
    """Every generated page that is not a text's own: home, search, indexes, terms, works, 404."""
    found = [urls.home_url(), urls.search_url(), urls.works_url(), urls.changes_url()]
    found += [work.url for work in site.works]
    for taxonomy in site.taxonomies:
        found.append(taxonomy.url)
        found += [url for term in taxonomy.terms for url in term.page_urls()]
    found += [url for month in site.months for url in month.page_urls()]
    return found


def check_collisions(site: Site) -> None:
    """Aliases must not land on a generated page."""
    generated = [*listing_urls(site), urls.not_found_url(), urls.search_bundle_url()]
    generated_files = {urls.output_path(url) for url in generated}
    diagnostics = [
        Diagnostic(
            display_path(text.article.path),
            text.article.lines.get("aliases", 1),
            f"alias {alias} is the URL of a page the archive generates",
            "choose another alias or remove it",
        )
        for text in site.texts
        for alias in text.article.aliases
        if urls.output_path(alias) in generated_files
    ]
    if diagnostics:
        raise ContentError(diagnostics)
