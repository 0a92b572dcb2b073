"""Credits as copies give them: translator lines, information blocks, bylines and bios -> names and fields."""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from archive.importer.dates import find_date, find_years
from archive.importer.patterns import (
    BIO_VERB_RE,
    BYLINE_RE,
    CREDIT_LINE_RE,
    INTERVIEWERS_RE,
    LANGUAGE_FORMS,
    LICENSE_LABELS,
    NAME_JOINERS_RE,
    PUBLISHED_LABELS,
    TRANSLATED_FROM_RE,
    TRANSLATOR_LABELS,
    WRITTEN_LABELS,
)

CREDIT_NOUNS = (
    r"translation|english translation|translator|translators|traducción|traductor|traductora"
    r"|traduction|traducteur|traductrice|übersetzung|übersetzer|übersetzerin|tradução|traduzione"
    r"|tłumaczenie|překlad|превод|преводач|преводът|перевод|переводчик|переклад|ترجمه|ترجمة|مترجم"
    r"|翻译|译者"
)
CREDIT_VERBS = (
    r"translated(?: from \w+)? by|traducido por|traducida por|traduit(?: de l'\w+| du \w+)? par"
    r"|übersetzt von|traduzido por|tradotto da|превела|превел|преведе|перевела|перевел|перевёл"
)
CREDIT_RE = re.compile(
    rf"^\s*[(\[]?\s*(?:(?:{CREDIT_NOUNS})(?:\s+[^\s:：]+){{0,3}}?\s*[:：]|(?:{CREDIT_VERBS})\s)"
    r"\s*(?P<names>[^()\[\]:：]+?)\s*[)\]]?\s*$",
    re.IGNORECASE,
)
NAME_PARTICLES = re.compile(r"de|da|del|della|di|van|von|der|den|du|la|le|bin|ibn|al")
NAME_SPLIT_RE = re.compile(r"\s*(?:[,;،、&]|\s(?:and|und|et|y|e|и|і|та)\s)\s*")
NAME_MAX_WORDS = 6


@dataclass(frozen=True)
class InfoBlock:
    """An information block's credit lines ("Written:", "Translated:", "Source:"...) read into fields."""

    lines: tuple[str, ...]
    translators: tuple[str, ...]
    original_language: str
    published: datetime.date | None
    published_words: str  # the credit's words, for a hint when they give no full date
    names_a_work: bool  # it says when the work was written or published: page dates are the copy's
    license: str


def credit_names(text: str) -> tuple[str, ...]:
    """Return the translators named by a credit line, or nothing if it is not one."""
    match = CREDIT_RE.match(text)
    if not match or len(text) > 120:
        return ()
    names = tuple(name for name in NAME_SPLIT_RE.split(match["names"]) if name)
    if not names or not all(looks_like_name(name) for name in names):
        return ()
    return tuple(strip_final_period(name) for name in names)


def looks_like_name(name: str) -> bool:
    """Tell whether a credited string can be a name (not a sentence that starts like a credit)."""
    words = name.rstrip(".").split()
    capitalised = all(not word[0].islower() or NAME_PARTICLES.fullmatch(word) for word in words)
    return 0 < len(words) <= NAME_MAX_WORDS and capitalised and name[-1] not in "!?"


def strip_final_period(name: str) -> str:
    """Drop a sentence's full stop after a name, keeping an initial's ('J. R. R.')."""
    last = name.split()[-1]
    return name[:-1] if name.endswith(".") and len(last) > 2 else name


