"""Language names, autonyms and writing direction, from the langcodes library."""

from __future__ import annotations

from dataclasses import dataclass

RTL_SCRIPTS = {"Arab", "Hebr", "Syrc", "Thaa", "Nkoo", "Adlm", "Rohg", "Mand", "Samr", "Yezi"}
CJK_LANGUAGES = {"zh", "ja", "ko", "yue"}


@dataclass(frozen=True)
class LanguageInfo:
    """How to name a language and set text in it."""

    code: str
    name: str  # in the interface's language: "Chinese", "китайский"
    autonym: str  # in itself: "中文"
    direction: str  # "ltr" or "rtl"
    is_cjk: bool
    primary: str  # the language without script or region: 'zh' for 'zh-Hans'

    @property
    def heading(self) -> str:
        """The name as a list or a heading starts it: 'Русский' (langcodes gives 'русский')."""
        return self.name[:1].upper() + self.name[1:]

    @property
    def label(self) -> str:
        """'Chinese (中文)', or just 'English' where the two names agree."""
        if self.autonym and self.autonym.casefold() != self.name.casefold():
            return f"{self.name} ({self.autonym})"
        return self.name


# Looking names up loads langcodes and its tables, slow to load (langcodes is imported only
# then): the build cache keeps what is known here from one build to the next.
KNOWN_LANGUAGES: dict[str, LanguageInfo] = {}
STANDARD_CODES: set[str] = set()  # codes found valid and in their standard form


def describe(code: str, in_language: str = "en") -> LanguageInfo:
    """Names and direction of a BCP 47 code (already validated), named in in_language."""
    key = code if in_language == "en" else f"{code} {in_language}"
    info = KNOWN_LANGUAGES.get(key)
    if info is None:
        info = KNOWN_LANGUAGES[key] = look_up(code, in_language)
    return info


def look_up(code: str, in_language: str = "en") -> LanguageInfo:
    import langcodes

    language = langcodes.Language.get(code)
    script = language.maximize().script or ""
    return LanguageInfo(
        code=code,
        name=language.display_name(in_language),
        autonym=language.autonym(),
        direction="rtl" if script in RTL_SCRIPTS else "ltr",
        is_cjk=language.language in CJK_LANGUAGES,
        primary=language.language or code,
    )


def standard_form(code: str) -> str | None:
    """The standard form of a BCP 47 code ('zh-hans' -> 'zh-Hans'), or None if it is not one."""
    if code in STANDARD_CODES:
        return code
    import langcodes

    if not langcodes.tag_is_valid(code):
        return None
    standard: str = langcodes.standardize_tag(code)
    if standard == code:
        STANDARD_CODES.add(code)
    return standard


def suggest_language(text: str) -> str:
    """A hint for a language written as a name ('chinese' -> 'zh')."""
    import langcodes

    try:
        found = langcodes.find(text)
    except LookupError:
        return "use a BCP 47 code such as en, zh, ru, fa, zh-Hans"
    return f"did you mean '{found.to_tag()}' ({found.display_name()})?"
