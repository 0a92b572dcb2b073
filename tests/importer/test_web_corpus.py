"""The development set of real saved pages and plain texts (../shared/corpus/web/) imported faithfully.

Each page's expectations were written from reading the page itself (and the corpus README's
notes on it), never from the importer's output: its paragraphs, word for word where a page's
own structure gives them (the Kremlin's div.entry-content, the White House's field-item,
marxists.org's paragraphs), the furniture that must not be in the body, and the fields.
The corpus lives beside the checkout and is never copied into it; without it these tests skip.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from archive.importer.importer import Draft, ImportOptions, import_file
from archive.importer.records import BlockKind
from archive.importer.writing import same_words
from archive.site.markdown import render_body

WEB = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "web"
RETRIEVED = datetime.date(2024, 5, 1)
lxml_html = pytest.importorskip("lxml.html")
pytest.importorskip("trafilatura")


def corpus_file(name: str) -> Path:
    path = WEB / name
    if not path.is_file():
        pytest.skip(f"the development set is not beside the checkout ({path} is absent)")
    return path


@cache
def imported(name: str) -> Draft:
    return import_file(corpus_file(name), ImportOptions("example-source", retrieved=RETRIEVED))


def front_of(draft: Draft) -> dict[str, Any]:
    front, _, _ = draft.text[4:].partition("\n---\n")
    loaded: dict[str, Any] = yaml.safe_load(front)
    return loaded


def norm(text: str) -> str:
    """Words as a reader compares them: no-break spaces and line breaks as plain spaces."""
    return " ".join(text.replace("\u00a0", " ").split())


def paragraphs(draft: Draft) -> list[str]:
    return [norm(block.text) for block in draft.body if block.kind is BlockKind.PARAGRAPH]


def headings(draft: Draft) -> list[str]:
    return [norm(block.text) for block in draft.body if block.kind is BlockKind.HEADING]


def body_words(draft: Draft) -> str:
    return "\n".join(norm(block.text) for block in draft.body)


def removed_kinds(draft: Draft) -> list[tuple[str, str]]:
    return [(norm(removal.text), removal.what) for removal in draft.removals]


def page_root(name: str) -> Any:
    raw = corpus_file(name).read_bytes()
    text = raw.decode("utf-8") if b"charset=iso-8859-1" not in raw[:2000].lower() else raw.decode("cp1252")
    return lxml_html.document_fromstring(re.sub(r"^\s*<\?xml[^>]*\?>", "", text))


def visible(element: Any) -> str:
    """An element's words without what the page hides (class 'hidden' tooltips)."""
    copy = lxml_html.fromstring(lxml_html.tostring(element, encoding="unicode"))
    for hidden in copy.xpath('.//*[contains(concat(" ", @class, " "), " hidden ")]'):
        hidden.drop_tree()
    return norm(copy.text_content())


# --- What every page must satisfy -------------------------------------------------------------

ALL_FILES = sorted(path.name for path in WEB.glob("*") if path.name != "README.md") if WEB.is_dir() else []


@pytest.mark.parametrize("name", ALL_FILES)
def test_the_body_is_text_not_code_and_shows_its_own_words(name: str) -> None:
    draft = imported(name)
    rendered = render_body(draft.text.split("\n---\n", 1)[1].split("<!-- editorial:")[0])
    assert "<pre>" not in rendered.html and "<code>" not in rendered.html
    for block in draft.body:
        if block.kind not in (BlockKind.FOOTNOTE, BlockKind.BREAK):
            assert same_words(block.markdown, block.text), (block.where, block.markdown[:80])
    for text in paragraphs(draft):
        assert not re.match(r"^(?:[-*+•] |#|>)", text), text[:60]
        assert "\t" not in text and "  " not in text


@pytest.mark.parametrize("name", ALL_FILES)
def test_the_draft_records_what_it_removed_and_when_it_was_taken(name: str) -> None:
    draft = imported(name)
    front = front_of(draft)
    assert front["removed"] == [removal.text for removal in draft.removals]
    assert front["retrieved"] == RETRIEVED
    commented = [line for line in draft.text.split("\n---\n")[0].split("\n") if line.startswith("  - ")]
    assert all(" # " in line for line in commented), "every removed line says what it was"


