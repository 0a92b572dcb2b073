"""A small site built and compared file by file with its checked-in copy.

The copy is built without the search index: Pagefind 1.5.2 names some filter files after a
hash that changes from run to run, so its output is not byte-stable.

After a deliberate change to the templates or the pipeline, regenerate the copy with
`UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py` and read the diff before committing.
"""

from __future__ import annotations

import difflib
import os
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import ROOT, TEMPLATES

from archive.build.pipeline import BuildOptions, build

GOLDEN = ROOT / "tests" / "golden"


def files_of(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


HELD_BACK = ["articles/unfinished/index.html", "articles/far-future/index.html"]


def test_golden_pages_of_texts_held_back_when_a_build_shows_them(tmp_path: Path) -> None:
    """The draft and the text dated far ahead, as `build --drafts --future` (and serve) shows
    them, each marked; a plain build leaves them out (test_golden_site)."""
    out = tmp_path / "_site"
    options = BuildOptions(
        GOLDEN / "content", out, TEMPLATES, search=False, history=False, cache_dir=tmp_path
    )
    build(replace(options, drafts=True, future=True))
    for name in HELD_BACK:
        if os.environ.get("UPDATE_GOLDEN"):
            (GOLDEN / "held-back" / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(out / name, GOLDEN / "held-back" / name)
        assert (out / name).read_text("utf-8") == (GOLDEN / "held-back" / name).read_text("utf-8"), name


INTERFACE_PAGES = [
    "index.html",
    "articles/theses/index.html",
    "articles/first-speech/index.html",
    "works/index.html",
    "tags/index.html",
    "years/index.html",
    "search/index.html",
    "404.html",
    "feed.xml",
]


@pytest.mark.parametrize("language", ["ru", "ar"])
def test_golden_pages_in_another_interface_language(tmp_path: Path, language: str) -> None:
    """The same site with site.yaml's language set to Russian, and to Arabic (right to left):
    its labels, dates, plural forms and language names from the interface's catalog."""
    content = tmp_path / "content"
    shutil.copytree(GOLDEN / "content", content)
    settings = content / "site.yaml"
    settings.write_text(settings.read_text("utf-8").replace("language: en", f"language: {language}"), "utf-8")
    out = tmp_path / "_site"
    build(BuildOptions(content, out, TEMPLATES, search=False, history=False, cache_dir=tmp_path))
    expected = GOLDEN / "interface" / language
    for name in INTERFACE_PAGES:
        if os.environ.get("UPDATE_GOLDEN"):
            (expected / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(out / name, expected / name)
        assert (out / name).read_text("utf-8") == (expected / name).read_text("utf-8"), name


def test_golden_site(tmp_path: Path) -> None:
    out = tmp_path / "_site"
    build(BuildOptions(GOLDEN / "content", out, TEMPLATES, search=False, history=False, cache_dir=tmp_path))
    expected_dir = GOLDEN / "expected"
    if os.environ.get("UPDATE_GOLDEN"):
        shutil.rmtree(expected_dir, ignore_errors=True)
        shutil.copytree(out, expected_dir)
    built, expected = files_of(out), files_of(expected_dir)
    assert sorted(built) == sorted(expected), "files differ; UPDATE_GOLDEN=1 regenerates after review"
    diffs = []
    for name in sorted(built):
        if built[name] != expected[name]:
            diffs += difflib.unified_diff(
                expected[name].decode().splitlines(),
                built[name].decode().splitlines(),
                f"expected/{name}",
                f"built/{name}",
                lineterm="",
            )
    assert not diffs, "\n".join(diffs[:200])


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    build(
        BuildOptions(
            GOLDEN / "content", tmp_path / "one", TEMPLATES, search=False, history=False, cache_dir=tmp_path
        )
    )
    build(
        BuildOptions(
            GOLDEN / "content", tmp_path / "two", TEMPLATES, search=False, history=False, cache_dir=tmp_path
        )
    )
    assert files_of(tmp_path / "one") == files_of(tmp_path / "two")


def test_search_builds_differ_only_in_the_files_pagefind_names_anew_each_run(tmp_path: Path) -> None:
    """Indexed twice from scratch, a shard's fragments and index chunks are the same bytes; its
    filter and meta files, and the entry naming them, are named afresh by every Pagefind run."""
    for name in ("one", "two"):
        build(
            BuildOptions(
                GOLDEN / "content",
                tmp_path / name,
                TEMPLATES,
                history=False,
                cache_dir=tmp_path / f"cache-{name}",
            )
        )
    one, two = files_of(tmp_path / "one"), files_of(tmp_path / "two")

    def stable(files: dict[str, bytes]) -> dict[str, bytes]:
        return {
            k: v
            for k, v in files.items()
            if "/filter/" not in k and not k.endswith((".pf_meta", "pagefind-entry.json"))
        }

    assert stable(one) == stable(two)
    assert "pagefind/en/0/pagefind.js" in one and any(k.startswith("pagefind/en/0/fragment/") for k in one)
    build(
        BuildOptions(
            GOLDEN / "content", tmp_path / "three", TEMPLATES, history=False, cache_dir=tmp_path / "cache-one"
        )
    )
    assert files_of(tmp_path / "three") == one  # the shards kept in the cache, as they are
