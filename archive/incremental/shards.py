"""Search shards as earlier builds indexed them, kept by key in the cache: a rebuild indexes
only the shards whose texts changed, and links the others into the new site."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path

from archive.base.files import owner_alive
from archive.output.search import BUNDLE, Shard
from archive.output.writer import link_tree

NEW = ".new-"  # a shard being indexed; one a killed build left is removed by the next


class ShardStore:
    """The folder of indexed shards, each in a folder named by its key."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def path(self, shard: Shard) -> Path:
        return self.folder / shard.key

    def index(self, shards: Sequence[Shard], run: Callable[[list[tuple[Shard, Path]]], None]) -> int:
        """Index the shards not kept yet (run indexes each into the folder it is given); return
        how many. Each goes in place only once whole: a build stopped halfway leaves none."""
        work = self.prepare(self.missing(shards))
        if not work:
            return 0
        try:
            run(work)
            self.keep(work)
        finally:
            self.drop(work)
        return len(work)

    def missing(self, shards: Sequence[Shard]) -> list[Shard]:
        """The shards not kept yet, each once."""
        distinct = {shard.key: shard for shard in shards}.values()
        return [shard for shard in distinct if not self.path(shard).is_dir()]

    def prepare(self, shards: Sequence[Shard]) -> list[tuple[Shard, Path]]:
        """Each shard with the empty folder of this process to index it into."""
        if shards:
            self.folder.mkdir(parents=True, exist_ok=True)
        work = [(shard, self.folder / f"{NEW}{os.getpid()}-{shard.key}") for shard in shards]
        for _, folder in work:
            shutil.rmtree(folder, ignore_errors=True)
        return work

    def keep(self, work: Sequence[tuple[Shard, Path]]) -> None:
        """Put the shards indexed into these folders in place."""
        for shard, folder in work:
            os.replace(folder, self.path(shard))

    def drop(self, work: Sequence[tuple[Shard, Path]]) -> None:
        """Remove what is left of these folders (shards not kept)."""
        for _, folder in work:
            shutil.rmtree(folder, ignore_errors=True)

    def link(self, shards: Sequence[Shard], site: Path) -> None:
        """Hard-link every shard's bundle into its folder of the site, and remove what else the
        site's index folder holds. A folder that holds the links already (a staged twin keeps
        the shards an edit did not touch) is left as it is."""
        wanted = {shard.folder: self.path(shard) for shard in shards}
        remove_others(site / BUNDLE, {folder.split("/", 1)[1] for folder in wanted})
        for folder, bundle in wanted.items():
            if linked_files(site / folder) != linked_files(bundle):
                link_tree(bundle, site / folder)

    def prune(self, keep: Sequence[Shard]) -> None:
        """Forget every shard but these (and those another build is indexing now)."""
        kept = {shard.key for shard in keep}
        try:
            names = os.listdir(self.folder)
        except FileNotFoundError:
            return
        for name in names:
            if name not in kept and not (name.startswith(NEW) and owner_alive(name[len(NEW) :])):
                shutil.rmtree(self.folder / name, ignore_errors=True)


def remove_others(index: Path, kept: set[str]) -> None:
    """Remove from the site's index folder every entry but the bundles kept ('en/3', ...)."""
    languages = {folder.split("/")[0] for folder in kept}
    for language in list_folder(index):
        if language.name not in languages or not language.is_dir(follow_symlinks=False):
            remove(language)
            continue
        for bundle in list_folder(Path(language.path)):
            if f"{language.name}/{bundle.name}" not in kept:
                remove(bundle)


def list_folder(folder: Path) -> list[os.DirEntry[str]]:
    try:
        with os.scandir(folder) as entries:
            return list(entries)
    except (FileNotFoundError, NotADirectoryError):
        return []


def remove(entry: os.DirEntry[str]) -> None:
    if entry.is_dir(follow_symlinks=False):
        shutil.rmtree(entry.path, ignore_errors=True)
    else:
        os.unlink(entry.path)


def linked_files(folder: Path) -> dict[str, int]:
    """Every file under folder, by its path there, with its inode: two folders that give the
    same are hard-linked copies of each other."""
    found: dict[str, int] = {}
    todo = [("", os.fspath(folder))]
    while todo:
        prefix, path = todo.pop()
        try:
            with os.scandir(path) as entries:
                for entry in entries:
                    if entry.is_dir(follow_symlinks=False):
                        todo.append((f"{prefix}{entry.name}/", entry.path))
                    else:
                        found[prefix + entry.name] = entry.inode()
        except OSError:
            continue
    return found
