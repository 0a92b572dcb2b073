#!/usr/bin/env python3
"""Time builds as users run them: cold, after changing nothing, after editing one text, after
editing a template, under another base URL, with the search index (as `python build.py` builds
it); medians and peak memory.

    python3 bench/run.py --articles 1000              # a corpus of bench/make_corpus.py, on the disk
    python3 bench/run.py --corpus /work/c10k --runs 3  # an existing folder holding content/
    python3 bench/run.py --corpus /work/c10k --hugo --pelican ~/pelican/bin/pelican
                                                      # and Hugo (+ Pagefind) and Pelican, cold, in the same runs
    python3 bench/run.py --articles 1000 --tmpfs      # the corpus in /dev/shm (a second figure)
    python3 bench/run.py --articles 1000 --no-search  # without the search index

Each build is a separate process (`build.py build`), timed whole. Its peak memory is that of
the whole process tree (the build, its workers, Pagefind), sampled from /proc (Linux): the
largest sum of their proportional set sizes (PSS, every 20 ms for the first 0.2 s, then every
0.2 s: a page that forked workers share with the build counted once, divided among them), the
largest sum of their resident memory (RSS, every 20 ms: a shared page counted once for each
process that maps it, so more than the tree takes), and the largest single process (wait4's
ru_maxrss). With search on, Hugo is followed by Pagefind on Hugo's site, as a Hugo user adds
search, and the two are timed as one. The archive's modules are compiled first, as Python does
on a machine that keeps its bytecode cache (this one sets PYTHONDONTWRITEBYTECODE).

A template edit (a comment added to the footer every page includes, in a copy of the templates
the archive's builds all use) and a new base URL rewrite every page. The folders such a build
drops are deleted by a process of their own, which the build does not wait for: each build
starts once the cache's trash is empty.

Every cold build starts after a rest (--rest seconds, 15 by default), and the tools take turns
at going first: 2 s after Hugo's cold build, the archive's ran 5 % slower than after a rest
(and Hugo's 2 % slower right after the archive's), the machine not yet back at rest.
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_SECONDS = 0.02
PSS_EVERY = 10  # samples: reading a process's PSS walks its page tables, RSS is one number


class Timing(NamedTuple):
    seconds: float
    tree_pss: int  # peak MB of the process tree, shared pages divided among their processes
    tree_rss: int  # peak MB of the tree, each process's resident memory summed
    single: int  # peak MB of the largest process


def timed_build(corpus: Path, extra: list[str]) -> Timing:
    """Run one build of the archive (once the last one's trash is deleted)."""
    trash_emptied(corpus / ".cache/trash")
    command = [
        sys.executable,
        str(ROOT / "build.py"),
        "build",
        "--content",
        str(corpus / "content"),
        "--out",
        str(corpus / "_site"),
        "--templates",
        str(corpus / "templates"),
        "--quiet",
        *extra,
    ]
    return timed_commands([command])


def timed_commands(commands: list[list[str]]) -> Timing:
    """Run commands one after the other, as one figure: wall seconds, and the peak memory of
    the tree of processes and of its largest one, in MB."""
    start = time.perf_counter()
    pss_peak = rss_peak = single_peak = 0
    for command in commands:
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
        sampler = TreeSampler(process.pid)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        sampler.stop()
        process.returncode = os.waitstatus_to_exitcode(status)  # waited for here, not by Popen
        if process.returncode != 0:
            sys.exit(f"build failed: {' '.join(command)}")
        pss_peak = max(pss_peak, sampler.pss_peak)
        rss_peak = max(rss_peak, sampler.rss_peak)
        single_peak = max(single_peak, usage.ru_maxrss * 1024)
    return Timing(time.perf_counter() - start, pss_peak >> 20, rss_peak >> 20, single_peak >> 20)


class TreeSampler(threading.Thread):
    """The largest sums of the memory of a process and its descendants, sampled: of their
    proportional set sizes, and of their resident memory."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.pss_peak = self.rss_peak = 0
        self.done = threading.Event()
        self.page = os.sysconf("SC_PAGE_SIZE")

    def run(self) -> None:
        samples = 0
        while not self.done.is_set():
            tree = self.tree()
            self.rss_peak = max(self.rss_peak, sum(self.resident(pid) for pid in tree))
            if samples < PSS_EVERY or samples % PSS_EVERY == 0:  # a short build gets some too
                self.pss_peak = max(self.pss_peak, sum(self.proportional(pid) for pid in tree))
            samples += 1
            self.done.wait(SAMPLE_SECONDS)

    def stop(self) -> None:
        self.done.set()
        self.join()

    def tree(self) -> list[int]:
        found, todo = [], [self.pid]
        while todo:
            pid = todo.pop()
            found.append(pid)
            try:
                for task in os.listdir(f"/proc/{pid}/task"):
                    with open(f"/proc/{pid}/task/{task}/children") as children:
                        todo += [int(child) for child in children.read().split()]
            except OSError:
                continue
        return found

    def resident(self, pid: int) -> int:
        try:
            with open(f"/proc/{pid}/statm") as statm:
                return int(statm.read().split()[1]) * self.page
        except (OSError, IndexError, ValueError):
            return 0

    @staticmethod
    def proportional(pid: int) -> int:
        """Its PSS in bytes (0 if it is gone, or the kernel has no smaps_rollup)."""
        try:
            with open(f"/proc/{pid}/smaps_rollup") as rollup:
                for line in rollup:
                    if line.startswith("Pss:"):
                        return int(line.split()[1]) * 1024
        except (OSError, IndexError, ValueError):
            pass
        return 0


def other_builds(
    args: argparse.Namespace, corpus: Path, scratch: Path
) -> dict[str, tuple[list[list[str]], Path]]:
    """The commands of each other generator asked for and the folder it writes (beside the
    archive's, on the same disk), by its name and version: the corpus built cold with the
    settings in bench/others (copied: Hugo writes beside its settings)."""
    commands: dict[str, tuple[list[list[str]], Path]] = {}
    others = scratch / "others"
    shutil.copytree(ROOT / "bench/others", others, dirs_exist_ok=True)
    content = str(corpus / "content")
    if args.hugo:
        said = subprocess.run([args.hugo, "version"], capture_output=True, text=True, check=True).stdout
        out = corpus / "_site-hugo"
        hugo = [args.hugo, "--quiet", "-s", str(others / "hugo"), "--contentDir", content, "-d", str(out)]
        name = "Hugo " + said.split()[1].split("+")[0].lstrip("v")
        if args.search:
            pagefind = [sys.executable, "-m", "pagefind", "--site", str(out), "--silent"]
            commands[name + " + Pagefind"] = ([hugo, pagefind], out)
        else:
            commands[name] = ([hugo], out)
    if args.pelican:
        said = subprocess.run([args.pelican, "--version"], capture_output=True, text=True, check=True).stdout
        out = corpus / "_site-pelican"
        settings = str(others / "pelican/pelicanconf.py")
        commands["Pelican " + said.strip()] = (
            [[args.pelican, "-q", "-s", settings, "-o", str(out), content]],
            out,
        )
    return commands


def trash_emptied(trash: Path) -> None:
    """Wait until the folders the last build dropped are deleted."""
    while trash.is_dir() and any(trash.iterdir()):
        time.sleep(0.1)


def archive_builds(
    corpus: Path, extra: list[str], run: int, rest: float, results: dict[str, list[Timing]]
) -> None:
    """The archive's builds of one run: cold, after changing nothing, after two edits, after a
    template edit, under another base URL."""
    for folder in (corpus / "_site", corpus / ".cache", corpus / "templates"):
        shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(ROOT / "templates", corpus / "templates")
    time.sleep(max(rest, 2.1))  # also: the last run's edits are not fresh any more when it lists them
    results["cold"].append(timed_build(corpus, extra))
    time.sleep(2.1)  # past the window in which a file's time is not trusted
    results["no change"].append(timed_build(corpus, extra))
    edit_one(corpus, 2 * run)
    results["one edit"].append(timed_build(corpus, extra))  # the first after a cold build
    edit_one(corpus, 2 * run + 1)
    results["one edit, again"].append(timed_build(corpus, extra))  # as a curator's next edit
    with (corpus / "templates/_footer.html").open("a", encoding="utf-8") as footer:
        footer.write(f"<!-- edit {run} -->\n")
    time.sleep(2.1)
    results["a template edited"].append(timed_build(corpus, extra))
    base_url = ["--base-url", f"https://example.org/archive-{run}/"]
    results["under another base URL"].append(timed_build(corpus, extra + base_url))


def other_cold_builds(
    others: dict[str, tuple[list[list[str]], Path]], rest: float, results: dict[str, list[Timing]]
) -> None:
    """Each other generator's cold build of the corpus."""
    for name, (commands, out) in others.items():
        shutil.rmtree(out, ignore_errors=True)
        time.sleep(rest)
        results[f"cold, {name}"].append(timed_commands(commands))


def edit_one(corpus: Path, run: int) -> None:
    """Change the body of one text (its last paragraph), front matter kept."""
    path = min((corpus / "content/articles").rglob("*.md"))
    text = path.read_text(encoding="utf-8").rstrip("\n")
    path.write_text(text + f"\n\nAn edit, number {run}.\n", encoding="utf-8")


def make_corpus(articles: int, where: Path) -> Path:
    corpus = Path(tempfile.mkdtemp(prefix="archive-bench-corpus-", dir=where))
    command = [
        sys.executable,
        str(ROOT / "bench/make_corpus.py"),
        "--articles",
        str(articles),
        "--out",
        str(corpus),
    ]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return corpus


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, help="a folder holding content/ (default: make one)")
    parser.add_argument("--articles", type=int, default=1000, help="texts in the corpus made (default 1000)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each kind (default 3)")
    parser.add_argument("--jobs", type=int, default=0, help="passed to build --jobs (default: one per core)")
    parser.add_argument(
        "--no-search", dest="search", action="store_false", help="build without the search index"
    )
    parser.add_argument(
        "--tmpfs",
        action="store_true",
        help="make the corpus in /dev/shm, a memory file system (default: the disk)",
    )
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
    compileall.compile_dir(ROOT / "archive", quiet=1)
    scratch = Path(tempfile.mkdtemp(prefix="archive-bench-"))
    made = args.corpus is None
    corpus = (
        make_corpus(args.articles, Path("/dev/shm" if args.tmpfs else tempfile.gettempdir()))
        if made
        else args.corpus
    )
    extra = (["--jobs", str(args.jobs)] if args.jobs else []) + ([] if args.search else ["--no-search"])
    kinds = (
        "cold",
        "no change",
        "one edit",
        "one edit, again",
        "a template edited",
        "under another base URL",
    )
    results: dict[str, list[Timing]] = {kind: [] for kind in kinds}
    others = other_builds(args, corpus, scratch)
    for name in others:
        results[f"cold, {name}"] = []
    for run in range(args.runs):  # the archive goes first in every other run
        if run % 2 == 0:
            other_cold_builds(others, args.rest, results)
        archive_builds(corpus, extra, run, args.rest, results)
        if run % 2 == 1:
            other_cold_builds(others, args.rest, results)
    report(corpus, args, results, others)
    for _, out in others.values():
        shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(scratch, ignore_errors=True)
    if made:
        shutil.rmtree(corpus, ignore_errors=True)
    else:
        shutil.rmtree(corpus / "templates", ignore_errors=True)


def report(
    corpus: Path,
    args: argparse.Namespace,
    results: dict[str, list[Timing]],
    others: dict[str, tuple[list[list[str]], Path]],
) -> None:
    texts = sum(1 for _ in (corpus / "content/articles").rglob("*.md"))
    search = "search on" if args.search else "search off"
    print(f"{texts} texts in {corpus}, {search}, {args.runs} runs each, {os.cpu_count()} cores")
    print("| build | median s | runs s | peak MB, whole tree (PSS) | (RSS summed) | peak MB, one process |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name, rows in results.items():
        times = ", ".join(f"{row.seconds:.2f}" for row in rows)
        median = statistics.median(row.seconds for row in rows)
        pss, rss = max(row.tree_pss for row in rows), max(row.tree_rss for row in rows)
        print(f"| {name} | {median:.2f} | {times} | {pss} | {rss} | {max(row.single for row in rows)} |")
    ours = statistics.median(row.seconds for row in results["cold"])
    for name in others:
        theirs = statistics.median(row.seconds for row in results[f"cold, {name}"])
        print(f"cold build, the archive / {name}: {ours / theirs:.2f}")


if __name__ == "__main__":
    main()
