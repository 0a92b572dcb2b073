"""Portable pages (build --relative-urls): every link, asset and feed link of an HTML page made
relative to the page itself, so that the folder works from file://, from a USB stick, under any
sub-path and under an IPFS gateway's /ipfs/<hash>/, wherever it is put.

Links to a folder name its index.html: without a web server nothing turns '/tags/' into
'/tags/index.html'. Absolute URLs (canonical links, Open Graph, feeds' contents, citations)
stay absolute: they name the archive's home, not the copy.
"""

from __future__ import annotations

import posixpath
import re

# A site-absolute address in an attribute a browser follows or loads, or in a refresh's URL.
LINKED = re.compile(
    rb'(\s(?:href|src|action|data-base)="|<meta http-equiv="refresh" content="\d+; url=)(/[^"/][^"]*|/)"'
)


def relative_url(url: str, base_path: str, page_path: str, index: bool = True) -> str:
    """A site address under base_path, as a path relative to the page written at page_path
    (a path inside the output folder): ('/archive/tags/', '/archive/', 'articles/a/index.html')
    -> '../../tags/index.html' ('../../tags/' without index, for a script that adds to it). An
    address outside base_path is left as it is."""
    if not url.startswith(base_path):
        return url
    path, mark, rest = url[len(base_path) :].partition("#")
    path, query_mark, query = path.partition("?")
    folder = posixpath.dirname(page_path) or "."
    if path and not path.endswith("/"):
        relative = posixpath.relpath(path, folder)
    elif index:
        relative = posixpath.relpath(path + "index.html", folder)
    else:
        relative = posixpath.relpath(path or ".", folder) + "/"
    return relative + (query_mark + query) + (mark + rest)


def relative_links(html: bytes, base_path: str, page_path: str) -> bytes:
    """The page with its site-absolute links made relative (see relative_url)."""

    def replace(match: re.Match[bytes]) -> bytes:
        url = match.group(2).decode("utf-8")
        index = not match.group(1).endswith(b'data-base="')  # the search page's root, for its script
        return match.group(1) + relative_url(url, base_path, page_path, index).encode("utf-8") + b'"'

    return LINKED.sub(replace, html)
