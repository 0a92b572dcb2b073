"""Tests for archive/importer/importer.py: fixture drafts, the seed, mojibake, encodings and nothing lost.

Each input under tests/importer/fixtures/ (NAME.txt or NAME.html) is imported and compared with
NAME.expected.md. To rewrite the expected drafts after a deliberate change, run
`UPDATE_IMPORTER_FIXTURES=1 python -m pytest tests/importer/test_importer.py`, then read the diff
by eye before committing it: the expected files are only as right as that reading.
"""

from __future__ import annotations

import datetime
import difflib
import os
import re
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from archive.importer.importer import (
    Draft,
    ImportOptions,
    import_file,
    import_text,
    rendered_words,
    write_draft,
)
from archive.importer.textinput import ImportFailed, looks_like_html
from archive.site.markdown import ANCHOR

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent / "fixtures"
UPDATE = os.environ.get("UPDATE_IMPORTER_FIXTURES") == "1"
SEED = FIXTURES / "seed.txt"
PUTIN = FIXTURES / "mojibake-putin.txt"
# The day the fixtures' drafts say they were retrieved; a real import says the day it ran.
RETRIEVED = datetime.date(2024, 5, 1)
DEFAULT_OPTIONS = ImportOptions("example-source", retrieved=RETRIEVED)
OPTIONS: dict[str, ImportOptions] = {
    "seed.txt": ImportOptions("pogled-info", datetime.date(2023, 3, 20), RETRIEVED),
    "credit-bg.txt": ImportOptions("pogled-info", datetime.date(2023, 3, 21), RETRIEVED),
    "mojibake-putin.txt": ImportOptions("globalsouth", datetime.date(2023, 3, 19), RETRIEVED),
}
INPUTS = sorted(path for path in FIXTURES.iterdir() if not path.name.endswith(".expected.md"))
# The HTML page and the mojibake are changed on purpose, so they are checked apart.
VERBATIM_INPUTS = [path for path in INPUTS if path.suffix == ".txt" and path != PUTIN]


def split_draft(text: str) -> tuple[dict[str, Any], list[str]]:
    """Split a draft into its parsed front matter and its blank-line-separated blocks."""
    assert text.startswith("---\n")
    front, _, body = text[4:].partition("\n---\n")
    blocks = [block for block in body.strip("\n").split("\n\n") if block]
    return yaml.safe_load(front), blocks


def editorial_blocks(blocks: list[str]) -> tuple[list[str], dict[str, list[str]]]:
    """Separate body blocks from the editorial sections' blocks, by heading."""
    body: list[str] = []
    sections: dict[str, list[str]] = {}
    current = body
    for block in blocks:
        match = re.fullmatch(r"<!-- editorial: (.+) -->", block)
        if match:
            current = sections.setdefault(match.group(1), [])
        else:
            current.append(block)
    return body, sections


def unescaped(block: str) -> str:
    """Undo the importer's one Markdown backslash, wherever it went."""
    return block.replace("\\", "", 1)


def places_of(draft_text: str) -> set[str]:
    """Everything a line of the input may have become: a block, a removed line or the title."""
    front, blocks = split_draft(draft_text)
    places = {front["title"], *front["removed"]}
    return places | set(blocks) | {unescaped(block) for block in blocks} | {rendered_words(b) for b in blocks}


def assert_nothing_lost(source: str, draft: Draft) -> None:
    """Check that every non-blank input line is in the draft: verbatim, or (its spacing made plain)
    inside the paragraph its line was joined into, or split by a marker."""
    front, _ = split_draft(draft.text)
    places = places_of(draft.text)
    joined = {number: block.text for block in draft.body for number in block.lines}
    for number, line in enumerate(source.replace("\r\n", "\n").split("\n"), start=1):
        line = line.rstrip()
        # A body line that needed Markdown escapes is found by the words it renders, which
        # never include the leading spaces.
        plain = " ".join(line.split())
        if not line or line in places or line.strip() in places or plain in places:
            continue
        if number in joined and plain in " ".join(joined[number].split()):
            continue
        stripped = line.strip()
        rests = [" ".join(stripped[len(m) :].split()) for m in front["removed"] if stripped.startswith(m)]
        in_paragraph = " ".join(joined[number].split()) if number in joined else ""
        assert any(rest in places or rest in in_paragraph for rest in rests), f"lost: {line!r}"


