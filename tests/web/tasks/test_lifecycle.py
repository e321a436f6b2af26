"""Start-up recovery of orphaned runs, shutdown, heartbeats, and cancel requests arriving
from another process (through the channel layer, or through the database)."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import uuid
from datetime import timedelta
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from django.utils import timezone

from tests import factories
from tests.web.tasks.helpers import TopicListener, eventually, wait_status
from titan_web.common.errors import ApplicationError
from titan_web.tasks.models import TaskRun, TaskStatus
from titan_web.tasks.registry import CONTROL_GROUP, TaskContext, TaskRegistry, worker_id
from titan_web.tasks.services import atask_submit, atask_wait

amake_task = sync_to_async(factories.make_task)
HOST = worker_id().split(":")[0]


def dead_pid() -> int:
    """The pid of a process that has exited (and was reaped)."""
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


async def test_startup_marks_rows_of_gone_processes_interrupted(
    user: Any, task_registry: TaskRegistry
) -> None:
    now = timezone.now()
    fresh, old = now - timedelta(seconds=1), now - timedelta(minutes=10)
    boot = uuid.uuid4().hex
    sibling = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])  # noqa: ASYNC220
    try:
        rows = {
            "dead pid, fresh heartbeat": (f"{HOST}:{dead_pid()}:{boot}", TaskStatus.RUNNING, fresh),
            "dead pid, queued": (f"{HOST}:{dead_pid()}:{boot}", TaskStatus.QUEUED, fresh),
            "my pid, older boot": (f"{HOST}:{os.getpid()}:{boot}", TaskStatus.RUNNING, fresh),
            "live sibling, fresh": (f"{HOST}:{sibling.pid}:{boot}", TaskStatus.RUNNING, fresh),
            "live pid, stale (reused pid)": (
                f"{HOST}:{sibling.pid}:{boot}",
                TaskStatus.RUNNING,
                old,
            ),
            "other host, fresh": (f"elsewhere-{HOST}:123:{boot}", TaskStatus.RUNNING, fresh),
            "other host, stale": (f"elsewhere-{HOST}:123:{boot}", TaskStatus.QUEUED, old),
            "finished long ago": (f"{HOST}:{dead_pid()}:{boot}", TaskStatus.SUCCEEDED, old),
        }
        ids = {}
        for name, (worker, status, beat) in rows.items():
            task = await amake_task(owner=user, kind="scan", status=status, worker=worker)
            await TaskRun.objects.filter(pk=task.pk).aupdate(heartbeat_at=beat, progress=0.3)
            ids[name] = task.pk
        async with TopicListener(ids["dead pid, fresh heartbeat"]) as listener:
            await task_registry.startup()
            frames = await listener.drain(until_status=TaskStatus.INTERRUPTED)
        assert frames[-1]["data"]["progress"] == 0.3 and "gone" in frames[-1]["data"]["error"]
        got = {name: await TaskRun.objects.aget(pk=pk) for name, pk in ids.items()}
        interrupted = {n for n, t in got.items() if t.status == TaskStatus.INTERRUPTED}
        assert interrupted == {
            "dead pid, fresh heartbeat",
            "dead pid, queued",
            "my pid, older boot",
            "live pid, stale (reused pid)",
            "other host, stale",
        }
        for name in interrupted:
            task = got[name]
            assert task.finished_at is not None and task.error.startswith("Interrupted: ")
        assert "was running when its process (pid" in got["dead pid, fresh heartbeat"].error
        assert "waiting to start" in got["dead pid, queued"].error
        assert "restarted" in got["my pid, older boot"].error
        assert "heartbeats" in got["other host, stale"].error
        assert got["live sibling, fresh"].status == TaskStatus.RUNNING
        assert got["other host, fresh"].status == TaskStatus.RUNNING
        assert got["finished long ago"].status == TaskStatus.SUCCEEDED
        # A second pass finds nothing more to do.
        assert await task_registry.recover_orphans() == 0
    finally:
        sibling.kill()
        sibling.wait()


async def test_shutdown_interrupts_running_and_queued_runs(
    user: Any, settings: Any, task_registry: TaskRegistry
) -> None:
    settings.TITAN_TASK_LIMITS = {"scan": 1}
    cleaned_up = []

    async def long(ctx: TaskContext) -> None:
        try:
            await asyncio.sleep(30)
        finally:
            cleaned_up.append(ctx.task_id)

    running = await atask_submit(owner=user, kind="scan", run=long)
    queued = await atask_submit(owner=user, kind="scan", run=long)
    await wait_status(running.id, TaskStatus.RUNNING)
    await task_registry.shutdown()
    a = await TaskRun.objects.aget(pk=running.id)
    b = await TaskRun.objects.aget(pk=queued.id)
    assert a.status == b.status == TaskStatus.INTERRUPTED
    assert a.error == "server shut down while the task was running" and a.finished_at
    assert b.error == "server shut down before the task started" and b.started_at is None
    assert cleaned_up == [running.id]
    with pytest.raises(ApplicationError) as refused:
        await atask_submit(owner=user, kind="scan", run=long)
    assert refused.value.status_code == 503


async def test_cancel_request_from_another_process_over_the_channel_layer(user: Any) -> None:
    async def work(ctx: TaskContext) -> None:
        for _ in range(300):
            ctx.raise_if_cancelled()
            await asyncio.sleep(0.01)

    task = await atask_submit(owner=user, kind="demo", run=work)
    await wait_status(task.id, TaskStatus.RUNNING)
    # What a sibling worker's task_cancel does for a run it does not own:
    await TaskRun.objects.filter(pk=task.id).aupdate(cancel_requested=True)
    await get_channel_layer().group_send(CONTROL_GROUP, {"type": "task.cancel", "id": str(task.id)})
    done = await atask_wait(task_id=task.id, timeout=2)
    assert done.status == TaskStatus.CANCELLED


async def test_cancel_request_seen_in_the_database_by_the_heartbeat(
    user: Any, task_registry: TaskRegistry
) -> None:
    async def work(ctx: TaskContext) -> None:
        for _ in range(300):
            ctx.raise_if_cancelled()
            await asyncio.sleep(0.01)

    task = await atask_submit(owner=user, kind="demo", run=work)
    await wait_status(task.id, TaskStatus.RUNNING)
    await TaskRun.objects.filter(pk=task.id).aupdate(cancel_requested=True)  # message lost
    await task_registry.beat()
    assert (await atask_wait(task_id=task.id, timeout=2)).status == TaskStatus.CANCELLED


async def test_heartbeats_stamp_queued_and_running_rows(user: Any, settings: Any) -> None:
    settings.TITAN_TASK_HEARTBEAT_SECONDS = 0.1
    settings.TITAN_TASK_LIMITS = {"scan": 1}
    gate = asyncio.Event()

    async def work(ctx: TaskContext) -> None:
        await gate.wait()

    first = await atask_submit(owner=user, kind="scan", run=work)
    second = await atask_submit(owner=user, kind="scan", run=work)
    await wait_status(first.id, TaskStatus.RUNNING)
    before = timezone.now()

    async def stamped() -> bool:
        rows = [t async for t in TaskRun.objects.filter(pk__in=[first.id, second.id])]
        return all(t.heartbeat_at and t.heartbeat_at > before for t in rows)

    await eventually(stamped, timeout=2)
    gate.set()
    await atask_wait(task_id=second.id, timeout=2)


async def test_worker_identity_is_host_pid_boot() -> None:
    host, pid, boot = worker_id().split(":")
    assert host == socket.gethostname()[:48] and pid == str(os.getpid()) and len(boot) == 32
    assert worker_id() == worker_id()
