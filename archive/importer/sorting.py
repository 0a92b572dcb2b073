"""A plain text's lines sorted: source marker, title, text, credits, hashtags, boilerplate, editorial."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from archive.importer.credits import credit_names
from archive.importer.textinput import WORD_RE, Kind, Line, list_numbers
from archive.importer.writing import MARKDOWN_BLOCK_RE


@dataclass(frozen=True)
class Sorted:
    """The lines sorted into title, body, editorial section and removed lines."""

    title: str
    title_line: int
    body: tuple[Line, ...]
    heading: str
    editorial: tuple[Line, ...]
    removed: tuple[Line, ...]
    translators: tuple[str, ...]
    hashtags: tuple[str, ...]
    notes: tuple[str, ...]


MARKER_RE = re.compile(r"^\s*(?P<marker>/\s*[^/\s][^/]{0,40}?/)(?=\s|$)\s*")
HASHTAG_LINE_RE = re.compile(r"^\s*#[^\W_][\w-]*(?:[\s,]+#[^\W_][\w-]*)*\s*$")
HASHTAG_RE = re.compile(r"#[^\W_][\w-]*")
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


def sort_lines(lines: Sequence[Line], page_title: str = "") -> Sorted:
    """Sort the lines into marker, title, body, editorial material and removed lines."""
    classified = classify_lines(split_marker(lines))
    start, heading, notes = find_editorial(classified)
    body = text_lines(classified[:start])
    title, title_line, body = find_title(body, classified, page_title)
    removed = tuple(line for line in classified if line.kind is not Kind.TEXT)
    return Sorted(
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
    """Point at lines that may be a subtitle or a dateline."""
    doubts = []
    for index, line in enumerate(body):
        if index < 3 and DATE_LINE_RE.match(line.text):
            doubts.append(f"line {line.number} looks like a dateline: kept in the body ({line.text})")
        elif index == 0 and title_line and looks_like_heading(line.text):
            doubts.append(f"line {line.number} may be a subtitle: kept in the body ({line.text})")
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


def collect_translators(removed: Iterable[Line]) -> tuple[str, ...]:
    """Gather the translators named by the credit lines, in order, once each."""
    names = (name for line in removed if line.kind is Kind.CREDIT for name in credit_names(line.text))
    return tuple(dict.fromkeys(names))


def collect_hashtags(removed: Iterable[Line]) -> tuple[str, ...]:
    """Gather the hashtags of the hashtag lines as written, once each."""
    tags = (tag for line in removed if line.kind is Kind.HASHTAG for tag in HASHTAG_RE.findall(line.text))
    return tuple(dict.fromkeys(tags))
