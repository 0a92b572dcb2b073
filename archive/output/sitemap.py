"""Site model -> files for machines: sitemap.xml, robots.txt, data/articles.json and .csv, the
texts' citation files and data/citations.json."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import Any

from archive.base import urls
from archive.base.dates import as_written
from archive.base.records import ChainStep, ExportRows, Job, Output
from archive.content.config import SiteConfig
from archive.output import cite
from archive.output.feeds import xml_attribute, xml_text
from archive.output.keys import OutputKeys, RenderContext
from archive.output.views import language_alternates
from archive.site.model import Site, Text, listing_urls

SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML = "http://www.w3.org/1999/xhtml"  # its link element names a page's versions in other languages
# The documented columns of data/articles.json and data/articles.csv (see README.md).
FIELDS = (
    "slug",
    "url",
    "title",
    "original_title",
    "date",
    "language",
    "original_language",
    "authors",
    "translators",
    "translation",
    "reviewed",
    "source",
    "source_url",
    "retrieved",
    "work",
    "license",
    "excerpt",
    "tags",
    "summary",
    "chain",
    "sha256",
)
SOURCE_COLUMNS = ("source.key", "source.name", "source.url")  # the CSV's flattening of "source"
LIST_SEPARATOR = "; "


def machine_jobs(site: Site, keys: OutputKeys) -> list[Job]:
    """The sitemap, robots.txt and the data export as jobs."""
    return [
        keys.job(urls.output_path(urls.sitemap_url()), render_sitemap, *sitemap_inputs(site)),
        keys.job(urls.output_path(urls.robots_url()), render_robots),
        keys.job(urls.output_path(urls.data_url("articles.json")), render_json, site.texts),
        keys.job(urls.output_path(urls.data_url("articles.csv")), render_csv, site.texts),
        keys.job(urls.output_path(urls.data_url("citations.json")), render_citations, site.texts),
    ]


def citation_jobs(site: Site, keys: OutputKeys) -> list[Job]:
    """Each text's cite.json (CSL-JSON) and cite.ris beside its page."""
    return keys.text_jobs(render_cite_json, site.texts, cite_path("json")) + keys.text_jobs(
        render_cite_ris, site.texts, cite_path("ris")
    )


def cite_path(extension: str) -> Callable[[Text], str]:
    return lambda text: urls.output_path(urls.cite_url(text.article.slug, extension))


def render_cite_json(context: RenderContext, text: Text) -> Output:
    """A list of one CSL-JSON item, as reference managers import it."""
    path = urls.output_path(urls.cite_url(text.article.slug, "json"))
    return Output(path, csl_list([context.rows_of(text).csl]))


def render_cite_ris(context: RenderContext, text: Text) -> Output:
    config = context.config
    record = cite.ris(text.article, config.base_url, config.title)
    return Output(urls.output_path(urls.cite_url(text.article.slug, "ris")), record.encode("utf-8"))


def render_citations(context: RenderContext, texts: tuple[Text, ...]) -> Output:
    """Every text as a CSL-JSON item, newest first, one a line."""
    items = [context.rows_of(text).csl for text in texts]
    return Output(urls.output_path(urls.data_url("citations.json")), csl_list(items))


def csl_list(items: list[bytes]) -> bytes:
    """CSL-JSON items (each a line of JSON) as the list reference managers import."""
    return b"[\n" + b",\n".join(items) + b"\n]\n"


Alternates = tuple[tuple[str, str], ...]  # (hreflang, URL): the versions of a text's work


def sitemap_inputs(
    site: Site,
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[Alternates, ...]]:
    """The URLs of the pages that list texts; the texts' URLs, their dates and their versions in
    other languages (tuples of strings: the sitemap's key covers all it shows, and no more, in
    a few thousandths of a second)."""
    return (
        tuple(listing_urls(site)),
        tuple(text.url for text in site.texts),
        # a partial date has no day to say when its page was last changed: none is given
        tuple("" if text.article.written_date else text.article.date.isoformat() for text in site.texts),
        tuple(
            language_alternates(site.work_of(text), text) if text.article.work else () for text in site.texts
        ),
    )


def render_sitemap(
    context: RenderContext,
    listing: tuple[str, ...],
    texts: tuple[str, ...],
    dates: tuple[str, ...],
    alternates: tuple[Alternates, ...],
) -> Output:
    """Every page's absolute URL (the pages that list texts, then the texts'), its text's date
    where it has one, and the versions of its work as xhtml:link alternates, laid out as
    ElementTree indents it (written as text: building the tree took ten times as long)."""
    entries = []
    base_url = context.config.base_url
    pages = [*((url, None, ()) for url in listing), *zip(texts, dates, alternates, strict=True)]
    for url, lastmod, versions in pages:
        location = f"    <loc>{xml_text(urls.absolute(url, base_url))}</loc>\n"
        date = f"    <lastmod>{xml_text(lastmod)}</lastmod>\n" if lastmod else ""
        links = "".join(
            f'    <xhtml:link rel="alternate" hreflang="{xml_attribute(hreflang)}"'
            f' href="{xml_attribute(urls.absolute(href, base_url))}" />\n'
            for hreflang, href in versions
        )
        entries.append(f"  <url>\n{location}{date}{links}  </url>\n")
    head = f"<?xml version='1.0' encoding='utf-8'?>\n<urlset xmlns=\"{SITEMAP}\" xmlns:xhtml=\"{XHTML}\">\n"
    data = head + "".join(entries) + "</urlset>\n"
    return Output(urls.output_path(urls.sitemap_url()), data.encode("utf-8"))


