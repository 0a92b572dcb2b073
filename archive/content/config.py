"""SiteConfig from content/site.yaml, with command-line overrides."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from yaml.nodes import MappingNode, Node, ScalarNode

from archive.base.diagnostics import Diagnostic
from archive.content.schema import FieldReader, read_yaml_file

SITE_FIELDS = ("title", "description", "language", "base_url", "maintainer", "per_page")
REQUIRED_SITE_FIELDS = ("title", "language", "base_url")


@dataclass(frozen=True)
class SiteConfig:
    """The site-wide settings."""

    title: str = "Archive of translated texts"
    description: str = ""
    language: str = "en"
    base_url: str = "http://localhost:8000/"
    maintainer: str = ""
    per_page: int = 20

    def with_base_url(self, base_url: str | None) -> SiteConfig:
        """The same settings with another base URL (from --base-url), if one is given."""
        if not base_url:
            return self
        return replace(self, base_url=base_url if base_url.endswith("/") else base_url + "/")


def read_config(path: Path) -> tuple[SiteConfig, list[Diagnostic]]:
    """Read site.yaml; on errors return the defaults and the diagnostics."""
    reader = FieldReader(path, 1)
    if not path.is_file():
        reader.error(1, "site.yaml is missing", "create it with title, language and base_url")
        return SiteConfig(), reader.diagnostics
    node = read_yaml_file(path, reader)
    if node is None and reader.diagnostics:
        return SiteConfig(), reader.diagnostics
    if not isinstance(node, MappingNode):
        reader.error(1, "site.yaml must be a mapping of settings (name: value)")
        return SiteConfig(), reader.diagnostics
    return read_settings(reader, node), reader.diagnostics


def read_settings(reader: FieldReader, node: MappingNode) -> SiteConfig:
    found = reader.fields(node, SITE_FIELDS, "site.yaml")
    reader.require(found, REQUIRED_SITE_FIELDS, 1, "site.yaml")
    values: dict[str, object] = {}
    for name, (_, value_node) in found.items():
        value: str | int | None
        if name == "language":
            value = reader.language(name, value_node)
        elif name == "base_url":
            value = reader.url(name, value_node)
        elif name == "per_page":
            value = read_per_page(reader, value_node)
        else:
            value = reader.text(name, value_node)
        if value is not None:
            values[name] = value
    config = SiteConfig(**values)  # type: ignore[arg-type]
    return config.with_base_url(config.base_url)


def read_per_page(reader: FieldReader, node: Node) -> int | None:
    value = node.value if isinstance(node, ScalarNode) else ""
    if isinstance(value, str) and value.isdigit() and 1 <= int(value) <= 1000:
        return int(value)
    reader.error(node, "'per_page' must be a whole number from 1 to 1000")
    return None
