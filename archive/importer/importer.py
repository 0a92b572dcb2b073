"""Turn a text as found on the web into a draft article and a report of all it removed or repaired."""

from __future__ import annotations

import datetime
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from archive.base.urls import slugify_name
from archive.content.reader import editorial_marker
from archive.importer.textinput import (
    WORD_RE,
    ImportFailed,
    Kind,
    Line,
    PageMeta,
    Reading,
    count_of,
    describe_repair,
    list_numbers,
    read_input,
    script_of,
)
from archive.site.markdown import html_text, render_html


@dataclass(frozen=True)
class Draft:
    """A draft article: its Markdown text, what went where, and the report for a person."""

    text: str
    slug: str
    year: int | None
    report: tuple[str, ...]
    body_paragraphs: tuple[str, ...]
    removed: tuple[str, ...]
    translators: tuple[str, ...]
    hashtags: tuple[str, ...]
    editorial: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Parts:
    """The input sorted into title, body, editorial section and removed lines."""

    title: str
    title_line: int
    body: tuple[Line, ...]
    heading: str
    editorial: tuple[Line, ...]
    removed: tuple[Line, ...]
    translators: tuple[str, ...]
    hashtags: tuple[str, ...]
    notes: tuple[str, ...]


@dataclass(frozen=True)
class Escape:
    """A body line as written into Markdown, and a note if it was escaped."""

    text: str
    note: str


TODO_TITLE = "TODO: the title of this text"
TODO_DATE = "TODO: first publication of the work, YYYY-MM-DD"
TODO_AUTHOR = "TODO: author"
TODO_LANGUAGE = "TODO: language (BCP 47)"
UNNAMED_FILE = "(text)"
SLUG_LENGTH = 60
NO_WRAP = float("inf")

