"""A pool of forked processes that work through chunks of items beside the process that
started it, each worker given its context once, by the pool's initializer."""

from __future__ import annotations

import signal
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:
    from concurrent.futures import Executor, Future

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
    """function(context, chunk) over items a chunk at a time, by this process and a pool of
    processes - 1 forked ones when it pays: each chunk with its result, in order, as they come.

    This process works too, rather than wait: a forked worker copies the pages of the site model
    it touches, so each worker fewer is a copy of the model fewer (a gigabyte at 100,000 texts).
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
    workers = processes - 1
    with ProcessPoolExecutor(
        workers, mp_context=get_context("fork"), initializer=start_worker, initargs=(task,)
    ) as pool:
        try:
            for chunk, result in alongside(pool, workers, task, chunks):
                yield chunk, result
                done += len(chunk)
                if progress:
                    progress(step, done, total)
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)
            raise


def alongside(
    pool: Executor, workers: int, task: Task[C, T, R], chunks: Sequence[Sequence[T]]
) -> Iterator[tuple[Sequence[T], R]]:
    """Each chunk with its result, in order: the pool's workers are kept two chunks ahead each,
    and whenever the chunk due is not ready, this process takes the next one itself."""
    handed: dict[int, Future[R]] = {}  # to the pool, not yet yielded
    made: dict[int, R] = {}  # by this process, not yet yielded
    taken = 0  # how many chunks are handed out, to the pool or made here (the first ones)
    for due, chunk in enumerate(chunks):
        while due not in made:
            while taken < len(chunks) and len(handed) < 2 * workers:
                handed[taken] = pool.submit(work_on, chunks[taken])
                taken += 1
            if handed[due].done() or taken == len(chunks):  # the chunk due is the pool's
                made[due] = handed.pop(due).result()
            else:
                made[taken] = task(chunks[taken])
                taken += 1
        yield chunk, made.pop(due)


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