def show_diff(expected: str, actual: str) -> str:
    """A unified diff for a failed comparison."""
    lines = difflib.unified_diff(
        expected.splitlines(), actual.splitlines(), "expected", "actual", lineterm=""
    )
    return "\n".join(lines)


def import_fixture(path: Path) -> Draft:
    """Import a fixture with the options its test names."""
    return import_file(path, OPTIONS.get(path.name, DEFAULT_OPTIONS))


@pytest.fixture(scope="module")
def seed() -> Draft:
    return import_fixture(SEED)


@pytest.fixture(scope="module")
def putin() -> Draft:
    return import_fixture(PUTIN)


def test_there_are_enough_fixtures() -> None:
    assert len(INPUTS) >= 13
    for path in INPUTS:
        assert UPDATE or path.with_name(f"{path.stem}.expected.md").exists(), (
            f"{path.name} has no expected draft"
        )


@pytest.mark.parametrize("path", INPUTS, ids=lambda path: path.name)
def test_fixture_matches_its_expected_draft(path: Path) -> None:
    if path.suffix in (".html", ".htm"):
        pytest.importorskip("trafilatura")
    draft = import_fixture(path)
    expected = path.with_name(f"{path.stem}.expected.md")
    if UPDATE:
        expected.write_text(draft.text, encoding="utf-8", newline="\n")
    want = expected.read_text(encoding="utf-8")
    assert draft.text == want, show_diff(want, draft.text)


@pytest.mark.parametrize("path", VERBATIM_INPUTS, ids=lambda path: path.name)
def test_fixture_draft_parses_and_keeps_every_line(path: Path) -> None:
    draft = import_fixture(path)
    front, _ = split_draft(draft.text)
    encoding = front["imported"]["encoding"].replace("utf-8", "utf-8-sig")
    assert_nothing_lost(path.read_bytes().decode(encoding), draft)
    assert list(front)[:4] == ["title", "date", "source", "authors"]
    assert front["imported"]["file"] == path.name


def test_seed_body_is_the_text_line_for_line(seed: Draft) -> None:
    lines = SEED.read_text(encoding="utf-8").split("\n")
    last = next(i for i, line in enumerate(lines) if line.endswith("progress of human civilization."))
    expected = [lines[0].removeprefix("/ world today news/ "), *lines[1 : last + 1]]
    assert expected[0].startswith("At the invitation of President Vladimir Putin")
    assert list(seed.body_paragraphs) == expected
    _, blocks = split_draft(seed.text)
    body, _ = editorial_blocks(blocks)
    assert body == expected


def test_seed_credit_hashtags_and_boilerplate_are_removed(seed: Draft) -> None:
    assert seed.translators == ("V. Sergeev",)
    assert seed.hashtags == (
        "#Jinping",
        "#persistently",
        "#moving",
        "#prospects",
        "#friendship",
        "#China",
        "#Russia",
    )
    assert seed.removed[0] == "/ world today news/"
    assert seed.removed[1:3] == ("Translation: V. Sergeev", seed.removed[2])
    assert seed.removed[2].startswith("Vote with ballot No. 14")
    assert seed.removed[3:] == (
        "Subscribe to our YouTube channel:",
        "and for the channel or in Telegram:",
        "#Jinping #persistently #moving #prospects #friendship #China #Russia",
    )


def test_seed_editorial_section_holds_the_questions_to_the_end(seed: Draft) -> None:
    lines = SEED.read_text(encoding="utf-8").split("\n")
    first = next(i for i, line in enumerate(lines) if line.startswith("Given the increasing scrutiny"))
    assert seed.editorial == (("Discussion questions", "\n\n".join(lines[first:])),)
    _, blocks = split_draft(seed.text)
    _, sections = editorial_blocks(blocks)
    assert sections == {"Discussion questions": lines[first:]}


