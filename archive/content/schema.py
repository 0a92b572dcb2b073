"""Field-by-field validation of YAML nodes into plain values, collecting diagnostics."""

from __future__ import annotations

import datetime
import difflib
import os
import stat
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from archive.base import urls
from archive.base.dates import MONTHS, NotADate, WrittenDate, read_written_date
from archive.base.diagnostics import Diagnostic, display_path
from archive.base.languages import standard_form, suggest_language
from archive.content import safeyaml

UTF16_32_BOMS = (
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)
# Lines kept word for word from a copy: one that starts with "TODO" is a real line, not a blank to fill.
VERBATIM_FIELDS = {"removed", "hashtags"}
LOOSE_DATE_FORMATS = ("%d %B %Y", "%B %d, %Y", "%B %d %Y", "%d %b %Y", "%b %d, %Y", "%d.%m.%Y")


@dataclass
class FieldReader:
    """Reads values out of YAML nodes of one file, recording every problem it meets."""

    file: str | Path  # as found; messages show it as display_path does
    first_line: int  # the file line of the YAML text's first line
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def line(self, node: Node) -> int:
        return self.first_line + node.start_mark.line

    def error(self, node: Node | int, message: str, hint: str = "") -> None:
        line = node if isinstance(node, int) else self.line(node)
        self.diagnostics.append(Diagnostic(display_path(self.file), line, message, hint))

    def text(self, name: str, node: Node, allow_todo: bool = False, quote_hint: str = "") -> str | None:
        """A non-empty string, refusing values YAML silently turned into something else."""
        if not isinstance(node, ScalarNode):
            self.error(node, f"'{name}' must be text, not {safeyaml.type_name(node)}")
            return None
        value = self.scalar(name, node, quote_hint)
        if value is None:
            return None
        text = value if isinstance(value, str) else node.value
        if not text.strip():
            self.error(node, f"'{name}' is empty", "fill it in or remove the field")
            return None
        if text.startswith("TODO") and not allow_todo:
            self.error(node, f"'{name}' is still a TODO: {text}", "fill in what the importer could not know")
            return None
        return text

    def scalar(self, name: str, node: ScalarNode, quote_hint: str = "") -> Any:
        """The value of a scalar; None (with a diagnostic) where YAML changed its meaning."""
        if node.tag == safeyaml.CORE + "str":
            return node.value
        if node.tag == safeyaml.CORE + "null":
            return ""
        try:
            value = safeyaml.construct_scalar(node)
        except ValueError:
            value = None
        if value is None or str(value) != node.value:
            shown = "empty" if value is None else repr(value)
            self.error(
                node,
                f"'{name}': YAML reads {node.value} as {safeyaml.type_name(node)} ({shown}), not text",
                quote_hint or f'put it in quotes: {name}: "{node.value}"',
            )
            return None
        return value

    def text_list(self, name: str, node: Node, allow_empty: bool = True) -> tuple[str, ...] | None:
        """A list of non-empty strings."""
        if not isinstance(node, SequenceNode):
            example = node.value if isinstance(node, ScalarNode) else "..."
            self.error(node, f"'{name}' must be a list", f"write {name}: [{example}]")
            return None
        if not node.value and not allow_empty:
            self.error(node, f"'{name}' is an empty list", f"list at least one, or remove '{name}'")
            return None
        items = [self.list_item(name, item) for item in node.value]
        return None if any(item is None for item in items) else tuple(str(i) for i in items)

    def list_item(self, name: str, node: Node) -> str | None:
        """One entry of a list of texts: an empty entry is a mistake, not an unknown."""
        if isinstance(node, ScalarNode) and (node.tag == safeyaml.CORE + "null" or not node.value.strip()):
            self.error(node, f"'{name}' has an empty entry", "remove it from the list or fill it in")
            return None
        hint = f'put it in quotes: "{getattr(node, "value", "")}"'
        return self.text(name, node, allow_todo=name in VERBATIM_FIELDS, quote_hint=hint)

    def date(self, name: str, node: Node) -> datetime.date | None:
        """A real calendar date written YYYY-MM-DD."""
        value = self.dated_scalar(name, node, "a date written YYYY-MM-DD")
        if value is None or isinstance(value, datetime.date):
            return value
        return self.date_from_text(name, node, str(value))

    def date_from_text(self, name: str, node: Node, text: str) -> datetime.date | None:
        if text.startswith("TODO"):
            self.error(node, f"'{name}' is still a TODO: {text}", "fill in the date, YYYY-MM-DD")
            return None
        try:
            return datetime.date.fromisoformat(text)
        except ValueError:
            pass
        suggestion = guess_iso_date(text)
        hint = f"write {suggestion}" if suggestion else "dates are YYYY-MM-DD"
        self.error(node, f"'{name}': '{text}' is not a date in the form YYYY-MM-DD", hint)
        return None

    def written_date(self, name: str, node: Node) -> datetime.date | WrittenDate | None:
        """A day, or a month, a year, a span, circa... written in EDTF (base/dates.py)."""
        wanted = "a date: YYYY-MM-DD, or YYYY-MM, YYYY, 1847~, 1917-10/1917-11"
        value = self.dated_scalar(name, node, wanted)
        if value is None or isinstance(value, datetime.date):
            return value
        text = str(node.value)  # as written: YAML reads 1888 as a number
        if text.startswith("TODO"):
            return self.date_from_text(name, node, text)
        try:
            return read_written_date(text)
        except NotADate as problem:
            self.error(node, f"'{name}': {problem}", partial_date_hint(text))
            return None

    def dated_scalar(self, name: str, node: Node, wanted: str) -> object:
        """The value YAML reads from a date's node: a date, or the scalar it is; None (with an
        error) for a null, a list or mapping, a time, or a date that is not real."""
        if not isinstance(node, ScalarNode) or node.tag == safeyaml.CORE + "null":
            self.error(node, f"'{name}' must be {wanted}")
            return None
        try:
            value = safeyaml.construct_scalar(node)
        except ValueError:
            self.error(node, f"'{name}': {node.value} is not a real date", "dates are YYYY-MM-DD")
            return None
        if isinstance(value, datetime.datetime):
            self.error(node, f"'{name}': give a date without a time", f"write {value.date()}")
            return None
        return value

    def boolean(self, name: str, node: Node) -> bool | None:
        if isinstance(node, ScalarNode) and node.tag == safeyaml.CORE + "bool":
            return bool(safeyaml.construct_scalar(node))
        self.error(node, f"'{name}' must be true or false")
        return None

    def language(self, name: str, node: Node) -> str | None:
        """A valid BCP 47 language tag in its standard form."""
        text = self.text(name, node)
        if text is None:
            return None
        standard = standard_form(text)
        if standard is None:
            hint = suggest_language(text)
            self.error(node, f"'{name}': '{text}' is not a BCP 47 language code", hint)
            return None
        if standard != text:
            self.error(node, f"'{name}': write '{standard}', the standard form of '{text}'")
            return None
        return text

    def url(self, name: str, node: Node) -> str | None:
        """An absolute http(s) URL."""
        text = self.text(name, node)
        if text is None:
            return None
        if not urls.is_web_url(text):
            self.error(
                node, f"'{name}': '{text}' is not an http(s) URL", "write the full address, https://..."
            )
            return None
        return text

    def slug(self, name: str, node: Node) -> str | None:
        """A lower-case ASCII slug: words joined by hyphens."""
        text = self.text(name, node)
        if text is None:
            return None
        if not urls.is_safe_slug(text):
            suggestion = urls.slugify_name(text)
            hint = f"write '{suggestion}'" if suggestion else "use a-z, 0-9 and hyphens"
            self.error(node, f"'{name}': '{text}' is not a safe slug (lower-case a-z, 0-9, hyphens)", hint)
            return None
        return text

    def key_of(self, name: str, node: Node, known: Collection[str], where: str) -> str | None:
        """A key that must exist in a registry, with a 'did you mean' when it does not."""
        text = self.text(name, node)
        if text is None:
            return None
        if text not in known:
            self.error(node, f"unknown {name} '{text}'", did_you_mean(text, known, where))
            return None
        return text

    def fields(self, node: MappingNode, allowed: Collection[str], what: str) -> dict[str, tuple[Node, Node]]:
        """The mapping's fields by name, reporting unknown and repeated ones."""
        found: dict[str, tuple[Node, Node]] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, ScalarNode) else None
            if not isinstance(key, str) or key_node.tag != safeyaml.CORE + "str":
                self.error(key_node, f"field names must be text (in {what})")
            elif key in found:
                self.error(key_node, f"field '{key}' is given twice", "keep one of them")
            elif key not in allowed:
                self.error(key_node, f"unknown field '{key}' in {what}", did_you_mean(key, allowed, ""))
            else:
                found[key] = (key_node, value_node)
        return found

    def require(self, found: dict[str, Any], required: Collection[str], line: int, what: str) -> bool:
        missing = [name for name in required if name not in found]
        for name in missing:
            self.error(line, f"missing required field '{name}' in {what}")
        return not missing