def read_info_block(lines: Sequence[str]) -> InfoBlock | None:
    """Read a block whose lines are mostly credits ("Translated: Paul Sweezy"); None if it is not one."""
    credits = [match for match in (CREDIT_LINE_RE.match(line) for line in lines) if match]
    if len(credits) < 2 or len(credits) * 2 < len(lines):
        return None
    translators: list[str] = []
    original, license_text, published, published_words, names_a_work = "", "", None, "", False
    for match in credits:
        label, value = normal_label(match["label"]), match["value"].strip().rstrip(";").strip()
        original = original or language_translated_from(match.group())
        if label in TRANSLATOR_LABELS:
            translators += translator_names(value)
        elif label in PUBLISHED_LABELS | WRITTEN_LABELS:
            names_a_work = True
            found = find_date(value)
            if label in PUBLISHED_LABELS and published is None:
                published, published_words = (found.date if found else None), value
        elif label in LICENSE_LABELS and not license_text:
            license_text = match["label"].strip().title()
    for line in lines:
        original = original or language_translated_from(line)
    return InfoBlock(
        tuple(lines), tuple(translators), original, published, published_words, names_a_work, license_text
    )


def normal_label(label: str) -> str:
    """A credit label in lower case with its spaces made single."""
    return " ".join(label.lower().split())


def translator_names(value: str) -> tuple[str, ...]:
    """The names a "Translated:" credit gives; none for "from the German" or an empty credit."""
    value = value.strip().rstrip(".;").strip()
    if not value or TRANSLATED_FROM_RE.match(f"translated {value}") or value.lower().startswith("from "):
        return ()
    names = split_names(value)
    return names if all(looks_like_name(name) for name in names) else ()


def language_translated_from(text: str) -> str:
    """The BCP 47 code of the language a credit says the text was translated from, or ''."""
    match = TRANSLATED_FROM_RE.search(text)
    return language_code(match["language"]) if match else ""


def language_code(name: str) -> str:
    """The code of a language named in words ('German', 'inglés', 'Englischen'), or ''."""
    lowered = name.lower()
    if lowered in LANGUAGE_FORMS:
        return LANGUAGE_FORMS[lowered]
    try:
        import langcodes  # here: its tables take a while to load

        return str(langcodes.find(name).language or "")
    except (LookupError, ValueError):
        return ""


def split_names(text: str) -> tuple[str, ...]:
    """Split 'Jochen Bittner, Tina Hildebrandt' or 'A und B' into names, as written."""
    parts = (part.strip(" .:;,") for part in NAME_JOINERS_RE.split(text))
    return tuple(part for part in parts if part)


def byline_names(text: str) -> tuple[str, ...]:
    """The names of a byline ('By Jane Doe and John Roe', 'DIE FRAGEN STELLTEN A UND B'), or ()."""
    match = BYLINE_RE.match(text) or INTERVIEWERS_RE.match(text)
    names = split_names(match["names"] if match else text)
    if any(len(name.split()) > 1 for name in names):
        names = tuple(name for name in names if len(name.split()) > 1)  # "Politik · A B, C D": a section
    if not names or not all(looks_like_name(name) or name.isupper() for name in names):
        return ()
    return tuple(name for name in names if len(name.split()) <= NAME_MAX_WORDS)


def bio_names(text: str) -> tuple[str, ...]:
    """The people a closing bio introduces ('Andrés Malamud es politólogo ... Martín Schapiro es ...')."""
    sentences = re.split(r"(?<=[.!?])\s+", text.strip())
    names = tuple(match["name"] for match in (BIO_VERB_RE.match(s) for s in sentences) if match)
    return names if names and all(looks_like_name(name) for name in names) else ()


def name_key(name: str) -> str:
    """A name's letters only, case-folded and without accents, to tell spellings of one name."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(char for char in decomposed if char.isalpha())


def merge_names(*groups: Iterable[str]) -> tuple[str, ...]:
    """Join lists of names, each name once; of two spellings keep the first that is not all capitals."""
    chosen: dict[str, str] = {}
    for name in (name for group in groups for name in group):
        key = name_key(name)
        if key and (key not in chosen or (chosen[key].isupper() and not name.isupper())):
            chosen[key] = name
    return tuple(chosen.values())


def published_hint(block: InfoBlock) -> str:
    """A hint for the date from an information block that gives only a year or a season."""
    years = find_years(block.published_words)
    return f"the information block says it was published: {block.published_words}" if years else ""