MARKER_RE = re.compile(r"^\s*(?P<marker>/\s*[^/\s][^/]{0,40}?/)(?=\s|$)\s*")
HASHTAG_LINE_RE = re.compile(r"^\s*#[^\W_][\w-]*(?:[\s,]+#[^\W_][\w-]*)*\s*$")
HASHTAG_RE = re.compile(r"#[^\W_][\w-]*")
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
PLATFORMS = (
    r"youtube|telegram|телеграм|facebook|фейсбук|twitter|vk|вконтакте|instagram|tiktok|rumble"
    r"|odysee|whatsapp|viber|gab|substack|patreon|newsletter"
)
JUNK_PATTERNS = (
    rf"(?:please\s+)?(?:subscribe|follow|join|like)\b.{{0,60}}\b(?:channel|page|us|group|{PLATFORMS})\b",
    r"subscribe\s*[:!]",
    rf"and\s+(?:for|on|in|to)\s+(?:the\s+|our\s+)?(?:channel|{PLATFORMS})\b",
    rf".{{0,60}}\b(?:{PLATFORMS})\b.{{0,30}}:\s*$",
    r"(?:share|repost)\s+(?:this|the|our)\b.{0,40}\b(?:article|post|story|link|friends)",
    r"vote\s+(?:with|for)\b.*\b(?:ballot|no\.|№|number)",
    r"(?:support|donate to)\s+(?:us|our|the)\b.{0,60}\b(?:work|site|journalism|donat|patreon|paypal)",
    r"(?:read|see)\s+(?:also|more)\s*[:.]",
    r"(?:advertisement|sponsored content|реклама|publicidad|publicité|anzeige|werbung)\s*:?$",
    r"(?:https?://|www\.|t\.me/)\S+$",
    r"(?:абонирайте\s+се|последвайте\s+ни|споделете|подкрепете|гласувайте|присъединете\s+се"
    r"|четете\s+още|вижте\s+още)",
    r"(?:подписывайтесь|подпишитесь|поддержите|голосуйте|присоединяйтесь|читайте\s+также"
    r"|підписуйтесь|підпишіться)",
    r"(?:suscríbete|suscribete|síguenos|siguenos|comparte\s+(?:este|esta)|lee\s+también)",
    r"(?:abonnez-vous|suivez-nous|partagez\s+(?:cet|cette)|lire\s+aussi)",
    r"(?:abonnieren\s+sie|folgen\s+sie\s+uns|teilen\s+sie|lesen\s+sie\s+auch)",
    r"(?:اشترك|تابعونا|تابعنا)",
)
JUNK_RE = re.compile(r"^\s*(?:" + "|".join(JUNK_PATTERNS) + ")", re.IGNORECASE)
JUNK_MAX_LENGTH = 400
QUESTION_RE = re.compile(r"[?؟？][\s*_\"'”’»)]*$")
QUESTION_MARKERS = (
    r"\bquestions?\b.*\b(?:discussion|discuss|debate|reflect|reflection|consider|spark|encourage"
    r"|explore|thinking|ponder)",
    r"\b(?:open-ended|discussion|reflection|thought-provoking|following)\s+questions?\b",
    r"^\s*(?:here are (?:some|a few|several)\b.*\bquestions|these questions|the following questions"
    r"|questions for\b|food for thought|points to ponder)",
    r"\bвъпроси\b.*\b(?:дискусия|обсъждане|размисъл)",
    r"\bвопрос\w*\b.*\b(?:обсуждени\w*|дискусси\w*|размышлени\w*)",
    r"\bpreguntas\b.*\b(?:debate|discusión|reflexión)",
    r"\bquestions\b.*\b(?:débat|réflexion)",
    r"\bfragen\b.*\b(?:diskussion|nachdenken)",
    r"\b(?:what do you think|do you agree|what(?:'s| is) your (?:opinion|view|take)"
    r"|share your (?:thoughts|opinion|views)|let us know|tell us\b|in the comments)",
    r"(?:что вы думаете|а вы как думаете|какво мислите|какво смятате|qué opinas|qué piensa"
    r"|qu'en pensez-vous|was (?:meinen|denken) sie)",
    r"^\s*[*\-•]\s+\*\*.+[?؟]\s*\*\*\s*$",
    r"^\s*\d+[.)]\s+\*\*.+[?؟]\s*\*\*\s*$",
)
QUESTION_MARKER_RE = re.compile("|".join(QUESTION_MARKERS), re.IGNORECASE)
COMMENTARY_RE = re.compile(
    r"^\s*(?:\*\*)?(?:editor'?s note|editorial note|note from the editor|commentary|our comment"
    r"|бележка на редакцията|от редакцията|коментар|комментарий|от редакции|примечание редакции"
    r"|nota de la redacción|note de la rédaction|anmerkung der redaktion)\b",
    re.IGNORECASE,
)
STRUCTURE_RE = re.compile(r"^\s*(?:\*\*[^*].*\*\*:?|[*\-•]\s+.+|\d+[.)]\s+.+[?؟]\**)\s*$")
SENTENCE_END_RE = re.compile(r"[.!?…:;,。！？؟]\W*$")
SENTENCE_RE = re.compile(r"[.!?…。！？؟][\"'”’»)]*$")
DATE_LINE_RE = re.compile(
    r"^\s*(?:\w+,?\s+)?(?:\d{1,2}[./ ]\s*\w+[./ ]\s*\d{4}|\w+\.?\s+\d{1,2},?\s+\d{4}|\d{4}-\d{2}-\d{2})"
    r"(?:\s*[/,|–-]?\s*\d{1,2}:\d{2})?\s*$"
)
# Characters Markdown may read as inline markup; a backslash before any of them shows it as written.
INLINE_MARKUP_RE = re.compile(r"([\\`*_\[\]<>&])")
MARKDOWN_BLOCK_RE = re.compile(
    r"^(?P<indent> {0,3})(?:(?P<number>\d{1,9})(?P<dot>[.)])(?=\s|$)"
    r"|(?P<start>#|>|[-*+](?=\s|$)|(?:[-*_][ \t]*){3,}$|`{3}|~{3}|<!--|\[[^\]]+\]:))"
)
INDENTED_CODE_RE = re.compile(r"^(?: {4}|\t)")
STOPWORDS = {
    "en": "the and of to in is that for with on are as was by it this be which from have",
    "de": "der die das und ist nicht mit den von zu sich des auf für ein eine dem im auch",
    "fr": "le les et des est dans une du pour que qui pas sur au avec ce il sont aux",
    "es": "el los las y que en del se por con una para es al lo como más su sus",
}
LANGUAGE_NAMES = {"en": "English", "de": "German", "fr": "French", "es": "Spanish"}
SCRIPT_LANGUAGES = {
    "GREEK": "el",
    "HANGUL": "ko",
    "HIRAGANA": "ja",
    "KATAKANA": "ja",
    "ARMENIAN": "hy",
    "GEORGIAN": "ka",
    "THAI": "th",
}
SCRIPT_HINTS = {
    "CYRILLIC": (("uk", "іїєґ"), ("sr", "ђјљњћџ"), ("mk", "ѓќѕ"), ("ru", "ыэё"), ("bg", "ъщ")),
    "ARABIC": (("ur", "ٹڈڑںے"), ("fa", "پچژگکی"), ("ar", "ةىي")),
    "CJK": (("zh-Hant", "們國說這來為"), ("zh-Hans", "们国说这来为")),
    "HEBREW": (("yi", "ײ"), ("he", "")),
    "DEVANAGARI": (("hi", ""),),
}


