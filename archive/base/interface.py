"""The interface in the site's language: the words of the pages from a gettext catalog, and
dates, numbers, plural forms and language names by that language's rules.

A catalog is a `.po` file in the templates folder, at `locale/<locale>/LC_MESSAGES/messages.po`
(Babel's layout, so `pybabel init` and `pybabel update` make and refresh it). It is compiled in
memory when a build starts: no `.mo` file to keep in step. `site.yaml`'s `language` picks it:
`zh-Hans` finds `zh_Hans`, `pt-BR` finds `pt_BR` or else `pt`. Without one, the interface is
English and the build says so.

Only what readers see is translated: the pages, feeds and search. Messages for the curator
(errors, the build's report) and the citation styles, which are English styles, stay English.
"""

from __future__ import annotations

import contextlib
import datetime
import gettext
import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path

from archive.base.dates import WrittenDate, date_words, end_words, first_day
from archive.base.diagnostics import ContentError, Diagnostic, display_path
from archive.base.files import keep_alone
from archive.base.languages import LanguageInfo, describe
from archive.base.version import code_version

LOCALE_FOLDER = "locale"  # in the templates folder
DOMAIN = "messages"
SOURCE_LANGUAGE = "en"  # the language the templates and the code are written in


def N_(message: str) -> str:
    """Marks a message for the catalog where it is defined; it is translated where it is shown."""
    return message


def N_plural(singular: str, plural: str) -> tuple[str, str]:
    """Marks a message with a count, in its two English forms, for the catalog (as N_ does)."""
    return singular, plural


@dataclass(frozen=True)
class Interface:
    """The words and formats of the pages, in one language."""

    language: str  # the interface's BCP 47 code: 'ru', 'zh-Hans' ('en' where there is no catalog)
    locale: str  # Babel's name of it: 'ru', 'zh_Hans'
    translations: gettext.NullTranslations = field(default_factory=gettext.NullTranslations, compare=False)
    catalog: str = ""  # the catalog file read ('' for the source language without one)
    fingerprint: str = ""  # a digest of the catalog's bytes: what a cached output made with it is keyed by
    dates: dict[tuple[datetime.date, WrittenDate | None], str] = field(
        default_factory=dict, compare=False, repr=False
    )

    @property
    def direction(self) -> str:
        """'rtl' for Arabic, Persian, Hebrew...; else 'ltr'."""
        return describe(self.language).direction

    def gettext(self, message: str) -> str:
        return self.translations.gettext(message)

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        """The form for count, by the language's plural rules (three in Russian, six in Arabic)."""
        return self.translations.ngettext(singular, plural, count)

    def count(self, singular: str, plural: str, count: int, **values: str) -> str:
        """'1 text', '2 текста', '5 текстов': the form for count, with count in it as the locale
        writes numbers (singular and plural hold %(num)s), and any other values it names."""
        return self.ngettext(singular, plural, count) % {"num": self.number(count), **values}

    def plural_forms(self, singular: str, plural: str) -> dict[str, str]:
        """A message with a count in each of the language's plural forms, by CLDR's names of
        them ('one', 'few', 'many', 'other'), for a script that picks one with the browser's
        Intl.PluralRules; %(num)s written {count}, %(term)s {term}."""
        from babel import Locale

        locale = Locale.parse(self.locale)
        forms: dict[str, str] = {}
        for count in [*range(200), 10**6]:  # the first number of each form ('many' in French: a million)
            category = locale.plural_form(count)
            if category not in forms:
                message = self.ngettext(singular, plural, count)
                forms[category] = message.replace("%(num)s", "{count}").replace("%(term)s", "{term}")
        if "other" not in forms:  # Russian's 'other' is for fractions, which no count is
            forms["other"] = forms.get("many", next(iter(forms.values())))
        return forms

    def number(self, value: int) -> str:
        """'12,345', '12 345', as the locale writes numbers."""
        if self.is_source:
            return f"{value:,}" if value >= 10_000 else str(value)
        from babel.numbers import format_decimal

        return str(format_decimal(value, locale=self.locale))

    def decimal(self, value: float) -> str:
        """'2.3', '2,3': a size in megabytes, to one decimal place."""
        if self.is_source:
            return f"{value:.1f}"
        from babel.numbers import format_decimal

        return str(format_decimal(round(value, 1), format="0.0", locale=self.locale))

    def date(self, day: datetime.date, written: WrittenDate | None = None) -> str:
        """'20 March 2023', '20 марта 2023 г.'; a date written otherwise as written: 'March
        1913', 'c. 1847', 'октябрь — ноябрь 1917 г.'."""
        key = (day, written)
        if key not in self.dates:
            self.dates[key] = date_words(day, written) if self.is_source else self.locale_date(day, written)
        return self.dates[key]

    def month(self, year: int, month: int) -> str:
        """'March 1913', 'март 1913 г.': a month as the heading of its page names it."""
        if self.is_source:
            return end_words((year, month))
        from babel.dates import format_skeleton

        name = str(format_skeleton(SKELETONS[2], datetime.date(year, month, 1), locale=self.locale))
        return name[:1].upper() + name[1:]  # as a heading starts it: 'Март 1913 г.'

    def locale_date(self, day: datetime.date, written: WrittenDate | None) -> str:
        from babel.dates import format_date, format_interval, format_skeleton

        if written is None:
            return str(format_date(day, "long", locale=self.locale))
        skeleton = SKELETONS[len(written.ends[0])]
        ends = [first_day(parts) for parts in written.ends]
        if len(ends) == 2 and not any(written.qualifiers) and len(written.ends[0]) == len(written.ends[1]):
            return str(format_interval(ends[0], ends[1], skeleton, locale=self.locale))
        words = []
        for parts, end, qualifier in zip(written.ends, ends, written.qualifiers, strict=True):
            shown = str(format_skeleton(SKELETONS[len(parts)], end, locale=self.locale))
            if qualifier in ("~", "%"):
                shown = self.gettext("c. %(date)s") % {"date": shown}
            if qualifier in ("?", "%"):
                shown = self.gettext("%(date)s?") % {"date": shown}
            words.append(shown)
        return " – ".join(words)

    def describe(self, code: str) -> LanguageInfo:
        """A language's names and direction, its name in the interface's language."""
        return describe(code, self.language)

    @property
    def is_source(self) -> bool:
        """English as the templates write it: its own date style ('20 March 2023'), not Babel's."""
        return self.locale.split("_")[0] == SOURCE_LANGUAGE


