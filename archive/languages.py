"""Language names, autonyms and writing direction, from the langcodes library."""

from __future__ import annotations

from dataclasses import dataclass

import langcodes

RTL_SCRIPTS = {"Arab", "Hebr", "Syrc", "Thaa", "Nkoo", "Adlm", "Rohg", "Mand", "Samr", "Yezi"}
CJK_LANGUAGES = {"zh", "ja", "ko", "yue"}


@dataclass(frozen=True)
class LanguageInfo:
    """How to name a language and set text in it."""

    code: str
    name: str  # in English: "Chinese"
    autonym: str  # in itself: "中文"
    direction: str  # "ltr" or "rtl"
    is_cjk: bool

    @property
    def label(self) -> str:
        """'Chinese (中文)', or just 'English' where the two names agree."""
        if self.autonym and self.autonym.casefold() != self.name.casefold():
            return f"{self.name} ({self.autonym})"
        return self.name


# Looking names up loads langcodes' tables, slow to load: the build cache keeps what is known
# here from one build to the next.
KNOWN_LANGUAGES: dict[str, LanguageInfo] = {}


def describe(code: str) -> LanguageInfo:
    """Names and direction of a BCP 47 code (already validated)."""
    info = KNOWN_LANGUAGES.get(code)
    if info is None:
        info = KNOWN_LANGUAGES[code] = look_up(code)
    return info


def look_up(code: str) -> LanguageInfo:
    language = langcodes.Language.get(code)
    script = language.maximize().script or ""
    return LanguageInfo(
        code=code,
        name=language.display_name(),
        autonym=language.autonym(),
        direction="rtl" if script in RTL_SCRIPTS else "ltr",
        is_cjk=language.language in CJK_LANGUAGES,
    )


def primary_language(code: str) -> str:
    """The language of a code without its script or region: 'zh-Hans' -> 'zh'."""
    return langcodes.Language.get(code).language or code