def import_file(path: Path, source_key: str, date: datetime.date | None = None) -> Draft:
    """Read a file as found on the web and turn it into a draft article."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ImportFailed(f"cannot read {path}: {error.strerror}") from error
    return import_bytes(data, source_key, date, path.name)


def import_text(text: str, source_key: str, date: datetime.date | None = None, file_name: str = "") -> Draft:
    """Turn a text as found on the web into a draft article."""
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise ImportFailed("the text holds unpaired surrogates: save it as UTF-8 first") from error
    return import_bytes(data, source_key, date, file_name)


def import_bytes(data: bytes, source_key: str, date: datetime.date | None, file_name: str) -> Draft:
    """Turn the bytes of a file as found on the web into a draft article."""
    reading = read_input(data, file_name)
    parts = separate_parts(reading.lines, reading.page.title)
    return assemble_draft(reading, parts, source_key, date)


def write_draft(draft: Draft, content_dir: Path) -> Path:
    """Write content/articles/<year>/<slug>.md; raise FileExistsError if it exists (never overwrite)."""
    if draft.year is None:
        raise ImportFailed("--write needs --date YYYY-MM-DD to choose the folder")
    path = content_dir / "articles" / str(draft.year) / f"{draft.slug}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8", newline="\n") as file:
        file.write(draft.text)
    return path


# Mojibake: first ftfy's own detection (whole byte sequences), then, when the text shows the
# Windows-1253 pattern of the Kremlin reposts, a targeted step for sequences whose continuation
# bytes were lost on the way: ftfy's sloppy-windows-1253 codec with restore_byte_a0 turns 'Β '
# back into a no-break space, and a lone 'β' (the lead byte of a three-byte punctuation mark)
# becomes the mark its position implies. ftfy.fix_text is not used: it would also uncurl quotes.


def separate_parts(lines: Sequence[Line], page_title: str) -> Parts:
    """Sort the lines into marker, title, body, editorial material and removed lines."""
    classified = classify_lines(split_marker(lines))
    start, heading, notes = find_editorial(classified)
    body = text_lines(classified[:start])
    title, title_line, body = find_title(body, classified, page_title)
    removed = tuple(line for line in classified if line.kind is not Kind.TEXT)
    return Parts(
        title=title,
        title_line=title_line,
        body=body,
        heading=heading,
        editorial=text_lines(classified[start:]),
        removed=removed,
        translators=collect_translators(removed),
        hashtags=collect_hashtags(removed),
        notes=notes + describe_doubts(body, title_line) + describe_late_text(classified, start),
    )


def text_lines(lines: Iterable[Line]) -> tuple[Line, ...]:
    """Keep the lines of the text itself."""
    return tuple(line for line in lines if line.kind is Kind.TEXT)


def split_marker(lines: Sequence[Line]) -> list[Line]:
    """Split a leading source marker ('/ world today news/', '/Поглед.инфо/') off the first line."""
    match = MARKER_RE.match(lines[0].text) if lines else None
    if not match or not WORD_RE.search(match["marker"]):
        return list(lines)
    first = lines[0]
    rest = first.text[match.end() :]
    marker = Line(first.number, match["marker"], Kind.MARKER)
    return [marker, *([Line(first.number, rest)] if rest else []), *lines[1:]]


def classify_lines(lines: Iterable[Line]) -> tuple[Line, ...]:
    """Give each line its kind: text, credit, hashtags or boilerplate."""
    return tuple(
        line if line.kind is Kind.MARKER else Line(line.number, line.text, classify_line(line.text))
        for line in lines
    )


def classify_line(text: str) -> Kind:
    """Tell what one line is."""
    if HASHTAG_LINE_RE.match(text):
        return Kind.HASHTAG
    if credit_names(text):
        return Kind.CREDIT
    if len(text) <= JUNK_MAX_LENGTH and JUNK_RE.match(text):
        return Kind.JUNK
    return Kind.TEXT


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
    return 0 < len(words) <= 6 and capitalised and name[-1] not in "!?"


def strip_final_period(name: str) -> str:
    """Drop a sentence's full stop after a name, keeping an initial's ('J. R. R.')."""
    last = name.split()[-1]
    return name[:-1] if name.endswith(".") and len(last) > 2 else name


def is_question(text: str) -> bool:
    """Tell whether a line ends as a question."""
    return bool(QUESTION_RE.search(text))


def is_editorial_marker(text: str) -> bool:
    """Tell whether a line announces discussion questions or an editor's commentary."""
    return len(text) <= 300 and bool(QUESTION_MARKER_RE.search(text) or COMMENTARY_RE.match(text))