SKELETONS = {1: "y", 2: "yMMMM", 3: "yMMMMd"}  # Babel's patterns for a year, a month, a day


def catalog_path(templates_dir: Path, locale: str) -> Path:
    return templates_dir / LOCALE_FOLDER / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


def locale_candidates(language: str) -> list[str]:
    """Babel's names a BCP 47 code can be found under, the closest first: 'zh' -> zh, zh_Hans_CN,
    zh_Hans; 'pt-BR' -> pt_BR, pt."""
    import langcodes  # only for a code whose own name has no catalog (find_catalog)

    tag = langcodes.Language.get(language)
    full = tag.maximize()
    names = [language.replace("-", "_")]
    if tag.language:
        script_region = [tag.language, full.script, full.territory]
        names += [
            "_".join(p for p in script_region if p),
            "_".join(p for p in script_region[:2] if p),
            "_".join(p for p in (tag.language, tag.territory) if p),
            tag.language,
        ]
    return list(dict.fromkeys(names))


def find_catalog(templates_dir: Path, language: str) -> tuple[str, Path] | None:
    """The locale and catalog file of the interface for language, if there is one (the code's
    own name tried first: most sites are found without loading langcodes' tables)."""
    own = language.replace("-", "_")
    if catalog_path(templates_dir, own).is_file():
        return own, catalog_path(templates_dir, own)
    for locale in locale_candidates(language):
        path = catalog_path(templates_dir, locale)
        if path.is_file():
            return locale, path
    return None


def load_interface(templates_dir: Path, language: str, compiled: Path | None = None) -> tuple[Interface, str]:
    """The interface for site.yaml's language, and a warning ('' if none) when it has no
    catalog and the pages fall back to English. compiled: a folder of the build cache, where
    catalogs compiled by an earlier build are kept by their digest."""
    found = find_catalog(templates_dir, language)
    if found is None:
        source = find_catalog(templates_dir, SOURCE_LANGUAGE)
        interface = Interface(SOURCE_LANGUAGE, SOURCE_LANGUAGE)
        if source is not None:
            interface = Interface(SOURCE_LANGUAGE, source[0], *read_catalog(source[1], compiled))
        warning = ""
        if language.split("-")[0] != SOURCE_LANGUAGE:
            place = catalog_path(templates_dir, language.replace("-", "_"))
            warning = (
                f"warning: the interface has no catalog for '{language}' (site.yaml's language), so"
                f" the pages' labels are in English; to translate them, add {place}"
                " (README: 'The interface in another language')"
            )
        return interface, warning
    locale, path = found
    return Interface(language, locale, *read_catalog(path, compiled)), ""


def read_catalog(path: Path, compiled: Path | None = None) -> tuple[gettext.GNUTranslations, str, str]:
    """A .po file, compiled by Babel into what gettext reads; its path and digest. The compiled
    form is kept in compiled, by the digest, for the next build (reading the catalog and
    loading Babel for it take a tenth of a second)."""
    try:
        source = path.read_bytes()
    except OSError as error:
        problem = Diagnostic(display_path(path), 1, f"the interface's catalog cannot be read: {error}")
        raise ContentError([problem]) from None
    fingerprint = hashlib.sha256(source).hexdigest()
    kept = compiled / f"catalog-{code_version()[:16]}-{fingerprint[:32]}.mo" if compiled else None
    if kept and kept.is_file():
        with contextlib.suppress(Exception):  # a kept file that cannot be read is made again
            return gettext.GNUTranslations(io.BytesIO(kept.read_bytes())), str(path), fingerprint
    mo = compile_catalog(path, source)
    if kept:
        keep_alone(kept, mo, "catalog-*.mo")
    return gettext.GNUTranslations(io.BytesIO(mo)), str(path), fingerprint


def compile_catalog(path: Path, source: bytes) -> bytes:
    """A .po file's bytes compiled by Babel to a .mo file's, or a ContentError at its line."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import PoFileError, read_po

    try:
        catalog = read_po(io.BytesIO(source), abort_invalid=True)
    except (OSError, PoFileError, ValueError) as error:
        counted = getattr(error, "lineno", None)  # Babel counts from 0
        line = counted + 1 if isinstance(counted, int) else 1
        problem = Diagnostic(
            display_path(path),
            line,
            f"the interface's catalog cannot be read: {error}",
            "mend it (README: 'The interface in another language'), or remove it to build in English",
        )
        raise ContentError([problem]) from None
    mo = io.BytesIO()
    write_mo(mo, catalog)
    return mo.getvalue()


def english() -> Interface:
    """The interface as the templates write it, without a catalog (for tests and tools)."""
    return Interface(SOURCE_LANGUAGE, SOURCE_LANGUAGE)
