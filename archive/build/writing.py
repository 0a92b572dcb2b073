"""Writing: the jobs whose keys changed -> their files in the staging folder."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from markupsafe import Markup

from archive.base.records import Job
from archive.build.parallel import Progress, run_parallel
from archive.output.templating import EntryKey, ListEntries
from archive.output.writer import FileStat, link_output, write_output


@dataclass
class WritingContext:
    """What a writing process is given: the jobs of its round and where to write them."""

    jobs: Sequence[Job]
    staging: Path
    mirror: Path | None  # a folder to hard-link every file written into as well
    entries: ListEntries | None  # the list entries to hand on to later rounds
    folders: set[str] = field(default_factory=set)  # made by this process, this round


def write_jobs(
    jobs: list[Job],
    staging: Path,
    processes: int,
    progress: Progress | None,
    mirror: Path | None = None,
    entries: ListEntries | None = None,
) -> dict[str, FileStat]:
    """Make every job's file in the staging folder, and a hard link to it in mirror; return the
    stats of the files made, by path.

    In a pool, the jobs marked later are made in a second round, by processes forked once the
    entries of texts in lists that the first round made are back in this one.
    """
    rounds = [jobs]
    if entries is not None and processes > 1:
        rounds = [[job for job in jobs if not job.later], [job for job in jobs if job.later]]
    done = 0
    files: dict[str, FileStat] = {}
    for part in rounds:
        handing_on = entries if part is not rounds[-1] else None  # to the rounds after this one
        context = WritingContext(part, staging, mirror, handing_on)
        told = partial(progress_from, progress, done, len(jobs)) if progress else None
        for _, (made, written) in run_parallel(
            write_chunk, context, range(len(part)), processes, told, "write"
        ):
            files.update(written)
            if handing_on is not None:
                for fresh in made:
                    handing_on.keep(fresh)
        done += len(part)
    return files


def progress_from(progress: Progress, done: int, total: int, step: str, count: int, _: int) -> None:
    """Progress over all rounds, from one round's."""
    progress(step, done + count, total)


def write_chunk(
    context: WritingContext, indices: Sequence[int]
) -> tuple[list[list[tuple[EntryKey, Markup]]], dict[str, FileStat]]:
    """Make these jobs: for each, the list entries it made first; and the stats of the files."""
    jobs, entries = context.jobs, context.entries
    made = []
    outputs = []
    for index in indices:  # every page first, then every file: each step's code stays in the caches
        outputs.append(jobs[index].make())
        made.append(entries.take_fresh() if entries is not None else [])
    written = {output.path: write_output(context.staging, output, context.folders) for output in outputs}
    if context.mirror:
        for output in outputs:
            link_output(context.staging, context.mirror, output.path, context.folders)
    return made, written