def render_robots(context: RenderContext) -> Output:
    sitemap = urls.absolute(urls.sitemap_url(), context.config.base_url)
    text = f"User-agent: *\nAllow: /\n\nSitemap: {sitemap}\n"
    return Output(urls.output_path(urls.robots_url()), text.encode("utf-8"))


def describe_step(step: ChainStep) -> dict[str, Any]:
    return {
        "language": step.language,
        "translators": list(step.translators),
        "source": step.source.key if step.source else None,
        "date": as_written(step.date, step.written_date) if step.date else None,
        "note": step.note,
        "translation": step.translation,
    }


def article_record(text: Text, base_url: str) -> dict[str, Any]:
    """One text's metadata under the documented field names, in FIELDS order."""
    a = text.article
    return {
        "slug": a.slug,
        "url": urls.absolute(a.url, base_url),
        "title": a.title,
        "original_title": a.original_title,
        "date": as_written(a.date, a.written_date),  # EDTF: 2023-03-20, or 1913-03, 1847~...
        "language": a.language,
        "original_language": a.original_language,
        "authors": list(a.authors),
        "translators": list(a.translators),
        "translation": a.translation if a.is_translation else None,
        "reviewed": a.reviewed if a.is_translation else None,
        "source": {"key": a.source.key, "name": a.source.name, "url": a.source.url},
        "source_url": a.source_url,
        "retrieved": a.retrieved.isoformat() if a.retrieved else None,
        "work": a.work,
        "license": a.license,
        "excerpt": a.excerpt,
        "tags": list(a.tags),
        "summary": a.summary,
        "chain": [describe_step(step) for step in a.chain],
        "sha256": text.body.sha256,
    }


def export_rows(text: Text, config: SiteConfig) -> ExportRows:
    """A text's line of data/articles.json, its row of data/articles.csv and its CSL-JSON item,
    in UTF-8 (the files are their bytes joined: made once, when the text is read, they are
    never encoded again)."""
    record = article_record(text, config.base_url)
    row = io.StringIO()
    csv.writer(row, lineterminator="\r\n").writerow(flatten(record).values())  # cells in column order
    item = cite.csl_item(text.article, config.base_url, config.title)
    return ExportRows(
        json.dumps(record, ensure_ascii=False).encode("utf-8"),
        row.getvalue().encode("utf-8"),
        json.dumps(item, ensure_ascii=False).encode("utf-8"),
    )


def render_json(context: RenderContext, texts: tuple[Text, ...]) -> Output:
    return json_document(context.config, [context.rows_of(text) for text in texts])


def json_document(config: SiteConfig, rows: list[ExportRows]) -> Output:
    """The document, one article a line, so that diffs stay small."""
    head = json.dumps({"title": config.title, "url": config.base_url}, ensure_ascii=False)
    records = b",\n".join([row.json for row in rows])
    data = b"".join([head[:-1].encode("utf-8"), b', "articles": [\n', records, b"\n]}\n"])
    return Output(urls.output_path(urls.data_url("articles.json")), data)


def flatten(record: dict[str, Any]) -> dict[str, str]:
    """A JSON record as CSV cells: lists joined with '; ', the source split in three columns."""
    cells: dict[str, str] = {}
    for name, value in record.items():
        if name == "source":
            cells.update({column: value[column.split(".")[1]] or "" for column in SOURCE_COLUMNS})
        elif name == "chain":
            cells[name] = LIST_SEPARATOR.join(step["language"] for step in value)
        elif isinstance(value, list):
            cells[name] = LIST_SEPARATOR.join(value)
        elif isinstance(value, bool):
            cells[name] = "true" if value else "false"
        else:
            cells[name] = "" if value is None else str(value)
    return cells


def render_csv(context: RenderContext, texts: tuple[Text, ...]) -> Output:
    return csv_document([context.rows_of(text) for text in texts])


def csv_document(rows: list[ExportRows]) -> Output:
    columns = [c for f in FIELDS for c in (SOURCE_COLUMNS if f == "source" else (f,))]
    header = io.StringIO()
    csv.writer(header, lineterminator="\r\n").writerow(columns)
    data = header.getvalue().encode("utf-8") + b"".join([row.csv for row in rows])
    return Output(urls.output_path(urls.data_url("articles.csv")), data)
