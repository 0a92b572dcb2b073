"""The build cache: what earlier builds read, rendered and wrote, so a rebuild redoes only what changed.

It lives in `.cache/` beside the content folder; deleting it is always safe (the next build is
a cold one). Its words:

- **stamp**: a digest of a text's file and of everything it is read with (the reading key);
  equal stamps, equal texts. Bodies are kept by stamp.
- **index stamp**: the same digest but for where the site is served (the base URL, relative
  links): equal index stamps, equal search records. Search shards are kept by them.
- **reading key**: a digest of site.yaml, sources.yaml, the base URL and the code: texts read
  with another are read again.
- **record**: what a build keeps of a text, by file: the file's stat, the light text (all but
  its Markdown and HTML) and its rows of the data export.
- **key**: of an output file, a digest of everything it is made from (output/keys.py); a file
  whose key did not change is not made again.
- **live folder**, **twin**: the output folder as the last build left it, and the folder it
  replaced, kept here, which the next build brings up to date and swaps in (incremental/outputs.py).
- **inputs**: a digest of every input's stat and of the options; equal inputs, same site, and
  a build does nothing at all.
- **summary**: the few facts that tell so, read without loading the whole state.
- **file stats**: a file's inode, size and modification time as the build left it, for every
  file of the live folder and of the twin; a file that no longer has them is made again.
- **history**: the texts' corrections read from git, kept by the commit they were read at,
  with every pair of versions compared (site/history.py).
- **trash**: folders a build dropped, renamed there and, once it is done, deleted by processes
  of their own, which it does not wait for.
- **shard**: some texts of one language indexed together for search, kept by a key of their
  URLs and index stamps (incremental/shards.py).

Two seams answer the questions a build asks: incremental/texts.py which texts can be taken
again, incremental/outputs.py which files must be made, where. Without a cache (--no-cache)
they answer "none" and "all", and the same code runs.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from archive.base.diagnostics import display_path
from archive.base.files import empty_trash, save_atomically
from archive.incremental.bodies import BodyStore
from archive.incremental.shards import ShardStore
from archive.incremental.state import (
    BuildState,
    StateFiles,
    Summary,
    load_versioned,
    save_versioned,
)
from archive.output.search import Shard
from archive.output.writer import hold_lock
from archive.site.history import KeptHistory
from archive.site.related import RelatedUrls


def unusable(folder: Path) -> str:
    """Why the cache folder cannot be used ('' when it can): a file in its way, no permission."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "sites").mkdir(exist_ok=True)
        probe = folder / f".probe-{os.getpid()}"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as error:
        return error.strerror or str(error)
    return ""


class BuildCache:
    """The cache folder of a build: bodies by stamp, and the state and twin of its output folder."""

    def __init__(self, folder: Path, out_dir: Path, keep: bool = True) -> None:
        self.folder = folder.resolve()
        self.keep = keep  # False: a scratch cache, dropped after the build
        self.bodies = BodyStore(self.folder / "texts.sqlite")
        self.shards = ShardStore(self.folder / "search")
        self.files = StateFiles(self.folder, out_dir)
        self.out_dir = out_dir
        self.compiled = self.folder / "templates" if keep else None  # compiled templates

    def load_summary(self) -> Summary | None:
        return self.files.load_summary() if self.keep else None

    def load_state(self) -> BuildState:
        return self.files.load_state() if self.keep else BuildState()

    def save_state(
        self, state: BuildState, files: int, parts: list[bytes] | None, shards: tuple[Shard, ...]
    ) -> str:
        """Keep the state (parts: its records as the readers pickled them), and forget the
        bodies of texts it no longer holds and the search shards it does not use. When that
        fails (a full disk), forget the state, so that the next build is a cold one, and say
        why: the site is built whatever happens to the cache."""
        if not self.keep:
            return ""
        try:
            self.files.save_state(state, files, parts)
            self.bodies.prune({record.text.stamp for record in state.texts.records.values()})
            self.shards.prune(shards)
        except OSError as error:
            self.files.forget()
            return error.strerror or str(error)
        return ""

    def load_history(self) -> KeptHistory:
        """The history the last build kept (site/history.py), or an empty one."""
        try:
            kept = pickle.loads((self.folder / "history.pickle").read_bytes()) if self.keep else None
        except (OSError, pickle.UnpicklingError, ValueError, TypeError, EOFError, AttributeError):
            kept = None
        return kept if isinstance(kept, KeptHistory) else KeptHistory()

    def save_history(self, kept: KeptHistory | None) -> None:
        """Keep the history for the next build; a history that cannot be kept is read again."""
        if self.keep and kept is not None:
            with contextlib.suppress(OSError):
                save_atomically(self.folder / "history.pickle", pickle.dumps(kept, pickle.HIGHEST_PROTOCOL))

    def load_related(self, key: str) -> RelatedUrls | None:
        """The related texts the last build found, if it found them from texts of this key."""
        kept = load_versioned(self.folder / "related.pickle") if self.keep else None
        return kept[1] if isinstance(kept, tuple) and len(kept) == 2 and kept[0] == key else None

    def save_related(self, key: str, related: RelatedUrls) -> None:
        if self.keep:
            with contextlib.suppress(OSError):
                save_versioned(self.folder / "related.pickle", (key, related))

    def twin(self) -> Path | None:
        """The twin folder of the output, where it can be swapped in by renaming (one file system)."""
        if not self.keep:
            return None
        self.files.folder.mkdir(parents=True, exist_ok=True)
        parent = self.out_dir.resolve().parent
        parent.mkdir(parents=True, exist_ok=True)
        return self.files.twin if os.stat(self.files.folder).st_dev == os.stat(parent).st_dev else None

    def trash(self) -> Path | None:
        """Where the folders a build drops (an old twin, the old live folder) are put, to be
        deleted once the build is done without waiting for them (see open_cache); a folder on
        another file system cannot be moved there, and is deleted at once (base/files.discard)."""
        return self.folder / "trash" if self.keep else None


@contextmanager
def open_cache(
    folder: Path, out_dir: Path, keep: bool, say: Callable[[str], None] | None = None
) -> Iterator[BuildCache]:
    """The cache in folder, locked (a build using it waits for another), or without keep, or
    where folder cannot be used (said, with why), one in a temporary folder dropped after the
    build: the cache only saves time."""
    problem = unusable(folder) if keep else ""
    if problem and say:
        say(f"warning: the cache {display_path(folder)} cannot be used ({problem}): building without it")
    if keep and not problem:
        with hold_lock(folder / "lock", f"another build using the cache {display_path(folder)}", say):
            cache = BuildCache(folder, out_dir)
            try:
                yield cache
            finally:
                cache.bodies.close()
                # Deleted once the build is done: beside it, the deleting made writing slower.
                empty_trash(cache.folder / "trash")
        return
    with tempfile.TemporaryDirectory(prefix="archive-build-") as scratch:
        cache = BuildCache(Path(scratch), out_dir, keep=False)
        try:
            yield cache
        finally:
            cache.bodies.close()
