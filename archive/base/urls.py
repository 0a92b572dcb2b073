"""Slugs and the URL scheme of DESIGN.md: the one place that knows URLs."""

from __future__ import annotations

import re
from functools import cache
from urllib.parse import urlsplit

SLUG_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
SITE_PATH_PATTERN = re.compile(r"(?:/[a-z0-9][a-z0-9._-]*)*/?")
# ASCII characters that a URL may not contain as they are (RFC 3986); anything else is kept.
WHITE_SPACE = re.compile(r"\s")  # str.isspace's characters
URL_ILLEGAL = re.compile(r'[\x00-\x20"<>\\^`{|}\x7f]')


def is_safe_slug(text: str) -> bool:
    """Say whether text is lower-case ASCII words joined by single hyphens."""
    return SLUG_PATTERN.fullmatch(text) is not None


# Names recur on thousands of texts, and transliterating one is slow: each is slugified once,
# and the build cache keeps what is known here from one build to the next.
KNOWN_SLUGS: dict[tuple[str, int], str] = {}


def slugify_name(name: str, max_length: int = 80) -> str:
    """Turn a name in any script into an ASCII slug ('习近平' -> 'xi-jin-ping')."""
    slug = KNOWN_SLUGS.get((name, max_length))
    if slug is None:
        from slugify import slugify  # imported only for a name no build has met yet

        # One transliteration everywhere: slugs must not change with whichever optional package is installed.
        slug = str(slugify(name, max_length=max_length, word_boundary=True, backend="text-unidecode"))
        KNOWN_SLUGS[name, max_length] = slug
    return slug


def paged(url: str, page: int) -> str:
    """The URL of page `page` of a list whose first page is `url`."""
    return url if page == 1 else f"{url}page/{page}/"


def home_url() -> str:
    return "/"


def article_url(slug: str) -> str:
    return f"/articles/{slug}/"


def cite_url(slug: str, extension: str) -> str:
    """A text's citation file: 'json' (CSL-JSON) or 'ris'."""
    return f"/articles/{slug}/cite.{extension}"


def changes_url() -> str:
    return "/changes/"


def changes_feed_url() -> str:
    return "/changes/feed.xml"


def tags_url() -> str:
    return "/tags/"


def tag_url(slug: str, page: int = 1) -> str:
    return paged(f"/tags/{slug}/", page)


def sources_url() -> str:
    return "/sources/"


def source_url(key: str, page: int = 1) -> str:
    return paged(f"/sources/{key}/", page)


def not_found_url() -> str:
    return "/404.html"


def static_url(name: str) -> str:
    return f"/static/{name}"


def is_safe_site_path(url: str) -> bool:
    """Say whether a site-absolute URL path stays inside the site and is lower-case."""
    if not url.startswith("/") or "//" in url or "\\" in url:
        return False
    return SITE_PATH_PATTERN.fullmatch(url) is not None  # segments start with a letter or digit: no . or ..


# Files and folders at the site's root that the build writes itself.
RESERVED_AT_ROOT = {
    "index.html",
    "404.html",
    "feed.xml",
    "sitemap.xml",
    "robots.txt",
    "data",
    "static",
    "pagefind",
    "search",
    "files",
}


def alias_problem(alias: str) -> str:
    """Why an old URL cannot get a redirect page, or ''."""
    segments = [s for s in alias.split("/") if s]
    if not segments:
        return "is the home page"
    if segments[0] in RESERVED_AT_ROOT:
        return f"would replace /{segments[0]}, which the archive writes itself"
    folders = segments if alias.endswith("/") else segments[:-1]
    if any("." in folder for folder in folders):
        return "has a folder whose name looks like a file (a dot in it)"
    return ""


@cache  # each text's URL is mapped three times a build (its claim, its page, its redirects)
def output_path(url: str) -> str:
    """Map a site URL to the file that serves it: '/tags/' -> 'tags/index.html'."""
    if not is_safe_site_path(url):
        raise ValueError(f"unsafe site path: {url!r}")
    path = url.lstrip("/")  # already normal: no empty, '.' or '..' segment
    if path == "" or path.endswith("/"):
        path += "index.html"
    return path


def base_path(base_url: str) -> str:
    """The path part of a base URL, always with slashes at both ends."""
    path = urlsplit(base_url).path or "/"
    return path if path.endswith("/") else path + "/"


def href(url: str, base: str) -> str:
    """Apply the base path to a site URL: ('/tags/', '/archive/') -> '/archive/tags/'."""
    if not url.startswith("/"):
        return url
    return base + url[1:]


def is_web_url(text: str) -> bool:
    """Say whether text is an absolute http(s) URL with a host and no white space."""
    parts = urlsplit(text)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and WHITE_SPACE.search(text) is None


def external(url: str) -> str:
    """Percent-encode what may not stand in a URL ('/a/{{x}}' -> '/a/%7B%7Bx%7D%7D'), as browsers do."""
    return URL_ILLEGAL.sub(lambda match: f"%{ord(match.group()):02X}", url)


def absolute(url: str, base_url: str) -> str:
    """Make a site URL absolute against the site's base URL."""
    root = base_url if base_url.endswith("/") else base_url + "/"
    return root + url.lstrip("/")


def authors_url() -> str:
    return "/authors/"


def author_url(slug: str, page: int = 1) -> str:
    return paged(f"/authors/{slug}/", page)


def translators_url() -> str:
    return "/translators/"


def translator_url(slug: str, page: int = 1) -> str:
    return paged(f"/translators/{slug}/", page)


def languages_url() -> str:
    return "/languages/"


def language_url(code: str, page: int = 1) -> str:
    return paged(f"/languages/{code.lower()}/", page)


def years_url() -> str:
    return "/years/"


def year_url(year: str, page: int = 1) -> str:
    return paged(f"/years/{year}/", page)


def month_url(year: str, month: str, page: int = 1) -> str:
    """A month's list, under its year: /years/2023/03/."""
    return paged(f"/years/{year}/{month}/", page)


def translations_url() -> str:
    return "/translations/"


def translation_url(kind: str, page: int = 1) -> str:
    return paged(f"/translations/{kind}/", page)


def works_url() -> str:
    return "/works/"


def work_url(key: str) -> str:
    return f"/works/{key}/"


def search_url() -> str:
    return "/search/"


def search_bundle_url() -> str:
    """The folder Pagefind writes its index and UI into."""
    return "/pagefind/"


def feed_url() -> str:
    return "/feed.xml"


def tag_feed_url(slug: str) -> str:
    return f"/tags/{slug}/feed.xml"


def source_feed_url(key: str) -> str:
    return f"/sources/{key}/feed.xml"


def sitemap_url() -> str:
    return "/sitemap.xml"


def robots_url() -> str:
    return "/robots.txt"


def data_url(name: str) -> str:
    return f"/data/{name}"
