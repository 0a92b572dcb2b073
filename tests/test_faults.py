"""Faults a build survives, through the real command line: a damaged cache, files changed in the
built site by hand, a build killed at any moment or run twice at once, a full disk, no
permission. Each ends with a site byte for byte a --no-cache build's, or the previous site
untouched and a clear message, and never a traceback."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ARTICLE, ROOT, SITE_YAML, SOURCES_YAML, TEMPLATES, hash_tree

BUILD = [sys.executable, str(ROOT / "build.py"), "build", "--content", "content", "--out", "_site"]


def write_site(root: Path, count: int) -> Path:
    content = root / "content"
    (content / "articles/2023").mkdir(parents=True, exist_ok=True)
    (content / "site.yaml").write_text(SITE_YAML)
    (content / "sources.yaml").write_text(SOURCES_YAML)
    for i in range(count):
        text = ARTICLE.replace("A Text", f"Text {i}").replace("[Xi Jinping]", f"[Author {i % 30}]")
        text = text.replace("authors:", f"tags: [tag-{i % 20}]\nauthors:")
        (content / f"articles/2023/text-{i:03d}.md").write_text(text + f"Words of text {i}.\n\n" * 30)
    return content


def edit(root: Path, number: int, words: str) -> None:
    path = root / f"content/articles/2023/text-{number:03d}.md"
    path.write_text(path.read_text() + f"\n{words}\n")


def cli(root: Path, *more: str, out: str = "_site") -> subprocess.CompletedProcess[str]:
    command = [sys.executable, str(ROOT / "build.py"), "build", "--content", "content", "--out", out]
    command += ["--templates", str(TEMPLATES), "--quiet", *more]
    return subprocess.run(command, cwd=root, capture_output=True, text=True, timeout=300)


def files_of(folder: Path) -> dict[str, bytes]:
    """Every file but those Pagefind names or fills afresh on every run."""
    found = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        name = path.relative_to(folder).as_posix()
        if "/filter/" not in name and not name.endswith((".pf_meta", "pagefind-entry.json")):
            found[name] = path.read_bytes()
    return found


def assert_same_as_cold(root: Path, *more: str) -> None:
    result = cli(root, "--no-cache", *more, out="cold")
    assert result.returncode == 0, result.stderr
    assert files_of(root / "_site") == files_of(root / "cold")
    shutil.rmtree(root / "cold")


def twin_of(root: Path) -> Path:
    return next((root / ".cache/sites").glob("_site-*")) / "twin"


@pytest.fixture
def settled(tmp_path: Path) -> Path:
    """A site built three times, edits between: the cache holds a twin the next build reuses."""
    write_site(tmp_path, 40)
    for run in range(3):
        if run:
            edit(tmp_path, run, f"Edit {run}.")
        assert cli(tmp_path, "--no-search").returncode == 0
    assert twin_of(tmp_path).is_dir()
    return tmp_path


def test_a_file_deleted_or_replaced_in_the_twin_is_written_again(settled: Path) -> None:
    twin = twin_of(settled)
    (twin / "feed.xml").unlink()
    page = twin / "articles/text-030/index.html"
    page.unlink()
    page.write_bytes(b"<p>not what the state says</p>")
    css = next((twin / "static").glob("style.*.css"))
    with css.open("ab") as file:  # changed in place: the live site's file, the same inode, too
        file.write(b"/* edited */")
    edit(settled, 5, "Another edit.")
    assert cli(settled, "--no-search").returncode == 0
    assert_same_as_cold(settled, "--no-search")


def test_files_deleted_from_the_built_site_by_hand_are_noticed(settled: Path) -> None:
    time.sleep(2.1)  # past the window in which file times are not trusted: a no-change build
    assert cli(settled, "--no-search").returncode == 0
    (settled / "_site/feed.xml").unlink()
    next((settled / "_site/static").glob("style.*.css")).unlink()
    result = cli(settled, "--no-search")
    assert result.returncode == 0, result.stderr
    assert (settled / "_site/feed.xml").is_file()
    assert_same_as_cold(settled, "--no-search")


def test_a_search_index_deleted_or_replaced_by_hand_is_made_again(tmp_path: Path) -> None:
    write_site(tmp_path, 40)
    for run in range(3):  # the last two with a twin in the cache
        if run:
            edit(tmp_path, run, f"Edit {run}.")
        assert cli(tmp_path).returncode == 0
    time.sleep(2.1)  # past the window in which file times are not trusted: a no-change build
    index = tmp_path / "_site/pagefind"
    shutil.rmtree(index)
    assert cli(tmp_path).returncode == 0
    assert (index / "en/0/pagefind-entry.json").is_file()
    entry = index / "en/0/pagefind-entry.json"
    entry.unlink()
    entry.write_text("{}")
    assert cli(tmp_path).returncode == 0
    assert json.loads(entry.read_text())["languages"]
    assert_same_as_cold(tmp_path)


def test_the_staging_folders_of_killed_builds_are_removed(settled: Path) -> None:
    for name in ("._site.new-999999", "._site.old-999999"):
        (settled / name / "articles").mkdir(parents=True)
    edit(settled, 7, "An edit.")
    assert cli(settled, "--no-search").returncode == 0
    assert sorted(p.name for p in settled.iterdir() if p.name.startswith("._site")) == []


def children(pid: int) -> list[int]:
    found = []
    for task in os.listdir(f"/proc/{pid}/task"):
        with open(f"/proc/{pid}/task/{task}/children") as file:
            found += [int(child) for child in file.read().split()]
    return found + [grandchild for child in found for grandchild in children(child)]


def command_of(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as file:
            return file.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def kill_when(root: Path, seen: str, timeout: float = 60) -> int:
    """Start a build and kill -9 it (its whole group) once a process of it runs `seen`."""
    command = [sys.executable, str(ROOT / "build.py"), "build", "--content", "content", "--out", "_site"]
    process = subprocess.Popen(
        [*command, "--templates", str(TEMPLATES), "--quiet"], cwd=root, start_new_session=True
    )
    deadline = time.monotonic() + timeout
    while process.poll() is None and time.monotonic() < deadline:
        try:
            if any(seen in command_of(pid) for pid in children(process.pid)):
                break
        except OSError:
            pass
        time.sleep(0.005)
    os.killpg(process.pid, signal.SIGKILL)
    return process.wait()


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux's /proc to watch the build")
def test_a_build_killed_while_indexing_then_undone_leaves_no_trace(tmp_path: Path) -> None:
    write_site(tmp_path, 300)
    assert cli(tmp_path).returncode == 0
    before = (tmp_path / "content/articles/2023/text-010.md").read_text()
    edit(tmp_path, 10, "The edit a killed build made.")
    assert kill_when(tmp_path, "--service") == -signal.SIGKILL  # Pagefind, indexing the edit
    (tmp_path / "content/articles/2023/text-010.md").write_text(before)  # undone
    assert cli(tmp_path).returncode == 0
    edit(tmp_path, 20, "Another edit.")
    assert cli(tmp_path).returncode == 0
    page = (tmp_path / "_site/articles/text-010/index.html").read_text()
    assert "The edit a killed build made." not in page
    assert_same_as_cold(tmp_path)


@pytest.mark.parametrize("moment", ["read", "write", "swap"])
@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux's /proc to watch the build")
def test_a_build_killed_at_any_moment_leaves_a_site_the_next_build_makes_right(
    tmp_path: Path, moment: str
) -> None:
    write_site(tmp_path, 300)
    assert cli(tmp_path, "--no-search").returncode == 0
    before = hash_tree(tmp_path / "_site")
    edit(tmp_path, 10, "An edit.")
    delay = {"read": 0.15, "write": 0.6, "swap": 1.2}[moment]
    process = subprocess.Popen(
        [*BUILD, "--templates", str(TEMPLATES), "--quiet", "--no-search"],
        cwd=tmp_path,
        start_new_session=True,
    )
    time.sleep(delay)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    built = tmp_path / "_site"
    assert not built.exists() or (built / ".archive-site").is_file()
    if built.exists() and hash_tree(built) != before:
        assert (built / "articles/text-010/index.html").read_text().count("An edit.") == 1
    assert cli(tmp_path, "--no-search").returncode == 0
    assert_same_as_cold(tmp_path, "--no-search")


def test_two_builds_at_once_wait_for_each_other(tmp_path: Path) -> None:
    write_site(tmp_path, 150)
    assert cli(tmp_path, "--no-search").returncode == 0
    edit(tmp_path, 3, "An edit made while two builds ran.")
    command = [sys.executable, str(ROOT / "build.py"), "build", "--content", "content", "--out", "_site"]
    command += ["--templates", str(TEMPLATES), "--no-search"]
    first = subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    second = subprocess.Popen(
        command, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    outcomes = [process.communicate(timeout=120) for process in (first, second)]
    assert (first.returncode, second.returncode) == (0, 0), outcomes
    assert all("Traceback" not in err for _, err in outcomes)
    edit(tmp_path, 4, "A later edit.")
    assert cli(tmp_path, "--no-search").returncode == 0
    assert_same_as_cold(tmp_path, "--no-search")


def test_a_cache_that_is_a_file_or_cannot_be_written_is_said_and_skipped(tmp_path: Path) -> None:
    write_site(tmp_path, 5)
    (tmp_path / ".cache").write_text("not a folder")
    result = cli(tmp_path, "--no-search")
    assert result.returncode == 0, result.stderr
    assert result.stderr.startswith("warning: the cache .cache cannot be used (")
    assert "building without it" in result.stderr and "Traceback" not in result.stderr
    assert (tmp_path / "_site/index.html").is_file()


def unprivileged() -> list[str]:
    """A command prefix that runs a process as nobody, where permissions then hold; [] if none."""
    setpriv = shutil.which("setpriv")
    if os.geteuid() != 0 or setpriv is None:
        return []
    return [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"]


def open_for_nobody(folder: Path) -> None:
    for path in [folder, *folder.rglob("*")]:
        path.chmod(0o777 if path.is_dir() else 0o666)
    parent = folder
    while parent != parent.parent:
        parent = parent.parent
        if parent.stat().st_mode & 0o005 != 0o005:
            pytest.skip(f"{parent} is closed to other users")


@pytest.fixture
def shared(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site in a folder every user may enter (the test runs builds as nobody)."""
    if not unprivileged():
        pytest.skip("needs root and setpriv, to run a build as an unprivileged user")
    root = Path(tempfile_folder())
    write_site(root, 5)
    open_for_nobody(root)
    yield root
    shutil.rmtree(root, ignore_errors=True)


