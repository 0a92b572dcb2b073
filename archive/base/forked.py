"""A function run in a forked process beside the caller's next steps, its result read back."""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
from collections.abc import Callable
from typing import Any, Generic, TypeVar

R = TypeVar("R")


class ChildLost(Exception):
    """The forked process died, or was stopped, before it answered."""


class Forked(Generic[R]):
    """function() run in a process forked now, on another core while this one goes on (a thread
    would wait for Python's lock between its system calls); run at once, in this process, where
    fork is not available. Its result, or the exception it raised, comes back pickled through a
    pipe, when result() is asked for.

    The child leaves Ctrl-C to this process (which stops it), and ends without running any exit
    code of this one (os._exit): nothing this process holds is flushed or closed twice."""

    def __init__(self, function: Callable[[], R]) -> None:
        self.pid = 0
        self.reader: int | None = None
        self.outcome: tuple[bool, Any] | None = None  # (succeeded, its result or its exception)
        if not hasattr(os, "fork"):
            self.outcome = outcome_of(function)
            return
        reader, writer = os.pipe()
        pid = os.fork()
        if pid == 0:
            try:
                signal.signal(signal.SIGINT, signal.SIG_IGN)
                os.close(reader)
                with os.fdopen(writer, "wb") as answer:
                    answer.write(answer_of(outcome_of(function)))
            finally:
                os._exit(0)
        os.close(writer)
        self.pid, self.reader = pid, reader

    def result(self) -> R:
        """Wait for the child: what the function returned, or the exception it raised (ChildLost
        when the child left no answer)."""
        if self.reader is not None:
            with os.fdopen(self.reader, "rb") as answer:
                data = answer.read()
            self.reader = None
            os.waitpid(self.pid, 0)
            try:
                self.outcome = pickle.loads(data)
            except Exception:
                self.outcome = (False, ChildLost("the process stopped before it answered"))
        assert self.outcome is not None
        succeeded, value = self.outcome
        if not succeeded:
            raise value
        return value  # type: ignore[no-any-return]

    def stop(self) -> None:
        """Kill the child if it has not answered yet, and wait for it."""
        if self.reader is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        os.close(self.reader)
        self.reader = None
        self.outcome = (False, ChildLost("stopped"))


def outcome_of(function: Callable[[], Any]) -> tuple[bool, Any]:
    try:
        return True, function()
    except Exception as error:
        return False, error


def answer_of(outcome: tuple[bool, Any]) -> bytes:
    """The outcome pickled; an exception that cannot be pickled is sent as its message."""
    try:
        return pickle.dumps(outcome, pickle.HIGHEST_PROTOCOL)
    except Exception:
        return pickle.dumps((False, ChildLost(str(outcome[1]))), pickle.HIGHEST_PROTOCOL)
