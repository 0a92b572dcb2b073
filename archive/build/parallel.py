"""A pool of forked processes that work through chunks of items, each process given its
context once, by the pool's initializer."""

from __future__ import annotations

import signal
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")
C = TypeVar("C")
Progress = Callable[[str, int, int], None]  # step, done, total
PARALLEL_MIN = 64  # below this many items a pool costs more than it saves


class Task(Generic[C, T, R]):
    """A function of a context and a chunk of items; in a worker, the context it was given."""

    def __init__(self, function: Callable[[C, Sequence[T]], R], context: C) -> None:
        self.function = function
        self.context = context

    def __call__(self, chunk: Sequence[T]) -> R:
        return self.function(self.context, chunk)


# The task of this worker process. The pool's initializer sets it in each worker, once, before
# its first chunk; the process that starts the pool never sets nor reads it.
WORKER_TASK: list[Task[Any, Any, Any]] = []


def start_worker(task: Task[Any, Any, Any]) -> None:
    """The pool's initializer: keep the task (inherited through the fork, never pickled), and
    leave Ctrl-C to the parent, which stops the pool and drops the staging folder."""
    WORKER_TASK[:] = [task]
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def work_on(chunk: Sequence[Any]) -> Any:
    return WORKER_TASK[0](chunk)


def run_parallel(
    function: Callable[[C, Sequence[T]], R],
    context: C,
    items: Sequence[T],
    processes: int,
    progress: Progress | None = None,
    step: str = "",
    before_fork: Callable[[], None] | None = None,
) -> Iterator[tuple[Sequence[T], R]]:
    """function(context, chunk) over items a chunk at a time, in a pool of forked processes
    when it pays: each chunk with its result, in order, as they come.

    before_fork is called before the processes start (to close what must not cross a fork).
    """
    total, done = len(items), 0
    serial = processes <= 1 or total < PARALLEL_MIN
    chunks = chunked(items, 100) if serial else shrinking_chunks(items, processes)
    if serial:
        for chunk in chunks:
            yield chunk, function(context, chunk)
            done += len(chunk)
            if progress:
                progress(step, done, total)
        return
    # Imported here: a small rebuild needs no pool, and importing one is a good part of its time.
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    if before_fork:
        before_fork()
    task = Task(function, context)
    with ProcessPoolExecutor(
        processes, mp_context=get_context("fork"), initializer=start_worker, initargs=(task,)
    ) as pool:
        try:
            for chunk, result in zip(chunks, pool.map(work_on, chunks), strict=True):
                yield chunk, result
                done += len(chunk)
                if progress:
                    progress(step, done, total)
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)
            raise


def chunked(items: Sequence[T], size: int) -> list[Sequence[T]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def shrinking_chunks(items: Sequence[T], processes: int) -> list[Sequence[T]]:
    """Chunks of up to 200 items, smaller towards the end, so that the processes finish together
    (each chunk at most an eighth of what is left for each process, at least 4 items)."""
    chunks: list[Sequence[T]] = []
    start = 0
    while start < len(items):
        size = max(4, min(200, (len(items) - start) // (processes * 8)))
        chunks.append(items[start : start + size])
        start += size
    return chunks
