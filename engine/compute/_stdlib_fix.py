"""A backport of CPython's fix for gh-107219 to the ProcessPoolExecutor of Python 3.11.

When a worker dies, the pool's manager thread fails every call still pending with
``BrokenProcessPool``. Before 3.12 it does so with a bare ``future.set_exception()``, which
raises ``InvalidStateError`` for a call that was cancelled while it waited in the pool's queue
(an awaiting task that was cancelled cancels its call: ``asyncio.wrap_future``). The exception
kills the manager thread half-way: the surviving workers are never terminated and sit on the
call queue forever, and at interpreter exit ``multiprocessing`` joins them, so the process
never exits. Python 3.12 ignores the error (CPython PR 108974); this module does the same on
3.11 by handing the original method futures whose ``set_exception`` tolerates a cancelled
future, and changes nothing else.
"""

from __future__ import annotations

import contextlib
import sys
from concurrent.futures import Future, InvalidStateError
from concurrent.futures import process as _process
from typing import Any

_MARK = "_titan_gh107219"


class _TolerantFuture:
    """Stands in for a pending call's future while the pool marks it broken."""

    __slots__ = ("_future",)

    def __init__(self, future: Future[Any]) -> None:
        self._future = future

    def set_exception(self, exc: BaseException | None) -> None:
        # A call cancelled while it waited: nobody awaits it.
        with contextlib.suppress(InvalidStateError):
            self._future.set_exception(exc)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._future, name)


def apply() -> bool:
    """Patch ``_ExecutorManagerThread.terminate_broken`` once on Python < 3.12; True if so."""
    manager = getattr(_process, "_ExecutorManagerThread", None)
    original = getattr(manager, "terminate_broken", None)
    if sys.version_info >= (3, 12) or original is None or getattr(original, _MARK, False):
        return False

    def terminate_broken(self: Any, cause: Any) -> None:
        pending = self.pending_work_items
        for work_id, item in list(pending.items()):
            pending[work_id] = _process._WorkItem(
                _TolerantFuture(item.future),  # type: ignore[arg-type]
                item.fn,
                item.args,
                item.kwargs,
            )
        original(self, cause)

    setattr(terminate_broken, _MARK, True)
    terminate_broken.__doc__ = original.__doc__
    manager.terminate_broken = terminate_broken  # type: ignore[union-attr]
    return True
