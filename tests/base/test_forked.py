"""A function run in a forked process: its result, its exception, its death, its stop."""

from __future__ import annotations

import os
import time

import pytest

from archive.base.forked import ChildLost, Forked


def test_the_result_comes_back_from_the_child() -> None:
    assert Forked(lambda: {"a", str(os.getpid())}).result() != {"a", str(os.getpid())}
    assert Forked(lambda: [1, 2, 3]).result() == [1, 2, 3]


def test_an_exception_of_the_child_is_raised_by_result() -> None:
    def fail() -> None:
        raise ValueError("no room")

    with pytest.raises(ValueError, match="no room"):
        Forked(fail).result()


def test_a_child_that_dies_without_an_answer_is_lost() -> None:
    with pytest.raises(ChildLost):
        Forked(lambda: os._exit(3)).result()


def test_a_stopped_child_is_killed_and_waited_for() -> None:
    started = time.monotonic()
    running = Forked(lambda: time.sleep(30))
    running.stop()
    assert time.monotonic() - started < 5
    with pytest.raises(ChildProcessError):
        os.waitpid(running.pid, os.WNOHANG)  # reaped: no zombie left
    with pytest.raises(ChildLost):
        running.result()
