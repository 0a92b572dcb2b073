"""Site model -> HTML: every value escaped, StrictUndefined, language attributes."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import ARTICLE, ROOT, TEMPLATES, WriteTree, minimal_content

from archive.build.pipeline import BuildOptions, build

HOSTILE = (
    ARTICLE.replace("title: A Text", "title: '</title><script>alert(1)</script>'")
    .replace("authors: [Xi Jinping]", "authors: ['<img src=x onerror=alert(1)>']")
    .replace("---\n\n", "summary: '\" onmouseover=\"alert(1)'\ntags: [china]\n---\n\n", 1)
    + "\n<b>bold</b> [x](javascript:alert(1))\n"
)


@pytest.fixture
def hostile_site(write_tree: WriteTree) -> Path:
    root = write_tree(minimal_content(**{"a-text": HOSTILE}))
    build(BuildOptions(root / "content", root / "_site", TEMPLATES))
    return root / "_site"


def test_front_matter_values_are_escaped_everywhere(hostile_site: Path) -> None:
    for page in hostile_site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "<script>alert" not in text, page
        assert "<img src=x" not in text, page
        assert '" onmouseover="' not in text, page


def test_body_html_and_script_links_are_inert(hostile_site: Path) -> None:
    page = (hostile_site / "articles/a-text/index.html").read_text(encoding="utf-8")
    assert "&lt;b&gt;bold&lt;/b&gt;" in page
    assert "javascript:" not in page.split("data-pagefind-body>")[1].split('href="javascript')[0] or (
        'href="javascript' not in page
    )
    assert 'href="javascript' not in page


def test_pages_are_in_the_site_language(hostile_site: Path) -> None:
    assert '<html lang="en" dir="ltr">' in (hostile_site / "index.html").read_text(encoding="utf-8")


def test_json_ld_stays_inert_and_parses_back_with_a_hostile_title(hostile_site: Path) -> None:
    page = (hostile_site / "articles/a-text/index.html").read_text(encoding="utf-8")
    raw = page.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert "<" not in raw and ">" not in raw
    assert json.loads(raw)["headline"] == "</title><script>alert(1)</script>"


def test_json_ld_escapes_comment_and_cdata_openers(write_tree: WriteTree) -> None:
    title = "title: 'A <!-- b ]]> & </script>'"
    root = write_tree(minimal_content(**{"a-text": ARTICLE.replace("title: A Text", title)}))
    build(BuildOptions(root / "content", root / "_site", TEMPLATES))
    page = (root / "_site/articles/a-text/index.html").read_text(encoding="utf-8")
    raw = page.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert "<!--" not in raw and "]]>" not in raw and "&" not in raw
    assert json.loads(raw)["headline"] == "A <!-- b ]]> & </script>"


def test_aliases_redirect_to_the_text(write_tree: WriteTree) -> None:
    article = ARTICLE.replace("authors:", "aliases: [/old/text/, /old/text.html]\nauthors:")
    root = write_tree(minimal_content(**{"a-text": article}))
    build(BuildOptions(root / "content", root / "_site", TEMPLATES, base_url="https://example.org/archive/"))
    for path in ["old/text/index.html", "old/text.html"]:
        page = (root / "_site" / path).read_text(encoding="utf-8")
        assert '<meta http-equiv="refresh" content="0; url=/archive/articles/a-text/">' in page
        assert '<link rel="canonical" href="https://example.org/archive/articles/a-text/">' in page
        assert '<a href="/archive/articles/a-text/"><bdi>A Text</bdi></a>' in page


def test_a_template_that_reads_the_body_gets_the_body_itself(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    article = templates / "article.html"
    counted = '<p id="length">{{ page.body | length }}</p>{{ page.body }}'
    article.write_text(article.read_text().replace("{{ page.body }}", counted))
    out = tmp_path / "_site"
    build(BuildOptions(ROOT / "content", out, templates, search=False, cache_dir=tmp_path / ".cache"))
    page = (out / "articles/xi-2023-op-ed/index.html").read_text()
    found = re.search(r'<p id="length">(\d+)</p>', page)
    assert found
    body = page[found.end() : page.index("\n  </div>", found.end())]
    assert body.startswith('<p id="p1">') and int(found[1]) == len(body) > 5000
