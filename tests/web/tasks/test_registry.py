"""The task registry through its service API: submit, progress, results, errors, limits.

Real database (both aliases, transactional) and the real channel layer; no mocks."""

from __future__ import annotations

import asyncio
import itertools
import time
from typing import Any

import pytest

from tests.web.tasks.helpers import TopicListener, eventually, wait_status
from titan_web.tasks.models import TaskRun, TaskStatus
from titan_web.tasks.registry import TaskContext, TaskRegistry
from titan_web.tasks.services import atask_cancel, atask_submit, atask_wait


async def test_submit_returns_at_once_and_stores_the_result(user: Any) -> None:
    gate = asyncio.Event()

    async def work(ctx: TaskContext) -> dict[str, Any]:
        await gate.wait()
        ctx.result_url = "/api/backtests/12/"
        return {"answer": 42, "params": ctx.params, "owner": ctx.owner_id}

    start = time.monotonic()
    task = await atask_submit(owner=user, kind="demo", params={"n": 3}, run=work)
    assert time.monotonic() - start < 0.5
    assert task.status == TaskStatus.QUEUED and task.params == {"n": 3}
    running = await wait_status(task.id, TaskStatus.RUNNING)
    assert running.started_at is not None and running.worker.count(":") == 2
    gate.set()
    done = await atask_wait(task_id=task.id, timeout=3)
    assert done.status == TaskStatus.SUCCEEDED
    assert done.result == {"answer": 42, "params": {"n": 3}, "owner": user.pk}
    assert done.result_url == "/api/backtests/12/"
    assert done.progress == 1.0 and done.error == ""
    assert done.finished_at is not None and done.finished_at >= done.started_at


async def test_failure_records_type_and_message_and_the_next_task_runs(user: Any) -> None:
    async def broken(ctx: TaskContext) -> None:
        await ctx.progress(0.25, "a quarter")
        raise KeyError("missing column 'close'")

    async def fine(ctx: TaskContext) -> dict[str, bool]:
        return {"ok": True}

    failed = await atask_wait(
        task_id=(await atask_submit(owner=user, kind="demo", run=broken)).id, timeout=3
    )
    assert failed.status == TaskStatus.FAILED
    assert failed.error == "KeyError: \"missing column 'close'\""
    assert "Traceback" not in failed.error and failed.result is None
    assert failed.progress == 0.25 and failed.message == "a quarter"
    ok = await atask_wait(task_id=(await atask_submit(owner=user, kind="demo", run=fine)).id)
    assert ok.status == TaskStatus.SUCCEEDED and ok.result == {"ok": True}


async def test_result_that_is_not_json_fails_clearly(user: Any) -> None:
    async def work(ctx: TaskContext) -> dict[str, Any]:
        return {"when": object()}

    done = await atask_wait(task_id=(await atask_submit(owner=user, kind="demo", run=work)).id)
    assert done.status == TaskStatus.FAILED
    assert done.error.startswith("TypeError: the task's result is not JSON-serializable")


async def test_progress_is_throttled_and_the_last_update_is_persisted(
    user: Any, task_registry: TaskRegistry
) -> None:
    gate = asyncio.Event()
    seen: dict[str, TaskContext] = {}
    calls = 0

    async def work(ctx: TaskContext) -> dict[str, int]:
        nonlocal calls
        seen["ctx"] = ctx
        await gate.wait()
        end = time.monotonic() + 1.5
        while time.monotonic() < end:
            calls += 1
            await ctx.progress(min(calls / 3000, 0.99), f"step {calls}")
            await asyncio.sleep(0.0005)
        await ctx.progress(0.995, "final step")
        return {"calls": calls}

    task = await atask_submit(owner=user, kind="demo", run=work)
    async with TopicListener(task.id) as listener:
        await wait_status(task.id, TaskStatus.RUNNING)
        gate.set()
        frames = await listener.drain(until_status=TaskStatus.SUCCEEDED)
    ctx = seen["ctx"]
    progress = [f for f in frames if f["data"]["status"] == TaskStatus.RUNNING]
    assert calls > 500, calls
    # 1.5 s of progress at <= 10 events/s: 15 events plus the first one (and a trailing one).
    assert 8 <= len(progress) <= 18, len(progress)
    gaps = [b["_t"] - a["_t"] for a, b in itertools.pairwise(progress[1:])]
    assert min(gaps) >= 0.07, gaps
    assert ctx.publishes == len(progress) - 1  # plus the "running" state frame
    # ... and at most one database write per second (the first update, then every second).
    assert 1 <= ctx.saves <= 3, ctx.saves
    last = frames[-1]
    assert last["type"] == "task.progress" and last["topic"] == f"task:{task.id}"
    assert last["data"]["status"] == TaskStatus.SUCCEEDED and last["data"]["progress"] == 1.0
    row = await TaskRun.objects.aget(pk=task.id)
    assert row.message == "final step" and row.progress == 1.0


