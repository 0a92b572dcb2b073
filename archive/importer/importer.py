"""Turn a text as found on the web into a draft article and a report of all it removed, joined or repaired."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml

from archive.base.urls import slugify_name
from archive.content.reader import editorial_marker
from archive.importer.guessing import TODO_LANGUAGE, guess_language
from archive.importer.layout import arrange_lines
from archive.importer.records import Block, BlockKind, Found, Removal, Section
from archive.importer.sorting import HASHTAG_RE, classify_line, find_editorial, sort_lines
from archive.importer.textinput import (
    ImportFailed,
    Kind,
    Line,
    Reading,
    count_of,
    describe_repair,
    read_input,
)
from archive.importer.writing import heading_markdown, render_blocks, rendered_words, write_line

__all__ = ["Draft", "ImportOptions", "import_bytes", "import_file", "import_text", "rendered_words"]

NUMBERED_NOTE_RE = re.compile(r"^starts with '\d+\.': backslash added$")
MANY_NUMBERED = 3
TODO_TITLE = "TODO: the title of this text"
TODO_DATE = "TODO: first publication of the work, YYYY-MM-DD"
TODO_AUTHOR = "TODO: author"
UNNAMED_FILE = "(text)"
SLUG_LENGTH = 60
NO_WRAP = float("inf")


@dataclass(frozen=True)
class ImportOptions:
    """What the curator says of a text on the command line; each given value wins over what is found."""

    source: str
    date: datetime.date | None = None
    retrieved: datetime.date | None = None  # None: today
    title: str = ""
    slug: str = ""
    language: str = ""
    authors: tuple[str, ...] = ()
    translators: tuple[str, ...] = ()


@dataclass(frozen=True)
class Parts:
    """A copy sorted into its text, editorial sections, removed material and fields."""

    title: str
    title_where: str
    body: tuple[Block, ...]
    sections: tuple[Section, ...]
    removed: tuple[Removal, ...]
    translators: tuple[str, ...]
    hashtags: tuple[str, ...]
    found: Found
    notes: tuple[str, ...] = ()
    normalised: tuple[str, ...] = ()
    summary: tuple[str, ...] = ()
    outside: tuple[str, ...] = ()
    html: bool = False


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
    body: tuple[Block, ...] = ()
    removals: tuple[Removal, ...] = ()
    front: dict[str, object] = field(default_factory=dict, compare=False)
    sha256: str = ""
    title_taken_from_options: bool = False


def import_file(path: Path, options: ImportOptions) -> Draft:
    """Read a file as found on the web and turn it into a draft article."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ImportFailed(f"cannot read {path}: {error.strerror}") from error
    return import_bytes(data, options, path.name)


def import_text(text: str, options: ImportOptions | str, file_name: str = "") -> Draft:
    """Turn a text as found on the web into a draft article."""
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise ImportFailed("the text holds unpaired surrogates: save it as UTF-8 first") from error
    return import_bytes(
        data, options if isinstance(options, ImportOptions) else ImportOptions(options), file_name
    )


def import_bytes(data: bytes, options: ImportOptions, file_name: str) -> Draft:
    """Turn the bytes of a file as found on the web into a draft article."""
    reading = read_input(data, file_name)
    parts = read_html_parts(reading) if reading.html else read_plain_parts(reading)
    return assemble_draft(reading, parts, options)


def read_plain_parts(reading: Reading) -> Parts:
    """Sort a plain text's lines and arrange its body lines into paragraphs."""
    lines = sort_lines(reading.lines)
    present = frozenset(line.number for line in reading.lines)
    arranged = arrange_lines(lines.body, present)
    title, title_where = lines.title, f"line {lines.title_line}" if lines.title_line else ""
    if not title and arranged.head:
        title = " ".join(block.text for block in arranged.head)
        title_where = f"the centred lines that open the text ({', '.join(b.where for b in arranged.head)})"
    removed = sorted((*lines.removed, *arranged.page_numbers), key=lambda line: line.number)
    return Parts(
        title=title,
        title_where=title_where,
        body=tuple(write_block(block) for block in arranged.blocks),
        sections=editorial_sections(lines.heading, lines.editorial),
        removed=tuple(Removal(line.text, line.kind.value, f"line {line.number}") for line in removed),
        translators=lines.translators,
        hashtags=lines.hashtags,
        found=Found(),
        notes=lines.notes + arranged.doubts,
        normalised=arranged.normalised,
        summary=arranged.summary,
    )