def tempfile_folder() -> str:
    import tempfile

    return tempfile.mkdtemp(prefix="archive-faults-", dir="/tmp")


def nobody_builds(root: Path, *more: str) -> subprocess.CompletedProcess[str]:
    command = [*unprivileged(), sys.executable, str(ROOT / "build.py"), "build", "--content", "content"]
    command += ["--out", "_site", "--templates", str(TEMPLATES), "--quiet", "--no-search", *more]
    return subprocess.run(command, cwd=root, capture_output=True, text=True, timeout=300)


def test_a_content_file_without_read_permission_is_a_content_error(shared: Path) -> None:
    (shared / "content/articles/2023/text-002.md").chmod(0o000)
    result = nobody_builds(shared)
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == (
        "content/articles/2023/text-002.md:1: error: cannot be read: Permission denied (content must be"
        " readable regular files and folders; check a file's permissions or remove it)"
    )


def test_an_output_folder_that_cannot_be_written_is_said_and_kept(shared: Path) -> None:
    assert nobody_builds(shared).returncode == 0
    before = hash_tree(shared / "_site")
    edit(shared, 1, "An edit.")
    shared.chmod(0o555)  # the folder that holds _site: no staging folder can be made beside it
    try:
        result = nobody_builds(shared)
    finally:
        shared.chmod(0o777)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert "error: Permission denied; the previous output is untouched" in result.stderr
    assert hash_tree(shared / "_site") == before


