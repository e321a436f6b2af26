"""Exceptions raised by :mod:`engine.compute`."""

from __future__ import annotations


class ComputeError(Exception):
    """Base of the errors raised by the compute executor itself.

    Exceptions raised *by the submitted function* are never wrapped: they propagate with their
    own type and message.
    """


class ComputeWorkerDied(ComputeError):
    """A worker died (``os._exit``, a signal, the OOM killer, a crash in C code) mid-task.

    Every call that was in flight on the broken process pool gets this error, including calls
    whose own function was innocent: a process pool cannot tell which task killed it. The pool
    is replaced once; the next :func:`engine.compute.run` uses a fresh one.
    """


class ComputeCancelled(ComputeError):
    """:func:`engine.compute.map_chunks` stopped because ``should_stop()`` returned true.

    ``done`` is the number of chunks finished before the stop and ``total`` the number of chunks
    (``None`` when the chunks came from an iterator of unknown length).
    """

    def __init__(self, message: str, *, done: int, total: int | None) -> None:
        super().__init__(message)
        self.done = done
        self.total = total