def is_editorial_like(text: str) -> bool:
    """Tell whether a line could belong to appended questions or commentary."""
    return is_question(text) or is_editorial_marker(text) or bool(STRUCTURE_RE.match(text))


def find_editorial(lines: Sequence[Line]) -> tuple[int, str, tuple[str, ...]]:
    """Find where appended editorial material starts; return its index, heading and doubts."""
    tail = find_tail_start(lines)
    trailer = find_closing_trailer(lines, tail)
    if trailer is None:
        markers = (i for i in range(tail, len(lines)) if is_editorial_marker(lines[i].text))
        start = next(markers, len(lines))
    else:
        start = trailer + 1
    heading = name_editorial([line.text for line in text_lines(lines[start:])], trailer is not None)
    if not heading:
        return len(lines), "", ()
    kept = text_lines(lines[tail:start])
    doubts = tuple(
        f"line {line.number} may be editorial too (just before the section): kept in the body"
        for line in kept
    )
    return start, heading, doubts


def find_tail_start(lines: Sequence[Line]) -> int:
    """Find the start of the run of removed and editorial-like lines that ends the input."""
    start = len(lines)
    while start > 0 and (lines[start - 1].kind is not Kind.TEXT or is_editorial_like(lines[start - 1].text)):
        start -= 1
    return start


def find_closing_trailer(lines: Sequence[Line], tail: int) -> int | None:
    """Find the first removed line of the tail that follows some text (credit, boilerplate)."""
    for index in range(tail, len(lines)):
        if lines[index].kind is not Kind.TEXT and text_lines(lines[:index]):
            return index
    return None


def name_editorial(block: Sequence[str], after_trailer: bool) -> str:
    """Name the editorial section, or return '' when the block is not editorial material."""
    if not block:
        return ""
    questions = any(is_question(text) or QUESTION_MARKER_RE.search(text) for text in block)
    markers = any(is_editorial_marker(text) for text in block)
    if questions and (after_trailer or markers):
        return "Discussion questions"
    return "Commentary" if markers else ""


def find_title(
    body: tuple[Line, ...], lines: Sequence[Line], page_title: str
) -> tuple[str, int, tuple[Line, ...]]:
    """Take the title from the HTML page or from a short first line; return it, its line, the body."""
    if page_title:
        if body and body[0].text.strip() == page_title.strip():
            return body[0].text, body[0].number, body[1:]
        return page_title, 0, body
    first = next((line for line in lines if line.kind is not Kind.MARKER), None)
    if body and body[0] == first and is_title(body[0].text, body[1:4]):
        return body[0].text, body[0].number, body[1:]
    return "", 0, body


def looks_like_heading(text: str) -> bool:
    """Tell whether a line is short, unpunctuated at its end and not Markdown-like."""
    words = text.split()
    return (
        0 < len(words) <= 20
        and len(text) <= 160
        and not SENTENCE_END_RE.search(text)
        and not MARKDOWN_BLOCK_RE.match(text)
        and not text.lstrip()[0].islower()
    )


def is_title(text: str, following: Sequence[Line]) -> bool:
    """Tell whether a first line is a title: heading-shaped and followed by prose."""
    prose = (line.text for line in following)
    return looks_like_heading(text) and any(
        SENTENCE_RE.search(line) and len(line) > 2 * len(text) for line in prose
    )


