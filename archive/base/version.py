"""The version of everything a build's output depends on besides its inputs: the archive's
code, its dependencies and Python."""

from __future__ import annotations

import hashlib
import os
import re
import sys
from functools import cache
from pathlib import Path

DEPENDENCIES = (
    *("markdown-it-py", "markdown-it-pyrs", "mdit-py-plugins", "jinja2", "markupsafe", "pyyaml", "langcodes"),
    *("language_data", "python-slugify", "text-unidecode", "pagefind", "imagesize", "babel"),
)


@cache
def code_version() -> str:
    """A digest of the archive's code, its dependencies' versions and Python's."""
    h = hashlib.sha256(sys.version.encode())
    package = Path(__file__).resolve().parent.parent
    for path in sorted(package.rglob("*.py")):
        h.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    installed = installed_versions()
    for name in DEPENDENCIES:
        h.update(f"{name}={installed.get(project_key(name)) or metadata_version(name)}".encode())
    return h.hexdigest()[:32]


def installed_versions() -> dict[str, str]:
    """Project -> version, from the names of the .dist-info folders on sys.path (the first wins,
    as for imports): a listing of a few folders, where importlib.metadata would take longer
    to import than the rest of a small rebuild's reading."""
    found: dict[str, str] = {}
    for folder in sys.path:
        try:
            names = os.listdir(folder or ".")
        except OSError:
            continue
        for name in names:
            if name.endswith(".dist-info"):
                project, _, version = name.removesuffix(".dist-info").partition("-")
                found.setdefault(project_key(project), version)
    return found


def project_key(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def metadata_version(name: str) -> str:
    """The version importlib.metadata finds (an egg or other layout), or 'none'."""
    import importlib.metadata

    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "none"
