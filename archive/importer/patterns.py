"""Words the importer reads pages by, per language: months, credit labels, headings of notes and boxes."""

from __future__ import annotations

import re

# Month names and their usual abbreviations, lower case; genitive forms where a language uses
# them in dates (Russian "8 октября"), both Arabic series ("آب" and "أغسطس" are August).
MONTH_NAMES: dict[str, int] = {
    name: number
    for number, names in enumerate(
        (
            "january jan janvier janv januar jän jänner enero ene janeiro gennaio gen января январь "
            "янв يناير كانون الثاني كانون-الثاني",
            "february feb février févr februar febrero febr fevereiro fev febbraio февраля февраль "
            "фев فبراير شباط",
            "march mar mars märz marzo março мар марта март مارس آذار",
            "april apr avril abril abr aprile апреля апрель апр أبريل ابريل نيسان",
            "may mai mayo maio maggio mag мая май مايو أيار ايار",
            "june jun juin juni junio junho giugno giu июня июнь يونيو حزيران",
            "july jul juillet juil juli julio julho luglio lug июля июль يوليو تموز",
            "august aug août agosto ago августа август авг أغسطس اغسطس آب",
            "september sep sept septembre septiembre setembro set settembre сентября сентябрь "
            "сен سبتمبر أيلول ايلول",
            "october oct octobre oktober okt octubre outubro out ottobre ott октября октябрь окт "
            "أكتوبر اكتوبر تشرين الأول",
            "november nov novembre noviembre novembro ноября ноябрь ноя نوفمبر تشرين الثاني",
            "december dec décembre déc dezember dez diciembre dic dezembro dicembre декабря "
            "декабрь дек ديسمبر كانون الأول",
        ),
        start=1,
    )
    for name in names.split()
}
# Labels of the credit lines of an information block ("Translated: Paul Sweezy").
CREDIT_LABELS = (
    r"written|first published|published|source|sources|translated|translation|translator|translators"
    r"|transcription|transcribed|transcription\W*markup|transcription\W*html markup|html markup|markup"
    r"|proofed|proofread|proofreading|online version|copyleft|public domain|copyright|signed|delivered"
    r"|first appeared|original|editor|edited|quelle|übersetzung|übersetzt|erstveröffentlichung"
    r"|fuente|traducción|traducido|publicado|source originale|traduction|traduit|publié"
    r"|источник|перевод|опубликовано|впервые опубликовано"
)
CREDIT_LINE_RE = re.compile(rf"^\s*(?P<label>{CREDIT_LABELS})\s*[:：]\s*(?P<value>.*)$", re.IGNORECASE)
TRANSLATOR_LABELS = {"translated", "translation", "translator", "translators", "übersetzung", "übersetzt"}
TRANSLATOR_LABELS |= {"traducción", "traducido", "traduction", "traduit", "перевод"}
PUBLISHED_LABELS = {"first published", "published", "first appeared", "erstveröffentlichung", "publicado"}
PUBLISHED_LABELS |= {"publié", "опубликовано", "впервые опубликовано"}
WRITTEN_LABELS = {"written", "delivered"}
LICENSE_LABELS = {"public domain", "copyleft", "copyright"}
# "Translated from the German", "traducido del inglés", "перевод с английского".
TRANSLATED_FROM_RE = re.compile(
    r"(?:translated|translation|traducid[oa]|traduction|traduit|übersetzt|übersetzung|перевод|переведено)"
    r"\s*:?\s+(?:from|del|de l'|de la|du|de|aus dem|aus|с|из)\s+(?:the\s+)?(?P<language>[^\W\d_]+)",
    re.IGNORECASE,
)
# Inflected language names that a language-name lookup does not know.
LANGUAGE_FORMS = {
    "englischen": "en",
    "deutschen": "de",
    "französischen": "fr",
    "russischen": "ru",
    "spanischen": "es",
    "английского": "en",
    "немецкого": "de",
    "французского": "fr",
    "русского": "ru",
    "испанского": "es",
    "китайского": "zh",
    "анг": "en",
}
# Headings that open a text's notes.
NOTES_HEADINGS = {
    "notes", "note", "footnotes", "endnotes", "end notes", "notes and references", "references",
    "anmerkungen", "fußnoten", "notas", "notes de bas de page", "примечания", "сноски", "ملاحظات",
    "هوامش", "注释", "注", "注解",
}  # fmt: skip
# Headings of boxes that point to other pages ("See also").
SEE_ALSO_RE = re.compile(
    r"^\s*(?:see also|read also|also read|related|related articles|more on (?:this|the) (?:topic|subject)"
    r"|read more|more from|more about|most read|most popular|leia também|leia mais|mais lidas"
    r"|lea también|más sobre|más leídas|las más leídas|lesen sie auch|mehr zum thema|meistgelesen"
    r"|lire aussi|voir aussi|à lire aussi|les plus lus|читайте также|см\. также|смотрите также"
    r"|اقرأ أيضا|اقرأ أيضاً|الأكثر تصفحا|الأكثر تصفحاً|الأكثر قراءة|相关阅读|相关新闻|延伸阅读)\b",
    re.IGNORECASE,
)
# Words of class names, ids and tag names that mark page furniture, by what it is.
FURNITURE_TOKENS = {
    "pullquote": "pull quote",
    "citation": "pull quote",
    "caption": "photo caption",
    "figcaption": "photo caption",
    "epigrafe": "photo caption",
    "legende": "photo caption",
    "credit": "photo credit",
    "credits": "photo credit",
    "credito": "photo credit",
    "photographer": "photo credit",
    "gallery": "photo gallery",
    "slider": "photo gallery",
    "carousel": "photo gallery",
    "slideshow": "photo gallery",
    "media": "photo or video and its caption",
    "video": "photo or video and its caption",
    "photo": "photo or video and its caption",
    "image": "photo or video and its caption",
    "share": "share tools",
    "sharing": "share tools",
    "social": "share tools",
    "print": "print and e-mail tools",
    "emailform": "print and e-mail tools",
    "tools": "page tools",
    "toolbar": "page tools",
    "herramientas": "page tools",
    "related": "related links",
    "seealso": "see-also box",
    "readmore": "related links",
    "recommended": "related links",
    "recommendations": "related links",
    "ranking": "related links",
    "linkbox": "link box",
    "tags": "tags",
    "taglist": "tags",
    "keywords": "tags",
    "breadcrumb": "navigation",
    "breadcrumbs": "navigation",
    "nav": "navigation",
    "navigation": "navigation",
    "menu": "navigation",
    "pagination": "navigation",
    "pager": "navigation",
    "comments": "comments",
    "comment": "comments",
    "commentform": "comments",
    "respond": "comments",
    "replys": "comments",
    "replies": "comments",
    "disqus": "comments",
    "livefyre": "comments",
    "comunidad": "comments",
    "advert": "advertising",
    "advertising": "advertising",
    "ad": "advertising",
    "ads": "advertising",
    "banner": "advertising",
    "sponsor": "advertising",
    "sponsored": "advertising",
    "promo": "advertising",
    "newsletter": "newsletter box",
    "subscribe": "newsletter box",
    "updated": "last-updated line",
    "sidebar": "sidebar",
    "widget": "sidebar",
    "footer": "page footer",
}
# Class words of elements a reader does not see.
HIDDEN_CLASSES = {
    "hidden", "hide", "is-hidden", "u-hidden", "visually-hidden", "visuallyhidden", "sr-only",
    "u-sr-only", "screen-reader-text", "screenreader", "invisible", "d-none", "offscreen", "cy-hidden",
}  # fmt: skip
# Class words of leads, decks and standfirsts.
LEAD_TOKENS = {
    "lead", "summary", "deck", "standfirst", "intro", "subtitle", "subheadline", "subhead", "bajada",
    "dek", "excerpt", "description", "kicker", "sumario", "chapo", "chapeau", "teaser", "entradilla",
}  # fmt: skip
BYLINE_TOKENS = {"byline", "author", "authors", "autor", "autores", "auteur", "writer", "firma"}
DATE_TOKENS = {"date", "time", "published", "pubdate", "datetime", "timestamp", "tmstmp", "fecha", "data"}
PLACE_TOKENS = {"place", "location", "dateline", "locality"}
# How bios name their subject: "Andrés Malamud es politólogo", "X is a professor".
BIO_VERB_RE = re.compile(
    r"^(?P<name>(?:[A-ZÀ-Ý][\w'’.-]+\s+){1,3}[A-ZÀ-Ý][\w'’-]+)\s+(?:es|is|ist|est|é|è|jest|был|является)\s"
)
# A byline: "By Jane Doe and John Roe", "Von ...", "Por ...", "Par ...".
BYLINE_RE = re.compile(
    r"^\s*(?:by|von|por|par|di|door|автор|автор:|текст:|written by)\s+(?P<names>.+)$", re.IGNORECASE
)
INTERVIEWERS_RE = re.compile(
    r"^\s*(?:die fragen stellten?|das (?:gespräch|interview) führten?|interview(?:ed)? by|"
    r"questions by|entrevista de|propos recueillis par)\s+(?P<names>.+)$",
    re.IGNORECASE,
)
NAME_JOINERS_RE = re.compile(r"\s*(?:[,;·|&]|\s(?:and|und|y|e|et|и|і|та|و)\s)\s*", re.IGNORECASE)
# Transcript furniture: a time stamp ("10:04 A.M. EDT") and the end mark ("END").
TIME_STAMP_RE = re.compile(
    r"^\s*\d{1,2}[:.]\d{2}(?:\s*[AaPp]\.?\s*[Mm]\.?)?(?:\s+[A-Z]{2,5}(?:[+-]\d{1,2})?)?\s*$"
)
END_MARK_RE = re.compile(r"^\s*(?:END|\*\s*\*\s*\*\s*END|ENDE|FIN)\s*$")
# A section break written as text: "* * *", "***", "⁂", "— — —".
SECTION_BREAK_RE = re.compile(r"^\s*(?:[*⁂•·~]\s*){1,5}$|^\s*(?:[—–-]\s*){3,}$")
# An editor's credit: "责任编辑：崔宁宁", "Editor: Jane Doe".
EDITOR_RE = re.compile(
    r"^\s*(?:责任编辑|编辑|editor|edited by|redakteur|redaktion|redacción|edición|редактор)"
    r"\s*[:：]?\s*(?P<names>\S.{0,60})$",
    re.IGNORECASE,
)
