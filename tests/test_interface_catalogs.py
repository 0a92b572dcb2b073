"""Every string of the interface is in every catalog, translated, its placeholders and markup kept.

The messages are extracted as `pybabel extract -F babel.cfg` extracts them (README: "The
interface in another language"), from the templates and the code, and compared with the
template catalog (messages.pot) and each language's messages.po.
"""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import pytest
from babel import Locale
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from conftest import ROOT, TEMPLATES

LOCALE = TEMPLATES / "locale"
SHIPPED = ["en", "ru", "zh_Hans", "bg", "fr", "de", "es", "ar", "fa"]
PLACEHOLDER = re.compile(r"%\(\w+\)s")
TAG = re.compile(r"</?[a-z]+(?:\s[^>]*)?>")


def extracted() -> dict[str, tuple[str, ...]]:
    """msgid -> its forms (one, or singular and plural), as pybabel extract finds them."""
    with (ROOT / "babel.cfg").open() as file:
        method_map, options_map = parse_mapping_cfg(file)
    found: dict[str, tuple[str, ...]] = {}
    for _, _, message, _, _ in extract_from_dir(ROOT, method_map, options_map, DEFAULT_KEYWORDS):
        forms = (message,) if isinstance(message, str) else tuple(message)
        found[forms[0]] = forms
    return found


def read_catalog(path: Path) -> Catalog:
    with path.open("rb") as file:
        return read_po(file, abort_invalid=True)


def messages(catalog: Catalog) -> dict[str, Message]:
    return {(m.id if isinstance(m.id, str) else m.id[0]): m for m in catalog if m.id}


@pytest.fixture(scope="module")
def interface_strings() -> dict[str, tuple[str, ...]]:
    return extracted()


def test_the_interface_has_its_strings_marked(interface_strings: dict[str, tuple[str, ...]]) -> None:
    """A sample from the templates and from the code, singular and plural."""
    assert interface_strings["First published"] == ("First published",)
    assert interface_strings["%(num)s text"] == ("%(num)s text", "%(num)s texts")
    assert "Machine translation" in interface_strings  # records.TRANSLATIONS, marked with N_
    assert "%(num)s tag, with the number of texts for each." in interface_strings  # N_plural
    assert len(interface_strings) > 150


def test_the_template_catalog_is_current(interface_strings: dict[str, tuple[str, ...]]) -> None:
    """messages.pot holds what the templates and code say today (after a change: pybabel
    extract, then pybabel update)."""
    template = messages(read_catalog(LOCALE / "messages.pot"))
    assert sorted(template) == sorted(interface_strings)


@pytest.mark.parametrize("locale", SHIPPED)
def test_each_catalog_translates_every_string(
    locale: str, interface_strings: dict[str, tuple[str, ...]]
) -> None:
    catalog = read_catalog(LOCALE / locale / "LC_MESSAGES" / "messages.po")
    found = messages(catalog)
    missing = sorted(set(interface_strings) - set(found))
    assert not missing, f"{locale}: not in the catalog (pybabel update): {missing[:5]}"
    problems = []
    for msgid, forms in interface_strings.items():
        message = found[msgid]
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy:
            problems.append(f"fuzzy (dropped when compiled): {msgid!r}")
        if len(forms) == 2 and len(strings) != catalog.num_plurals:
            problems.append(f"{len(strings)} plural forms, not {catalog.num_plurals}: {msgid!r}")
        for translated in strings:
            if not translated:
                problems.append(f"untranslated: {msgid!r}")
            elif set(PLACEHOLDER.findall(translated)) != set(PLACEHOLDER.findall(" ".join(forms))):
                problems.append(f"placeholders differ: {msgid!r} -> {translated!r}")
            elif sorted(TAG.findall(translated)) != sorted(TAG.findall(msgid)):
                problems.append(f"markup differs: {msgid!r} -> {translated!r}")
    assert not problems, f"{locale}:\n" + "\n".join(problems)


@pytest.mark.parametrize("locale", SHIPPED)
def test_each_catalog_has_its_language_plural_rules(locale: str) -> None:
    """The header's plural rules (which gettext picks a form by) agree with CLDR's (which the
    search page's script picks one by, with Intl.PluralRules): one form for each category."""
    catalog = read_catalog(LOCALE / locale / "LC_MESSAGES" / "messages.po")
    form_of = gettext.c2py(catalog.plural_expr)
    category_of = Locale.parse(locale).plural_form
    pairs = {(form_of(n), category_of(n)) for n in [*range(1000), 10**6, 2 * 10**6]}
    assert len({form for form, _ in pairs}) == len(pairs) == len({category for _, category in pairs})
    assert len(pairs) == catalog.num_plurals