def test_seed_front_matter_values(seed: Draft) -> None:
    front, _ = split_draft(seed.text)
    assert front["title"].startswith("TODO")
    assert front["date"] == datetime.date(2023, 3, 20)
    assert front["source"] == "pogled-info"
    assert front["authors"] == ["TODO: author"]
    assert front["language"] == "en"
    assert front["translators"] == ["V. Sergeev"]
    assert front["tags"] == [
        "jinping",
        "persistently",
        "moving",
        "prospects",
        "friendship",
        "china",
        "russia",
    ]
    assert front["removed"] == list(seed.removed)
    assert front["imported"]["encoding"] == "utf-8"
    assert len(front["imported"]["sha256"]) == 64
    assert (seed.slug, seed.year) == ("at-the-invitation-of-president-vladimir-putin-i-will-make-a", 2023)


def test_seed_report_lists_found_then_every_removed_line(seed: Draft) -> None:
    report = list(seed.report)
    removed_at = report.index("removed: 6 lines, verbatim:")
    assert "body: 19 paragraphs (lines 1-19)" in report[:removed_at]
    assert "editorial: section 'Discussion questions' with 15 lines (lines 25-39)" in report[:removed_at]
    for line in seed.removed:
        assert any(entry.endswith(f": {line}") for entry in report[removed_at + 1 :])


def test_putin_mojibake_is_repaired_and_recorded(putin: Draft) -> None:
    front, _ = split_draft(putin.text)
    body = "\n".join(putin.body_paragraphs)
    assert "\u0392" not in putin.text.split("\n---\n", 1)[1]
    assert "\u03b2" not in body
    assert "Vladimir Putin’s Article for\u00a0People’s Daily Newspaper" in body
    assert "said: “Is it not a\u00a0joy to\u00a0have friends coming from afar!” In\u00a0Russia" in body
    assert body.count("\u00a0") == 80
    assert body.count("each other’s sovereignty") == 1  # curly quotes as found stay curly
    assert front["title"] == "Russia and China: A Future-Bound Partnership – Putin & Xi Jinping"
    repairs = front["imported"]["repairs"]
    assert len(repairs) == 5
    assert "'Β ' (U+0392 U+0020) -> '\u00a0' (U+00A0 NO-BREAK SPACE), 80 times" in repairs[0]
    assert "3 times; undo at line 2: Putin’s; line 2: People’s; line 4: People’s" in repairs[1]


def test_putin_report_names_the_mapping_and_the_doubts(putin: Draft) -> None:
    repaired = [line for line in putin.report if line.startswith("repaired: mojibake")]
    assert len(repaired) == 5
    assert all("Windows-1253" in line for line in repaired)
    assert any(line.startswith("check: line 3 looks like a dateline") for line in putin.report)


def test_ftfy_alone_would_not_do() -> None:
    ftfy = pytest.importorskip("ftfy")
    fixed = ftfy.fix_text(PUTIN.read_text(encoding="utf-8"))
    assert "\u0392" in fixed  # why the importer needs its targeted step
    assert "\u2019" not in fixed  # and why fix_text's defaults are not used: it uncurls quotes


def test_cp1251_is_detected_and_reported() -> None:
    draft = import_file(FIXTURES / "cp1251.txt", ImportOptions("pogled-info"))
    front, _ = split_draft(draft.text)
    assert front["imported"]["encoding"] == "cp1251"
    assert draft.body_paragraphs[0].startswith("Зимата в планината")
    assert any("decoded as cp1251" in line for line in draft.report)


