"""The import command: the curator's options, batches of files and folders, slugs of their own, nothing overwritten."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, WriteTree, minimal_content

from archive.cli import main

FIXTURES = ROOT / "tests" / "importer" / "fixtures"
TEXT = "Harbour News\nThe harbour reopened on Monday after long repairs to its old sea wall.\n"


def front(path: Path) -> dict[str, object]:
    loaded: dict[str, object] = yaml.safe_load(path.read_text(encoding="utf-8").split("\n---\n")[0][4:])
    return loaded


def written(root: Path) -> list[Path]:
    return sorted((root / "content" / "articles").rglob("*.md"))


def run_import(root: Path, *args: str) -> int:
    return main(["import", *args, "--source", "pogled-info", "--content", str(root / "content")])


def test_options_win_over_what_is_found(write_tree: WriteTree, capsys: pytest.CaptureFixture[str]) -> None:
    root = write_tree(minimal_content())
    code = run_import(
        root,
        str(FIXTURES / "page.html"),
        "--title", "The Harbour Is Open Again",
        "--slug", "harbour-open",
        "--date", "2023-03-19",
        "--language", "en-GB",
        "--author", "Jane Doe",
        "--author", "John Roe",
        "--translator", "Tom Reed",
        "--retrieved", "2024-02-03",
        "--write",
    )  # fmt: skip
    assert code == 0, capsys.readouterr().err
    path = root / "content" / "articles" / "2023" / "harbour-open.md"
    fields = front(path)
    assert fields["title"] == "The Harbour Is Open Again"
    assert fields["date"] == datetime.date(2023, 3, 19)
    assert fields["authors"] == ["Jane Doe", "John Roe"]
    assert (fields["language"], fields["translators"]) == ("en-GB", ["Tom Reed"])
    assert fields["retrieved"] == datetime.date(2024, 2, 3)
    report = capsys.readouterr().err
    assert (
        "title: The Harbour Is Open Again (--title)" in report
        and "authors: Jane Doe, John Roe (--author)" in report
    )


def test_retrieved_is_the_day_of_the_import(
    write_tree: WriteTree, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_tree({**minimal_content(), "in/news.txt": TEXT})
    assert run_import(root, str(root / "in" / "news.txt")) == 0
    draft = capsys.readouterr().out
    assert f"retrieved: {datetime.date.today().isoformat()}\n" in draft


def test_a_page_with_its_fields_found_is_a_valid_text(
    write_tree: WriteTree, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_tree(minimal_content())
    assert run_import(root, str(FIXTURES / "page.html"), "--write") == 0
    capsys.readouterr()
    assert main(["check", "--content", str(root / "content")]) == 0, capsys.readouterr().err


def test_a_folder_imports_as_a_batch_with_distinct_slugs(
    write_tree: WriteTree, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_tree(
        {
            **minimal_content(),
            "in/a.txt": TEXT,
            "in/b.txt": TEXT.replace("Monday", "Tuesday"),
            "in/scan.pdf": b"%PDF-1.4",
            "in/notes/c.html": (FIXTURES / "page.html").read_text(encoding="utf-8"),
        }
    )
    assert run_import(root, str(root / "in"), "--date", "2023-05-01", "--write") == 0
    err = capsys.readouterr().err
    names = [path.name for path in written(root)]
    assert names == ["a-text.md", "harbour-news-2.md", "harbour-news.md", "harbour-reopens-after-repairs.md"]
    assert "slug 'harbour-news' is taken by" in err and "written as 'harbour-news-2'" in err
    assert f"{root / 'in' / 'scan.pdf'}: skipped (not a .txt or .html file)" in err
    assert err.count("== ") == 3 and "3 of 3 files imported; 0 failed" in err
    assert front(root / "content/articles/2023/harbour-news-2.md")["title"] == "Harbour News"


def test_nothing_is_imported_twice_or_overwritten(
    write_tree: WriteTree, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_tree({**minimal_content(), "in/a.txt": TEXT})
    args = (str(root / "in" / "a.txt"), "--date", "2023-05-01", "--write")
    assert run_import(root, *args) == 0
    path = root / "content/articles/2023/harbour-news.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nA curator's edit.\n", encoding="utf-8")
    before = path.read_bytes()
    capsys.readouterr()
    assert run_import(root, *args) == 1
    assert "already imported as" in capsys.readouterr().err
    assert path.read_bytes() == before and len(written(root)) == 2
    assert (
        run_import(
            root, str(FIXTURES / "clean.txt"), "--slug", "harbour-news", "--date", "2023-05-01", "--write"
        )
        == 1
    )
    assert "--slug harbour-news is taken by" in capsys.readouterr().err and path.read_bytes() == before


def test_a_bad_file_in_a_batch_fails_alone(write_tree: WriteTree, capsys: pytest.CaptureFixture[str]) -> None:
    root = write_tree({**minimal_content(), "in/a.txt": TEXT, "in/b.txt": b"\x00\x01binary"})
    assert (
        run_import(
            root, str(root / "in" / "a.txt"), str(root / "in" / "b.txt"), "--date", "2023-05-01", "--write"
        )
        == 1
    )
    err = capsys.readouterr().err
    assert f"{root / 'in' / 'b.txt'}: error: this looks like a binary file" in err
    assert "Traceback" not in err and "1 of 2 files imported; 1 failed" in err
    assert [path.name for path in written(root)] == ["a-text.md", "harbour-news.md"]


def test_a_batch_without_write_only_reports(
    write_tree: WriteTree, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_tree({**minimal_content(), "in/a.txt": TEXT, "in/b.txt": TEXT})
    assert run_import(root, str(root / "in")) == 0
    out, err = capsys.readouterr()
    assert out == "" and err.count("(not written: give --write to write it as harbour-news.md)") == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["in/a.txt", "in/b.txt", "--title", "One Title"], "--title and --slug name one text"),
        (["in/missing.txt"], "no such file"),
        (["in/empty"], "no .txt or .html files to import"),
        (["in/a.txt", "--author", " "], "--author and --translator need a name"),
    ],
)
def test_import_usage_errors(
    write_tree: WriteTree, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    root = write_tree({**minimal_content(), "in/a.txt": TEXT, "in/b.txt": TEXT, "in/empty/.keep": ""})
    paths = [str(root / arg) if arg.startswith("in/") else arg for arg in args]
    assert run_import(root, *paths) == 2
    assert message in capsys.readouterr().err


@pytest.mark.parametrize(
    "option", [["--language", "english!"], ["--slug", "Not A Slug"], ["--retrieved", "May 1"]]
)
def test_bad_option_values_are_usage_errors(write_tree: WriteTree, option: list[str]) -> None:
    root = write_tree({**minimal_content(), "in/a.txt": TEXT})
    with pytest.raises(SystemExit) as caught:
        run_import(root, str(root / "in" / "a.txt"), *option)
    assert caught.value.code == 2
