"""SiteConfig from content/site.yaml, with command-line overrides."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from yaml.nodes import MappingNode

from archive.base.diagnostics import Diagnostic
from archive.content import fields
from archive.content.fields import read_fields
from archive.content.schema import FieldReader, read_yaml_file


@dataclass(frozen=True)
class SiteConfig:
    """The site-wide settings."""

    title: str = "Archive of translated texts"
    description: str = ""
    language: str = "en"
    base_url: str = "http://localhost:8000/"
    maintainer: str = ""
    per_page: int = 20
    relative_urls: bool = False  # build --relative-urls: pages that work from any folder

    def with_base_url(self, base_url: str | None) -> SiteConfig:
        """The same settings with another base URL (from --base-url), if one is given."""
        if not base_url:
            return self
        return replace(self, base_url=base_url if base_url.endswith("/") else base_url + "/")


def read_config(path: Path) -> tuple[SiteConfig, list[Diagnostic]]:
    """Read site.yaml; on errors return the defaults and the diagnostics."""
    reader = FieldReader(path, 1)
    if not path.exists():
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
    values, _lines, _complete = read_fields(reader, node, fields.SITE, {}, 1)
    config = SiteConfig(**values)
    return config.with_base_url(config.base_url)