def decode_text(data: bytes, reader: FieldReader) -> str | None:
    """Decode UTF-8 text, refusing binary files; a byte-order mark is dropped."""
    for bom, name in UTF16_32_BOMS:
        if data.startswith(bom):
            reader.error(1, f"the file is {name}, not UTF-8", "save the file as UTF-8")
            return None
    if b"\0" in data:
        reader.error(1, "not a text file (it contains NUL bytes)", "only UTF-8 Markdown files belong here")
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        byte = data[error.start]
        reader.error(line, f"not valid UTF-8 (byte 0x{byte:02x})", "save the file as UTF-8")
        return None
    text = text.removeprefix("\ufeff")
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def read_yaml_file(path: Path, reader: FieldReader) -> Node | None:
    """Compose a whole YAML file, reporting what makes it unreadable."""
    if not path.exists():
        reader.error(1, f"{path.name} is missing")
        return None
    try:
        data = read_settings_file(path)
    except OSError as error:
        reader.error(
            1, f"{path.name} cannot be read: {error.strerror or error}", "it must be a readable regular file"
        )
        return None
    text = decode_text(data, reader)
    if text is None:
        return None
    try:
        return safeyaml.compose(text)
    except safeyaml.YamlProblem as problem:
        reader.error(problem.line + 1, problem.message, problem.hint)
        return None