# --- en.kremlin.ru: the paragraphs of div.entry-content, as the corpus README counts them -------


def kremlin_expected(name: str) -> list[str]:
    """The lead, then the <p> of div.entry-content outside quotes, media, sliders, see-also boxes and
    the publication-status block, each as a reader sees it."""
    root = page_root(name)
    lead = visible(root.xpath('//div[contains(@class, "read__lead")]')[0])
    content = root.xpath('//div[contains(@class, "entry-content")]')[0]
    skipped = ("media", "slider", "read__cut", "read__bottommeta")
    kept = [
        p
        for p in content.iter("p")
        if not any(
            a.tag == "blockquote" or any(s in a.get("class", "") for s in skipped) for a in p.iterancestors()
        )
    ]
    return [text for text in [lead, *(visible(p) for p in kept)] if text]


@dataclass(frozen=True)
class Kremlin:
    name: str
    title: str
    lead: str  # '' where the lead block is empty
    first_text: str
    pull_quotes: int
    breaks: int = 0  # "* * *" paragraphs, kept as section breaks
    headings: tuple[str, ...] = ()  # bold "Article N" paragraphs, kept as headings
    place: str = ""
    absent: tuple[str, ...] = ()
    removed: tuple[tuple[str, str], ...] = ()  # (words, what) that must be in removed


KREMLIN = [
    Kremlin(
        "kremlin-transcript-62366.html",
        "Vladimir Putin’s annual news conference",
        "The news conference was broadcast live by Rossiya-1, Rossiya-24, Channel One, NTV television "
        "channels, as well as radio stations Mayak, Vesti FM and Radio Rossii.",
        "President of Russia Vladimir Putin: Good afternoon,",
        pull_quotes=0,
        breaks=1,
        place="Moscow",
    ),
    Kremlin(
        "kremlin-transcript-60396-print.html",
        "News conference following working visit to China",
        "Vladimir Putin spoke to journalists following the Roundtable discussions",
        "President of Russia Vladimir Putin: Good afternoon.",
        pull_quotes=0,
        place="Beijing",
        removed=(("See also Roundtable discussion at Belt and Road Forum", "see-also box"),),
    ),
    Kremlin(
        "kremlin-press-statements-54046.html",
        "Press statements following Russian-Armenian talks",
        "",
        "President of Russia Vladimir Putin: Mr Sargsyan, ladies and gentlemen,",
        pull_quotes=2,
        place="The Kremlin, Moscow",
        absent=("Sargsyan Serzh", "Press statements following Russian-Armenian talks. President of Armenia"),
        removed=(
            (
                "Press statements following Russian-Armenian talks. President of Armenia Serzh Sargsyan.",
                "caption",
            ),
            ("Sargsyan Serzh", "hidden"),
            ("See also Meeting with President of Armenia Serzh Sargsyan", "see-also box"),
        ),
    ),
    Kremlin(
        "kremlin-news-62607.html",
        "Events commemorating 77th anniversary of lifting of siege of Leningrad",
        "Vladimir Putin took part in events commemorating the 77th anniversary of the lifting of the siege of Leningrad.",
        "The President visited the Nevsky Pyatachok military historical complex",
        pull_quotes=0,
        place="Leningrad Region, St Petersburg",
        absent=("See also", "Trip to Northwestern Federal District"),
    ),
    Kremlin(
        "kremlin-news-58634.html",
        "Vladimir Putin arrived in Azerbaijan",
        "",
        "In Baku, the President will meet with President of the Republic of Azerbaijan Ilham Aliyev.",
        pull_quotes=0,
        place="Baku",
        absent=("Aliyev Ilham", "Background information", "All news about the visit"),
        removed=(("Background information Commonwealth of Independent States (CIS)", "hidden"),),
    ),
    Kremlin(
        "kremlin-address-17118.html",
        "Address to the Federal Assembly",
        "Vladimir Putin made annual Presidential Address to the Federal Assembly of the Russian Federation",
        "The event took place in St George Hall of the Grand Kremlin Palace",
        pull_quotes=23,
        breaks=1,
        place="The Kremlin, Moscow",
        absent=("Background information",),
    ),
    Kremlin(
        "kremlin-treaty-6152.html",
        "The draft of the European Security Treaty",
        "",
        "On June 5, 2008, the President of Russia put forward an initiative to develop a new pan-European",
        pull_quotes=0,
        breaks=1,
        headings=("EUROPEAN SECURITY TREATY", *(f"Article {n}" for n in range(1, 15))),
    ),
    Kremlin(
        "kremlin-article-54988.html",
        "Article by Vladimir Putin published in the German business newspaper Handelsblatt",
        "",
        "",
        pull_quotes=0,
        absent=("Publication status", "Direct link", "Text version", "Официальные сетевые ресурсы"),
    ),
]


