"""Static files -> content-hashed outputs, and the mapping templates use to name them."""

from __future__ import annotations

import hashlib
import posixpath
from dataclasses import dataclass, field
from pathlib import Path

from archive.base import urls
from archive.base.records import Output

HASH_LENGTH = 8


@dataclass(frozen=True)
class Assets:
    """The static files to write, and each file's original name -> its hashed site URL."""

    outputs: tuple[Output, ...] = ()
    urls: dict[str, str] = field(default_factory=dict)


def hashed_name(name: str, data: bytes) -> str:
    """'css/style.css' -> 'css/style.3f2a9c1b.css': the name changes whenever the bytes do."""
    digest = hashlib.sha256(data).hexdigest()[:HASH_LENGTH]
    stem, extension = posixpath.splitext(name)
    return f"{stem}.{digest}{extension}"


def hash_assets(templates_dir: Path) -> Assets:
    """Every file of templates/static under a content-hashed name, so it can be cached for ever."""
    static = templates_dir / "static"
    files = sorted(p for p in static.rglob("*") if p.is_file()) if static.is_dir() else []
    outputs, mapping = [], {}
    for path in files:
        name = path.relative_to(static).as_posix()
        data = path.read_bytes()
        url = urls.static_url(hashed_name(name, data))
        outputs.append(Output(url.lstrip("/"), data))
        mapping[name] = url
    return Assets(tuple(outputs), mapping)
