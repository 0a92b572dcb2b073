"""The bundled real texts are their corpus files word for word, minus what they record as removed."""

from __future__ import annotations

import pytest
from conftest import ROOT

from archive.base.records import Article
from archive.content.reader import read_content
from archive.site.markdown import ANCHOR, render_body

CORPUS = ROOT.parent / "shared" / "corpus"  # beside the checkout; tests skip when it is absent
BUNDLED = [
    "xi-2023-forging-ahead-en-opening",
    "xi-2023-forging-ahead-zh-opening",
    "persia-1906-farman-fa",
    "persia-1906-farman-en-browne",
]
NOT_BUNDLED = ["communist-manifesto-en-moore-1888", "kremlin-2019-peoples-daily-interview"]


def article(slug: str) -> Article:
    articles = read_content(ROOT / "content").articles
    return next(a for a in articles if a.slug == slug)


def corpus_lines(name: str) -> list[str]:
    path = CORPUS / f"{name}.txt"
    if not path.is_file():
        pytest.skip(f"{path} is not here")
    return [line for line in path.read_text(encoding="utf-8").split("\n") if line.strip()]


def body_lines(a: Article) -> list[str]:
    """The body's lines without blank lines and alignment anchors (markup of the archive's own)."""
    return [line for line in a.body.split("\n") if line.strip() and not ANCHOR.fullmatch(line.strip())]


def reconstruct(a: Article) -> list[str]:
    """Put the removed lines back: whole lines, or a teaser's tail after the last body line."""
    found = corpus_lines(a.slug)
    body, removed, out = body_lines(a), list(a.removed), []
    for line in found:
        if removed and line == removed[0]:
            out.append(removed.pop(0))
        elif body and removed and line == f"{body[0]} {removed[0]}":
            out.append(f"{body.pop(0)} {removed.pop(0)}")
        elif body:
            out.append(body.pop(0))
    assert not body and not removed, "body or removed lines left over"
    return out


@pytest.mark.parametrize("slug", BUNDLED)
def test_every_body_line_is_a_line_of_the_corpus_file(slug: str) -> None:
    a = article(slug)
    found = corpus_lines(slug)
    tails = [r for r in a.removed if r not in found]
    for line in body_lines(a):
        assert line in found or any(f"{line} {tail}" in found for tail in tails), line


@pytest.mark.parametrize("slug", BUNDLED)
def test_removed_and_body_lines_rebuild_the_corpus_file(slug: str) -> None:
    assert reconstruct(article(slug)) == corpus_lines(slug)


@pytest.mark.parametrize("slug", BUNDLED)
def test_bundled_texts_are_marked_as_excerpts_of_a_work(slug: str) -> None:
    a = article(slug)
    assert a.excerpt and a.work and a.source_url


def test_texts_that_may_not_be_bundled_are_not() -> None:
    bundled = {p.stem for p in (ROOT / "content").rglob("*.md")}
    assert not bundled & set(NOT_BUNDLED)


@pytest.mark.parametrize("name", NOT_BUNDLED)
def test_unbundled_corpus_texts_render_when_present(name: str) -> None:
    corpus_lines(name)  # skips when absent
    body = render_body((CORPUS / f"{name}.txt").read_text(encoding="utf-8"))
    assert body.paragraphs > 1 and len(body.blocks) > 1