def test_a_read_only_cache_is_said_and_skipped(shared: Path) -> None:
    (shared / ".cache").mkdir(mode=0o555)
    result = nobody_builds(shared)
    assert result.returncode == 0, result.stderr
    assert (
        "warning: the cache .cache cannot be used (Permission denied): building without it" in result.stderr
    )


@pytest.fixture
def small_disk(tmp_path: Path) -> Path:
    """A 4 MB file system of its own (a tmpfs), mounted for the test; skipped where it cannot be."""
    mount = tmp_path / "small"
    mount.mkdir()
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount)], capture_output=True)
    if made.returncode != 0:
        pytest.skip("cannot mount a small tmpfs here")
    yield mount
    subprocess.run(["umount", str(mount)], capture_output=True)


def test_a_full_output_disk_is_said_and_the_old_site_kept(tmp_path: Path, small_disk: Path) -> None:
    write_site(tmp_path, 30)
    out = small_disk / "site"
    first = cli(tmp_path, "--no-search", "--no-cache", out=str(out))
    assert first.returncode == 0, first.stderr
    before = hash_tree(out)
    write_site(tmp_path, 400)  # too big to stage beside the first
    result = cli(tmp_path, "--no-search", "--no-cache", out=str(out))
    assert result.returncode == 1, result.stderr
    assert "error: No space left on device; the previous output is untouched" in result.stderr
    assert "Traceback" not in result.stderr
    assert hash_tree(out) == before
    assert sorted(p.name for p in small_disk.iterdir()) == ["site"]


def test_a_full_cache_disk_is_a_warning_and_the_site_is_built(tmp_path: Path, small_disk: Path) -> None:
    write_site(tmp_path, 500)  # the bodies alone fill the 4 MB the cache has
    result = cli(tmp_path, "--no-search", "--cache-dir", str(small_disk / "cache"))
    assert result.returncode == 0, result.stderr
    assert (
        "warning: the site is built, but the cache could not be saved (No space left on device)"
        in result.stderr
    )
    assert "Traceback" not in result.stderr
    assert_same_as_cold(tmp_path, "--no-search")
    edit(tmp_path, 3, "An edit.")  # the cache forgot its state: a build from scratch, still right
    assert cli(tmp_path, "--no-search", "--cache-dir", str(small_disk / "cache")).returncode == 0
    assert_same_as_cold(tmp_path, "--no-search")
