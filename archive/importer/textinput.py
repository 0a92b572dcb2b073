"""A text as found -> clean lines: its encoding, line endings, mojibake and HTML, each change reported."""

from __future__ import annotations

import codecs
import difflib
import hashlib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

import ftfy
import ftfy.fixes

WORD_RE = re.compile(r"[^\W\d_]+")


class ImportFailed(Exception):
    """The input cannot be imported; the message says what to do instead."""


class Kind(Enum):
    """What a line of the input is."""

    TEXT = "text"
    MARKER = "source marker"
    CREDIT = "translator credit"
    HASHTAG = "hashtags"
    JUNK = "boilerplate"
    PAGE_NUMBER = "page number"


@dataclass(frozen=True)
class Line:
    """One non-blank line of the input, by its number."""

    number: int
    text: str
    kind: Kind = Kind.TEXT


@dataclass(frozen=True)
class Repair:
    """One mojibake mapping applied to the input, with where, so that it can be undone."""

    found: str
    fixed: str
    rule: str
    places: tuple[str, ...]
    fixed_was_there: bool


@dataclass(frozen=True)
class Reading:
    """The input after decoding, repairs and normalisation, with what was done to it."""

    lines: tuple[Line, ...]
    file_name: str
    sha256: str
    encoding: str
    repairs: tuple[Repair, ...]
    normalised: tuple[str, ...]
    unrepaired: tuple[str, ...]
    html: str = ""  # a saved page's text, repaired; its lines are read from its markup instead


# Order matters: cp1251 first because Bulgarian and Russian texts are this archive's usual
# non-UTF-8 input, but it decodes almost any bytes, so it must also look like Cyrillic words.
FALLBACK_ENCODINGS = ("cp1251", "cp1252", "latin-1")


HTML_SUFFIXES = (".html", ".htm")


CHARSET_RE = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?([\w.:-]+)|<\?xml[^>]+encoding\s*=\s*["']([\w.:-]+)""", re.I
)
# As browsers do (the WHATWG Encoding Standard), a page declared Latin-1 is read as Windows-1252.
LATIN_1_NAMES = {"iso-8859-1", "iso8859-1", "latin-1", "latin1", "l1", "iso_8859-1", "us-ascii", "ascii"}


GREEK_WORD_RE = re.compile(r"[\u0370-\u03ff]{2,}")


GREEK_GLUED_RE = re.compile(r"[A-Za-z][\u0392\u03b2]|[\u0392\u03b2][A-Za-z]")


GREEK_LEFT_RE = re.compile(r"[\u0392\u03b2](?=[\sA-Za-z])|(?<=[A-Za-z])[\u0392\u03b2]")


CP1253_RULE = "UTF-8 read as Windows-1253"


FTFY_CONFIG = ftfy.TextFixerConfig(
    unescape_html=False,
    remove_terminal_escapes=False,
    fix_encoding=True,
    restore_byte_a0=True,
    replace_lossy_sequences=False,
    decode_inconsistent_utf8=True,
    fix_c1_controls=False,
    fix_latin_ligatures=False,
    fix_character_width=False,
    uncurl_quotes=False,
    fix_line_breaks=False,
    fix_surrogates=False,
    remove_control_chars=False,
    normalization=None,
    explain=True,
)


def read_input(data: bytes, file_name: str) -> Reading:
    """Decode, repair and split the input, recording each change; a saved page is kept whole."""
    html = looks_like_html(data[:1024].decode("latin-1"), file_name)
    text, encoding, notes = decode_bytes(data, declared_charset(data) if html else "")
    text, endings = normalise_line_endings(text)
    text, repairs, unrepaired = repair_mojibake(text)
    lines, trimmed = ((), ()) if html else split_lines(text)
    return Reading(
        lines=lines,
        file_name=file_name,
        sha256=hashlib.sha256(data).hexdigest(),
        encoding=encoding,
        repairs=repairs,
        normalised=notes + endings + trimmed,
        unrepaired=unrepaired,
        html=text if html else "",
    )


def declared_charset(data: bytes) -> str:
    """The character set a saved page declares for itself (meta charset, http-equiv, XML declaration)."""
    match = CHARSET_RE.search(data[:4096])
    return (match[1] or match[2]).decode("ascii").lower() if match else ""


def decode_bytes(data: bytes, declared: str = "") -> tuple[str, str, tuple[str, ...]]:
    """Decode the input as UTF-8, else as a page declares, else by the fallback order; refuse binary files."""
    if b"\x00" in data:
        raise ImportFailed(
            "this looks like a binary file (it holds NUL bytes): import a plain-text (.txt) or "
            "saved HTML (.html) copy; if it is UTF-16 text, save it as UTF-8 first"
        )
    notes: tuple[str, ...] = ()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
        notes = ("byte-order mark removed",)
    try:
        return data.decode("utf-8"), "utf-8", notes
    except UnicodeDecodeError:
        pass
    if declared and declared not in ("utf-8", "utf8"):
        decoded = decode_declared(data, declared)
        if decoded is not None:
            return (
                decoded[0],
                decoded[1],
                (*notes, f"not valid UTF-8: decoded as {decoded[1]}, as the page declares ({declared})"),
            )
    text, encoding = decode_fallback(data)
    tried = ", ".join(FALLBACK_ENCODINGS)
    return text, encoding, (*notes, f"not valid UTF-8: decoded as {encoding} (tried in order: {tried})")


