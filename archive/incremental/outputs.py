"""The second seam of a rebuild: which files of the site to make, and where to make them.

Words: the *live* folder is the output folder the last build swapped in; its *twin* is the
folder it replaced, kept in the cache, which the next build brings up to date (a few files
written, a few removed) and swaps in, instead of building a whole tree again. Each holds files
whose keys the state recorded. A file whose key the live folder has too is a hard link to the
live file (same bytes, same times); every other file is made.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

from archive.base.forked import Forked
from archive.base.records import Job
from archive.incremental.state import SiteState, folder_id
from archive.output.writer import FileStat, link_tree, staged_update, stat_of


class LiveSite:
    """The output folder as the last build left it, with its twin in the cache (None: no twin,
    as without a cache or where the cache is on another file system)."""

    def __init__(self, last: SiteState, out_dir: Path, twin: Path | None, trash: Path | None = None) -> None:
        self.last = last
        self.out_dir = out_dir
        self.twin = twin
        self.trash = trash  # where the folders the update drops are deleted without waiting
        self.live_id = folder_id(out_dir)
        # The live folder as recorded, unless it was replaced behind the cache's back.
        self.live = last.outputs if self.live_id and self.live_id == last.live_id else {}
        trusted = twin is not None and folder_id(twin) == last.twin_id and not changing_marker(twin).exists()
        # Checked beside the next steps, and awaited before the twin is staged.
        self.check = TwinCheck(twin, last.twin_files) if trusted and twin is not None else None

    def plan(self, jobs: Sequence[Job], search_key: str | None) -> SiteUpdate:
        """What a build of these jobs (and a search index of this key) must do."""
        keys = {job.path: job.key for job in jobs}
        todo = [job for job in jobs if self.live.get(job.path) != job.key]
        unchanged = not todo and keys.keys() == self.live.keys() and search_key == self.last.search
        if unchanged and changed_by_hand(self.out_dir, self.last.files, self.last.files):
            unchanged = False  # the files are made again (staged afresh or in the twin)
        # A build that rewrites every file (the first, or one after a change of code or
        # templates) stages afresh and leaves a new twin, linking each file as it is written:
        # the old site would be a twin stale throughout, for the next build to redo whole.
        mirror = self.twin if self.twin and len(todo) == len(jobs) else None
        usable = self.check is not None and not mirror
        return SiteUpdate(self, list(jobs), keys, todo, search_key, unchanged, mirror, usable)

    def close(self) -> None:
        """Stop the twin's check, if its answer was never asked for."""
        if self.check is not None:
            self.check.stop()

    def twin_damaged(self) -> set[str]:
        """The twin's files that are not what the state says (see TwinCheck)."""
        return set() if self.check is None else self.check.damaged


class TwinCheck:
    """The paths of the twin whose files are not the ones the state recorded: deleted, replaced,
    or changed (a file changed in place changes its time). Looked at in a forked process,
    beside the steps that follow."""

    def __init__(self, twin: Path, files: Mapping[str, FileStat]) -> None:
        self.files = files
        self.looking = Forked(partial(damaged_files, twin, files))

    @property
    def damaged(self) -> set[str]:
        try:
            return self.looking.result()
        except Exception:  # no answer (the process died): every file is written again
            return set(self.files)

    def stop(self) -> None:
        """Stop looking, if the answer was never asked for."""
        self.looking.stop()


def damaged_files(twin: Path, files: Mapping[str, FileStat]) -> set[str]:
    root = f"{twin}{os.sep}"
    return {path for path, stat in files.items() if stat_of(root + path) != stat}


INDEX_FOLDER = "pagefind/"
INDEX_ENTRIES = "*/*/pagefind-entry.json"  # a bundle's entry file, by language and shard


def index_intact(folder: Path, files: Mapping[str, FileStat]) -> bool:
    """Whether the folder's search index has every entry file the state recorded, unchanged,
    and no other."""
    recorded = {path for path in files if path.startswith(INDEX_FOLDER)}
    found = {entry.relative_to(folder).as_posix() for entry in (folder / INDEX_FOLDER).glob(INDEX_ENTRIES)}
    return bool(recorded) and found == recorded and not changed_by_hand(folder, files, recorded)


def changed_by_hand(folder: Path, files: Mapping[str, FileStat], paths: Iterable[str]) -> bool:
    """Whether a file of the folder is not the one its stats say (deleted, replaced, edited)."""
    root = f"{folder}{os.sep}"  # joined by hand: os.path.join took a third of a no-change build's check
    return any(stat_of(root + path) != files.get(path) for path in paths)


