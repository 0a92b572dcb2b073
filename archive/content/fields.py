"""The fields of every record the content holds, declared once: an article's front matter, a
source of sources.yaml, a step of a translation chain, what the importer recorded, site.yaml.

Each field names how its value is read and checked (a FieldReader method, or a reader of its
own), whether it is required, and whether an explicit null means "not known". read_fields
reads any record by its spec, reporting unknown, repeated and missing fields.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from archive.base.dates import WrittenDate
from archive.base.records import TRANSLATIONS, ChainStep, Imported, KeptFile, Source
from archive.base.urls import alias_problem, is_safe_site_path, is_safe_slug, slugify_name
from archive.content import safeyaml
from archive.content.schema import FieldReader

SOURCES_HINT = "sources are listed in content/sources.yaml"

# How a field's value is read: from its node, with the registry of sources, by the reader.
Read = Callable[[FieldReader, str, Node, Mapping[str, Source]], Any]


@dataclass(frozen=True)
class Field:
    """One field of a record."""

    name: str
    read: Read
    required: bool = False
    null_is_unknown: bool = False  # `url: null` means "not known", rather than a mistake


@dataclass(frozen=True)
class Spec:
    """The fields of one kind of record, and how a message names it ("a chain step")."""

    what: str
    fields: tuple[Field, ...]
    by_name: dict[str, Field] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_name", {f.name: f for f in self.fields})

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields if f.required)


class Fields(NamedTuple):
    """A record's fields as read: the values, the line of each field, whether all required are there."""

    values: dict[str, Any]
    lines: dict[str, int]
    complete: bool


def read_fields(
    reader: FieldReader,
    node: MappingNode,
    spec: Spec,
    sources: Mapping[str, Source],
    line: int,
    where: str = "",
) -> Fields:
    """Every field of the record in node, read and checked: a field with errors is left out, an
    unknown one (a null where that means "not known") is None. line: where a missing field is
    reported; where: how an unknown field's message names the record (default: spec.what)."""
    found = reader.fields(node, spec.by_name, where or spec.what)
    complete = reader.require(found, spec.required, line, spec.what)
    values: dict[str, Any] = {}
    for name, (_, value_node) in found.items():
        declared = spec.by_name[name]
        if declared.null_is_unknown and value_node.tag == safeyaml.CORE + "null":
            values[name] = None
            continue
        value = declared.read(reader, name, value_node, sources)
        if value is not None:
            values[name] = value
    return Fields(values, {name: reader.line(key) for name, (key, _) in found.items()}, complete)


def method(name: str) -> Read:
    """A field read by the FieldReader method of that name."""
    return lambda reader, field_name, node, _sources: getattr(reader, name)(field_name, node)


def read_source_key(
    reader: FieldReader, name: str, node: Node, sources: Mapping[str, Source]
) -> Source | None:
    key = reader.key_of(name, node, sources, SOURCES_HINT)
    return sources.get(key) if key else None


def names(allow_empty: bool) -> Read:
    """A list of names (authors, translators) or tags, tags in their slug form."""

    def read(reader: FieldReader, name: str, node: Node, _sources: Mapping[str, Source]) -> Any:
        return read_names(reader, name, node, allow_empty)

    return read


# The most entries a list field may hold: a text is listed on a page per tag, author and
# translator, and each of those pages lists the text's tags, so counts beyond these are mistakes.
MOST_ENTRIES = {"tags": 100, "authors": 50, "translators": 50, "aliases": 100}


def read_names(reader: FieldReader, name: str, node: Node, allow_empty: bool) -> tuple[str, ...] | None:
    items = reader.text_list(name, node, allow_empty=allow_empty)
    if items is not None and len(items) > MOST_ENTRIES.get(name, len(items)):
        reader.error(
            node,
            f"'{name}' lists {len(items)} entries; at most {MOST_ENTRIES[name]} are allowed",
            "keep the ones that matter",
        )
        return None
    if items is None or name not in ("tags", "authors", "translators"):
        return items
    for item, item_node in zip(items, node.value, strict=True):
        if name != "tags" and not slugify_name(item):
            reader.error(item_node, f"'{item}' has no letters or digits to name a page by")
            return None
        if name == "tags" and not is_safe_slug(item):
            suggestion = slugify_name(item)
            reader.error(item_node, f"tag '{item}' is not in its normal form", f"write '{suggestion}'")
            return None
    return items


def read_chain(
    reader: FieldReader, name: str, node: Node, sources: Mapping[str, Source]
) -> tuple[ChainStep, ...] | None:
    """The translation chain: a list of steps, oldest first."""
    if not isinstance(node, SequenceNode) or not node.value:
        reader.error(
            node, "'chain' must be a list of steps, oldest first", "each step: {language: zh, source: key}"
        )
        return None
    steps = [read_chain_step(reader, step, sources) for step in node.value]
    if steps[0] is not None and steps[0].translation is not None:
        reader.error(
            node.value[0],
            "the chain's first step is the original: it has no 'translation'",
            "say how each later step was translated",
        )
        return None
    return None if any(s is None for s in steps) else tuple(s for s in steps if s is not None)


def read_chain_step(reader: FieldReader, node: Node, sources: Mapping[str, Source]) -> ChainStep | None:
    if not isinstance(node, MappingNode):
        reader.error(
            node, "a chain step must be a mapping", "e.g. {language: ru, source: rossiyskaya-gazeta}"
        )
        return None
    values = read_record(reader, node, CHAIN_STEP, sources)
    return ChainStep(**with_day(values)) if values is not None else None