def describe_doubts(body: Sequence[Line], title_line: int) -> tuple[str, ...]:
    """Point at lines that may be a subtitle or a dateline, or that Markdown shows as code."""
    doubts = []
    for index, line in enumerate(body):
        if index < 3 and DATE_LINE_RE.match(line.text):
            doubts.append(f"line {line.number} looks like a dateline: kept in the body ({line.text})")
        elif index == 0 and title_line and looks_like_heading(line.text):
            doubts.append(f"line {line.number} may be a subtitle: kept in the body ({line.text})")
        if INDENTED_CODE_RE.match(line.text):
            doubts.append(f"line {line.number} starts with 4 spaces or a tab: Markdown shows it as code")
    return tuple(doubts)


def describe_late_text(lines: Sequence[Line], start: int) -> tuple[str, ...]:
    """Point at text kept in the body although it follows a credit or hashtag line."""
    closing = [
        index
        for index, line in enumerate(lines[:start])
        if line.kind in (Kind.CREDIT, Kind.HASHTAG) and text_lines(lines[:index])
    ]
    late = text_lines(lines[closing[-1] + 1 : start]) if closing else ()
    if not late:
        return ()
    numbers = list_numbers([line.number for line in late])
    after = lines[closing[-1]]
    subject = f"line {numbers} follows" if len(late) == 1 else f"lines {numbers} follow"
    return (f"{subject} the {after.kind.value} on line {after.number}: kept in the body",)


def assemble_draft(reading: Reading, parts: Parts, source_key: str, date: datetime.date | None) -> Draft:
    """Put the parts together into the draft's Markdown text and its report."""
    escapes = tuple(escape_markdown(line) for line in parts.body)
    editorial = render_editorial(parts)
    language, why = guess_language([line.text for line in parts.body])
    escaped = tuple(escape.note for escape in escapes if escape.note)
    front = render_front_matter(reading, parts, source_key, date, language, escaped)
    found = describe_found(reading, parts, f"{language} ({why})")
    return Draft(
        text=render_document(front, [escape.text for escape in escapes], editorial),
        slug=make_slug(parts, reading.sha256),
        year=date.year if date else None,
        report=found + describe_removed(parts.removed) + describe_changes(reading, escaped, parts.notes),
        body_paragraphs=tuple(line.text for line in parts.body),
        removed=tuple(line.text for line in parts.removed),
        translators=parts.translators,
        hashtags=parts.hashtags,
        editorial=editorial,
    )


def escape_markdown(line: Line) -> Escape:
    """Backslash-escape what Markdown would read as markup, so the page shows the line's own words."""
    words = line.text.strip()
    block = escape_block(line.text)
    if rendered_words(block) == words:
        return Escape(block, block_note(line))
    escaped = escape_block(INLINE_MARKUP_RE.sub(r"\\\1", line.text))
    if rendered_words(escaped) != words:
        return Escape(block, f"line {line.number}: Markdown may show it differently; check it on the page")
    return Escape(
        escaped, f"line {line.number}: backslashes added before Markdown characters (\\ ` * _ [ ] < > &)"
    )


def escape_block(text: str) -> str:
    """Escape a line that Markdown would read as a heading, list, quote or rule."""
    match = MARKDOWN_BLOCK_RE.match(text)
    if not match:
        return text
    at = match.start("dot") if match["dot"] else match.start("start")
    return text[:at] + "\\" + text[at:]


def block_note(line: Line) -> str:
    match = MARKDOWN_BLOCK_RE.match(line.text)
    return f"line {line.number} starts with {match.group().strip()!r}: backslash added" if match else ""


def rendered_words(markdown_line: str) -> str:
    """The words a reader sees when one line is rendered as a paragraph."""
    return html_text(render_html(markdown_line))


def render_editorial(parts: Parts) -> tuple[tuple[str, str], ...]:
    """Render the editorial section's lines, one block each."""
    if not parts.heading:
        return ()
    blocks = ("\\" + line.text if line.text.startswith("<!--") else line.text for line in parts.editorial)
    return ((parts.heading, "\n\n".join(blocks)),)


def collect_translators(removed: Iterable[Line]) -> tuple[str, ...]:
    """Gather the translators named by the credit lines, in order, once each."""
    names = (name for line in removed if line.kind is Kind.CREDIT for name in credit_names(line.text))
    return tuple(dict.fromkeys(names))


def collect_hashtags(removed: Iterable[Line]) -> tuple[str, ...]:
    """Gather the hashtags of the hashtag lines as written, once each."""
    tags = (tag for line in removed if line.kind is Kind.HASHTAG for tag in HASHTAG_RE.findall(line.text))
    return tuple(dict.fromkeys(tags))