def changing_marker(twin: Path) -> Path:
    """The file that says a build is changing the twin (it is not what the state says until
    the build is saved)."""
    return twin.with_name(twin.name + ".changing")


@dataclass
class SiteUpdate:
    """The files a build makes, the folder it makes them in, and the state it leaves."""

    site: LiveSite
    jobs: list[Job]
    keys: dict[str, str]  # every path's key
    todo: list[Job]  # the jobs to make: their keys changed, or their files are missing
    search_key: str | None  # None: no search index
    unchanged: bool  # nothing to make, nothing to remove: the live folder stays as it is
    mirror: Path | None  # the twin, emptied, to link every file made into as well
    twin_usable: bool  # the twin holds what the state says: it is staged in
    files: dict[str, FileStat] = field(default_factory=dict)  # the staged files' stats, by path
    twin_index_intact: bool = True  # no file of the twin's search index was found damaged

    @contextmanager
    def staged(self) -> Iterator[Path]:
        """A staging folder holding every unchanged file, for the jobs to be made in; swapped
        in for the live folder when the block succeeds, dropped when it fails. While the twin is
        being changed, a marker says so: a build stopped then leaves a twin no build trusts."""
        site, last = self.site, self.site.last
        twin_keys = last.twin if self.twin_usable else None
        damaged = site.twin_damaged() if self.twin_usable else None
        self.twin_index_intact = not any(path.startswith(INDEX_FOLDER) for path in damaged or ())
        if site.twin is not None:
            changing_marker(site.twin).touch()
        update = staged_update(
            site.out_dir,
            site.twin,
            site.live,
            twin_keys,
            self.keys,
            mirrored=self.mirror is not None,
            live_files=last.files,
            twin_files=last.twin_files,
            twin_damaged=damaged,
            trash=site.trash,
        )
        with update as staged:
            self.files = staged.kept
            self.todo += [job for job in self.jobs if job.path in staged.missing]
            yield staged.folder

    def wrote(self, files: dict[str, FileStat]) -> None:
        """Take the stats of the files the build wrote."""
        self.files.update(files)

    def saved(self) -> None:
        """The state that describes the twin is kept: the twin can be trusted again."""
        if self.site.twin is not None:
            changing_marker(self.site.twin).unlink(missing_ok=True)

    def index_search(self, staging: Path, index: Callable[[Path], None]) -> None:
        """Give the staged site its search index: the live one when its key is the same, else a
        new one made by index; none when search is off."""
        bundle = staging / INDEX_FOLDER
        if self.search_key is None:
            shutil.rmtree(bundle, ignore_errors=True)
            return
        last = self.site.last
        in_twin = self.twin_usable and last.twin_search == self.search_key and self.twin_index_intact
        if self.search_key == last.search and (in_twin or index_intact(self.site.out_dir, last.files)):
            if not in_twin:
                link_tree(self.site.out_dir / INDEX_FOLDER, bundle)
        else:
            index(staging)  # which keeps the staged twin's bundles of shards that did not change
        # The entry file of each bundle is kept with the pages' stats: an index deleted or
        # replaced by hand is noticed like any other file.
        for entry in bundle.glob(INDEX_ENTRIES):
            found = stat_of(os.fspath(entry))
            if found is not None:
                self.files[entry.relative_to(staging).as_posix()] = found

    def settled(self) -> SiteState:
        """The state of the output folder and its twin once the update is swapped in."""
        site, last = self.site, self.site.last
        live = replace(last, outputs=self.keys, live_id=folder_id(site.out_dir), search=self.search_key)
        if self.unchanged:
            return live
        live = replace(live, files=self.files)
        if self.mirror:  # the twin holds the new site, but for its search index
            twin = dict(self.keys)
            return replace(
                live, twin=twin, twin_files=self.files, twin_id=folder_id(self.mirror), twin_search=None
            )
        # The twin is the old live folder, if it was this cache's to know.
        if site.twin and site.live_id and site.live_id == last.live_id:
            twin_id = folder_id(site.twin)
            return replace(
                live, twin=dict(site.live), twin_files=last.files, twin_id=twin_id, twin_search=last.search
            )
        return replace(live, twin=None, twin_files={}, twin_id=None, twin_search=None)