def editorial_sections(heading: str, lines: Sequence[Line]) -> tuple[Section, ...]:
    """The appended questions or commentary, one block a line, as the page shows them."""
    if not heading:
        return ()
    blocks = tuple(
        Block(
            BlockKind.PARAGRAPH,
            line.text,
            "\\" + line.text if line.text.startswith("<!--") else line.text,
            f"line {line.number}",
        )
        for line in lines
    )
    return (Section(heading, blocks),)


def write_block(block: Block) -> Block:
    """Write a block's Markdown: escaped where Markdown would read its words as markup."""
    if block.markdown:
        return block
    if block.kind is BlockKind.HEADING:
        return replace(block, markdown=heading_markdown(block))
    lines = [write_line(line) for line in block.text.split("\n")]
    note = next((written.note for written in lines if written.note), "")
    return replace(block, markdown="\\\n".join(written.markdown for written in lines), note=note)


def read_html_parts(reading: Reading) -> Parts:
    """Read a saved page's structure, then sort its paragraphs' credit, hashtag and boilerplate lines."""
    try:
        import trafilatura  # noqa: F401 - here: only a saved page needs it, and it takes a while to load

        from archive.importer.htmltext import read_html
    except ImportError as error:
        raise ImportFailed(
            "this is an HTML page: install the HTML extra to import it (pip install '.[html]'), "
            "or save the page's text as .txt and import that"
        ) from error
    extract = read_html(reading.html)
    body, removed, translators, hashtags = sort_html_lines(extract.body)
    start, heading, doubts = find_editorial(
        [Line(i, block.text, classify_line(block.text)) for i, block in enumerate(body, start=1)]
    )
    editorial = (Section(heading, tuple(body[start:])),) if heading else ()
    return Parts(
        title=extract.found.title,
        title_where=extract.found.title_where,
        body=tuple(body[:start]) if heading else tuple(body),
        sections=editorial + extract.sections,
        removed=extract.removed + tuple(removed),
        translators=tuple(dict.fromkeys((*extract.found.translators, *translators))),
        hashtags=hashtags,
        found=extract.found,
        notes=extract.notes + doubts,
        normalised=extract.normalised,
        summary=extract.summary,
        outside=extract.outside,
        html=True,
    )


def sort_html_lines(blocks: Sequence[Block]) -> tuple[list[Block], list[Removal], list[str], tuple[str, ...]]:
    """Take a page's translator credits, hashtag lines and boilerplate lines out of its paragraphs."""
    from archive.importer.credits import credit_names

    body: list[Block] = []
    removed: list[Removal] = []
    translators: list[str] = []
    hashtags: list[str] = []
    for block in blocks:
        kind = (
            classify_line(block.text)
            if block.kind is BlockKind.PARAGRAPH and "\n" not in block.text
            else Kind.TEXT
        )
        if kind is Kind.TEXT:
            body.append(block)
            continue
        removed.append(Removal(block.text, kind.value, block.where))
        translators += credit_names(block.text) if kind is Kind.CREDIT else ()
        hashtags += HASHTAG_RE.findall(block.text) if kind is Kind.HASHTAG else ()
    return body, removed, translators, tuple(dict.fromkeys(hashtags))


def assemble_draft(reading: Reading, parts: Parts, options: ImportOptions) -> Draft:
    """Put the parts together into the draft's Markdown text and its report."""
    fields = choose_fields(parts, options)
    escaped = describe_escapes(parts.body)
    front = render_front_matter(reading, parts, options, fields, escaped)
    editorial = tuple((section.heading, render_blocks(section.blocks)) for section in parts.sections)
    date = fields.date
    return Draft(
        text=render_document(front, render_blocks(parts.body), editorial),
        slug=options.slug or make_slug(fields.title, parts.body, reading.sha256),
        year=date.year if date else None,
        report=describe_found(reading, parts, fields)
        + describe_removed(parts)
        + describe_changes(reading, parts, escaped)
        + describe_outside(parts),
        body_paragraphs=tuple(block.text for block in parts.body if block.kind is not BlockKind.FOOTNOTE),
        removed=tuple(removal.text for removal in parts.removed),
        translators=fields.translators,
        hashtags=parts.hashtags,
        editorial=editorial,
        body=parts.body,
        removals=parts.removed,
        sha256=reading.sha256,
        title_taken_from_options=bool(options.title),
    )