@pytest.mark.parametrize("page", KREMLIN, ids=lambda page: page.name)
def test_kremlin_page_keeps_every_paragraph_word_for_word(page: Kremlin) -> None:
    draft = imported(page.name)
    expected = kremlin_expected(page.name)
    breaks = [text for text in expected if text == "* * *"]
    assert len(breaks) == page.breaks
    bold = [text for text in expected if text in page.headings]
    assert bold == list(page.headings) and headings(draft) == list(page.headings)
    text = [t for t in expected if t != "* * *" and t not in page.headings]
    assert paragraphs(draft) == [t.replace(" :", ":") for t in text]
    assert sum(1 for block in draft.body if block.kind is BlockKind.BREAK) == page.breaks


@pytest.mark.parametrize("page", KREMLIN, ids=lambda page: page.name)
def test_kremlin_page_lead_title_furniture_and_fields(page: Kremlin) -> None:
    draft = imported(page.name)
    front = front_of(draft)
    assert front["title"] == page.title
    first = paragraphs(draft)[0]
    if page.lead:
        assert first.startswith(page.lead) and draft.body[0].note == "lead"
    if page.first_text:
        assert (paragraphs(draft)[1] if page.lead else first).startswith(page.first_text)
    pulled = [what for _, what in removed_kinds(draft) if what.startswith("pull quote repeating ¶")]
    assert len(pulled) == page.pull_quotes
    for words in page.absent:
        assert words not in body_words(draft)
    for words, what in page.removed:
        assert any(words in text and what in kind for text, kind in removed_kinds(draft)), words
    assert front["license"] == "CC BY 4.0" and front["language"] == "en"
    assert str(front["source_url"]).startswith("http://en.kremlin.ru/events/president/news/")
    assert isinstance(front["date"], datetime.date)
    if page.place:
        assert (page.place, "place") in removed_kinds(draft)
    assert '# original_language: "ru"' in draft.text  # a hint, not a field: the page does not say


def test_kremlin_dates_are_the_pages_own() -> None:
    dates = {page.name: front_of(imported(page.name))["date"] for page in KREMLIN}
    assert dates["kremlin-transcript-62366.html"] == datetime.date(2019, 12, 19)
    assert dates["kremlin-press-statements-54046.html"] == datetime.date(2017, 3, 15)
    assert dates["kremlin-treaty-6152.html"] == datetime.date(2009, 11, 29)


def test_pull_quotes_name_the_paragraph_they_repeat() -> None:
    draft = imported("kremlin-press-statements-54046.html")
    texts = paragraphs(draft)
    pulled = [(text, what) for text, what in removed_kinds(draft) if what.startswith("pull quote")]
    assert [what for _, what in pulled] == ["pull quote repeating ¶5", "pull quote repeating ¶7"]
    assert texts[4].startswith("Our countries’ relations are those of genuine allies. Soon")
    assert texts[6].startswith("Russia is Armenia’s leading economic partner. Our bilateral trade")
    address = imported("kremlin-address-17118.html")
    whats = [what for _, what in removed_kinds(address) if what.startswith("pull quote")]
    # blockquote 1 repeats (part of) paragraph 25, blockquote 2 paragraph 28: +1 for the lead
    assert whats[0] == "pull quote repeating ¶26" and whats[1] == "pull quote repeating ¶29"