def read_record(
    reader: FieldReader, node: MappingNode, spec: Spec, sources: Mapping[str, Source]
) -> dict[str, Any] | None:
    """The fields of a record within a record (a chain step, a kept file, what the importer
    recorded), or None when any of them is wrong (each error reported)."""
    errors_before = len(reader.diagnostics)
    values, _lines, complete = read_fields(reader, node, spec, sources, reader.line(node))
    return values if complete and len(reader.diagnostics) == errors_before else None


def read_translation(reader: FieldReader, name: str, node: Node, _sources: Mapping[str, Source]) -> Any:
    """How a translation was made: official, human, machine or unknown."""
    return reader.key_of(name, node, TRANSLATIONS, "it is one of " + ", ".join(TRANSLATIONS))


def with_day(values: dict[str, Any]) -> dict[str, Any]:
    """A record's fields with a partial date as its earliest day, and the date as written beside."""
    date = values.get("date")
    if isinstance(date, WrittenDate):
        return {**values, "date": date.earliest, "written_date": date}
    return values


def read_kept_files(reader: FieldReader, name: str, node: Node, sources: Mapping[str, Source]) -> Any:
    """The files of content/files/ kept with the text: a list of {file, description}."""
    example = "{file: facsimile.pdf, description: The 1888 edition}"
    if not isinstance(node, SequenceNode) or not node.value:
        reader.error(node, "'files' must be a list", f"each: {example}")
        return None
    kept = []
    for entry in node.value:
        if not isinstance(entry, MappingNode):
            reader.error(entry, "a file must be a mapping", example)
            return None
        values = read_record(reader, entry, KEPT_FILE, sources)
        if values is None:
            return None
        kept.append(KeptFile(**values, line=reader.line(entry)))
    return tuple(kept)


def read_aliases(reader: FieldReader, name: str, node: Node, _sources: Mapping[str, Source]) -> Any:
    """Old URLs of the text: site paths such as /old/url/ or /old/page.html."""
    items = read_names(reader, name, node, allow_empty=True)
    if items is None:
        return None
    for item, item_node in zip(items, node.value, strict=True):
        if not is_safe_site_path(item) or not (item.endswith("/") or item.endswith(".html")):
            reader.error(
                item_node, f"alias '{item}' is not a safe site path", "write it like /old/url/, in lower case"
            )
            return None
        problem = alias_problem(item)
        if problem:
            reader.error(item_node, f"alias '{item}' {problem}", "choose another old URL or remove it")
            return None
    return items


def read_imported(
    reader: FieldReader, name: str, node: Node, sources: Mapping[str, Source]
) -> Imported | None:
    """What the importer recorded about the file the text came from."""
    if not isinstance(node, MappingNode):
        reader.error(node, "'imported' must be a mapping", "it is written by the importer")
        return None
    values = read_record(reader, node, IMPORTED, sources)
    return Imported(**values) if values is not None else None


def read_per_page(reader: FieldReader, name: str, node: Node, _sources: Mapping[str, Source]) -> int | None:
    value = node.value if isinstance(node, ScalarNode) else ""
    if isinstance(value, str) and value.isdigit() and 1 <= int(value) <= 1000:
        return int(value)
    reader.error(node, "'per_page' must be a whole number from 1 to 1000")
    return None


TEXT, TEXT_LIST, DATE, LANGUAGE, URL, SLUG, BOOLEAN, WRITTEN_DATE = (
    method(name)
    for name in ("text", "text_list", "date", "language", "url", "slug", "boolean", "written_date")
)

ARTICLE = Spec(
    "the front matter",
    (
        Field("title", TEXT, required=True),
        Field("date", WRITTEN_DATE, required=True),
        Field("source", read_source_key, required=True),
        Field("authors", names(allow_empty=False), required=True),
        Field("source_url", URL),
        Field("retrieved", DATE),
        Field("language", LANGUAGE),
        Field("original_language", LANGUAGE),
        Field("original_title", TEXT),
        Field("translators", names(allow_empty=True)),
        Field("translation", read_translation),
        Field("reviewed", BOOLEAN),
        Field("chain", read_chain),
        Field("work", SLUG),
        Field("license", TEXT),
        Field("excerpt", BOOLEAN),
        Field("draft", BOOLEAN),
        Field("tags", names(allow_empty=False)),
        Field("hashtags", names(allow_empty=True)),
        Field("summary", TEXT),
        Field("slug", SLUG),
        Field("aliases", read_aliases),
        Field("notes", TEXT),
        Field("removed", names(allow_empty=True)),
        Field("files", read_kept_files),
        Field("imported", read_imported),
    ),
)
SOURCE = Spec(
    "a source",
    (
        Field("name", TEXT, required=True),
        Field("url", URL, null_is_unknown=True),
        Field("language", LANGUAGE, required=True),
        Field("country", TEXT, null_is_unknown=True),
        Field("description", TEXT, required=True),
    ),
)
CHAIN_STEP = Spec(
    "a chain step",
    (
        Field("language", LANGUAGE, required=True),
        Field("translators", names(allow_empty=True)),
        Field("source", read_source_key),
        Field("date", WRITTEN_DATE),
        Field("note", TEXT),
        Field("translation", read_translation),
    ),
)
KEPT_FILE = Spec(
    "a kept file",
    (
        Field("file", TEXT, required=True),
        Field("description", TEXT, required=True),
    ),
)
IMPORTED = Spec(
    "'imported'",
    (
        Field("file", TEXT, required=True),
        Field("sha256", TEXT, required=True),
        Field("encoding", TEXT, required=True),
        Field("repairs", TEXT_LIST),
        Field("normalised", TEXT_LIST),
    ),
)
SITE = Spec(
    "site.yaml",
    (
        Field("title", TEXT, required=True),
        Field("description", TEXT),
        Field("language", LANGUAGE, required=True),
        Field("base_url", URL, required=True),
        Field("maintainer", TEXT),
        Field("per_page", read_per_page),
    ),
)