def decode_declared(data: bytes, declared: str) -> tuple[str, str] | None:
    """Decode bytes in the character set a page declares (Latin-1 read as browsers read it), or None."""
    name = "cp1252" if declared in LATIN_1_NAMES else declared
    try:
        return data.decode(name), codecs.lookup(name).name
    except (LookupError, UnicodeDecodeError):
        return None


def decode_fallback(data: bytes) -> tuple[str, str]:
    """Decode non-UTF-8 bytes with the first fallback encoding whose text looks plausible."""
    for encoding in FALLBACK_ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding != "cp1251" or looks_cyrillic(text):
            return text, encoding
    raise ImportFailed("cannot decode the file: save it as UTF-8 and import it again")


def looks_cyrillic(text: str) -> bool:
    """Tell whether the words holding Cyrillic letters are Cyrillic throughout (not mixed with Latin)."""
    words = [word for word in WORD_RE.findall(text) if has_script(word, "CYRILLIC")]
    mixed = [word for word in words if has_script(word, "LATIN")]
    return bool(words) and len(mixed) * 50 <= len(words)


def has_script(text: str, script: str) -> bool:
    """Tell whether any letter of the text belongs to the script."""
    return any(script_of(char) == script for char in text)


def script_of(char: str) -> str:
    """Name the script of a letter by the first word of its Unicode name."""
    return unicodedata.name(char, "UNKNOWN").split(" ")[0]


def normalise_line_endings(text: str) -> tuple[str, tuple[str, ...]]:
    """Turn CRLF and CR line endings into LF."""
    crlf = text.count("\r\n")
    text = text.replace("\r\n", "\n")
    cr = text.count("\r")
    text = text.replace("\r", "\n")
    notes = []
    if crlf:
        notes.append(f"CRLF line endings -> LF ({count_of(crlf, 'line')})")
    if cr:
        notes.append(f"CR line endings -> LF ({count_of(cr, 'line')})")
    return text, tuple(notes)


def looks_like_html(text: str, file_name: str) -> bool:
    """Tell whether the input is a saved HTML page."""
    start = text[:1024].lstrip().lower()
    return file_name.lower().endswith(HTML_SUFFIXES) or start.startswith(("<!doctype html", "<html"))


def split_lines(text: str) -> tuple[tuple[Line, ...], tuple[str, ...]]:
    """Number the non-blank lines and strip whitespace at their ends."""
    lines: list[Line] = []
    trimmed: list[int] = []
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.rstrip()
        if line and line != raw:
            trimmed.append(number)
        if line:
            lines.append(Line(number, line))
    if not trimmed:
        return tuple(lines), ()
    lines_trimmed = count_of(len(trimmed), "line")
    return tuple(lines), (f"trailing whitespace removed on {lines_trimmed} ({list_numbers(trimmed)})",)


def list_numbers(numbers: Sequence[int]) -> str:
    """Write line numbers as a short list, eliding the middle of a long one."""
    shown = [str(number) for number in numbers]
    if len(shown) > 8:
        shown = [*shown[:4], "...", *shown[-2:]]
    return ", ".join(shown)


RepairEvent = tuple[int, str, str, str, str]  # line, found, fixed, rule, context


def repair_mojibake(text: str) -> tuple[str, tuple[Repair, ...], tuple[str, ...]]:
    """Repair UTF-8 that was read through a wrong code page, recording every change."""
    targeted = shows_cp1253_mojibake(text)
    events: list[RepairEvent] = []
    lines = []
    for number, line in enumerate(text.split("\n"), start=1):
        line = repair_with_ftfy(line, number, events)
        if targeted:
            line = repair_cp1253_leftovers(line, number, events)
        lines.append(line)
    return "\n".join(lines), summarise_repairs(events, text), find_unrepaired(lines, targeted)


def shows_cp1253_mojibake(text: str) -> bool:
    """Tell whether Greek beta letters sit glued to Latin words, with no real Greek around."""
    return not GREEK_WORD_RE.search(text) and len(GREEK_GLUED_RE.findall(text)) >= 2


