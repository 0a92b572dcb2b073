"""Site model -> Atom feeds: the whole archive, each tag and each source, newest texts first."""

from __future__ import annotations

import datetime
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import lru_cache, partial

from archive import urls
from archive.model import Site, Text
from archive.records import Job, Output, digest

FEED_LENGTH = 50
ATOM = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# Characters XML 1.0 cannot carry at all, even escaped.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
NO_TEXTS_YET = datetime.date(1970, 1, 1)


@dataclass(frozen=True)
class Feed:
    """One Atom feed: where it is, what it is called, the page it follows, its texts."""

    url: str
    title: str
    page_url: str
    texts: tuple[Text, ...]


def list_feeds(site: Site) -> list[Feed]:
    """The site's feed, then one per tag and per source that has texts."""
    feeds = [Feed(site.feed_url, site.config.title, urls.home_url(), site.texts)]
    for taxonomy in (site.tags, site.sources):
        feeds += [
            Feed(term.feed_url, f"{term.name}: {site.config.title}", term.url, term.texts)
            for term in taxonomy.terms
            if term.feed_url
        ]
    return feeds


def render_feeds(site: Site) -> list[Output]:
    """Every Atom feed of the site."""
    return [render_feed(site, feed) for feed in list_feeds(site)]


def feed_jobs(site: Site) -> list[Job]:
    """Every feed as a job keyed by what it shows: its place, title and its newest texts."""
    jobs = []
    for feed in list_feeds(site):
        shown = tuple(text.stamp for text in feed.texts[:FEED_LENGTH])
        key = digest(feed.url, feed.title, feed.page_url, shown)
        jobs.append(Job(urls.output_path(feed.url), key, partial(render_feed, site, feed)))
    return jobs


def xml_text(value: str) -> str:
    """Drop the characters XML cannot hold; escaping the rest is the serializer's job."""
    return NOT_XML.sub("", value)


def atom_time(value: datetime.date) -> str:
    """A date as an Atom timestamp: midnight UTC, so the feed never depends on the build time."""
    return f"{value.isoformat()}T00:00:00Z"


def add(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, tag, {k: xml_text(v) for k, v in attributes.items()})
    if text is not None:
        element.text = xml_text(text)
    return element


def render_feed(site: Site, feed: Feed) -> Output:
    """One feed of at most FEED_LENGTH texts; its date is that of its newest text."""
    absolute = site.config.base_url
    texts = feed.texts[:FEED_LENGTH]
    root = ET.Element("feed", {"xmlns": ATOM, XML_LANG: site.config.language})
    add(root, "id", urls.absolute(feed.page_url, absolute))
    add(root, "title", feed.title)
    if site.config.description:
        add(root, "subtitle", site.config.description)
    add(root, "updated", atom_time(texts[0].article.date if texts else NO_TEXTS_YET))
    add(root, "link", rel="self", type="application/atom+xml", href=urls.absolute(feed.url, absolute))
    add(root, "link", rel="alternate", type="text/html", href=urls.absolute(feed.page_url, absolute))
    author = add(root, "author")
    add(author, "name", site.config.maintainer or site.config.title)
    ET.indent(root)
    head = ET.tostring(root, encoding="unicode").removesuffix("</feed>")
    entries = "".join(f"  {entry_xml(text, absolute)}\n" for text in texts)
    data = f"<?xml version='1.0' encoding='utf-8'?>\n{head}{entries}</feed>\n"
    return Output(urls.output_path(feed.url), data.encode("utf-8"))


@lru_cache(maxsize=4096)  # a text's entry is the same in every feed that lists it
def entry_xml(text: Text, base_url: str) -> str:
    """One text's <entry>, indented to sit in a feed."""
    entry = make_entry(text, base_url)
    ET.indent(entry, level=1)
    return ET.tostring(entry, encoding="unicode")


def make_entry(text: Text, base_url: str) -> ET.Element:
    article = text.article
    link = urls.absolute(article.url, base_url)
    entry = ET.Element("entry", {XML_LANG: article.language})
    add(entry, "id", link)
    add(entry, "title", article.title, type="text")
    add(entry, "link", rel="alternate", type="text/html", href=link)
    add(entry, "published", atom_time(article.date))
    add(entry, "updated", atom_time(article.date))
    for name in article.authors:
        add(add(entry, "author"), "name", name)
    for name in article.translators:
        add(add(entry, "contributor"), "name", name)
    for tag in article.tags:
        add(entry, "category", term=tag, scheme=urls.absolute(urls.tags_url(), base_url))
    add(entry, "summary", text.description, type="text")
    return entry
