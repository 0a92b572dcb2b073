"""Offline checker of internal links and anchors in a built site (used by the tests)."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlsplit


class LinkCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, int]] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(str(values["id"]))
        for key in ("href", "src"):
            if values.get(key) is not None:
                self.links.append((str(values[key]), self.getpos()[0]))


def check_site(root: Path, base_path: str = "/") -> list[str]:
    """Every broken internal link or anchor, as 'page:line: problem'."""
    root = root.resolve()
    pages = {p: LinkCollector() for p in root.rglob("*.html")}
    for path, collector in pages.items():
        collector.feed(path.read_text(encoding="utf-8"))
    errors = []
    for page, collector in pages.items():
        for link, line in collector.links:
            problem = check_link(root, page, link, base_path, pages)
            if problem:
                errors.append(f"{page.relative_to(root)}:{line}: {problem}")
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
