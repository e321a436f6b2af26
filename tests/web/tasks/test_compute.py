"""The selftest kind on the real compute executor (engine.compute, a process pool)."""

from __future__ import annotations

from typing import Any

import engine.compute
from tests.web.tasks.helpers import eventually
from titan_web.tasks.models import TaskRun, TaskStatus
from titan_web.tasks.selftest import SelftestParams
from titan_web.tasks.services import atask_cancel, atask_selftest_submit, atask_wait


async def test_chunked_cpu_work_in_worker_processes(staff_user: Any) -> None:
    assert engine.compute.get_config().mode == "process"
    task = await atask_selftest_submit(
        user=staff_user, params=SelftestParams(chunks=8, chunk_ms=20)
    )
    done = await atask_wait(task_id=task.id, timeout=4.5)
    assert done.status == TaskStatus.SUCCEEDED, done.error
    assert done.result == {"chunks": 8, "checksum": 28, "workload": "burn"}


async def test_killed_compute_worker_fails_the_task_and_the_next_one_succeeds(
    staff_user: Any,
) -> None:
    crashed = await atask_selftest_submit(
        user=staff_user, params=SelftestParams(chunks=6, chunk_ms=30, crash_at=2)
    )
    done = await atask_wait(task_id=crashed.id, timeout=4.5)
    assert done.status == TaskStatus.FAILED
    assert done.error.startswith("ComputeWorkerDied: a compute worker died"), done.error
    assert "Traceback" not in done.error
    after = await atask_selftest_submit(
        user=staff_user, params=SelftestParams(chunks=4, chunk_ms=10)
    )
    ok = await atask_wait(task_id=after.id, timeout=4.5)
    assert ok.status == TaskStatus.SUCCEEDED and ok.result["checksum"] == 6


async def test_cancel_stops_map_chunks_within_one_chunk(staff_user: Any) -> None:
    task = await atask_selftest_submit(
        user=staff_user, params=SelftestParams(chunks=200, chunk_ms=40)
    )

    async def started() -> bool:
        return (await TaskRun.objects.aget(pk=task.id)).progress >= 0.02

    await eventually(started, timeout=4)
    await atask_cancel(task_id=task.id, user=staff_user)
    done = await atask_wait(task_id=task.id, timeout=3)
    assert done.status == TaskStatus.CANCELLED
    assert done.progress < 0.5