@dataclass(frozen=True)
class Fields:
    """The front matter's values, each from the options, the copy, or a TODO; and where each came from."""

    title: str
    title_where: str
    date: datetime.date | None
    date_where: str
    authors: tuple[str, ...]
    authors_where: str
    translators: tuple[str, ...]
    translators_where: str
    language: str
    language_where: str
    retrieved: datetime.date


def choose_fields(parts: Parts, options: ImportOptions) -> Fields:
    """Choose each field: the curator's option, else what the copy says, else a TODO with a hint."""
    found = parts.found
    language, why = guess_language([block.text for block in parts.body])
    if found.language and not options.language:
        language, why = found.language, found.language_where
    return Fields(
        title=options.title or parts.title,
        title_where="--title" if options.title else parts.title_where,
        date=options.date or found.date,
        date_where="--date" if options.date else found.date_where,
        authors=options.authors or found.authors,
        authors_where="--author" if options.authors else found.authors_where,
        translators=options.translators or parts.translators,
        translators_where="--translator"
        if options.translators
        else found.translators_where or "a credit line",
        language=options.language or language,
        language_where="--language" if options.language else why,
        retrieved=options.retrieved or datetime.date.today(),
    )


def describe_escapes(blocks: Sequence[Block]) -> tuple[str, ...]:
    """The notes on body blocks whose Markdown needed care, each saying where; paragraph numbers
    ('1.', '2.'...) counted in one note when there are many."""
    noted = [
        block
        for block in blocks
        if block.note
        and block.note not in ("lead", "bold paragraph", "rule", "columns")
        and not block.note.startswith("'")
    ]
    numbered = [block for block in noted if NUMBERED_NOTE_RE.match(block.note)]
    if len(numbered) < MANY_NUMBERED:
        numbered = []
    notes = [
        f"{block.where} {block.note}"
        if block.note.startswith("starts with")
        else f"{block.where}: {block.note}"
        for block in noted
        if block not in numbered
    ]
    if numbered:
        places = ", ".join(block.where for block in numbered[:3]) + (", ..." if len(numbered) > 3 else "")
        notes.insert(
            0,
            f"{count_of(len(numbered), 'block')} open with a number and a full stop ({places}): "
            "a backslash before each full stop, so that Markdown shows the number, not a list",
        )
    return tuple(notes)


def make_tags(hashtags: Iterable[str]) -> tuple[str, ...]:
    """Normalise hashtags into the archive's tags: lower case, slug form."""
    return tuple(
        dict.fromkeys(tag for tag in (slugify_name(hashtag.lstrip("#")) for hashtag in hashtags) if tag)
    )


def make_slug(title: str, body: Sequence[Block], sha256: str) -> str:
    """Make the file's slug from the title, else from the first words of the body."""
    source = title or " ".join(" ".join(block.text for block in body[:10]).split()[:15])
    return slugify_name(source, SLUG_LENGTH) or f"untitled-{sha256[:8]}"


def quote(value: str) -> str:
    """Write a string as one double-quoted YAML scalar."""
    return str(yaml.safe_dump(value, default_style='"', allow_unicode=True, width=NO_WRAP)).rstrip("\n")


def flow(values: Iterable[str]) -> str:
    """Write strings as a one-line YAML list."""
    dumped = yaml.safe_dump(
        list(values), default_style='"', default_flow_style=True, allow_unicode=True, width=NO_WRAP
    )
    return str(dumped).rstrip("\n")


def block_list(key: str, values: Sequence[str], indent: str = "", comments: Sequence[str] = ()) -> list[str]:
    """Write strings as a YAML block list, one per line, each with its comment if given."""
    if not values:
        return [f"{indent}{key}: []"]
    notes = [f"  # {comment}" if comment else "" for comment in comments] or [""] * len(values)
    return [
        f"{indent}{key}:",
        *(f"{indent}  - {quote(value)}{note}" for value, note in zip(values, notes, strict=True)),
    ]