def test_transcript_speaker_labels_are_one_kind_of_turn() -> None:
    draft = imported("kremlin-transcript-62366.html")
    labelled = [block.markdown for block in draft.body if block.markdown.startswith("**")]
    # No label left as the page split it: '**Vladimir** **Putin**:', '**Name**:', '**Name: **'.
    assert not [m for m in labelled if re.match(r"^\*\*[^*]+\*\*\s*(?::|\*\*)", m) or m.startswith("** ")]
    assert sum(1 for m in labelled if re.match(r"^\*\*[^*]+:\*\*( |$)", m)) >= 320
    assert sum(1 for m in labelled if m.startswith("**Vladimir Putin:**")) >= 100
    assert any(m.startswith("**Remark:**") for m in labelled)
    texts = body_words(draft)
    assert "75th" in texts and "75 th" not in texts
    print_page = imported("kremlin-transcript-60396-print.html")
    turns = [b.markdown.split(":**")[0] for b in print_page.body if b.markdown.startswith("**")]
    assert turns.count("**Question") == 16 and turns.count("**Vladimir Putin") == 16


def test_split_label_and_hidden_tooltip_read_as_one_speaker() -> None:
    draft = imported("kremlin-press-statements-54046.html")
    assert "President of Armenia Serzh Sargsyan: Mr Putin, ladies and gentlemen," in paragraphs(draft)
    assert any(b.markdown.startswith("**President of Armenia Serzh Sargsyan:** Mr Putin") for b in draft.body)


def split_at_double_breaks(p: Any) -> list[str]:
    """A paragraph's words as a browser shows them: two <br> in a row end a paragraph, one is a space."""
    markup = lxml_html.tostring(p, encoding="unicode")
    parts = re.split(r"(?:<br\s*/?>\s*(?:&nbsp;|\u00a0|\s)*){2,}", markup)
    texts = [
        norm(lxml_html.fromstring(re.sub(r"<br\s*/?>", " ", f"<div>{part}</div>")).text_content())
        for part in parts
    ]
    return [text for text in texts if text]


# --- whitehouse.gov: the <p> of the field item, its dateline, time stamps and end mark apart ----


@dataclass(frozen=True)
class WhiteHouse:
    name: str
    title: str
    date: datetime.date
    dateline: str
    start: str
    end: str
    labels: dict[str, int] = field(default_factory=dict)


WHITE_HOUSE = [
    WhiteHouse(
        "whitehouse-speech-unga-72.html",
        "Remarks by President Trump to the 72nd Session of the United Nations General Assembly",
        datetime.date(2017, 9, 19),
        "United Nations / New York, New York",
        "10:04 A.M. EDT",
        "END / 10:46 A.M. EDT",
        {"PRESIDENT TRUMP:": 1},
    ),
    WhiteHouse(
        "whitehouse-speech-poland-2017-07-06.html",
        "Remarks by President Trump to the People of Poland",
        datetime.date(2017, 7, 6),
        "Krasiński Square / Warsaw, Poland",
        "1:16 P.M. CEST",
        "END / 1:55 P.M. CEST",
        {"MRS. TRUMP:": 1, "PRESIDENT TRUMP:": 8, "AUDIENCE:": 7},
    ),
    WhiteHouse(
        "whitehouse-press-conference-macron-2017-07-13.html",
        "Remarks by President Trump and President Macron of France in Joint Press Conference",
        datetime.date(2017, 7, 13),
        "Élysée Palace / Paris, France",
        "6:44 P.M. CET",
        "END / 7:20 P.M. CET",
        # Nine Macron turns: one opens after two <br> inside a <p> (the README counts eight <p>).
        {"PRESIDENT MACRON:": 9, "PRESIDENT TRUMP:": 10, "Q ": 4},
    ),
]


