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
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from markupsafe import Markup

from archive.base.records import ExportRows, Job, Output, digest_text
from archive.content.config import SiteConfig
from archive.output.templating import ArchiveEnvironment, read_site_path, site_reads
from archive.site.model import Site, Text

# Of these types the fingerprint is repr: equal reprs, equal values.
SCALARS = (str, int, float, bool, type(None), datetime.date, enum.Enum)
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

    def of(self, value: object) -> str:
        kind = type(value)
        if isinstance(value, Text) and value.stamp:
            return "T" + value.stamp
        if kind is str:
            return repr(value)
        if isinstance(value, SCALARS):
            return f"{kind.__name__}:{value!r}"
        if isinstance(value, Markup):
            return "M" + repr(str(value))
        if kind is bytes:
            return "B" + hashlib.blake2b(value, digest_size=16).hexdigest()  # type: ignore[arg-type]
        known = self.memo.get(id(value))
        if known is not None:
            return known[1]
        made = self.make(value)
        if kind is not tuple or len(value) >= MEMO_FROM:  # type: ignore[arg-type]
            self.memo[id(value)] = (value, made)
        return made

    def make(self, value: object) -> str:
        if value is self.site and self.site is not None:
            return "S" + "".join([self.of(text) for text in self.site.texts])
        if isinstance(value, (tuple, list)):
            return "(" + ",".join([self.of(item) for item in value]) + ")"
        if isinstance(value, dict):
            items = sorted((self.of(k), self.of(v)) for k, v in value.items())
            return "{" + ",".join(f"{k}:{v}" for k, v in items) + "}"
        if isinstance(value, (set, frozenset)):
            return "{" + ",".join(sorted(self.of(item) for item in value)) + "}"
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            parts = [self.of(getattr(value, f.name)) for f in dataclasses.fields(value)]
            return f"{type(value).__qualname__}(" + ",".join(parts) + ")"
        raise TypeError(f"no fingerprint for a {type(value).__qualname__}: make outputs from records")

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

    def job(
        self, path: str, make: Callable[..., Output], *inputs: object, template: str = "", later: bool = False
    ) -> Job:
        """The job of the file at path: make(context, template, *inputs), or make(context,
        *inputs) for a file made without a template."""
        arguments = (template, *inputs) if template else inputs
        site_part = self.site_part(template) if template else ""
        key = self.prints.key(function_name(make), site_part, *arguments)
        return Job(path, self.context_key + key, partial(make, self.context, *arguments), later)

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