def render_front_matter(
    reading: Reading, parts: Parts, options: ImportOptions, fields: Fields, escaped: Sequence[str]
) -> str:
    """Write the front matter, in the archive's key order."""
    found = parts.found
    lines = [
        f"title: {quote(fields.title or TODO_TITLE)}",
        f"date: {fields.date.isoformat() if fields.date else quote(todo_date(found))}",
        f"source: {quote(options.source)}",
        f"authors: {flow(fields.authors or [todo_author(found)])}",
        *(
            [f"source_url: {quote(found.source_url)}"]
            if found.source_url.startswith(("http://", "https://"))
            else []
        ),
        f"retrieved: {fields.retrieved.isoformat()}",
        f"language: {quote(fields.language)}",
        *([f"original_language: {quote(found.original_language)}"] if found.original_language else []),
        *(
            [
                f"# original_language: {quote(found.original_language_hint)}"
                "  # the page links its version in this language: set it if that is the original"
            ]
            if found.original_language_hint and not found.original_language
            else []
        ),
        *([f"translators: {flow(fields.translators)}"] if fields.translators else []),
        *([f"license: {quote(found.license)}"] if found.license else []),
        *(
            [f"hashtags: {flow(parts.hashtags)}", f"tags: {flow(make_tags(parts.hashtags))}"]
            if parts.hashtags
            else []
        ),
        *block_list("removed", [r.text for r in parts.removed], comments=[r.what for r in parts.removed]),
    ]
    return "\n".join(lines + render_imported(reading, parts, escaped))


def todo_date(found: Found) -> str:
    """Leave the date as a TODO, with the copy's own date as a hint when there is one."""
    return f"{TODO_DATE} ({found.date_hint})" if found.date_hint else TODO_DATE


def todo_author(found: Found) -> str:
    """Leave the author as a TODO, with a hint when the copy suggests one."""
    return f"{TODO_AUTHOR} ({found.author_hint})" if found.author_hint else TODO_AUTHOR


def render_imported(reading: Reading, parts: Parts, escaped: Sequence[str]) -> list[str]:
    """Write the 'imported' record: what the file was and what was done to it."""
    return [
        "imported:",
        f"  file: {quote(reading.file_name or UNNAMED_FILE)}",
        f"  sha256: {quote(reading.sha256)}",
        f"  encoding: {quote(reading.encoding)}",
        *block_list("repairs", [describe_repair(repair) for repair in reading.repairs], "  "),
        *block_list("normalised", [*reading.normalised, *parts.normalised, *escaped], "  "),
    ]


def render_document(front: str, body: str, editorial: Sequence[tuple[str, str]]) -> str:
    """Join front matter, body and editorial sections, one blank line apart."""
    sections = (f"{editorial_marker(heading)}\n\n{text}" for heading, text in editorial)
    return "\n\n".join(part for part in [f"---\n{front}\n---", body, *sections] if part) + "\n"


def describe_found(reading: Reading, parts: Parts, fields: Fields) -> tuple[str, ...]:
    """Report what the importer found in the input, and where each field came from."""
    marker = next((removal for removal in parts.removed if removal.what == Kind.MARKER.value), None)
    return (
        f"read: {reading.file_name or UNNAMED_FILE} as {reading.encoding}",
        *(() if parts.html else (describe_marker(marker),)),
        describe_title(fields),
        describe_body(parts),
        describe_field("authors", ", ".join(fields.authors), fields.authors_where),
        describe_field("translators", ", ".join(fields.translators), fields.translators_where),
        describe_field(
            "date", fields.date.isoformat() if fields.date else "", fields.date_where, parts.found.date_hint
        ),
        *(describe_page_fields(parts.found) if parts.html else ()),
        describe_hashtags(parts.hashtags),
        describe_editorial(parts),
        f"language: {fields.language} ({fields.language_where})",
        *(f"read: {line}" for line in parts.summary),
    )


def describe_field(name: str, value: str, where: str, hint: str = "") -> str:
    """Report one field and where it came from, or that it was not found."""
    if value:
        return f"{name}: {value} ({where})"
    return f"{name}: none found" + (f" ({hint})" if hint else "")


def describe_page_fields(found: Found) -> tuple[str, ...]:
    """Report what a saved page gave beside the usual fields: original language, licence, place, address."""
    hint = (
        f"the page links one other version, in {found.original_language_hint}: perhaps the original"
        if found.original_language_hint
        else ""
    )
    return (
        describe_field("original language", found.original_language, found.original_language_where, hint),
        describe_field("licence", found.license, found.license_where),
        *([f"place: {found.place} (kept in removed)"] if found.place else []),
        describe_field("address", found.source_url, "the page's canonical address"),
    )


def describe_body(parts: Parts) -> str:
    """Report the body: its paragraphs, with headings and other blocks counted apart."""
    counts = {kind: sum(1 for block in parts.body if block.kind is kind) for kind in BlockKind}
    others = [
        count_of(counts[kind], kind.value)
        for kind in BlockKind
        if kind is not BlockKind.PARAGRAPH and counts[kind]
    ]
    span = describe_span(parts.body) if not parts.html else ""
    extra = f"; {', '.join(others)}" if others else ""
    return f"body: {count_of(counts[BlockKind.PARAGRAPH], 'paragraph')}{span}{extra}"