def test_western_text_is_not_read_as_cyrillic(tmp_path: Path) -> None:
    text = "Le café du coin ouvre à sept heures; la crème est fraîche et le pâté aussi."
    path = tmp_path / "cafe.txt"
    path.write_bytes(text.encode("cp1252"))
    draft = import_file(path, ImportOptions("x"))
    assert draft.body_paragraphs == (text,)
    assert split_draft(draft.text)[0]["imported"]["encoding"] == "cp1252"


def test_bom_and_crlf_are_normalised_and_reported() -> None:
    draft = import_text("\ufeffTitle words here\r\nFirst line of text.  \r\n", "x")
    front, _ = split_draft(draft.text)
    assert front["imported"]["normalised"] == [
        "byte-order mark removed",
        "CRLF line endings -> LF (2 lines)",
        "trailing whitespace removed on 1 line (2)",
    ]
    assert draft.body_paragraphs == ("Title words here", "First line of text.")


def test_binary_input_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    path.write_bytes(b"%PDF-1.4\x00\x01\x02")
    with pytest.raises(ImportFailed, match="binary file"):
        import_file(path, ImportOptions("x"))


def test_html_without_trafilatura_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "trafilatura", None)
    with pytest.raises(ImportFailed, match=re.escape("pip install '.[html]'")):
        import_file(FIXTURES / "page.html", ImportOptions("x"))


def test_html_page_metadata() -> None:
    pytest.importorskip("trafilatura")
    draft = import_file(FIXTURES / "page.html", ImportOptions("coastal-gazette"))
    front, _ = split_draft(draft.text)
    assert front["title"] == "Harbour Reopens After Repairs"
    assert front["authors"] == ["Jane Doe"]
    assert front["source_url"] == "https://example.org/news/harbour-reopens"
    assert front["date"] == datetime.date(2023, 3, 20)  # from article:published_time
    assert "Subscribe to our newsletter" not in draft.text


@pytest.mark.parametrize(
    ("line", "names"),
    [
        ("Translation: V. Sergeev", ("V. Sergeev",)),
        ("Translated by Ann Lee and Tom Reed", ("Ann Lee", "Tom Reed")),
        ("Translator: J. R. R. Smith.", ("J. R. R. Smith",)),
        ("Превод: Иван Петров", ("Иван Петров",)),
        ("Перевод с английского: Мария Смирнова", ("Мария Смирнова",)),
        ("Traducción: Ana García y Luis Pérez", ("Ana García", "Luis Pérez")),
        ("Traduction : Claire Dubois", ("Claire Dubois",)),
        ("Übersetzung: Karl Müller", ("Karl Müller",)),
        ("ترجمه: مریم احمدی", ("مریم احمدی",)),
        ("(Translation: Pogled.Info)", ("Pogled.Info",)),
    ],
)
def test_credit_lines_in_many_languages(line: str, names: tuple[str, ...]) -> None:
    draft = import_text(f"Some text of the article, long enough to be a paragraph.\n{line}\n", "x")
    assert draft.translators == names
    assert draft.removed == (line,)


@pytest.mark.parametrize(
    "line",
    [
        "Translation: this is how the word was understood at the time.",
        "Translation: It matters more than ever.",
        "Follow the money, said the inspector, and you will find the answer.",
        "# This is not a hashtag line",
    ],
)
def test_text_that_only_looks_like_a_credit_or_junk_stays(line: str) -> None:
    draft = import_text(f"Some text of the article, long enough to be a paragraph.\n{line}\n", "x")
    assert draft.removed == ()
    assert draft.body_paragraphs[-1] == line


def test_a_rhetorical_question_in_the_text_stays_in_the_body() -> None:
    text = "First paragraph of the text.\nWhat is to be done?\nThe answer follows here, at length.\n"
    draft = import_text(text, "x")
    assert draft.editorial == ()
    assert draft.body_paragraphs[1] == "What is to be done?"


