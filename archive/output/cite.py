"""An article -> how to cite it: its permalink, a Chicago-style citation, BibTeX, CSL-JSON,
RIS, JSON-LD, and the meta tags reference managers read (Highwire Press and Dublin Core).

Names are given as the archive records them, never inverted: many of its authors write the
family name first, and guessing which part is which would invent a fact (CSL and RIS get them
as literal names).

The Chicago text is what a CSL processor makes of the CSL-JSON with the Chicago
notes-bibliography style (16th edition), a web page's bibliography entry: the two are kept
equal by a test that renders one into the other. Translators have no Highwire tag (Google
Scholar documents authors only, Zotero authors and editors): they are Dublin Core contributors
on the page, and translators in the CSL-JSON and the RIS file, which Zotero, Mendeley and
EndNote import with that role.
"""

from __future__ import annotations

import re
from typing import Any

from archive.base import urls
from archive.base.dates import as_written, date_words, ends_of, machine_date, padded
from archive.base.languages import describe
from archive.base.records import TRANSLATIONS, Article

BIBTEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
BIBTEX_TABLE = str.maketrans(BIBTEX_SPECIALS)
BIBTEX_SPECIAL = re.compile("[" + re.escape("".join(BIBTEX_SPECIALS)) + "]")


def permalink(article: Article, base_url: str) -> str:
    """The text's absolute, stable address."""
    return urls.absolute(article.url, base_url)


def date_parts(article: Article) -> list[list[int]]:
    """The text's date as CSL's date-parts: [[2023, 3, 20]], [[1913, 3]], [[1917, 10], [1917, 11]]."""
    return [list(end) for end in ends_of(article.date, article.written_date)]


def slashed(parts: list[int]) -> str:
    """'2023/03/20', '1913/03', as Highwire tags write dates."""
    return "/".join(padded(tuple(parts)))


def ris_date(parts: list[int]) -> str:
    """'2023/03/20/', '1913/03//': RIS's year/month/day/other, the parts not known left empty."""
    cells = padded(tuple(parts))
    return "/".join(cells + [""] * (3 - len(cells))) + "/"


def join_names(names: tuple[str, ...]) -> str:
    """'A', 'A and B', 'A, B, and C'."""
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + ", and " + names[-1]


def sentence(text: str) -> str:
    """End a part of a citation with a period, unless it ends with its own mark."""
    return text if text.endswith((".", "?", "!")) else text + "."


def quoted_title(title: str) -> str:
    """'“Title.”': Chicago puts the period inside the quotation marks, and none after '?' or '!'."""
    return f"“{sentence(title)}”"


# Words CSL's title case leaves in lower case, but first or after a colon.
MINOR_WORDS = frozenset(
    {"a", "an", "and", "as", "at", "but", "by", "down", "for", "from", "in", "into", "nor", "of", "on"}
    | {"onto", "or", "over", "so", "the", "till", "to", "up", "via", "with", "yet"}
)


def headline(text: str, language: str) -> str:
    """Chicago's headline-style capitals, as CSL makes them: only in English, and only in words
    written all in lower case (the words are as recorded; only the citation capitalises them)."""
    if language != "en" and not language.startswith("en-"):
        return text
    words, previous = [], ":"
    for word in text.split(" "):
        if word.islower() and (word not in MINOR_WORDS or previous in (":", ".")):
            word = word[:1].upper() + word[1:]
        previous = word[-1:]
        words.append(word)
    return " ".join(words)


def genre(article: Article) -> str:
    """What the citation says of the copy beside its title: an excerpt, a translation whose
    translator is not known (a known one is named as the translator)."""
    words = ["Excerpt"] if article.excerpt else []
    if article.is_translation and article.original_language and not article.translators:
        original = describe(article.original_language).name
        words.append(f"translated from {original} by an unknown translator")
    text = ", ".join(words)
    return text[:1].upper() + text[1:]


def chicago(article: Article, base_url: str, site_title: str) -> str:
    """A Chicago-style (notes-bibliography) bibliography entry for the archived copy."""
    language = article.language
    parts = [sentence(join_names(article.authors)), quoted_title(headline(article.title, language))]
    if kind := genre(article):
        parts.append(sentence(kind))
    if article.translators:
        parts.append(sentence(f"Translated by {join_names(article.translators)}"))
    published = date_words(article.date, article.written_date, american=True)
    parts.append(sentence(f"{headline(article.source.name, language)}, {published}"))
    parts.append(sentence(site_title))
    parts.append(sentence(permalink(article, base_url)))
    return " ".join(parts)


def csl_names(names: tuple[str, ...]) -> list[dict[str, str]]:
    return [{"literal": name} for name in names]


def csl_item(article: Article, base_url: str, site_title: str) -> dict[str, Any]:
    """The text as a CSL-JSON item (the format of citeproc, Zotero and Pandoc)."""
    issued: dict[str, Any] = {"date-parts": date_parts(article)}
    if article.written_date is not None and article.written_date.circa:
        issued["circa"] = True
    item: dict[str, Any] = {
        "id": article.slug,
        "type": "webpage",
        "title": article.title,
        "author": csl_names(article.authors),
    }
    if article.translators:
        item["translator"] = csl_names(article.translators)
    if kind := genre(article):
        item["genre"] = kind
    item |= {
        "container-title": article.source.name,
        "issued": issued,
        "language": article.language,
        "archive": site_title,
        "URL": permalink(article, base_url),
    }
    if article.original_title:
        item["original-title"] = article.original_title
    if article.summary:
        item["abstract"] = article.summary
    if article.tags:
        item["keyword"] = ", ".join(article.tags)
    return item