def make_tags(hashtags: Iterable[str]) -> tuple[str, ...]:
    """Normalise hashtags into the archive's tags: lower case, slug form."""
    return tuple(
        dict.fromkeys(tag for tag in (slugify_name(hashtag.lstrip("#")) for hashtag in hashtags) if tag)
    )


def make_slug(parts: Parts, sha256: str) -> str:
    """Make the file's slug from the title, else from the first words of the body."""
    source = parts.title or " ".join(" ".join(line.text for line in parts.body[:10]).split()[:15])
    return slugify_name(source, SLUG_LENGTH) or f"untitled-{sha256[:8]}"


def guess_language(texts: Sequence[str]) -> tuple[str, str]:
    """Guess the language only where it is obvious; otherwise leave a TODO with a hint."""
    sample = " ".join(texts)[:20000]
    scripts = Counter(script_of(char) for char in sample if char.isalpha())
    if not scripts:
        return TODO_LANGUAGE, "no letters to tell by"
    script = scripts.most_common(1)[0][0]
    if script == "CJK" and scripts["HIRAGANA"] + scripts["KATAKANA"]:
        script = "HIRAGANA"
    if script in SCRIPT_LANGUAGES:
        return SCRIPT_LANGUAGES[script], f"{name_script(script)} script"
    if script == "LATIN":
        return guess_latin_language(sample)
    return hint_language(script, sample)


def name_script(script: str) -> str:
    """Name a script as people do ('CJK' letters are Han characters)."""
    return "Han" if script == "CJK" else script.title()


def guess_latin_language(sample: str) -> tuple[str, str]:
    """Tell English, German, French or Spanish apart by their most common words."""
    words = [word.lower() for word in WORD_RE.findall(sample)]
    if len(words) < 12:
        return f"{TODO_LANGUAGE}; Latin script", "too few words to tell"
    counts = {code: sum(word in set(STOPWORDS[code].split()) for word in words) for code in STOPWORDS}
    ranked = sorted(counts, key=lambda code: counts[code], reverse=True)
    best, second = ranked[0], ranked[1]
    if counts[best] >= 0.15 * len(words) and counts[best] >= 3 * counts[second]:
        return best, f"{LANGUAGE_NAMES[best]} function words"
    return f"{TODO_LANGUAGE}; Latin script, perhaps {best}", "not sure"


def hint_language(script: str, sample: str) -> tuple[str, str]:
    """Leave the language as a TODO with the script and a likely language."""
    for code, letters in SCRIPT_HINTS.get(script, ()):
        if not letters or any(letter in sample for letter in letters):
            return f"{TODO_LANGUAGE}; {name_script(script)} script, perhaps {code}", "not sure"
    return f"{TODO_LANGUAGE}; {name_script(script)} script", "not sure"


def quote(value: str) -> str:
    """Write a string as one double-quoted YAML scalar."""
    return str(yaml.safe_dump(value, default_style='"', allow_unicode=True, width=NO_WRAP)).rstrip("\n")


def flow(values: Iterable[str]) -> str:
    """Write strings as a one-line YAML list."""
    dumped = yaml.safe_dump(
        list(values), default_style='"', default_flow_style=True, allow_unicode=True, width=NO_WRAP
    )
    return str(dumped).rstrip("\n")


def block_list(key: str, values: Sequence[str], indent: str = "") -> list[str]:
    """Write strings as a YAML block list, one per line."""
    if not values:
        return [f"{indent}{key}: []"]
    return [f"{indent}{key}:", *(f"{indent}  - {quote(value)}" for value in values)]


def render_front_matter(
    reading: Reading,
    parts: Parts,
    source_key: str,
    date: datetime.date | None,
    language: str,
    escaped: Sequence[str],
) -> str:
    """Write the front matter, in the archive's key order."""
    page = reading.page
    authors = page.author.split("; ") if page.author else [TODO_AUTHOR]
    lines = [
        f"title: {quote(parts.title or TODO_TITLE)}",
        f"date: {date.isoformat() if date else quote(todo_date(page))}",
        f"source: {quote(source_key)}",
        *([f"source_url: {quote(page.url)}"] if page.url else []),
        f"authors: {flow(authors)}",
        f"language: {quote(language)}",
        *([f"translators: {flow(parts.translators)}"] if parts.translators else []),
        *(
            [f"hashtags: {flow(parts.hashtags)}", f"tags: {flow(make_tags(parts.hashtags))}"]
            if parts.hashtags
            else []
        ),
        *block_list("removed", [line.text for line in parts.removed]),
    ]
    return "\n".join(lines + render_imported(reading, escaped))