@pytest.mark.parametrize("page", WHITE_HOUSE, ids=lambda page: page.name)
def test_white_house_page(page: WhiteHouse) -> None:
    draft = imported(page.name)
    front = front_of(draft)
    item = page_root(page.name).xpath('//div[contains(@class, "field-item")]')[0]
    expected = [text for p in item.iter("p") for text in split_at_double_breaks(p)]
    assert paragraphs(draft) == [text for text in expected[2:-1] if text]
    assert (front["title"], front["date"]) == (page.title, page.date)
    kinds = removed_kinds(draft)
    assert (page.dateline, "dateline (place)") in kinds
    assert (page.start, "time stamp") in kinds
    assert (page.end, "end mark and time stamp") in kinds
    for label, count in page.labels.items():
        assert sum(1 for text in paragraphs(draft) if text.startswith(label)) == count, label
    words = body_words(draft)
    assert "The White House" not in words and "For Immediate Release" not in words
    assert "(Applause.)" in words or "(Laughter.)" in words


# --- marxists.org: the text's paragraphs, the information block read into fields, notes apart ---


def marxists_expected(name: str) -> list[str]:
    """The body's <p> before the notes heading, outside the information block, title and footer."""
    root = page_root(name)
    body = root.find("body")
    kept, seen_notes = [], False
    for element in body:
        if element.tag in ("h3", "h4") and norm(element.text_content()) in ("Notes", "Footnotes"):
            seen_notes = True
        if (
            element.tag == "p"
            and not seen_notes
            and element.get("class") not in ("information", "title", "footer")
        ):
            text = norm(element.text_content())
            text = re.sub(r"\s*\[\d+\]", "", text)  # note markers are not the text's words
            if text:
                kept.append(text)
    return kept


@dataclass(frozen=True)
class Marxists:
    name: str
    title: str
    authors: list[str]
    translators: list[str] | None  # None: the field is absent (unknown)
    date: datetime.date | None
    original_language: str | None
    footnotes: int
    first: str
    last: str


MARXISTS = [
    Marxists(
        "marxists-article-lenin-1913-mar-22.html",
        "Big Achievement of the Chinese Republic",
        ["V. I. Lenin"],
        ["The Late George Hanna"],
        datetime.date(1913, 3, 22),
        None,
        0,
        "We know that the great Chinese Republic",
        "The collapse of the robber consortium is, of course, a defeat of no mean importance for Russia’s "
        "reactionary foreign policy.",
    ),
    Marxists(
        "marxists-letter-lenin-1914-nov-08.html",
        "Letter to Vorwärts and Wiener Arbeiter-Zeitung",
        ["V. I. Lenin"],
        None,
        None,
        "de",
        1,
        "Dear Comrades:",
        "With Social-Democratic greetings",
    ),
    Marxists(
        "marxists-catechism-engels-1847-prin-com.html",
        "The Principles of Communism",
        ["Frederick Engels"],
        ["Paul Sweezy"],
        None,
        None,
        4,
        "Communism is the doctrine of the conditions of the liberation of the proletariat.",
        "In the name and on the mandate of the Congress.",
    ),
    Marxists(
        "marxists-preface-engels-1885-18th-brumaire.html",
        "Preface to the Third German Edition of The Eighteenth Brumaire of Louis Bonaparte",
        ["Frederick Engels"],
        None,
        None,
        "de",
        3,
        "The fact that a new edition of The Eighteenth Brumaire has become necessary",
        "Frederick Engels",
    ),
]


@pytest.mark.parametrize("page", MARXISTS, ids=lambda page: page.name)
def test_marxists_page(page: Marxists) -> None:
    draft = imported(page.name)
    front = front_of(draft)
    expected = [text for text in marxists_expected(page.name) if text != "Document Introduction."]
    assert paragraphs(draft) == expected
    assert paragraphs(draft)[0].startswith(page.first) and paragraphs(draft)[-1] == page.last
    assert (front["title"], front["authors"]) == (page.title, page.authors)
    assert front.get("translators") == page.translators
    assert front.get("original_language") == page.original_language
    if page.date:
        assert front["date"] == page.date
    else:
        assert str(front["date"]).startswith("TODO")  # the page gives a year, or the copy's date only
    assert sum(1 for block in draft.body if block.kind is BlockKind.FOOTNOTE) == page.footnotes
    words = body_words(draft)
    for furniture in ("Transcription", "Public Domain", "Works Index", "Source:", "Translated:"):
        assert furniture not in words
    assert all(
        what == "information block (credits)"
        for text, what in removed_kinds(draft)
        if text.startswith("Source:")
    )


