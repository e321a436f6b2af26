"""Writes of task runs: submitting work to the in-process registry, cancelling, recovery.

How another service runs long work (a scan, a backtest, ...)::

    from titan_web.tasks.registry import TaskContext
    from titan_web.tasks.services import atask_submit

    async def work(ctx: TaskContext) -> dict[str, Any]:
        ctx.result_url = f"/api/backtests/{run.pk}/"
        for done, chunk in enumerate(chunks, 1):
            ctx.raise_if_cancelled()                    # or map_chunks(should_stop=...)
            await engine.compute.run(kernel, chunk)
            await ctx.progress(done / len(chunks), f"window {done}/{len(chunks)}")
        return {"backtest_id": run.pk}                  # JSON-serializable: stored in result

    task = await atask_submit(owner=user, kind="backtest", params=data, run=work)
    return task_accepted(task)                          # 202 + Location (titan_web.tasks.apis)
"""

from __future__ import annotations

import os
import uuid
from typing import TYPE_CHECKING, Any

import engine.compute
from titan_web.common.errors import ApplicationError
from titan_web.tasks import monitoring
from titan_web.tasks.models import TaskRun
from titan_web.tasks.registry import TaskWork, registry
from titan_web.tasks.selectors import atask_get, parse_task_id
from titan_web.tasks.selftest import SelftestParams, crash_allowed, run_selftest

if TYPE_CHECKING:
    from titan_web.accounts.models import User


async def atask_submit(
    *, owner: User, kind: str, params: dict[str, Any] | None = None, run: TaskWork
) -> TaskRun:
    """Create a ``queued`` run of ``kind`` for ``owner`` and return its row at once.

    ``run(ctx)`` executes in this process when a slot of ``kind`` is free (FIFO), under the
    kind's time limit. Its return value (JSON-serializable) becomes ``result``; an exception
    marks the run ``failed`` with ``error = "ExceptionType: message"``. ``params`` is stored
    on the row (it must be JSON-serializable) and passed as ``ctx.params``.
    """
    if not kind or len(kind) > 32:
        raise ValueError(f"task kind must be 1 to 32 characters, got {kind!r}")
    monitoring.register_kind_gauges(kind)
    return await registry.submit(owner=owner, kind=kind, params=dict(params or {}), work=run)


async def atask_cancel(*, task_id: str | uuid.UUID, user: Any) -> TaskRun:
    """Request the cancellation of a run ``user`` may see.

    A queued run is ``cancelled`` at once; a running one gets ``cancel_requested`` and stops
    at its next chunk (in whichever process owns it). Cancelling a cancelled run changes
    nothing; cancelling a run that ended otherwise is a 409 conflict.
    """
    task = await atask_get(task_id=task_id, user=user)
    return await registry.cancel(task)


async def atask_wait(*, task_id: str | uuid.UUID, timeout: float | None = None) -> TaskRun:
    """Wait for a run *of this process* to end (returns at once for other processes' runs)
    and return its row. Meant for tests and for scripts that submit and wait."""
    pk = parse_task_id(task_id)
    await registry.wait(pk, timeout)
    return await TaskRun.objects.aget(pk=pk)


async def atasks_recover_orphans() -> int:
    """Mark runs whose process is gone ``interrupted`` (done at start-up and periodically)."""
    return await registry.recover_orphans()


async def atask_selftest_submit(*, user: Any, params: SelftestParams) -> TaskRun:
    """Submit a ``selftest`` run (staff only: it burns CPU and can kill compute workers)."""
    _require_staff(user, "start selftest tasks")
    if params.crash_at is not None and not crash_allowed():
        raise ApplicationError(
            "crash_at needs a process or Dask compute executor (it would kill this server).",
            errors={"crash_at": ["not allowed with the current compute executor"]},
        )
    return await atask_submit(
        owner=user, kind="selftest", params=params.to_dict(), run=run_selftest
    )


def _require_staff(user: Any, what: str) -> None:
    if not getattr(user, "is_staff", False):
        raise ApplicationError(
            f"Only staff users may {what}.", status_code=403, slug="forbidden", title="Forbidden"
        )


def loop_lag_report(*, user: Any, reset: bool = False) -> dict[str, Any]:
    """This process's event-loop lag (10 ms probe) and compute executor; staff only.

    With ``reset`` the samples are cleared after being reported, so the next report covers
    only what happens from now on (the loop-lag benchmark brackets a run this way).
    """
    _require_staff(user, "read the event-loop lag")
    monitor = monitoring.lag_monitor()
    info = engine.compute.info()
    report = {
        "pid": os.getpid(),
        "monitoring": monitor.running,
        **monitoring.lag_stats().to_dict(),
        "compute": {"mode": info.mode, "capacity": info.capacity, "restarts": info.restarts},
        "tasks": {kind: {"running": r, "queued": q} for kind, (r, q) in registry.counts().items()},
    }
    if reset:
        monitor.reset()
    return report
