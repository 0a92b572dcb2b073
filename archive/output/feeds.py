"""Site model -> Atom feeds: the whole archive, each tag and each source, newest texts first;
and the archive's corrections, newest first."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from archive.base import urls
from archive.base.interface import Interface, english
from archive.base.records import Correction, Job, Output
from archive.content.config import SiteConfig
from archive.output.keys import OutputKeys, RenderContext
from archive.site.history import History
from archive.site.model import Site, Text

FEED_LENGTH = 50
ATOM = "http://www.w3.org/2005/Atom"
# Characters XML 1.0 cannot carry at all, even escaped.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
NO_TEXTS_YET = datetime.date(1970, 1, 1)


@dataclass(frozen=True)
class Feed:
    """One Atom feed: where it is, what it is called, the page it follows, its newest texts."""

    url: str
    title: str
    page_url: str
    texts: tuple[Text, ...]  # at most FEED_LENGTH


def list_feeds(site: Site, ui: Interface | None = None) -> list[Feed]:
    """The site's feed, then one per tag and per source that has texts (named in ui's language)."""
    named = (ui or english()).gettext("%(term)s: %(site)s")
    feeds = [Feed(site.feed_url, site.config.title, urls.home_url(), site.texts[:FEED_LENGTH])]
    for taxonomy in (site.tags, site.sources):
        feeds += [
            Feed(
                term.feed_url,
                named % {"term": term.name, "site": site.config.title},
                term.url,
                term.texts[:FEED_LENGTH],
            )
            for term in taxonomy.terms
            if term.feed_url
        ]
    return feeds


def render_feeds(site: Site) -> list[Output]:
    """Every Atom feed of the site."""
    entries: dict[str, str] = {}
    return [feed_document(site.config, feed, entries) for feed in list_feeds(site)]


def feed_jobs(site: Site, keys: OutputKeys) -> list[Job]:
    """Every feed as a job."""
    feeds = list_feeds(site, keys.context.ui)
    return [keys.job(urls.output_path(feed.url), render_feed, feed) for feed in feeds]


def render_feed(context: RenderContext, feed: Feed) -> Output:
    return feed_document(context.config, feed, context.feed_entries)


def xml_text(value: str) -> str:
    """Character data: the characters XML cannot hold dropped, the markup ones escaped."""
    value = NOT_XML.sub("", value)
    if "&" in value:
        value = value.replace("&", "&amp;")
    if "<" in value:
        value = value.replace("<", "&lt;")
    if ">" in value:
        value = value.replace(">", "&gt;")
    return value


def xml_attribute(value: str) -> str:
    """An attribute's value: as character data, and quotes and line breaks as references."""
    value = xml_text(value)
    if '"' in value:
        value = value.replace('"', "&quot;")
    for character, reference in (("\r", "&#13;"), ("\n", "&#10;"), ("\t", "&#09;")):
        if character in value:
            value = value.replace(character, reference)
    return value


def element(indent: int, tag: str, text: str = "", **attributes: str) -> str:
    """One element on a line of its own: `<tag a="v">text</tag>`, or `<tag a="v" />` when empty."""
    opening = tag + "".join(f' {name}="{xml_attribute(value)}"' for name, value in attributes.items())
    if not text:
        return f"{' ' * indent}<{opening} />\n"
    return f"{' ' * indent}<{opening}>{xml_text(text)}</{tag}>\n"


def person(indent: int, tag: str, name: str) -> str:
    """An Atom person construct (author, contributor) holding only a name."""
    pad = " " * indent
    return f"{pad}<{tag}>\n{element(indent + 2, 'name', name)}{pad}</{tag}>\n"


def atom_time(value: datetime.date) -> str:
    """A date as an Atom timestamp: midnight UTC, so the feed never depends on the build time."""
    return f"{value.isoformat()}T00:00:00Z"


def feed_document(config: SiteConfig, feed: Feed, made: dict[str, str]) -> Output:
    """One feed; its date is that of its newest text. made keeps each text's entry (by URL)
    for the other feeds of the same build that list it."""
    texts = feed.texts
    updated = atom_time(texts[0].article.date if texts else NO_TEXTS_YET)
    entries = [entry_of(text, config.base_url, made) for text in texts]
    return atom_document(config, feed.url, feed.page_url, feed.title, updated, entries, config.description)