def test_marxists_dates_are_the_works_not_the_transcriptions() -> None:
    catechism = front_of(imported("marxists-catechism-engels-1847-prin-com.html"))
    assert "1914" in catechism["date"] and "1999" not in catechism["date"]
    letter = front_of(imported("marxists-letter-lenin-1914-nov-08.html"))
    assert letter["date"].startswith("TODO") and "published in 1930" in letter["date"]


def test_marxists_headings_and_notes() -> None:
    catechism = imported("marxists-catechism-engels-1847-prin-com.html")
    numbered = [h for h in headings(catechism) if re.match(r"^— \d+ — ", h)]
    assert len(numbered) == 25 and numbered[0] == "— 1 — What is Communism?"
    assert [h for h in headings(catechism) if h.startswith("[")] == [
        "[ Reactionary Socialists: ]",
        "[ Bourgeois Socialists: ]",
        "[ Democratic Socialists: ]",
    ]
    assert (
        sum(1 for text in paragraphs(catechism) if re.match(r"^\((?:[ivx]+)\) ", text)) == 2 + 2 + 12 + 3 + 2
    )
    assert "Introduction In 1847 Engels wrote" in draft_sections(catechism)
    lenin = imported("marxists-article-lenin-1913-mar-22.html")
    assert any("alliance with republican China" in text for text in paragraphs(lenin))
    assert ("Notes", "empty notes heading") in removed_kinds(lenin)
    preface = imported("marxists-preface-engels-1885-18th-brumaire.html")
    assert (
        "[39]" not in front_of(preface)["title"] and "coup d'état" in draft_sections(preface) + preface.text
    )
    assert front_of(preface)["imported"]["encoding"] == "cp1252"


def draft_sections(draft: Draft) -> str:
    return "\n".join(text for _, text in draft.editorial)


# --- News pages in other languages ------------------------------------------------------------


def test_la_nacion_deck_body_and_authors_from_the_closing_credit() -> None:
    draft = imported("lanacion-oped-es-readability-la-nacion.html")
    front = front_of(draft)
    texts = paragraphs(draft)
    root = page_root("lanacion-oped-es-readability-la-nacion.html")
    body = [norm(p.text_content()) for p in root.xpath('//section[@id="cuerpo"]/p')]
    assert texts[0] == norm(root.xpath('//p[@class="bajada"]')[0].text_content())
    assert texts[1:] == body[:-1] and len(body) == 11
    assert front["authors"] == ["Andrés Malamud", "Martín Schapiro"]
    assert draft.editorial == (("About the authors", f"***{body[-1]}***"),)
    assert ("Foto: LA NACION", "photo caption") in removed_kinds(draft)
    assert "Las más leídas" not in body_words(draft) and "comentarios" not in body_words(draft)


def test_folha_deck_seven_paragraphs_and_no_gallery() -> None:
    draft = imported("folha-news-pt-readability-folha.html")
    front = front_of(draft)
    texts = paragraphs(draft)
    assert texts[0] == "Na ocasião, técnico do Corinthians entregou réplica do troféu ao ex-presidente"
    assert len(texts) == 1 + 7 and texts[1].startswith("Após rechaçar um encontro da seleção brasileira")
    assert "presidente eleito Jair Bolsonaro" in texts[1]
    words = body_words(draft)
    for furniture in ("Heinrich Aikawa", "Os times de coração", "Ícone seta", "21.dez.2018", "São Paulo\n"):
        assert furniture not in words
    assert front["title"] == "Tite diz que errou ao levar taça da Libertadores a Lula em 2012"
    assert front["date"] == datetime.date(2018, 12, 21) and front["language"] == "pt-BR"
    assert ("São Paulo", "place") in removed_kinds(draft)