def repair_with_ftfy(line: str, number: int, events: list[RepairEvent]) -> str:
    """Fix whole mojibake sequences with ftfy's encoding fixer alone, nothing else."""
    fixed, explanation = ftfy.fix_encoding_and_explain(line, config=FTFY_CONFIG)
    if fixed == line:
        return line
    steps = ", ".join(f"{action} {argument}" for action, argument in explanation or [])
    matcher = difflib.SequenceMatcher(None, line, fixed, autojunk=False)
    for tag, start, end, fixed_start, fixed_end in matcher.get_opcodes():
        if tag != "equal":
            context = word_around(fixed, fixed_start, fixed_end)
            found, repaired = line[start:end], fixed[fixed_start:fixed_end]
            events.append((number, found, repaired, f"ftfy ({steps})", context))
    return fixed


def decode_cp1253(sequence: str) -> str:
    """Decode a Windows-1253 mojibake sequence with ftfy's codec, restoring a 0xA0 byte read as a space."""
    return ftfy.fixes.restore_byte_a0(sequence.encode("sloppy-windows-1253")).decode("utf-8")


CP1253_LOST = f"{CP1253_RULE}, bytes after the lead byte lost"


CP1253_RULES = (
    (
        re.compile(r"(?<![\u0370-\u03ff])\u0392 "),
        decode_cp1253("\u0392 "),
        f"{CP1253_RULE}, byte 0xA0 read as a space (ftfy: sloppy-windows-1253, restore_byte_a0)",
    ),
    (
        re.compile(r"(?<=[A-Za-z])\u0392$"),
        "",
        f"{CP1253_RULE}, cut off after the lead byte at the end of a line: dropped (a final space)",
    ),
    (re.compile(r"(?<=[^\W\d_])\u03b2(?=[^\W\d_])"), "\u2019", f"{CP1253_LOST}; between letters: apostrophe"),
    (
        re.compile(r"(?<![\w\u0370-\u03ff])\u03b2(?=[^\W_])"),
        "\u201c",
        f"{CP1253_LOST}; before a word: opening quotation mark (a guess)",
    ),
    (
        re.compile(r"(?<=[\w.,!?;:])\u03b2(?!\w)"),
        "\u201d",
        f"{CP1253_LOST}; after a word: closing quotation mark (a guess)",
    ),
)


def repair_cp1253_leftovers(line: str, number: int, events: list[RepairEvent]) -> str:
    """Repair Windows-1253 sequences whose continuation bytes were lost, by the targeted rules."""
    for pattern, replacement, rule in CP1253_RULES:
        for match in pattern.finditer(line):
            context = word_around(line, match.start(), match.end()).replace(match.group(), replacement)
            events.append((number, match.group(), replacement, rule, context))
        line = pattern.sub(replacement, line)
    return line


def word_around(text: str, start: int, end: int) -> str:
    """Return the word (or a few characters) around a span, for a person to find it again."""
    left = re.search(r"\S*$", text[:start])
    right = re.match(r"\S*", text[end:])
    word = (left.group() if left else "") + text[start:end] + (right.group() if right else "")
    return word if len(word.strip()) > 1 else text[max(0, start - 8) : end + 8]


def summarise_repairs(events: Sequence[RepairEvent], original: str) -> tuple[Repair, ...]:
    """Group repair events by mapping, keeping where each happened so it can be undone."""
    groups: dict[tuple[str, str, str], list[str]] = {}
    for number, found, fixed, rule, context in events:
        groups.setdefault((found, fixed, rule), []).append(f"line {number}: {context}")
    return tuple(
        Repair(found, fixed, rule, tuple(places), fixed in original)
        for (found, fixed, rule), places in groups.items()
    )


def find_unrepaired(lines: Sequence[str], targeted: bool) -> tuple[str, ...]:
    """List Greek letters glued to Latin words that the targeted rules left as found."""
    if not targeted:
        return ()
    return tuple(
        f"line {number}: {word_around(line, match.start(), match.end())}"
        for number, line in enumerate(lines, start=1)
        for match in GREEK_LEFT_RE.finditer(line)
    )


def describe_repair(repair: Repair) -> str:
    """Describe one repair so that a person can check it and undo it."""
    found = f"'{repair.found}' ({code_points(repair.found)})"
    fixed = f"'{repair.fixed}' ({code_points(repair.fixed, names=True)})" if repair.fixed else "nothing"
    head = f"mojibake, {repair.rule}: {found} -> {fixed}, {count_times(len(repair.places))}"
    if repair.fixed and not repair.fixed_was_there:
        return f"{head}; undo: replace every {code_points(repair.fixed)} with {found}"
    return f"{head}; undo at {'; '.join(repair.places)}"


def count_of(count: int, noun: str) -> str:
    """Say how many of a thing there are, in the singular or the plural."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def count_times(count: int) -> str:
    """Say how many times something happened."""
    return "once" if count == 1 else f"{count} times"


def code_points(text: str, names: bool = False) -> str:
    """Spell out the code points of a short string, with their names if asked."""
    if names:
        return ", ".join(f"U+{ord(char):04X} {unicodedata.name(char, '?')}" for char in text)
    return " ".join(f"U+{ord(char):04X}" for char in text)
