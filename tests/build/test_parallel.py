"""The pool of forked workers, with the process that starts it working beside them."""

from __future__ import annotations

import os
import time
from collections.abc import Sequence

import pytest

from archive.build.parallel import PARALLEL_MIN, run_parallel


def pids_and_squares(delay: float, chunk: Sequence[int]) -> tuple[int, list[int]]:
    time.sleep(delay)
    return os.getpid(), [i * i for i in chunk]


def fails_on_seven(context: None, chunk: Sequence[int]) -> list[int]:
    if 7 in chunk:
        raise ValueError("seven")
    return list(chunk)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="workers are forked")
def test_every_chunk_comes_back_in_order_made_by_this_process_and_the_workers() -> None:
    items = range(PARALLEL_MIN * 4)
    results = list(run_parallel(pids_and_squares, 0.005, items, processes=2))
    assert [i for chunk, _ in results for i in chunk] == list(items)
    assert [square for _, (_, squares) in results for square in squares] == [i * i for i in items]
    makers = {pid for _, (pid, _) in results}
    assert os.getpid() in makers and len(makers) == 2


@pytest.mark.skipif(not hasattr(os, "fork"), reason="workers are forked")
@pytest.mark.parametrize("processes", [1, 2, 3])
def test_an_error_in_any_chunk_reaches_the_caller(processes: int) -> None:
    with pytest.raises(ValueError, match="seven"):
        list(run_parallel(fails_on_seven, None, range(PARALLEL_MIN * 2), processes))