def atom_document(
    config: SiteConfig,
    url: str,
    page_url: str,
    title: str,
    updated: str,
    entries: list[str],
    subtitle: str = "",
) -> Output:
    """An Atom feed at url, of the page at page_url, holding these entries."""
    absolute = config.base_url
    parts = [
        "<?xml version='1.0' encoding='utf-8'?>\n",
        f'<feed xmlns="{ATOM}" xml:lang="{xml_attribute(config.language)}">\n',
        element(2, "id", urls.absolute(page_url, absolute)),
        element(2, "title", title),
        element(2, "subtitle", subtitle) if subtitle else "",
        element(2, "updated", updated),
        element(2, "link", rel="self", type="application/atom+xml", href=urls.absolute(url, absolute)),
        element(2, "link", rel="alternate", type="text/html", href=urls.absolute(page_url, absolute)),
        person(2, "author", config.maintainer or config.title),
        *entries,
        "</feed>\n",
    ]
    return Output(urls.output_path(url), "".join(parts).encode("utf-8"))


def entry_of(text: Text, base_url: str, made: dict[str, str]) -> str:
    entry = made.get(text.url)
    if entry is None:
        entry = made[text.url] = make_entry(text, base_url)
    return entry


def make_entry(text: Text, base_url: str) -> str:
    """A text's entry; the parts that are the same in every entry written out as they are."""
    article = text.article
    link = urls.absolute(article.url, base_url)
    scheme = xml_attribute(urls.absolute(urls.tags_url(), base_url))
    published = atom_time(article.date)
    return "".join(
        (
            f'  <entry xml:lang="{xml_attribute(article.language)}">\n',
            element(4, "id", link),
            element(4, "title", article.title, type="text"),
            f'    <link rel="alternate" type="text/html" href="{xml_attribute(link)}" />\n',
            f"    <published>{published}</published>\n    <updated>{published}</updated>\n",
            *(person(4, "author", name) for name in article.authors),
            *(person(4, "contributor", name) for name in article.translators),
            *(f'    <category term="{xml_attribute(tag)}" scheme="{scheme}" />\n' for tag in article.tags),
            element(4, "summary", text.description, type="text"),
            "  </entry>\n",
        )
    )


def changes_jobs(site: Site, keys: OutputKeys, history: History) -> list[Job]:
    """The Atom feed of the newest corrections."""
    changes = history.newest(site.texts, FEED_LENGTH)
    return [keys.job(urls.output_path(urls.changes_feed_url()), render_changes_feed, changes)]


def render_changes_feed(context: RenderContext, changes: tuple[tuple[Text, Correction], ...]) -> Output:
    config, ui = context.config, context.ui
    updated = changes[0][1].date if changes else atom_time(NO_TEXTS_YET)
    entries = [correction_entry(text, correction, config.base_url, ui) for text, correction in changes]
    title = ui.gettext("Corrections: %(site)s") % {"site": config.title}
    return atom_document(config, urls.changes_feed_url(), urls.changes_url(), title, updated, entries)


def correction_entry(text: Text, correction: Correction, base_url: str, ui: Interface) -> str:
    """A correction's entry: the text, what changed, the commit's message and the fingerprints."""
    article = text.article
    link = urls.absolute(article.url, base_url) + f"#correction-{correction.commit[:12]}"
    changed = []
    if correction.sha_before != correction.sha_after:
        words = sum(1 for hunk in correction.hunks for op, _ in hunk if op != " ")
        changed.append(ui.count("the text (%(num)s change)", "the text (%(num)s changes)", words))
    if correction.fields:
        changed.append(ui.gettext("fields: %(names)s") % {"names": ", ".join(correction.fields)})
    summary = " ".join(
        (
            f"{correction.message.rstrip('.')}.",
            ui.gettext("Changed %(what)s.") % {"what": "; ".join(changed)},
            ui.gettext("SHA-256 before %(before)s, after %(after)s.")
            % {"before": correction.sha_before, "after": correction.sha_after},
        )
    )
    return "".join(
        (
            f'  <entry xml:lang="{xml_attribute(article.language)}">\n',
            element(4, "id", link),
            element(4, "title", ui.gettext("Corrected: %(title)s") % {"title": article.title}, type="text"),
            f'    <link rel="alternate" type="text/html" href="{xml_attribute(link)}" />\n',
            element(4, "updated", correction.date),
            element(4, "summary", summary, type="text"),
            "  </entry>\n",
        )
    )