SETTINGS_LIMIT = 16 << 20  # bytes: a settings file larger than this is a mistake


def read_settings_file(path: Path) -> bytes:
    """The bytes of a settings file: a regular file of a sane size (a device or a pipe could be
    read without end). Raise OSError with its reason."""
    with path.open("rb") as file:
        if not stat.S_ISREG(os.fstat(file.fileno()).st_mode):
            raise OSError(0, "it is not a regular file (a device, a pipe or a folder)")
        data = file.read(SETTINGS_LIMIT + 1)
    if len(data) > SETTINGS_LIMIT:
        raise OSError(0, f"it is larger than {SETTINGS_LIMIT >> 20} MB")
    return data


def did_you_mean(text: str, known: Collection[str], where: str) -> str:
    """A hint naming the closest known name, and where the known names live."""
    close = difflib.get_close_matches(text, sorted(known), n=1, cutoff=0.6)
    parts = [f"did you mean '{close[0]}'?"] if close else []
    if where:
        parts.append(where)
    return " ".join(parts)


def partial_date_hint(text: str) -> str:
    """How to write a date that was not understood: 'write 1847~' for 'c. 1847'..."""
    iso = guess_iso_date(text)
    if iso:
        return f"write {iso}"
    words = text.strip().rstrip(".").split()
    if len(words) == 2 and words[0].lower() in ("c.", "ca.", "circa", "c") and words[1].isdigit():
        return f"write {words[1]}~ (circa)"
    months = [m.lower() for m in MONTHS]
    if len(words) == 2 and words[0].lower() in months and words[1].isdigit():
        return f"write {words[1]}-{months.index(words[0].lower()) + 1:02d}"
    return "write YYYY-MM-DD, or YYYY-MM, YYYY, 1847~ (circa), 1845? (uncertain), 1917-10/1917-11 (a span)"


def guess_iso_date(text: str) -> str:
    """The ISO form of a date written in a common other way, or ''."""
    for pattern in LOOSE_DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text.strip(), pattern).date().isoformat()
        except ValueError:
            continue
    return ""