@pytest.mark.parametrize(
    "line",
    [
        "# 1 is the first number",
        "#1 hit of the year",
        "> quoted",
        "- dash",
        "* star",
        "+ plus",
        "1986. That year",
        "3) third",
        "---",
        "***",
        "```",
        "~~~ tilde",
        "[1]: the first note",
        "<!-- editorial: Not one -->",
    ],
)
def test_markdown_escapes_keep_the_rendered_words(line: str) -> None:
    draft = import_text(f"A paragraph of the text.\n{line}\nAnother paragraph.\n", "x")
    _, blocks = split_draft(draft.text)
    escaped = blocks[1]
    assert escaped != line and unescaped(escaped) == line
    tokens = MarkdownIt("commonmark").parse(escaped)
    assert [token.type for token in tokens] == ["paragraph_open", "inline", "paragraph_close"]
    children = tokens[1].children or []
    assert "".join(child.content for child in children if child.type == "text") == line
    assert any("backslash added" in entry for entry in draft.report)


def test_a_question_after_the_credit_goes_to_the_editorial_section() -> None:
    text = "The text of the article, as translated.\nTranslation: Ann Lee\nWhy did the talks fail?\n"
    draft = import_text(text, "x")
    assert draft.body_paragraphs == ("The text of the article, as translated.",)
    assert draft.editorial == (("Discussion questions", "Why did the talks fail?"),)


def test_a_short_first_line_is_a_title_only_when_prose_follows() -> None:
    with_prose = import_text("Harbour News\nThe harbour reopened on Monday after long repairs.\n", "x")
    assert (with_prose.slug, with_prose.body_paragraphs) == ("harbour-news", (with_prose.body_paragraphs[0],))
    assert split_draft(with_prose.text)[0]["title"] == "Harbour News"
    list_only = import_text("Harbour News\nMonday\nTuesday\n", "x")
    assert split_draft(list_only.text)[0]["title"].startswith("TODO")
    assert list_only.body_paragraphs == ("Harbour News", "Monday", "Tuesday")


def test_empty_input_gives_a_draft_of_todos() -> None:
    draft = import_text("", "x")
    front, blocks = split_draft(draft.text)
    assert blocks == []
    assert draft.slug.startswith("untitled-")
    assert front["title"].startswith("TODO") and front["removed"] == []


def test_write_draft_writes_under_the_year(tmp_path: Path, seed: Draft) -> None:
    path = write_draft(seed, tmp_path)
    assert path == tmp_path / "articles" / "2023" / f"{seed.slug}.md"
    assert path.read_text(encoding="utf-8") == seed.text


def test_write_draft_refuses_to_overwrite(tmp_path: Path, seed: Draft) -> None:
    path = write_draft(seed, tmp_path)
    path.write_text("edited by a person", encoding="utf-8")
    with pytest.raises(FileExistsError):
        write_draft(seed, tmp_path)
    assert path.read_text(encoding="utf-8") == "edited by a person"


def test_write_draft_needs_a_date(tmp_path: Path) -> None:
    draft = import_text("A paragraph of the text.\n", "x")
    with pytest.raises(ImportFailed, match="--date"):
        write_draft(draft, tmp_path)
    assert not (tmp_path / "articles").exists()


