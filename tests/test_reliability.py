"""Reliability: a failed or interrupted build keeps the old site, two builds are identical, big
inputs build in time, and no input whatever makes `check` crash."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ARTICLE, ROOT, SITE_YAML, SOURCES_YAML, TEMPLATES, WriteTree, hash_tree, minimal_content
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import archive.output.writer
from archive.base.records import Output
from archive.build import writing
from archive.build.pipeline import BuildOptions, build
from archive.cli import main


def files_of(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def build_args(root: Path) -> list[str]:
    return [
        "build",
        "--content",
        str(root / "content"),
        "--templates",
        str(TEMPLATES),
        "--out",
        str(root / "_site"),
    ]


def leftovers(root: Path) -> list[str]:
    """Staging or retired folders the writer left beside the output."""
    return sorted(p.name for p in root.iterdir() if p.name.startswith("._site."))


@pytest.fixture
def built(write_tree: WriteTree, capsys: pytest.CaptureFixture[str]) -> Path:
    root = write_tree(
        minimal_content(**{f"text-{i}": ARTICLE.replace("A Text", f"Text {i}") for i in range(20)})
    )
    assert main(build_args(root)) == 0
    capsys.readouterr()
    return root


def test_a_content_error_leaves_the_old_site(built: Path) -> None:
    before = hash_tree(built / "_site")
    (built / "content/articles/2023/text-3.md").write_text(ARTICLE.replace("2023-03-20", "2023-02-30"))
    assert main(build_args(built)) == 1
    assert hash_tree(built / "_site") == before
    assert leftovers(built) == []


# A rebuild writes only the files its edit changes (11 here), so it is stopped among those.
@pytest.mark.parametrize("after", [0, 1, 5, 10])
def test_an_interrupt_while_writing_leaves_the_old_site(
    built: Path, after: int, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    before = hash_tree(built / "_site")
    (built / "content/articles/2023/text-3.md").write_text(ARTICLE.replace("A Text", "A Changed Text"))
    written = 0
    real_write = writing.write_output

    def write_then_stop(folder: Path, output: Output, made: set[str] | None = None) -> None:
        nonlocal written
        if written == after:
            raise KeyboardInterrupt
        written += 1
        real_write(folder, output, made)

    monkeypatch.setattr(writing, "write_output", write_then_stop)
    assert main(build_args(built)) == 130
    monkeypatch.undo()
    assert capsys.readouterr().err == "interrupted; the previous output is untouched\n"
    assert hash_tree(built / "_site") == before
    assert leftovers(built) == []


def test_an_interrupt_between_the_two_renames_puts_the_old_site_back(
    built: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = hash_tree(built / "_site")
    renames = 0
    real_rename = os.rename

    def rename_once_then_stop(src: Path, dst: Path) -> None:
        nonlocal renames
        renames += 1
        if renames == 2:
            raise KeyboardInterrupt
        real_rename(src, dst)

    monkeypatch.setattr(archive.output.writer.os, "rename", rename_once_then_stop)
    with (
        pytest.raises(KeyboardInterrupt),
        archive.output.writer.staged_update(built / "_site", None, {}, None, {"index.html": "new"}) as staged,
    ):
        archive.output.writer.write_output(staged.folder, Output("index.html", b"new"))
    monkeypatch.undo()
    assert hash_tree(built / "_site") == before
    assert leftovers(built) == []


def write_many(root: Path, count: int, title: str) -> None:
    (root / "content/articles/2023").mkdir(parents=True, exist_ok=True)
    (root / "content/site.yaml").write_text(SITE_YAML)
    (root / "content/sources.yaml").write_text(SOURCES_YAML)
    for i in range(count):
        text = ARTICLE.replace("A Text", f"{title} {i}").replace("[Xi Jinping]", f"[Author {i % 40}]")
        text = text.replace("authors:", f"tags: [tag-{i % 25}]\nauthors:")
        (root / f"content/articles/2023/text-{i:03d}.md").write_text(text + "A paragraph.\n\n" * 40)


def test_sigint_to_a_real_build_leaves_the_old_or_the_whole_new_site(tmp_path: Path) -> None:
    write_many(tmp_path, 300, "Old")
    build(BuildOptions(tmp_path / "content", tmp_path / "_site", TEMPLATES))
    old = hash_tree(tmp_path / "_site")
    write_many(tmp_path, 300, "New")
    build(BuildOptions(tmp_path / "content", tmp_path / "reference", TEMPLATES))
    new = hash_outside_search(tmp_path / "reference")
    shutil.rmtree(tmp_path / "reference")
    process = subprocess.Popen([sys.executable, str(ROOT / "build.py"), *build_args(tmp_path)], cwd=tmp_path)
    deadline = time.monotonic() + 60
    while process.poll() is None and not leftovers(tmp_path) and time.monotonic() < deadline:
        time.sleep(0.001)  # wait until the build has started writing its staging folder
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
    code = process.wait(timeout=60)
    assert code in (0, 130)
    if code == 130:
        assert hash_tree(tmp_path / "_site") == old
    else:  # done before the signal: Pagefind's index differs from run to run, all else is the new site
        assert hash_outside_search(tmp_path / "_site") == new
    assert leftovers(tmp_path) == []


def hash_outside_search(folder: Path) -> str:
    shutil.rmtree(folder / "pagefind")
    return hash_tree(folder)


def test_two_builds_of_the_bundled_content_are_identical(tmp_path: Path) -> None:
    # Pagefind names one of its index files differently on every run; tests/output/test_search.py
    # checks that search-enabled builds agree on everything outside pagefind/.
    build(BuildOptions(ROOT / "content", tmp_path / "one", TEMPLATES, search=False, cache_dir=tmp_path))
    build(BuildOptions(ROOT / "content", tmp_path / "two", TEMPLATES, search=False, cache_dir=tmp_path))
    assert files_of(tmp_path / "one") == files_of(tmp_path / "two")


def test_file_order_and_times_do_not_change_the_output(tmp_path: Path) -> None:
    files = minimal_content(**{f"t-{i}": ARTICLE.replace("A Text", f"Text {i}") for i in range(12)})
    files["content/articles/2022/z.md"] = ARTICLE.replace("2023-03-20", "2022-01-01")
    for run, names in (("one", sorted(files)), ("two", sorted(files, reverse=True))):
        for number, name in enumerate(names):
            path = tmp_path / run / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(str(files[name]))
            stamp = 1_000_000_000 + number * 86_400 * (1 if run == "one" else 37)
            os.utime(path, (stamp, stamp))
        time.sleep(0.01)
        build(BuildOptions(tmp_path / run / "content", tmp_path / f"{run}-site", TEMPLATES, search=False))
    assert files_of(tmp_path / "one-site") == files_of(tmp_path / "two-site")


def test_a_missing_template_value_fails_the_build(built: Path, capsys: pytest.CaptureFixture[str]) -> None:
    templates = built / "templates"
    shutil.copytree(TEMPLATES, templates)
    page = templates / "article.html"
    page.write_text(page.read_text().replace("{{ a.title }}", "{{ a.no_such_field }}", 1))
    before = hash_tree(built / "_site")
    args = build_args(built)
    args[args.index(str(TEMPLATES))] = str(templates)
    assert main(args) == 1
    err = capsys.readouterr().err
    assert "templates/article.html:" in err and "no_such_field" in err and "Traceback" not in err
    assert hash_tree(built / "_site") == before


def test_a_five_megabyte_text_builds_in_time(write_tree: WriteTree) -> None:
    paragraph = "Word " * 200 + "\n\n"
    root = write_tree(minimal_content(**{"huge": ARTICLE + paragraph * (5_000_000 // len(paragraph))}))
    started = time.perf_counter()
    assert main(build_args(root)) == 0
    assert time.perf_counter() - started < 30
    assert (root / "_site/articles/huge/index.html").stat().st_size > 5_000_000


def test_an_alias_bomb_is_refused_quickly_by_check(
    write_tree: WriteTree, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    bomb = "a: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 9) + "]\n" for i in range(8)
    )
    root = write_tree(
        minimal_content(**{"a-text": ARTICLE.replace("title: A Text\n", bomb + "title: A Text\n")})
    )
    monkeypatch.chdir(root)
    started = time.perf_counter()
    assert main(["check", "--content", "content", "--templates", str(TEMPLATES)]) == 1
    assert time.perf_counter() - started < 2
    assert "YAML anchor '&a' is not allowed" in capsys.readouterr().err


# Random front matter: not only well-formed YAML of random values, but broken text of every kind.
TOKENS = [
    "title",
    "date",
    "source",
    "authors",
    "tags",
    "chain",
    "language",
    "slug",
    "aliases",
    "excerpt",
    "translators",
    "notes",
    "removed",
    "imported",
    "source_url",
    ":",
    ": ",
    "-",
    "- ",
    "[",
    "]",
    "{",
    "}",
    ",",
    "'",
    '"',
    "&a",
    "*a",
    "!!python/object:os.system",
    "!x",
    "no",
    "yes",
    "1.10",
    "010",
    "0x1f",
    "2023-02-30",
    "2023-03-20",
    "12:30",
    "~",
    "null",
    "|",
    ">",
    "#",
    "%YAML 1.1",
    "---",
    "...",
    "\t",
    "pogled-info",
    "zh",
    "chinese",
    "https://example.org/",
    "javascript:alert(1)",
    "TODO",
    "\\",
    "\ufeff",
]
yaml_like = st.lists(
    st.tuples(st.integers(0, 6), st.lists(st.sampled_from(TOKENS) | st.text(max_size=6), max_size=6)),
    max_size=12,
).map(lambda lines: "\n".join(" " * indent + " ".join(words) for indent, words in lines))
front_text = yaml_like | st.text(max_size=200)
file_data = (
    st.builds(lambda front, body: f"---\n{front}\n---\n{body}".encode(), front_text, st.text(max_size=200))
    | st.binary(max_size=300)
    | st.builds(
        lambda front: f"---\n{front}\n---\n\nText.\n".encode("utf-8", "surrogatepass"), st.text(max_size=80)
    )
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=file_data, sources=st.one_of(st.just(SOURCES_YAML), yaml_like))
def test_check_never_crashes_on_any_file(
    data: bytes, sources: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    content = tmp_path / "content"
    (content / "articles/2023").mkdir(parents=True, exist_ok=True)
    (content / "site.yaml").write_text(SITE_YAML)
    (content / "sources.yaml").write_text(sources, encoding="utf-8", errors="surrogatepass")
    (content / "articles/2023/a-text.md").write_bytes(data)
    code = main(["check", "--content", str(content), "--templates", str(TEMPLATES)])
    err = capsys.readouterr().err
    assert code in (0, 1)
    assert "Traceback" not in err
    if code == 1:
        assert all(": error: " in line for line in err.splitlines()[:-1])