async def test_throttled_update_is_published_later(user: Any) -> None:
    gate = asyncio.Event()

    async def work(ctx: TaskContext) -> None:
        await gate.wait()
        await ctx.progress(0.1, "first")
        await ctx.progress(0.5, "second (throttled)")
        await asyncio.sleep(0.5)  # the trailing flush sends "second" meanwhile

    task = await atask_submit(owner=user, kind="demo", run=work)
    async with TopicListener(task.id) as listener:
        await wait_status(task.id, TaskStatus.RUNNING)
        gate.set()
        frames = await listener.drain(until_status=TaskStatus.SUCCEEDED)
    running = [f for f in frames if f["data"]["status"] == TaskStatus.RUNNING]
    assert [f["data"]["message"] for f in running[-2:]] == ["first", "second (throttled)"]
    assert 0.07 <= running[-1]["_t"] - running[-2]["_t"] < 0.4
    assert running[-1]["_t"] < frames[-1]["_t"] - 0.1  # sent before the run ended


async def test_progress_saved_while_running(user: Any) -> None:
    gate = asyncio.Event()

    async def work(ctx: TaskContext) -> None:
        await ctx.progress(0.1, "a")
        await ctx.progress(0.4, "b")  # throttled: saved by the trailing flush within 1 s
        await gate.wait()

    task = await atask_submit(owner=user, kind="demo", run=work)
    await wait_status(task.id, TaskStatus.RUNNING)

    async def saved() -> bool:
        row = await TaskRun.objects.aget(pk=task.id)
        return row.progress == 0.4 and row.message == "b"

    await eventually(saved, timeout=2.5)
    gate.set()
    await atask_wait(task_id=task.id, timeout=3)


async def test_time_limit_cancels_and_fails_the_task(user: Any, settings: Any) -> None:
    settings.TITAN_TASK_TIME_LIMITS = {"slow": 0.3}

    async def work(ctx: TaskContext) -> None:
        await asyncio.sleep(30)

    start = time.monotonic()
    task = await atask_submit(owner=user, kind="slow", run=work)
    done = await atask_wait(task_id=task.id, timeout=3)
    assert time.monotonic() - start < 2
    assert done.status == TaskStatus.FAILED
    assert done.error == "TimeLimitExceeded: time limit of 0.3 s exceeded for a slow task"


async def test_work_raising_its_own_timeout_is_a_plain_failure(user: Any) -> None:
    async def work(ctx: TaskContext) -> None:
        raise TimeoutError("provider did not answer")

    done = await atask_wait(task_id=(await atask_submit(owner=user, kind="demo", run=work)).id)
    assert (
        done.status == TaskStatus.FAILED and done.error == "TimeoutError: provider did not answer"
    )