def describe_span(blocks: Sequence[Block]) -> str:
    """Report the first and last line numbers of the body's blocks."""
    numbers = [number for block in blocks for number in block.lines]
    if not numbers:
        return ""
    first, last = numbers[0], numbers[-1]
    return f" (line {first})" if first == last else f" (lines {first}-{last})"


def describe_hashtags(hashtags: Sequence[str]) -> str:
    """Report the hashtags as found and the tags made of them."""
    if not hashtags:
        return "hashtags: none found"
    return f"hashtags: {' '.join(hashtags)} -> tags: {', '.join(make_tags(hashtags))}"


def describe_marker(marker: Removal | None) -> str:
    """Report the source marker and the source it names."""
    if marker is None:
        return "source marker: none found"
    name = marker.text.strip("/ ")
    return f"source marker: {marker.text} at the start of {marker.where} (likely the source: {name})"


def describe_title(fields: Fields) -> str:
    """Report where the title came from."""
    if not fields.title:
        return "title: none found (left as TODO)"
    return f"title: {fields.title} ({fields.title_where})"


def describe_editorial(parts: Parts) -> str:
    """Report the sections kept beside the text."""
    if not parts.sections:
        return "editorial: none found"
    described = []
    for section in parts.sections:
        unit = "line" if not parts.html else "paragraph"
        numbers = [
            n
            for block in section.blocks
            for n in ([int(block.where.split()[1])] if block.where.startswith("line ") else [])
        ]
        span = (
            f" (lines {numbers[0]}-{numbers[-1]})"
            if len(numbers) > 1
            else f" (line {numbers[0]})"
            if numbers
            else ""
        )
        described.append(f"section '{section.heading}' with {count_of(len(section.blocks), unit)}{span}")
    return "editorial: " + "; ".join(described)


def describe_removed(parts: Parts) -> tuple[str, ...]:
    """Report every removed line or block verbatim, with where it was and what it was."""
    removed = parts.removed
    if not removed:
        return ("removed: nothing",)
    unit = "block" if parts.html else "line"
    kinds = ", ".join(f"{what}: {count}" for what, count in count_kinds(removed))
    return (
        f"removed: {count_of(len(removed), unit)}, verbatim:",
        *(f"  {removal.where} ({removal.what}): {removal.text}" for removal in removed),
        *([f"removed, by kind: {kinds}"] if parts.html else []),
    )


def count_kinds(removed: Sequence[Removal]) -> list[tuple[str, int]]:
    """Count the removed material by what it was, in the order each kind first appears."""
    counts: dict[str, int] = {}
    for removal in removed:
        what = removal.what.split(" repeating ")[0]
        counts[what] = counts.get(what, 0) + 1
    return list(counts.items())


def describe_changes(reading: Reading, parts: Parts, escaped: Sequence[str]) -> tuple[str, ...]:
    """Report normalisations, repairs, escapes and the doubts left for a person."""
    return (
        *(f"normalised: {note}" for note in (*reading.normalised, *parts.normalised)),
        *(f"repaired: {describe_repair(repair)}" for repair in reading.repairs),
        *(f"not repaired (check by hand): {place}" for place in reading.unrepaired),
        *(f"escaped for Markdown: {note}" for note in escaped),
        *(f"check: {note}" for note in parts.notes),
    )


def describe_outside(parts: Parts) -> tuple[str, ...]:
    """List the page outside the article (navigation, header, footer), line by line, as not imported."""
    if not parts.html:
        return ()
    if not parts.outside:
        return ("outside the article: nothing",)
    return (
        f"outside the article (not imported; the saved page has it): {count_of(len(parts.outside), 'block')}",
        *parts.outside,
    )


def write_draft(draft: Draft, content_dir: Path) -> Path:
    """Write content/articles/<year>/<slug>.md; raise FileExistsError if it exists (never overwrite)."""
    if draft.year is None:
        raise ImportFailed("--write needs --date YYYY-MM-DD to choose the folder (no date was found)")
    path = content_dir / "articles" / str(draft.year) / f"{draft.slug}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8", newline="\n") as file:
        file.write(draft.text)
    return path


TODO_MARKERS = (TODO_TITLE, TODO_DATE, TODO_AUTHOR, TODO_LANGUAGE)