def todo_date(page: PageMeta) -> str:
    """Leave the date as a TODO, with the page's own date as a hint when there is one."""
    return f"{TODO_DATE} (the page says {page.date})" if page.date else TODO_DATE


def render_imported(reading: Reading, escaped: Sequence[str]) -> list[str]:
    """Write the 'imported' record: what the file was and what was done to it."""
    return [
        "imported:",
        f"  file: {quote(reading.file_name or UNNAMED_FILE)}",
        f"  sha256: {quote(reading.sha256)}",
        f"  encoding: {quote(reading.encoding)}",
        *block_list("repairs", [describe_repair(repair) for repair in reading.repairs], "  "),
        *block_list("normalised", [*reading.normalised, *escaped], "  "),
    ]


def render_document(front: str, body: Sequence[str], editorial: Sequence[tuple[str, str]]) -> str:
    """Join front matter, body paragraphs and editorial sections, one blank line apart."""
    sections = (f"{editorial_marker(heading)}\n\n{text}" for heading, text in editorial)
    return "\n\n".join([f"---\n{front}\n---", *body, *sections]) + "\n"


def describe_found(reading: Reading, parts: Parts, language: str) -> tuple[str, ...]:
    """Report what the importer found in the input."""
    marker = next((line for line in parts.removed if line.kind is Kind.MARKER), None)
    translators = ", ".join(parts.translators) or "none found"
    return (
        f"read: {reading.file_name or UNNAMED_FILE} as {reading.encoding}",
        describe_marker(marker),
        describe_title(parts),
        f"body: {count_of(len(parts.body), 'paragraph')}{describe_span(parts.body)}",
        f"translators: {translators}",
        describe_hashtags(parts.hashtags),
        describe_editorial(parts),
        f"language: {language}",
    )


def describe_hashtags(hashtags: Sequence[str]) -> str:
    """Report the hashtags as found and the tags made of them."""
    if not hashtags:
        return "hashtags: none found"
    return f"hashtags: {' '.join(hashtags)} -> tags: {', '.join(make_tags(hashtags))}"


def describe_marker(marker: Line | None) -> str:
    """Report the source marker and the source it names."""
    if marker is None:
        return "source marker: none found"
    name = marker.text.strip("/ ")
    return f"source marker: {marker.text} at the start of line {marker.number} (likely the source: {name})"


def describe_title(parts: Parts) -> str:
    """Report where the title came from."""
    if not parts.title:
        return "title: none found (left as TODO)"
    where = f"line {parts.title_line}" if parts.title_line else "the HTML page's metadata"
    return f"title: {parts.title} ({where})"


def describe_span(lines: Sequence[Line]) -> str:
    """Report the first and last line numbers of a run of lines."""
    if not lines:
        return ""
    first, last = lines[0].number, lines[-1].number
    return f" (line {first})" if first == last else f" (lines {first}-{last})"


def describe_editorial(parts: Parts) -> str:
    """Report the editorial section."""
    if not parts.heading:
        return "editorial: none found"
    count = count_of(len(parts.editorial), "line")
    return f"editorial: section '{parts.heading}' with {count}{describe_span(parts.editorial)}"


def describe_removed(removed: Sequence[Line]) -> tuple[str, ...]:
    """Report every removed line verbatim, with its line number and why it went."""
    if not removed:
        return ("removed: nothing",)
    return (
        f"removed: {count_of(len(removed), 'line')}, verbatim:",
        *(f"  line {line.number} ({line.kind.value}): {line.text}" for line in removed),
    )


def describe_changes(reading: Reading, escaped: Sequence[str], notes: Sequence[str]) -> tuple[str, ...]:
    """Report normalisations, repairs, escapes and the doubts left for a person."""
    return (
        *(f"normalised: {note}" for note in reading.normalised),
        *(f"repaired: {describe_repair(repair)}" for repair in reading.repairs),
        *(f"not repaired (check by hand): {place}" for place in reading.unrepaired),
        *(f"escaped for Markdown: {note}" for note in escaped),
        *(f"check: {note}" for note in notes),
    )
