"""The command line: exit codes, messages, and an untouched output on failure."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ARTICLE, ROOT, WriteTree, hash_tree, minimal_content

from archive.cli import main


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "build.py"), *args], cwd=cwd, capture_output=True, text=True, check=False
    )


def content_args(root: Path) -> list[str]:
    return ["--content", str(root / "content"), "--templates", str(ROOT / "templates")]


def test_build_then_check(write_tree: WriteTree) -> None:
    root = write_tree(minimal_content())
    result = run(["build", *content_args(root), "--out", str(root / "_site")], root)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("built 1 text into ")
    assert (root / "_site/articles/a-text/index.html").is_file()
    result = run(["check", *content_args(root)], root)
    assert (result.returncode, result.stdout) == (0, "1 text and 1 sources checked: no errors\n")


def test_check_and_build_say_what_they_hold_back_and_build_drafts_on_request(write_tree: WriteTree) -> None:
    draft = ARTICLE.replace("---\n\n", "draft: true\n---\n\n")
    root = write_tree(minimal_content(**{"a-text": ARTICLE, "a-draft": draft}))
    result = run(["check", *content_args(root)], root)
    assert result.stdout.splitlines() == [
        "2 texts and 1 sources checked: no errors",
        "1 draft is held back from the site (build --drafts includes it)",
    ]
    result = run(["build", *content_args(root), "--out", str(root / "_site"), "--no-search"], root)
    assert result.stdout.startswith("built 1 text into ")
    assert result.stdout.rstrip().endswith("1 draft is held back from the site (build --drafts includes it)")
    result = run(
        ["build", *content_args(root), "--out", str(root / "_site"), "--no-search", "--drafts"], root
    )
    assert result.stdout.startswith("built 2 texts into ") and "held back" not in result.stdout
    assert (root / "_site/articles/a-draft/index.html").is_file()


def test_bad_content_exits_1_without_traceback_and_keeps_the_old_site(write_tree: WriteTree) -> None:
    root = write_tree(minimal_content())
    assert run(["build", *content_args(root), "--out", str(root / "_site")], root).returncode == 0
    before = hash_tree(root / "_site")
    write_tree({"content/articles/2023/a-text.md": ARTICLE.replace("title:", "titel:")})
    result = run(["build", *content_args(root), "--out", str(root / "_site")], root)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        "content/articles/2023/a-text.md:1: error: missing required field 'title' in the front matter",
        "content/articles/2023/a-text.md:2: error: unknown field 'titel' in the front matter (did you mean 'title'?)",
        "2 errors in 1 file; nothing was written",
    ]
    assert hash_tree(root / "_site") == before


def test_check_reports_like_build(write_tree: WriteTree) -> None:
    root = write_tree(minimal_content(**{"a-text": ARTICLE.replace("2023-03-20", "2023-02-30")}))
    result = run(["check", *content_args(root)], root)
    assert result.returncode == 1
    assert "a-text.md:3: error: 'date': 2023-02-30 is not a real date" in result.stderr


def test_no_arguments_means_build(monkeypatch: pytest.MonkeyPatch, write_tree: WriteTree) -> None:
    root = write_tree(minimal_content())
    monkeypatch.chdir(root)
    (root / "templates").symlink_to(ROOT / "templates")
    assert main([]) == 0
    assert (root / "_site/index.html").is_file()


def test_usage_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--content", str(tmp_path / "missing")]) == 2
    assert "does not exist" in capsys.readouterr().err
    with pytest.raises(SystemExit) as caught:
        main(["build", "--no-such-option"])
    assert caught.value.code == 2


def test_a_template_mistake_names_the_template_line(write_tree: WriteTree) -> None:
    root = write_tree(minimal_content())
    templates = root / "templates"
    subprocess.run(["cp", "-r", str(ROOT / "templates"), str(templates)], check=True)
    (templates / "404.html").write_text(
        '{% extends "base.html" %}\n{% block main %}\n{{ page.nope }}\n{% endblock %}\n'
    )
    result = run(["build", "--content", str(root / "content"), "--templates", str(templates)], root)
    assert result.returncode == 1
    assert "templates/404.html:3: error: template:" in result.stderr
    assert "Traceback" not in result.stderr


def test_import_prints_the_draft_and_reports_on_stderr(write_tree: WriteTree) -> None:
    root = write_tree(minimal_content())
    seed = ROOT / "tests" / "data" / "seed.txt"
    result = run(["import", str(seed), "--source", "pogled-info", *content_args(root)], root)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith('---\ntitle: "TODO')
    assert "  line 22 (boilerplate): Subscribe to our YouTube channel:" in result.stderr.splitlines()


def test_import_write_never_overwrites(write_tree: WriteTree) -> None:
    root = write_tree(minimal_content())
    seed = ROOT / "tests" / "data" / "seed.txt"
    args = [
        "import",
        str(seed),
        "--source",
        "pogled-info",
        "--date",
        "2023-03-20",
        "--write",
        *content_args(root),
    ]
    first = run(args, root)
    assert first.returncode == 0, first.stderr
    written = next((root / "content/articles/2023").glob("at-the-invitation*.md"))
    before = written.read_bytes()
    second = run(args, root)
    assert (
        second.returncode == 1
        and "already imported as content/articles/2023/at-the-invitation" in second.stderr
    )
    assert written.read_bytes() == before
    check = run(["check", *content_args(root)], root)
    assert check.returncode == 1 and "is still a TODO" in check.stderr


def test_import_usage_errors(write_tree: WriteTree) -> None:
    root = write_tree(minimal_content())
    seed = str(ROOT / "tests" / "data" / "seed.txt")
    unknown = run(["import", seed, "--source", "pogled-inf", *content_args(root)], root)
    assert unknown.returncode == 2
    assert "unknown source 'pogled-inf' (did you mean 'pogled-info'?" in unknown.stderr
    bad_date = run(
        ["import", seed, "--source", "pogled-info", "--date", "20 March", *content_args(root)], root
    )
    assert bad_date.returncode == 2 and "is not a date in the form YYYY-MM-DD" in bad_date.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["build", "--base-url", "javascript:alert(1)//"],
        ["build", "--base-url", "notaurl"],
        ["build", "--base-url", "https://example.org/archive?x=1"],
        ["serve", "--port", "70000"],
    ],
)
def test_bad_option_values_are_usage_errors(args: list[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(args)
    assert caught.value.code == 2


def test_the_output_folder_never_overlaps_what_it_is_built_from(write_tree: WriteTree) -> None:
    root = write_tree(minimal_content())
    (root / "notes").mkdir()
    (root / "notes" / "mine.txt").write_text("keep me")
    (root / "mine").mkdir()
    (root / "mine" / "index.html").write_text("<p>my own page</p>")  # an index.html is not a built site
    (root / "mine" / "draft.txt").write_text("keep me too")
    for out, message in [
        (root / "content", "overlaps the content or the templates folder"),
        (root / "content" / "site", "overlaps the content or the templates folder"),
        (root, "is the working folder or holds it"),
        (root / "notes", "holds files but is not a site this archive built (no .archive-site)"),
        (root / "mine", "holds files but is not a site this archive built (no .archive-site)"),
    ]:
        result = run(["build", *content_args(root), "--out", str(out)], root)
        assert result.returncode == 2 and message in result.stderr, (out, result.stderr)
    assert (root / "notes" / "mine.txt").read_text() == "keep me"
    assert (root / "mine" / "draft.txt").read_text() == "keep me too"
    assert (root / "content" / "site.yaml").is_file()


def test_check_and_import_need_no_templates_folder(write_tree: WriteTree) -> None:
    root = write_tree(minimal_content())
    result = run(["check", "--content", str(root / "content")], root)
    assert result.returncode == 0, result.stderr


def test_import_write_without_a_date_found_asks_for_one(write_tree: WriteTree) -> None:
    root = write_tree(minimal_content())
    seed = str(ROOT / "tests" / "data" / "seed.txt")
    result = run(["import", seed, "--source", "pogled-info", "--write", *content_args(root)], root)
    assert result.returncode == 1 and "no date found for the year folder; give --date" in result.stderr
    assert "Traceback" not in result.stderr
    assert [p.name for p in (root / "content" / "articles").rglob("*.md")] == ["a-text.md"]


def test_a_build_asks_glibc_to_keep_the_memory_it_frees(monkeypatch: pytest.MonkeyPatch) -> None:
    import platform

    import archive.cli

    asked = archive.cli.keep_freed_memory()
    assert asked == (sys.platform.startswith("linux") and platform.libc_ver()[0] == "glibc")
    monkeypatch.setattr(sys, "platform", "darwin")
    assert archive.cli.keep_freed_memory() is False
