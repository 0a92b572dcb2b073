"""The texts' corrections from the content's git history: a small repository made by the test,
a text corrected in it, and the pages built from it compared with their checked-in copies."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT, TEMPLATES

import archive.site.history
from archive.build.pipeline import BuildOptions, build
from archive.content.reader import read_content
from archive.incremental.cache import BuildCache
from archive.site.history import KeptHistory, read_history, repository, word_changes

GOLDEN = ROOT / "tests" / "golden"
EXPECTED = GOLDEN / "history"
GIT = shutil.which("git")
needs_git = pytest.mark.skipif(GIT is None, reason="git is not installed")


def commit(repository: Path, message: str, when: str) -> None:
    """A commit with fixed names and dates: its id is the same on every run."""
    dated = {"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    names = {"GIT_AUTHOR_NAME": "Curator", "GIT_AUTHOR_EMAIL": "c@example.org"}
    names |= {"GIT_COMMITTER_NAME": "Curator", "GIT_COMMITTER_EMAIL": "c@example.org"}
    environment = {**os.environ, **dated, **names, "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(repository)}
    run = {"cwd": repository, "env": environment, "check": True, "capture_output": True}
    subprocess.run(["git", "add", "-A"], **run)  # type: ignore[call-overload]
    subprocess.run(["git", "commit", "-q", "-m", message], **run)  # type: ignore[call-overload]


@pytest.fixture
def corrected(tmp_path: Path) -> Path:
    """The golden content in a repository: added, then a word of one text and a tag corrected,
    then another text moved to a new name."""
    repository = tmp_path / "archive"
    shutil.copytree(GOLDEN / "content", repository / "content")
    subprocess.run(["git", "init", "-q", "-b", "main", str(repository)], check=True, capture_output=True)
    commit(repository, "The texts as first published", "2024-01-10T09:00:00+01:00")
    decree = repository / "content/articles/2020/old-decree.md"
    decree.write_text(
        decree.read_text("utf-8").replace("A decree.", "A royal decree.").replace("[russia, law]", "[law]"),
        "utf-8",
    )
    commit(
        repository,
        "Restore the word the copy had dropped; the decree is not about Russia",
        "2024-02-01T12:00:00Z",
    )
    articles = repository / "content/articles/2023"
    (articles / "second-note.md").rename(articles / "a-second-note.md")
    commit(repository, "Name the file after its slug", "2024-03-01T12:00:00Z")
    return repository


@needs_git
def test_a_corrected_text_shows_its_correction(corrected: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(corrected)
    out = corrected / "_site"
    build(BuildOptions(Path("content"), out, TEMPLATES, search=False, cache_dir=corrected / ".cache"))
    wanted = ["articles/old-decree/index.html", "articles/a-second-note/index.html", "changes/index.html"]
    wanted.append("changes/feed.xml")
    if os.environ.get("UPDATE_GOLDEN"):
        for name in wanted:
            (EXPECTED / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(out / name, EXPECTED / name)
    for name in wanted:
        assert (out / name).read_text("utf-8") == (EXPECTED / name).read_text("utf-8"), name
    decree = (out / "articles/old-decree/index.html").read_text("utf-8")
    assert '…A <ins data-label="added:">royal</ins> decree.…' in decree
    assert "Fields changed: <code>tags</code>" in decree


@needs_git
def test_the_history_follows_a_renamed_file_and_is_kept_by_commit(corrected: Path) -> None:
    content = read_content(corrected / "content")
    paths = [a.path for a in content.articles]
    found = repository(corrected / "content")
    history, kept = read_history(found, corrected / "content", paths, KeptHistory())
    renamed = next(p for p in paths if p.endswith("a-second-note.md"))
    assert [c.message for c in history.of(renamed)] == ["The texts as first published"]
    assert kept is not None and kept.history == history
    cache = BuildCache(corrected / ".cache", corrected / "_site")
    cache.save_history(kept)
    again, nothing_new = read_history(found, corrected / "content", paths, cache.load_history())
    assert again == history and nothing_new is None and (corrected / ".cache/history.pickle").exists()


def test_without_a_repository_the_pages_say_so(tmp_path: Path) -> None:
    shutil.copytree(GOLDEN / "content", tmp_path / "content")
    content = read_content(tmp_path / "content")
    found = repository(tmp_path / "content")
    history, kept = read_history(
        found, tmp_path / "content", [a.path for a in content.articles], KeptHistory()
    )
    assert found is None and kept is None
    assert not history.available and "not in a git repository" in history.reason


def test_word_changes_show_the_words_around_each_change() -> None:
    before = "One two three four five six seven eight nine ten.\n\nAnother paragraph."
    after = "One two three four five six seven eight nine eleven.\n\nAnother paragraph."
    assert word_changes(before, after) == (
        ((" ", "four five six seven eight nine"), ("-", "ten."), ("+", "eleven.")),
    )


@needs_git
def test_versions_compared_by_other_code_are_compared_again(
    corrected: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    content = read_content(corrected / "content")
    paths, found = [a.path for a in content.articles], repository(corrected / "content")
    first, kept = read_history(found, corrected / "content", paths, KeptHistory())
    assert kept is not None
    monkeypatch.setattr(archive.site.history, "code_version", lambda: "other code")
    monkeypatch.setattr(archive.site.history, "CONTEXT", 0)  # compares differently: no words around
    again, _ = read_history(found, corrected / "content", paths, kept)
    decree = next(p for p in paths if p.endswith("old-decree.md"))
    assert first.of(decree)[0].hunks == (((" ", "A"), ("+", "royal"), (" ", "decree.")),)
    assert again.of(decree)[0].hunks == ((("+", "royal"),),)
