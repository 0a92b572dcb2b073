"""`python build.py new`: a skeleton with every field, refused by check until its TODOs are filled in."""

from __future__ import annotations

import datetime
import re
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, WriteTree, minimal_content

from archive.base.records import Source
from archive.build.pipeline import BuildOptions, check
from archive.content import fields
from archive.importer import skeleton

FIELDS = [name for name in fields.ARTICLE.names if name != "imported"]  # every field, in the spec's order
FILLED = {
    skeleton.TODO_DATE: "2023-03-20",
    skeleton.TODO_AUTHOR: "A. Writer",
    skeleton.TODO_SOURCE_URL: "https://example.org/a-speech",
    skeleton.TODO_LICENSE: "unknown",
    skeleton.TODO_TAG: "speeches",
    skeleton.TODO_SUMMARY: "A speech.",
    skeleton.TODO_BODY: "The first paragraph of the speech.",
}
SOURCE = Source("pogled-info", "Pogled.Info", "https://pogled.info/", "bg", "Bulgaria", "News.")


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "build.py"), *args], cwd=cwd, capture_output=True, text=True, check=False
    )


def new(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run(["new", *args, "--content", str(root / "content")], root)


def test_the_skeleton_names_every_field_of_the_format() -> None:
    made = skeleton.make_skeleton("A Speech", SOURCE, Path("content"), None, datetime.date(2024, 5, 1))
    documented = (ROOT / "docs/content-format.md").read_text(encoding="utf-8")
    block = documented.split("```yaml", 1)[1].split("```", 1)[0]
    in_the_docs = [name for name in re.findall(r"^([a-z_]+):", block, re.M) if name != "imported"]
    assert in_the_docs == FIELDS  # the importer alone writes `imported`
    for name in FIELDS:
        assert re.search(rf"^(# )?{name}:.*", made.text, re.M), name
    assert made.path == Path("content/articles/2024/a-speech.md")
    assert "retrieved: 2024-05-01" in made.text and "language: bg" in made.text


def test_new_writes_a_skeleton_that_check_refuses_until_filled_in(write_tree: WriteTree) -> None:
    root = write_tree(minimal_content())
    result = new(root, "A Speech to the Assembly", "--source", "pogled-info", "--date", "2023-03-20")
    path = root / "content/articles/2023/a-speech-to-the-assembly.md"
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        "wrote content/articles/2023/a-speech-to-the-assembly.md;"
        " fill in its TODO fields and the text, then: python build.py check\n"
    )
    text = path.read_text(encoding="utf-8")
    assert 'title: "A Speech to the Assembly"' in text and "date: 2023-03-20" in text

    refused = run(["check", "--content", str(root / "content"), "--templates", str(ROOT / "templates")], root)
    assert refused.returncode == 1
    errors = refused.stderr.splitlines()
    for field in ("authors", "source_url", "license", "tags", "summary"):
        assert any(f"error: '{field}' is still a TODO" in line for line in errors), field
    assert errors[-1] == "5 errors in 1 file; nothing was written"

    for todo, value in FILLED.items():
        text = text.replace(todo, value)
    assert "TODO:" not in text
    path.write_text(text, encoding="utf-8")
    content = check(BuildOptions(root / "content"))
    article = next(a for a in content.articles if a.slug == "a-speech-to-the-assembly")
    assert (article.title, article.authors, article.tags, article.language) == (
        "A Speech to the Assembly",
        ("A. Writer",),
        ("speeches",),
        "bg",
    )


def test_without_a_date_the_date_is_a_todo_and_the_year_is_this_one(write_tree: WriteTree) -> None:
    root = write_tree(minimal_content())
    assert new(root, "Undated", "--source", "pogled-info").returncode == 0
    path = root / f"content/articles/{datetime.date.today().year}/undated.md"
    assert f'date: "{skeleton.TODO_DATE}"' in path.read_text(encoding="utf-8")
    refused = run(["check", "--content", str(root / "content"), "--templates", str(ROOT / "templates")], root)
    assert "error: 'date' is still a TODO" in refused.stderr


def test_new_never_overwrites(write_tree: WriteTree) -> None:
    root = write_tree(minimal_content())
    first = new(root, "Another Text", "--source", "pogled-info", "--date", "2023-03-20")
    assert first.returncode == 0
    path = root / "content/articles/2023/another-text.md"
    before = path.read_bytes()
    second = new(root, "Another Text", "--source", "pogled-info", "--date", "2023-03-20")
    assert second.returncode == 1
    assert (
        second.stderr == "error: content/articles/2023/another-text.md already exists; new never overwrites\n"
    )
    assert path.read_bytes() == before


def test_new_usage_errors_exit_2(write_tree: WriteTree) -> None:
    root = write_tree(minimal_content())
    unknown = new(root, "A Speech", "--source", "pogled-inf")
    assert unknown.returncode == 2
    assert "error: unknown source 'pogled-inf' (did you mean 'pogled-info'?" in unknown.stderr
    assert "Traceback" not in unknown.stderr
    no_slug = new(root, "!!!", "--source", "pogled-info")
    assert no_slug.returncode == 2 and "gives no slug" in no_slug.stderr
    bad_date = new(root, "A Speech", "--source", "pogled-info", "--date", "March")
    assert bad_date.returncode == 2 and "is not a date in the form YYYY-MM-DD" in bad_date.stderr
    assert not (root / "content/articles/2023/a-speech.md").exists()