def ris(article: Article, base_url: str, site_title: str) -> str:
    """The text as a RIS record (EndNote, Mendeley, Zotero): a web page (ELEC), its translators
    as subsidiary authors (A4), the role those programs give translators."""
    lines = [("TY", "ELEC"), ("TI", article.title)]
    lines += [("AU", name) for name in article.authors]
    lines += [("A4", name) for name in article.translators]
    lines += [
        ("T2", article.source.name),
        ("PY", str(article.date.year)),
        ("DA", ris_date(date_parts(article)[0])),
        ("LA", article.language),
        ("DB", site_title),
        ("UR", permalink(article, base_url)),
    ]
    if kind := genre(article):
        lines.append(("M3", kind))
    lines += [("KW", tag) for tag in article.tags]
    if article.summary:
        lines.append(("AB", article.summary))
    notes = []
    if article.original_title:
        notes.append(f"Original title: {article.original_title}")
    if article.is_translation and article.original_language:
        notes.append(f"Translated from {describe(article.original_language).name}")
    if article.source_url:
        retrieved = f", retrieved {article.retrieved.isoformat()}" if article.retrieved else ""
        notes.append(f"Copy of {article.source_url}{retrieved}")
    lines += [("N1", note) for note in notes]
    lines.append(("ER", ""))
    # One line a field: a value's own line breaks would start a new field.
    return "".join(f"{tag}  - {' '.join(value.split())}\r\n" for tag, value in lines)


def meta_tags(article: Article, base_url: str) -> tuple[tuple[str, str], ...]:
    """(name, content) of the page's Highwire Press and Dublin Core meta tags, for Google
    Scholar, Zotero and other readers of page metadata."""
    address = permalink(article, base_url)
    highwire = [
        ("citation_title", article.title),
        *(("citation_author", name) for name in article.authors),
        ("citation_publication_date", slashed(date_parts(article)[0])),
        ("citation_publisher", article.source.name),
        ("citation_language", article.language),
        ("citation_public_url", address),
        ("citation_fulltext_html_url", address),
    ]
    pdf = next((kept.file for kept in article.files if kept.file.endswith(".pdf")), None)
    if pdf:  # the original's PDF or a facsimile, which Google Scholar indexes
        highwire.append(("citation_pdf_url", urls.absolute(f"/files/{pdf}", base_url)))
    if article.tags:
        highwire.append(("citation_keywords", "; ".join(article.tags)))
    dublin_core = [
        ("DC.title", article.title),
        *(("DC.creator", name) for name in article.authors),
        *(("DC.contributor", name) for name in article.translators),
        ("DC.date", machine_date(article.date, article.written_date)),
        ("DC.language", article.language),
        ("DC.publisher", article.source.name),
        ("DC.source", article.source_url or article.source.name),
        ("DC.rights", article.license),
        ("DC.identifier", address),
        ("DC.type", "Text"),
    ]
    return tuple(highwire + dublin_core)


def bibtex_escape(text: str) -> str:
    """Make a value safe inside a braced BibTeX field."""
    # Most values need nothing, and translating a string through a table of several-character
    # replacements is slow (a few microseconds, eight times a page).
    return text.translate(BIBTEX_TABLE) if BIBTEX_SPECIAL.search(text) else text


def bibtex(article: Article, base_url: str, site_title: str) -> str:
    """A BibTeX (biblatex) entry; names in double braces so BibTeX keeps them whole."""
    fields = [
        ("author", " and ".join("{" + bibtex_escape(n) + "}" for n in article.authors)),
        ("title", "{" + bibtex_escape(article.title) + "}"),
        ("date", as_written(article.date, article.written_date)),  # biblatex reads EDTF
        ("year", str(article.date.year)),
        ("language", bibtex_escape(describe(article.language).name.lower())),
    ]
    if article.translators:
        fields.append(("translator", " and ".join("{" + bibtex_escape(n) + "}" for n in article.translators)))
    if article.original_language and article.is_translation:
        fields.append(("origlanguage", bibtex_escape(describe(article.original_language).name.lower())))
    fields.append(("organization", bibtex_escape(article.source.name)))
    fields.append(("howpublished", bibtex_escape(f"Archived in {site_title}")))
    fields.append(("url", permalink(article, base_url)))
    if article.retrieved:
        fields.append(("urldate", article.retrieved.isoformat()))
    if article.excerpt:
        fields.append(("note", "Excerpt"))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@misc{{{article.slug},\n{body}\n}}"


def json_ld(article: Article, base_url: str, original: Article | None) -> dict[str, Any]:
    """schema.org Article data; the template serialises it with `<`, `>` and `&` escaped."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": article.title,
        "name": article.title,
        "url": permalink(article, base_url),
        "inLanguage": article.language,
        "datePublished": machine_date(article.date, article.written_date),
        "author": [{"@type": "Person", "name": name} for name in article.authors],
        "publisher": source_data(article),
    }
    if article.translators:
        data["translator"] = [{"@type": "Person", "name": name} for name in article.translators]
    if article.source_url:
        data["isBasedOn"] = article.source_url
    if article.is_translation and article.translation:
        # schema.org has no property for how a translation was made: its status, in words.
        reviewed = "reviewed" if article.reviewed else "not reviewed"
        data["creativeWorkStatus"] = f"{TRANSLATIONS[article.translation].lower()}, {reviewed} by the archive"
    if original is not None and original.slug != article.slug:
        data["translationOfWork"] = {
            "@type": "Article",
            "name": original.title,
            "inLanguage": original.language,
            "url": permalink(original, base_url),
        }
    return data


def source_data(article: Article) -> dict[str, Any]:
    source: dict[str, Any] = {"@type": "Organization", "name": article.source.name}
    if article.source.url:
        source["url"] = article.source.url
    return source
