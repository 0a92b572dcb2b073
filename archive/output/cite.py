"""An article -> how to cite it: its permalink, a Chicago-style citation, BibTeX and JSON-LD.

Names are given as the archive records them, never inverted: many of its authors write the
family name first, and guessing which part is which would invent a fact.
"""

from __future__ import annotations

import re
from typing import Any

from archive.base import urls
from archive.base.languages import describe
from archive.base.records import Article

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


def us_date(value: Any) -> str:
    """'March 20, 2023', as Chicago writes dates."""
    return f"{value:%B} {value.day}, {value.year}"


def join_names(names: tuple[str, ...]) -> str:
    """'A', 'A and B', 'A, B, and C'."""
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + ", and " + names[-1]


def chicago(article: Article, base_url: str, site_title: str) -> str:
    """A Chicago-style (notes-bibliography) entry for the archived copy."""
    parts = [f"{join_names(article.authors)}.", f"“{article.title.rstrip('.')}.”"]
    if article.is_translation and article.original_language:
        original = describe(article.original_language).name
        who = join_names(article.translators) if article.translators else "an unknown translator"
        parts.append(f"Translated from {original} by {who}.")
    parts.append(f"{article.source.name}, {us_date(article.date)}.")
    if article.excerpt:
        parts.append("Excerpt.")
    archived = f"Archived in {site_title}"
    if article.retrieved:
        archived += f", retrieved {us_date(article.retrieved)}"
    parts.append(f"{archived}. {permalink(article, base_url)}.")
    return " ".join(parts)


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
        ("date", article.date.isoformat()),
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
        "datePublished": article.date.isoformat(),
        "author": [{"@type": "Person", "name": name} for name in article.authors],
        "publisher": source_data(article),
    }
    if article.translators:
        data["translator"] = [{"@type": "Person", "name": name} for name in article.translators]
    if article.source_url:
        data["isBasedOn"] = article.source_url
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