def test_cnn_arabic_lead_seven_paragraphs_date_and_no_comment_policy() -> None:
    draft = imported("cnnarabic-news-ar-newspaper-arabic_article.html")
    front = front_of(draft)
    texts = paragraphs(draft)
    assert len(texts) == 7 and texts[0].startswith("دمشق، سوريا (CNN) --")
    assert draft.body[0].markdown.startswith("**")  # the lead is bold on the page
    assert "في في حين" in texts[4] and 'و"حدات' in texts[3]
    words = body_words(draft)
    assert "ترحب شبكة CNN بالنقاش" not in words and "الأكثر تصفحاً" not in words and "\ufeff" not in draft.text
    assert front["date"] == datetime.date(2013, 8, 28) and front["language"] == "ar"
    assert front["title"] == "معارضون يسيطرون على مخازن للصواريخ بريف دمشق"


def test_zeit_interview_turns_deck_credits_and_pull_quote() -> None:
    draft = imported("zeit-interview-de-postlight-epaper.zeit.de.html")
    front = front_of(draft)
    texts = paragraphs(draft)
    assert texts[0].startswith("Zum Beispiel die Kollektivierung von Firmen wie BMW")
    assert [t.split(":")[0] for t in texts[1:]] == ["DIE ZEIT", "Kevin Kühnert", "ZEIT", "Kühnert"]
    assert front["authors"] == ["Jochen Bittner", "Tina Hildebrandt"]
    kinds = removed_kinds(draft)
    assert ("Foto: Tibor Boz/Redux/laif", "photo credit") in kinds
    assert any(what.startswith("pull quote") and "Zeitgeist" in text for text, what in kinds)
    assert ("DIE FRAGEN STELLTEN JOCHEN BITTNER UND TINA HILDEBRANDT", "byline") in kinds
    for furniture in (
        "Zeitgeist ist nun wirklich",
        "xxx",
        "Lesen Sie eine längere Version",
        "Mieten oder kaufen",
    ):
        assert furniture not in body_words(draft)
    assert front["title"] == "Was heißt Sozialismus für Sie, Kevin Kühnert?"


def test_piratenpartei_six_paragraphs_three_headings_no_sidebar() -> None:
    draft = imported("piratenpartei-statement-de-trafilatura-grundeinkommen.html")
    front = front_of(draft)
    assert len(paragraphs(draft)) == 6
    assert headings(draft) == [
        "Beginn 13 Uhr am Neptunbrunnen",
        "14 Uhr auf dem Hackeschen Markt",
        "Abschluss um 15.30 Uhr vor der Schweizer Botschaft",
    ]
    assert "Wahlprogramm" not in body_words(draft) and "Was denkst du?" not in body_words(draft)
    assert front["title"] == "Grundeinkommen ist ein Menschenrecht!"
    assert front["date"] == datetime.date(2013, 9, 12)


def test_youth_cn_headings_captions_and_editor() -> None:
    draft = imported("youthcn-news-zh-readability-youth.html")
    front = front_of(draft)
    root = page_root("youthcn-news-zh-readability-youth.html")
    content = root.xpath('//div[@id="content"]')[0]
    plain = [
        norm(p.text_content())
        for p in content.iter("p")
        if norm(p.text_content()) and p.get("align") != "center" and p.find("strong") is None
    ]
    assert paragraphs(draft) == plain
    assert headings(draft)[:2] == [
        "出国前后关注点大不同",
        "出国前：政治科目会出啥考题？ 出国后：国家未来将如何发展？",
    ]
    captions = [text for text, what in removed_kinds(draft) if what == "photo caption"]
    assert len(captions) == 3 and all(text.startswith("图为") for text in captions)
    assert "日内日瓦" in captions[1]
    assert ("责任编辑：崔宁宁", "editor's credit") in removed_kinds(draft)
    assert front["title"] == "海外留学生看两会：出国前后关注点大不同" and front["authors"][0].startswith(
        "TODO"
    )