SAMPLE_LINES = [
    "Subscribe to our YouTube channel:",
    "and for the channel or in Telegram:",
    "Vote with ballot No. 14 for the LEFT!",
    "Follow us on Telegram",
    "Абонирайте се за канала ни",
    "https://t.me/example",
    "Translation: V. Sergeev",
    "Превод: Иван Петров",
    "Traduction : Claire Dubois",
    "ترجمه: علی رضایی",
    "Translated by Ann Lee",
    "#Jinping #China",
    "#Россия",
    "What do you think?",
    "* **Why does it matter?**",
    "Here are some open-ended questions to spark discussion:",
    "**Section 1: Goals**",
    "Editor's note: this was shortened.",
    "# Heading",
    "> quote",
    "- item",
    "1. first",
    "---",
    "```",
    "<!-- editorial: X -->",
    "    indented",
    "/ world today news/ The text starts here.",
    "/Поглед.инфо/",
    "The year begins with spring, and success with deeds.",
]
TEXT_CHARACTERS = st.characters(
    codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp"), exclude_characters="\ufeff"
)
LINE = st.one_of(
    st.sampled_from(SAMPLE_LINES),
    st.text(TEXT_CHARACTERS, max_size=60),
    st.builds(
        lambda a, b: a + b,
        st.sampled_from(["", " ", "  ", "#", "* ", "/ x/ "]),
        st.text(TEXT_CHARACTERS, max_size=40),
    ),
)
TRAILING = st.sampled_from(["", "", " ", "\t", "  "])


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(st.lists(st.tuples(LINE, TRAILING), max_size=25), st.sampled_from(["\n", "\r\n"]))
def test_no_input_line_is_ever_lost(lines: list[tuple[str, str]], newline: str) -> None:
    source = newline.join(line + space for line, space in lines)
    assume(not looks_like_html(source, ""))  # a saved page goes through extraction, tested apart
    draft = import_text(source, "x")
    front, _ = split_draft(draft.text)
    assume(front["imported"]["repairs"] == [])
    assert_nothing_lost(source, draft)
    assert front["removed"] == list(draft.removed)
    assert set(front.get("hashtags", [])) == set(draft.hashtags)
    assert all(any(tag in line for line in draft.removed) for tag in draft.hashtags)
    assert all(any(name in line for line in draft.removed) for name in draft.translators)


def test_importing_the_seed_gives_the_bundled_op_ed_line_for_line() -> None:
    from archive.content.reader import read_sources, split_editorial
    from archive.content.schema import FieldReader

    article_path = ROOT / "content" / "articles" / "2023" / "xi-2023-op-ed.md"
    front, body = article_path.read_text(encoding="utf-8").split("\n---\n", 1)
    bundled = yaml.safe_load(front.removeprefix("---\n"))
    text, editorial = split_editorial(body, 1, FieldReader("x", 1))
    sources, _ = read_sources(ROOT / "content" / "sources.yaml")
    draft = import_file(FIXTURES / "seed.txt", ImportOptions("world-today-news", datetime.date(2023, 3, 20)))
    assert "world-today-news" in sources
    paragraphs = [p.strip("\n") for p in text.split("\n\n") if p.strip()]
    assert list(draft.body_paragraphs) == [p for p in paragraphs if not ANCHOR.fullmatch(p)]
    assert draft.translators == tuple(bundled["translators"]) == ("V. Sergeev",)
    assert list(draft.hashtags) == bundled["hashtags"]
    assert list(draft.removed) == bundled["removed"]
    (section,) = editorial
    assert draft.editorial == ((section.heading, section.body),)


def test_the_bundled_putin_opening_is_the_importers_repaired_text() -> None:
    article_path = ROOT / "content" / "articles" / "2023" / "putin-2023-future-bound-partnership-en.md"
    front, body = article_path.read_text(encoding="utf-8").split("\n---\n", 1)
    bundled = yaml.safe_load(front.removeprefix("---\n"))
    draft = import_file(PUTIN, ImportOptions("kremlin", datetime.date(2023, 3, 19)))
    moved_by_the_curator = list(draft.body_paragraphs[:2])
    assert bundled["removed"][1:] == moved_by_the_curator
    assert [p for p in body.strip("\n").split("\n\n")] == list(draft.body_paragraphs[2:])
    assert bundled["imported"]["repairs"] and "\u0392" not in body and "\u03b2" not in body


@pytest.mark.parametrize(
    "line",
    [
        "5*3*2 is thirty",
        "C:\\new\\* is a path",
        "&copy; and &amp; as written",
        "see [1](note) here",
        "<https://example.org> in brackets",
        "snake_case_words and `ticks`",
        "![x](y)",
    ],
)
def test_body_lines_render_as_the_words_found(line: str) -> None:
    draft = import_text(f"A first line of the text, long enough to be text.\n{line}\n", "pogled-info")
    _, blocks = split_draft(draft.text)
    assert rendered_words(blocks[-1]) == line
    assert any("backslash" in entry for entry in draft.report)
