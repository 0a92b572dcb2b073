"""Keys of outputs: a fingerprint of every value a file is made from.

An output is made by a function from its inputs (a text, a page of a list, a work...), in a
context every output of a build shares (code, templates, settings, options: the context key).
Its key is the fingerprint of the inputs it is given, beside the context key and the parts of
the site its template reaches (see templating.site_reads). Nothing is listed by hand: what a
function is given is what its key covers.
"""

from __future__ import annotations

import dataclasses
import datetime
import enum
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from markupsafe import Markup

from archive.base.interface import Interface
from archive.base.records import ExportRows, Job, Output, digest_text
from archive.content.config import SiteConfig
from archive.output.templating import ArchiveEnvironment, read_site_path, site_reads
from archive.site.model import Site, Text

# Of these types the fingerprint is the repr: equal reprs, equal values, and no repr of one
# type is that of another ('1', 1, True, None, datetime.date(...), Markup('1') all differ).
PLAIN = frozenset({str, int, float, bool, type(None), datetime.date, Markup})
TEXTS = {Text}
MEMO_FROM = 8  # tuples at least this long are fingerprinted once per build (lists of texts)


class Fingerprints:
    """Fingerprints of values, each object's made once per build.

    A text is known by its stamp (a digest of its file and of everything it is read with), the
    site by its texts' stamps (it is made from them, the settings and the code, which the
    stamps cover). Everything else is taken apart: dataclasses field by field, tuples, lists,
    dicts and sets item by item, scalars by their repr. A value of any other type is a mistake
    in the code that made the inputs, and raises TypeError.
    """

    def __init__(self, site: Site | None = None) -> None:
        self.site = site
        self.memo: dict[int, tuple[object, str]] = {}  # id -> (the object, kept alive; its print)
        self.field_names: dict[type, tuple[str, ...]] = {}

    def of(self, value: Any) -> str:
        kind = type(value)
        if kind in PLAIN:
            return repr(value)
        if kind is Text and value.stamp:
            return "T" + value.stamp  # type: ignore[no-any-return]
        known = self.memo.get(id(value))
        if known is not None:
            return known[1]
        names = self.field_names.get(kind) if value is not self.site else None
        if names is not None:  # a dataclass of a type met before: the most common case
            made = f"{kind.__qualname__}(" + self.join([getattr(value, name) for name in names]) + ")"
        elif kind is tuple:
            made = self.texts(value) or "(" + self.join(value) + ")"
            if len(value) < MEMO_FROM:
                return made
        else:
            made = self.make(value)
        self.memo[id(value)] = (value, made)
        return made

    def make(self, value: object) -> str:
        if isinstance(value, enum.Enum):
            return repr(value)
        if isinstance(value, bytes):
            return "B" + hashlib.blake2b(value, digest_size=16).hexdigest()
        if value is self.site and self.site is not None:
            return "S" + "".join([self.of(text) for text in self.site.texts])
        if isinstance(value, (tuple, list)):
            return "(" + self.join(value) + ")"
        if isinstance(value, dict):
            items = sorted((self.of(k), self.of(v)) for k, v in value.items())
            return "{" + ",".join(f"{k}:{v}" for k, v in items) + "}"
        if isinstance(value, (set, frozenset)):
            return "{" + ",".join(sorted(self.of(item) for item in value)) + "}"
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            kind = type(value)
            self.field_names[kind] = tuple(f.name for f in dataclasses.fields(value))
            return self.of(value)
        raise TypeError(f"no fingerprint for a {type(value).__qualname__}: make outputs from records")

    @staticmethod
    def texts(values: tuple[Any, ...]) -> str:
        """A tuple of texts, the stamps of all of them in one list (lists of texts are most of
        what pages are made from); '' if values are not all texts with stamps."""
        if not values or set(map(type, values)) != TEXTS:
            return ""
        stamps = [text.stamp for text in values]
        return "" if "" in stamps else "T[" + ",".join(stamps) + "]"

    def join(self, values: Sequence[Any]) -> str:
        """The fingerprints of values, comma-separated: of plain values and texts (lists of
        texts are most of what pages are made from) made here, without a call each."""
        return ",".join(
            [
                repr(v)
                if (kind := type(v)) in PLAIN
                else "T" + v.stamp
                if kind is Text and v.stamp
                else "()"
                if kind is tuple and not v  # most texts' corrections, related texts, files
                else self.of(v)
                for v in values
            ]
        )

    def key(self, *parts: object) -> str:
        """A digest of these values' fingerprints."""
        return digest_text("\0".join([self.of(part) for part in parts]))


def function_name(function: Callable[..., Any]) -> str:
    """The name that tells one output maker from another (its code is in the context key)."""
    return f"{function.__module__}.{function.__qualname__}"


@dataclass(frozen=True)
class RenderContext:
    """What every output of one build is made with: all of it is covered by the context key
    (the code, the templates, the settings, the options), or decided by a text's stamp."""

    config: SiteConfig
    ui: Interface  # the words of the pages, in site.yaml's language (its catalog is in the templates)
    env: ArchiveEnvironment
    site: Site  # for templates alone, which reach it as `site`: what they can read is keyed
    body_of: Callable[[Text], bytes]  # a text's body HTML, as UTF-8
    rows_of: Callable[[Text], ExportRows]  # a text's line and row of the data export
    feed_entries: dict[str, str] = field(default_factory=dict)  # a text's Atom entry, by URL


class OutputKeys:
    """Jobs of one build, each keyed by the context key and by what its maker is given."""

    def __init__(self, context_key: str, context: RenderContext) -> None:
        self.context_key = context_key
        self.context = context
        self.prints = Fingerprints(context.site)
        self.site_parts: dict[str, str] = {}
        self.heads: dict[tuple[Callable[..., Output], str], str] = {}  # (maker, template) -> its part of keys

    def job(
        self, path: str, make: Callable[..., Output], *inputs: object, template: str = "", later: bool = False
    ) -> Job:
        """The job of the file at path: make(context, template, *inputs), or make(context,
        *inputs) for a file made without a template."""
        arguments = (template, *inputs) if template else inputs
        key = digest_text(self.head(make, template) + self.prints.join(arguments))
        return Job(path, key, partial(make, self.context, *arguments), later)

    def text_jobs(
        self, make: Callable[..., Output], texts: Sequence[Text], path_of: Callable[[Text], str]
    ) -> list[Job]:
        """The jobs of files made from one text each, without a template (its citation files):
        the same keys as job(path_of(text), make, text), made in one pass (there are two a text)."""
        head, context, join = self.head(make), self.context, self.prints.join
        return [
            Job(path_of(text), digest_text(head + join((text,))), partial(make, context, text), False)
            for text in texts
        ]

    def head(self, make: Callable[..., Output], template: str = "") -> str:
        """The part of the keys of make's jobs (with template) that they all share: the context
        key, the maker, and what the template can read of the site."""
        head = self.heads.get((make, template))
        if head is None:
            site_part = self.site_part(template) if template else ""
            head = self.heads[make, template] = f"{self.context_key}\0{function_name(make)}\0{site_part}\0"
        return head

    def site_part(self, template: str) -> str:
        """The fingerprint of what template can read of the site (the whole site if it cannot be told)."""
        if template not in self.site_parts:
            env, site = self.context.env, self.context.site
            reads = site_reads(env, template)
            if reads is None:
                self.site_parts[template] = self.prints.of(site)
            else:
                values = [(path, read_site_path(env, site, path)) for path in sorted(reads)]
                self.site_parts[template] = self.prints.key(*values)
        return self.site_parts[template]
