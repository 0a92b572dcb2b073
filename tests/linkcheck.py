"""Offline checker of internal links and anchors in a built site (used by the tests).

Besides href and src it follows meta-refresh targets (alias redirects), the search page's
Pagefind bundle-path and base-url, and, given the site's base URL, every absolute link to the
site itself: canonical links, Open Graph URLs, feed and sitemap links, the data export's URLs.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlsplit

REFRESH = re.compile(r"\d+\s*;\s*url=(.+)", re.I)


class LinkCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, int]] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        line = self.getpos()[0]
        if values.get("id"):
            self.ids.add(values["id"])
        for key in ("href", "src"):
            if key in values:
                self.links.append((values[key], line))
        if tag == "meta" and values.get("http-equiv", "").lower() == "refresh":
            match = REFRESH.fullmatch(values.get("content", ""))
            self.links.append((match.group(1) if match else "(no url in refresh)", line))
        if tag == "meta" and values.get("property") == "og:url":
            self.links.append((values.get("content", ""), line))
        if tag == "search" and "data-indexes" in values:  # the search page's bundles, by language
            base = values.get("data-base", "/")
            for _language, _name, bundles in json.loads(values["data-indexes"]):
                for number, bundle in enumerate(bundles):
                    folder = base + bundle.lstrip("/")
                    self.links.append((folder + "pagefind-entry.json", line))
                    if number == 0:
                        self.links.append((folder + "pagefind.js", line))


def check_site(root: Path, base_path: str = "/", base_url: str | None = None) -> list[str]:
    """Every broken internal link or anchor, as 'page:line: problem'."""
    root = root.resolve()
    pages = {p: LinkCollector() for p in root.rglob("*.html")}
    for path, collector in pages.items():
        collector.feed(path.read_text(encoding="utf-8"))
    errors = []
    for page, collector in pages.items():
        for link, line in collector.links:
            problem = check_link(root, page, local(link, base_url, base_path), base_path, pages)
            if problem:
                errors.append(f"{page.relative_to(root)}:{line}: {problem}")
    if base_url:
        errors += check_machine_links(root, base_url, base_path, pages)
    return errors


def local(link: str, base_url: str | None, base_path: str) -> str:
    """An absolute link to the site itself, as a root-relative one; other links as they are."""
    if base_url and link.startswith(base_url):
        return base_path + link[len(base_url) :]
    return link


def check_machine_links(
    root: Path, base_url: str, base_path: str, pages: dict[Path, LinkCollector]
) -> list[str]:
    """Links in feeds, the sitemap and the data export must all point at built files."""
    found: list[tuple[Path, str]] = []
    for path in root.rglob("*.xml"):
        for element in ET.parse(path).iter():
            if element.get("href"):
                found.append((path, element.get("href", "")))
            if element.tag.endswith("}loc") and element.text:
                found.append((path, element.text))
    data = root / "data" / "articles.json"
    if data.is_file():
        found += [(data, a["url"]) for a in json.loads(data.read_text(encoding="utf-8"))["articles"]]
    errors = []
    for path, link in found:
        if not link.startswith(base_url):
            errors.append(f"{path.relative_to(root)}: not under {base_url}: {link!r}")
            continue
        problem = check_link(root, path, local(link, base_url, base_path), base_path, pages)
        if problem:
            errors.append(f"{path.relative_to(root)}: {problem}")
    return errors


def check_link(root: Path, page: Path, link: str, base_path: str, pages: dict[Path, LinkCollector]) -> str:
    url, fragment = urldefrag(link)
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        return ""
    path = unquote(parts.path)
    if path.startswith("/"):
        if not path.startswith(base_path):
            return f"outside {base_path}: {link!r}"
        target = (root / path[len(base_path) :]).resolve()
    else:
        target = (page.parent / path).resolve() if path else page
    if target.is_dir():
        target = target / "index.html"
    if not target.is_file() or root not in target.parents:
        return f"broken link {link!r}"
    if fragment and target in pages and unquote(fragment) not in pages[target].ids:
        return f"missing anchor {link!r}"
    return ""
