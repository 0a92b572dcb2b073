"""A text's language guessed only where it is obvious: by its script, or by its most common words."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from archive.importer.textinput import WORD_RE, script_of

TODO_LANGUAGE = "TODO: language (BCP 47)"
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
