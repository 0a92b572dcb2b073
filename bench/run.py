#!/usr/bin/env python3
"""Time builds: cold, after changing nothing, after editing one text; medians and peak memory.

    python3 bench/run.py --articles 1000            # a corpus of bench/make_corpus.py, in a temp folder
    python3 bench/run.py --corpus /tmp/c10k --runs 3  # an existing folder holding content/
    python3 bench/run.py --corpus /tmp/c10k --hugo --pelican ~/pelican/bin/pelican
                                                    # and Hugo and Pelican, cold, in the same runs

Each build is a separate process (`build.py build --no-search`), timed whole; its peak memory
is the largest resident set of it and of its worker processes (os.wait4's ru_maxrss). The
first edit after a cold build also makes the folder that later builds update in place of a
whole copy of the site (see archive/writer.py); the second edit shows a curator's usual case.

Every cold build starts after a rest (--rest seconds, 15 by default), and the tools take turns
at going first: 2 s after Hugo's cold build, the archive's ran 5 % slower than after a rest
(and Hugo's 2 % slower right after the archive's), the machine not yet back at rest.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed_build(corpus: Path, extra: list[str]) -> tuple[float, int]:
    """Run one build of the archive; return wall seconds and peak memory in MB."""
    command = [
        sys.executable,
        str(ROOT / "build.py"),
        "build",
        "--content",
        str(corpus / "content"),
        "--out",
        str(corpus / "_site"),
        "--templates",
        str(ROOT / "templates"),
        "--no-search",
        *extra,
    ]
    return timed_command(command)


def timed_command(command: list[str]) -> tuple[float, int]:
    """Run one build; return wall seconds and peak memory in MB."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"build failed: {' '.join(command)}")
    return seconds, usage.ru_maxrss // 1024


def other_builds(args: argparse.Namespace, corpus: Path, scratch: Path) -> dict[str, tuple[list[str], Path]]:
    """The command of each other generator asked for and the folder it writes (beside the
    archive's, on the same disk), by its name and version: the corpus built cold with the
    settings in bench/others (copied: Hugo writes beside its settings)."""
    commands: dict[str, tuple[list[str], Path]] = {}
    others = scratch / "others"
    shutil.copytree(ROOT / "bench/others", others, dirs_exist_ok=True)
    content = str(corpus / "content")
    if args.hugo:
        said = subprocess.run([args.hugo, "version"], capture_output=True, text=True, check=True).stdout
        out = corpus / "_site-hugo"
        hugo = [args.hugo, "--quiet", "-s", str(others / "hugo"), "--contentDir", content, "-d", str(out)]
        commands["Hugo " + said.split()[1].split("+")[0].lstrip("v")] = (hugo, out)
    if args.pelican:
        said = subprocess.run([args.pelican, "--version"], capture_output=True, text=True, check=True).stdout
        out = corpus / "_site-pelican"
        settings = str(others / "pelican/pelicanconf.py")
        commands["Pelican " + said.strip()] = (
            [args.pelican, "-q", "-s", settings, "-o", str(out), content],
            out,
        )
    return commands


def archive_builds(
    corpus: Path, extra: list[str], run: int, rest: float, results: dict[str, list[tuple[float, int]]]
) -> None:
    """The archive's builds of one run: cold, after changing nothing, after two edits."""
    for folder in (corpus / "_site", corpus / ".cache"):
        shutil.rmtree(folder, ignore_errors=True)
    time.sleep(max(rest, 2.1))  # also: the last run's edits are not fresh any more when it lists them
    results["cold"].append(timed_build(corpus, extra))
    time.sleep(2.1)  # past the window in which a file's time is not trusted
    results["no change"].append(timed_build(corpus, extra))
    edit_one(corpus, 2 * run)
    results["one edit"].append(timed_build(corpus, extra))  # the first after a cold build
    edit_one(corpus, 2 * run + 1)
    results["one edit, again"].append(timed_build(corpus, extra))  # as a curator's next edit


def other_cold_builds(
    others: dict[str, tuple[list[str], Path]], rest: float, results: dict[str, list[tuple[float, int]]]
) -> None:
    """Each other generator's cold build of the corpus."""
    for name, (command, out) in others.items():
        shutil.rmtree(out, ignore_errors=True)
        time.sleep(rest)
        results[f"cold, {name}"].append(timed_command(command))


def edit_one(corpus: Path, run: int) -> None:
    """Change the body of one text (its last paragraph), front matter kept."""
    path = min((corpus / "content/articles").rglob("*.md"))
    text = path.read_text(encoding="utf-8").rstrip("\n")
    path.write_text(text + f"\n\nAn edit, number {run}.\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, help="a folder holding content/ (default: make one)")
    parser.add_argument("--articles", type=int, default=1000, help="texts in the corpus made (default 1000)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each kind (default 3)")
    parser.add_argument("--jobs", type=int, default=0, help="passed to build --jobs (default: one per core)")
    parser.add_argument(
        "--rest", type=float, default=15.0, help="seconds of rest before each cold build (default 15)"
    )
    parser.add_argument(
        "--hugo", nargs="?", const="hugo", metavar="PATH", help="time Hugo too (default: hugo on PATH)"
    )
    parser.add_argument(
        "--pelican",
        nargs="?",
        const="pelican",
        metavar="PATH",
        help="time Pelican too (its executable, with markdown and pelican-yaml-metadata installed)",
    )
    args = parser.parse_args()
    scratch = tempfile.mkdtemp(prefix="archive-bench-")
    corpus = args.corpus
    if corpus is None:
        corpus = Path(scratch)
        subprocess.run(
            [
                sys.executable,
                str(ROOT / "bench/make_corpus.py"),
                "--articles",
                str(args.articles),
                "--out",
                str(corpus),
            ],
            check=True,
        )
    extra = ["--jobs", str(args.jobs)] if args.jobs else []
    results: dict[str, list[tuple[float, int]]] = {
        "cold": [],
        "no change": [],
        "one edit": [],
        "one edit, again": [],
    }
    others = other_builds(args, corpus, Path(scratch))
    for name in others:
        results[f"cold, {name}"] = []
    for run in range(args.runs):  # the archive goes first in every other run
        if run % 2 == 0:
            other_cold_builds(others, args.rest, results)
        archive_builds(corpus, extra, run, args.rest, results)
        if run % 2 == 1:
            other_cold_builds(others, args.rest, results)
    texts = sum(1 for _ in (corpus / "content/articles").rglob("*.md"))
    print(f"{texts} texts, {args.runs} runs each, {os.cpu_count()} cores")
    print("| build | median s | runs s | peak MB |")
    print("| --- | --- | --- | --- |")
    for name, rows in results.items():
        times = ", ".join(f"{s:.2f}" for s, _ in rows)
        print(
            f"| {name} | {statistics.median(s for s, _ in rows):.2f} | {times} | {max(m for _, m in rows)} |"
        )
    ours = statistics.median(s for s, _ in results["cold"])
    for name, (_, out) in others.items():
        theirs = statistics.median(s for s, _ in results[f"cold, {name}"])
        print(f"cold build, the archive / {name}: {ours / theirs:.2f}")
        shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
