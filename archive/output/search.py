"""The written site -> a Pagefind search index inside it, one index for every language."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from archive.base import urls
from archive.base.languages import describe
from archive.site.model import Site

# Pagefind splits Chinese and Japanese into words only when the whole index is in such a
# language (and with its extended binary); whitespace-separated scripts are found either way.
SEGMENTED_LANGUAGE = "zh"


class SearchIndexError(RuntimeError):
    """Pagefind could not index the site; the previous output stays as it was."""


def index_language(site: Site) -> str:
    """The one language the index is built in, so a search from any page finds every text."""
    if any(describe(text.article.language).is_cjk for text in site.texts):
        return SEGMENTED_LANGUAGE
    return site.config.language


def index_command(folder: Path, language: str) -> list[str]:
    """Pagefind's bundled binary, run on the whole folder at once (per-page calls are slow)."""
    return [
        sys.executable,
        "-m",
        "pagefind",
        "--site",
        str(folder),
        "--output-subdir",
        urls.search_bundle_url().strip("/"),
        "--force-language",
        language,
        "--silent",
    ]


def index_site(folder: Path, language: str) -> None:
    """Index every page marked data-pagefind-body in folder; raise SearchIndexError on failure."""
    result = subprocess.run(index_command(folder, language), capture_output=True, text=True, check=False)
    bundle = folder / urls.search_bundle_url().strip("/") / "pagefind.js"
    if result.returncode != 0 or not bundle.is_file():
        detail = (result.stderr or result.stdout).strip() or f"exit status {result.returncode}"
        raise SearchIndexError(f"the search index could not be built: {detail}")