async def test_per_kind_limit_queues_fifo_and_other_kinds_run(user: Any, settings: Any) -> None:
    settings.TITAN_TASK_LIMITS = {"scan": 1, "default": 4}
    gates = {name: asyncio.Event() for name in ("a", "b", "c")}
    order: list[str] = []

    def make(name: str) -> Any:
        async def work(ctx: TaskContext) -> str:
            order.append(name)
            await gates[name].wait()
            return name

        return work

    a = await atask_submit(owner=user, kind="scan", run=make("a"))
    b = await atask_submit(owner=user, kind="scan", run=make("b"))
    c = await atask_submit(owner=user, kind="scan", run=make("c"))

    async def other(ctx: TaskContext) -> str:
        return "other kind is not blocked"

    o = await atask_submit(owner=user, kind="backtest", run=other)
    assert (await atask_wait(task_id=o.id, timeout=3)).status == TaskStatus.SUCCEEDED
    await wait_status(a.id, TaskStatus.RUNNING)
    await asyncio.sleep(0.2)
    assert [await _status(t) for t in (b, c)] == [TaskStatus.QUEUED, TaskStatus.QUEUED]
    assert order == ["a"]
    gates["a"].set()
    await wait_status(b.id, TaskStatus.RUNNING)
    assert await _status(c) == TaskStatus.QUEUED and order == ["a", "b"]
    gates["b"].set()
    gates["c"].set()
    for t in (a, b, c):
        assert (await atask_wait(task_id=t.id, timeout=3)).status == TaskStatus.SUCCEEDED
    assert order == ["a", "b", "c"]


async def _status(task: TaskRun) -> str:
    return (await TaskRun.objects.aget(pk=task.pk)).status


async def test_cancel_running_task_stops_at_next_chunk(user: Any) -> None:
    chunks_done = 0
    contexts: list[TaskContext] = []

    async def work(ctx: TaskContext) -> None:
        nonlocal chunks_done
        contexts.append(ctx)
        for i in range(200):
            ctx.raise_if_cancelled()
            await asyncio.sleep(0.02)  # one chunk
            chunks_done += 1
            await ctx.progress((i + 1) / 200, f"chunk {i + 1}")

    task = await atask_submit(owner=user, kind="demo", run=work)
    await wait_status(task.id, TaskStatus.RUNNING)
    await asyncio.sleep(0.15)

    async def watch() -> int:  # chunks done when the owner's flag goes up
        while not contexts[0].cancel_requested:  # noqa: ASYNC110 (polling a plain flag)
            await asyncio.sleep(0.001)
        return chunks_done

    watcher = asyncio.create_task(watch())
    row = await atask_cancel(task_id=task.id, user=user)
    assert row.cancel_requested and row.status in (TaskStatus.RUNNING, TaskStatus.CANCELLED)
    done = await atask_wait(task_id=task.id, timeout=3)
    at_flag = await watcher
    assert done.status == TaskStatus.CANCELLED and done.error == ""
    assert done.message.startswith("cancelled")
    assert at_flag >= 5 and chunks_done <= at_flag + 1, (at_flag, chunks_done)


async def test_cancel_queued_task_is_immediate(user: Any, settings: Any) -> None:
    settings.TITAN_TASK_LIMITS = {"scan": 1}
    gate = asyncio.Event()
    ran = []

    async def blocker(ctx: TaskContext) -> None:
        await gate.wait()

    async def never(ctx: TaskContext) -> None:
        ran.append(True)

    first = await atask_submit(owner=user, kind="scan", run=blocker)
    second = await atask_submit(owner=user, kind="scan", run=never)
    await wait_status(first.id, TaskStatus.RUNNING)
    row = await atask_cancel(task_id=second.id, user=user)
    assert row.status == TaskStatus.CANCELLED and row.finished_at is not None
    assert row.started_at is None
    gate.set()
    assert (await atask_wait(task_id=first.id, timeout=3)).status == TaskStatus.SUCCEEDED
    await asyncio.sleep(0.1)
    assert ran == []
    # Cancelling again is harmless; cancelling a finished run is a conflict.
    assert (await atask_cancel(task_id=second.id, user=user)).status == TaskStatus.CANCELLED
    from titan_web.common.errors import ConflictError

    with pytest.raises(ConflictError):
        await atask_cancel(task_id=first.id, user=user)


async def test_work_ignoring_cancel_is_stopped_after_the_grace_period(
    user: Any, settings: Any
) -> None:
    settings.TITAN_TASK_CANCEL_GRACE_SECONDS = 0.2

    async def stubborn(ctx: TaskContext) -> None:
        await asyncio.sleep(30)

    task = await atask_submit(owner=user, kind="demo", run=stubborn)
    await wait_status(task.id, TaskStatus.RUNNING)
    await atask_cancel(task_id=task.id, user=user)
    done = await atask_wait(task_id=task.id, timeout=3)
    assert done.status == TaskStatus.CANCELLED and "next await" in done.message
