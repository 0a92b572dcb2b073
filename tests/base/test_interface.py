"""The interface in the site's language: catalogs found, plural forms, dates, numbers, names."""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path

import pytest
from conftest import TEMPLATES

from archive.base.dates import read_written_date
from archive.base.diagnostics import ContentError
from archive.base.interface import english, find_catalog, load_interface, locale_candidates

TEXTS = ("%(num)s text", "%(num)s texts")


def interface(language: str):  # type: ignore[no-untyped-def]
    ui, warning = load_interface(TEMPLATES, language)
    assert warning == ""
    return ui


@pytest.mark.parametrize(
    ("count", "words"),
    [(1, "1 текст"), (2, "2 текста"), (5, "5 текстов"), (21, "21 текст"), (11, "11 текстов")],
)
def test_russian_plural_forms(count: int, words: str) -> None:
    assert interface("ru").count(*TEXTS, count) == words


@pytest.mark.parametrize(("count", "form"), [(1, 1), (2, 2), (5, 3), (21, 4), (100, 5), (0, 0)])
def test_arabic_has_six_plural_forms(count: int, form: int) -> None:
    """Arabic: zero, one, two, few (3-10), many (11-99), other; each its own message."""
    ui = interface("ar")
    forms = [ui.count(*TEXTS, n) for n in (0, 1, 2, 5, 21, 100)]
    assert len(set(forms)) == 6, forms
    assert ui.count(*TEXTS, count) == forms[form]


def test_english_plural_forms_without_a_catalog() -> None:
    ui = english()
    assert [ui.count(*TEXTS, n) for n in (1, 2, 5, 21)] == ["1 text", "2 texts", "5 texts", "21 texts"]


def test_plural_forms_for_the_browser_by_cldr_category() -> None:
    """The search page's script picks a form with Intl.PluralRules: each category has its words."""
    forms = interface("ru").plural_forms("%(num)s result for “%(term)s”.", "%(num)s results for “%(term)s”.")
    assert set(forms) == {"one", "few", "many", "other"}  # other: for fractions, as many
    assert all("{count}" in words and "{term}" in words for words in forms.values())
    assert forms["one"] != forms["few"] != forms["many"]


def test_dates_by_the_locale() -> None:
    day = datetime.date(1917, 10, 25)
    assert interface("ru").date(day) == "25 октября 1917\u202fг."
    assert english().date(day) == "25 October 1917"
    assert interface("de").date(day) == "25. Oktober 1917"


def test_dates_written_otherwise_by_the_locale() -> None:
    ui = interface("ru")
    for edtf, words in [("1913-03", "март 1913\u202fг."), ("1888", "1888"), ("1847~", "c. 1847")]:
        parsed = read_written_date(edtf)
        day, written = (parsed, None) if isinstance(parsed, datetime.date) else (parsed.earliest, parsed)
        shown = ui.date(day, written)
        if edtf == "1847~":
            assert shown == ui.gettext("c. %(date)s") % {"date": "1847"}
            assert shown != "c. 1847", "circa is translated"
        else:
            assert shown == words
    span = read_written_date("1917-10/1917-11")
    assert not isinstance(span, datetime.date)
    assert "октябрь" in ui.date(span.earliest, span) and "ноябрь" in ui.date(span.earliest, span)


def test_numbers_and_months_by_the_locale() -> None:
    assert interface("ru").number(12345) == "12\xa0345"
    assert interface("de").number(12345) == "12.345"
    assert interface("ru").month(1913, 3) == "Март 1913\u202fг."
    assert english().month(1913, 3) == "March 1913"


def test_language_names_in_the_interface_language_with_their_autonym() -> None:
    chinese = interface("ru").describe("zh")
    assert chinese.heading == "Китайский" and chinese.autonym == "中文"
    assert interface("ar").describe("ru").name == "الروسية"
    assert english().describe("fa").name == "Persian"


def test_direction_of_the_interface() -> None:
    assert interface("ar").direction == "rtl"
    assert interface("fa").direction == "rtl"
    assert interface("ru").direction == "ltr"


def test_a_bcp47_code_finds_its_catalog() -> None:
    assert locale_candidates("zh")[:3] == ["zh", "zh_Hans_CN", "zh_Hans"]
    assert find_catalog(TEMPLATES, "zh") == (
        "zh_Hans",
        TEMPLATES / "locale" / "zh_Hans" / "LC_MESSAGES" / "messages.po",
    )
    assert find_catalog(TEMPLATES, "zh-Hans")[0] == "zh_Hans"  # type: ignore[index]
    assert find_catalog(TEMPLATES, "ru-RU")[0] == "ru"  # type: ignore[index]
    assert find_catalog(TEMPLATES, "fr-CA")[0] == "fr"  # type: ignore[index]


def test_a_language_without_a_catalog_falls_back_to_english_with_one_warning() -> None:
    ui, warning = load_interface(TEMPLATES, "sw")
    assert ui.language == "en" and ui.gettext("Search") == "Search"
    assert warning.startswith("warning: the interface has no catalog for 'sw'")
    assert "locale/sw/LC_MESSAGES/messages.po" in warning
    assert load_interface(TEMPLATES, "en-GB")[1] == ""


def test_a_broken_catalog_is_a_content_error_with_its_line(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES / "locale" / "ru", templates / "locale" / "ru")
    catalog = templates / "locale" / "ru" / "LC_MESSAGES" / "messages.po"
    lines = catalog.read_text("utf-8").splitlines()
    broken = next(n for n, line in enumerate(lines) if line.startswith("msgstr ") and n > 20)
    lines[broken] = "msgstr, misspelt"
    catalog.write_text("\n".join(lines) + "\n", "utf-8")
    with pytest.raises(ContentError) as raised:
        load_interface(templates, "ru")
    (problem,) = raised.value.diagnostics
    assert problem.path.endswith("messages.po")
    assert problem.line == broken + 1
    assert "catalog cannot be read" in problem.message