# --- Plain texts: hard-wrapped lines joined, page numbers out, numbering and headings as found ---


def test_un_afghanistan_wrapped_lines_joined_and_page_numbers_out() -> None:
    draft = imported("un-gd-speech-AFG_56_2001.txt")
    texts = paragraphs(draft)
    source = corpus_file("un-gd-speech-AFG_56_2001.txt").read_text(encoding="utf-8-sig").split("\n")
    assert texts[0] == norm(" ".join(source[:8]))
    assert texts[1].startswith("My delegation is very much delighted at Mr. Han Seung-soo’s assumption")
    assert "the fifty-sixth session" in texts[1] and "Secretary-General Kofi Annan’s" in texts[2]
    assert "Noble Peace Prize" in texts[2]
    assert any("event of 9 September — the assassination by suicidal killers" in text for text in texts)
    assert [(text, what) for text, what in removed_kinds(draft)] == [
        ("33", "page number"),
        ("34", "page number"),
        ("35", "page number"),
    ]
    for opening in ("I quote from the Holy Koran:", "Islam, in the tradition", "On Tuesday, 13 November,"):
        assert any(text.startswith(opening) for text in texts), opening
    assert texts[-1].startswith("In conclusion, I appeal") and texts[-1].endswith("our own people.")
    assert all(words in body_words(draft) for words in ("broad-based", "longer-term"))
    assert "\ufeff" not in draft.text


def test_un_sierra_leone_numbering_as_found() -> None:
    draft = imported("un-gd-speech-SLE_79_2024.txt")
    texts = paragraphs(draft)
    numbered = [int(m.group(1)) for text in texts for m in [re.match(r"^(\d+)\.(?: |$)", text)] if m]
    assert numbered == list(range(1, 68))
    assert [text for text in texts if re.fullmatch(r"\d+\.", text)] == ["7.", "8.", "9.", "31."]
    after_nine = texts[texts.index("9.") + 1 : texts.index("9.") + 4]
    assert [text.split(",")[0] for text in after_nine] == [
        "In Sierra Leone",
        "Notably",
        "Sierra Leone’s peace journey exemplifies the values of ownership",
    ]
    assert sum(1 for text in texts if text in ("MR. PRESIDENT,", "MR. PRESDIENT,")) >= 4
    assert texts[-1] == "THANK YOU!"
    assert next(t for t in texts if t.startswith("29. ")).count("(1)") == 1
    assert "lowincome" in body_words(draft)
    assert [text for text, what in removed_kinds(draft)] == ["2", "4"]


def test_russian_act_title_headings_and_blanks_as_found() -> None:
    draft = imported("kremlin-act-ru-18656.txt")
    front = front_of(draft)
    texts = paragraphs(draft)
    assert front["title"].startswith("РАСПОРЯЖЕНИЕ ПРЕЗИДЕНТА РОССИЙСКОЙ ФЕДЕРАЦИИ О заключении Соглашения")
    assert any("letter-spaced 'Р А С П О Р Я Ж Е Н И Е'" in note for note in front["imported"]["normalised"])
    articles = [h for h in headings(draft) if h.startswith("Статья")]
    assert articles == [f"Статья {n}" for n in (1, 2)] + ["Статья З"] + [f"Статья {n}" for n in range(4, 11)]
    assert headings(draft)[0].startswith("СОГЛАШЕНИЕ между Российской Федерацией")
    assert texts[0].startswith("1. Одобрить представленный ФПС России, согласованный с МИДом России,")
    assert texts[0].endswith("(прилагается).")
    assert "Президент Российской Федерации\nВ.Путин" in [b.text for b in draft.body]
    for line in ("8 октября 2002 года", "N 484-рп", "Проект"):
        assert line in texts
    assert any(t.startswith("Совершено в ________ &#34;___&#34; ____ 2002 г.") for t in texts)
    assert draft.body[-1].text == "За Российскую Федерацию\nЗа Республику Таджикистан"
    assert sum(1 for t in texts if t.startswith(("принимая", "стремясь", "основываясь"))) == 3
