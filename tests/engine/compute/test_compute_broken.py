"""A worker that dies: a clear error for the callers, one fresh pool for everyone after."""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import signal

import pytest

import engine.compute as compute
from engine.compute import ComputeError, ComputeWorkerDied
from tests.engine.compute import _compute_work as work


async def test_os_exit_in_a_task_raises_worker_died_and_the_next_run_succeeds() -> None:
    compute.configure(mode="process", workers=2)
    first_pid = await compute.run(work.pid)
    restarts = compute.info().restarts
    with pytest.raises(ComputeWorkerDied, match=r"worker died while running .*die") as caught:
        await compute.run(work.die, 1)
    assert isinstance(caught.value, ComputeError)
    assert compute.info().restarts == restarts + 1
    assert await compute.run(work.add, 20, 22) == 42
    assert await compute.run(work.pid) != first_pid
    assert compute.info().restarts == restarts + 1


async def test_a_worker_killed_from_outside_mid_task() -> None:
    compute.configure(mode="process", workers=1)
    victim = await compute.run(work.pid)
    call = asyncio.ensure_future(compute.run(work.sleep_then, 10, "never"))
    await asyncio.sleep(0.3)
    os.kill(victim, signal.SIGKILL)
    with pytest.raises(ComputeWorkerDied):
        await asyncio.wait_for(call, 5)
    assert await compute.run(work.add, 1, 2) == 3


async def test_concurrent_callers_on_a_breaking_pool_share_one_replacement() -> None:
    compute.configure(mode="process", workers=2)
    await compute.warmup()
    generation, restarts = compute.info().generation, compute.info().restarts
    innocent = [asyncio.ensure_future(compute.run(work.sleep_then, 1.0, i)) for i in range(5)]
    culprit = asyncio.ensure_future(compute.run(work.die_after, 0.2))
    outcomes = await asyncio.gather(*innocent, culprit, return_exceptions=True)
    assert isinstance(outcomes[-1], ComputeWorkerDied)
    # A pool cannot tell which task killed it: every call still in flight fails the same way.
    assert all(isinstance(o, ComputeWorkerDied) or o == i for i, o in enumerate(outcomes[:-1]))
    assert sum(isinstance(o, ComputeWorkerDied) for o in outcomes) >= 2
    assert compute.info().restarts == restarts + 1
    assert compute.info().generation == generation + 1
    results = await asyncio.gather(*(compute.run(work.add, i, i) for i in range(8)))
    assert results == [2 * i for i in range(8)]
    assert compute.info().restarts == restarts + 1


async def test_callers_that_find_the_pool_already_broken_recreate_it_once() -> None:
    compute.configure(mode="process", workers=2)
    pool = compute.get_executor()
    restarts = compute.info().restarts
    # Break the pool behind run()'s back: nobody awaiting through run() notices the death.
    with pytest.raises(Exception, match="terminated abruptly"):
        await asyncio.wrap_future(pool.submit(work.die, 1))
    assert compute.info().restarts == restarts
    results = await asyncio.gather(*(compute.run(work.add, i, 1) for i in range(8)))
    assert results == [i + 1 for i in range(8)]
    assert compute.info().restarts == restarts + 1
    assert compute.get_executor() is not pool


async def test_a_broken_pool_leaves_no_worker_behind() -> None:
    before = work.child_pids()
    compute.configure(mode="process", workers=2)
    await compute.warmup()
    workers = work.child_pids() - before
    assert workers
    with pytest.raises(ComputeWorkerDied):
        await compute.run(work.die, 1)
    assert await compute.run(work.add, 1, 1) == 2
    workers |= work.child_pids() - before
    await compute.shutdown()
    assert not multiprocessing.active_children()
    assert not any(work.alive(pid) for pid in workers)


async def test_a_pool_that_breaks_with_cancelled_calls_queued_stops_its_other_workers() -> None:
    # Python 3.11's pool crashed its manager thread on a cancelled queued call when a worker
    # died (gh-107219): the other workers then waited forever and the process never exited.
    before = work.child_pids()
    compute.configure(mode="process", workers=2)
    await compute.warmup()
    workers = work.child_pids() - before
    assert len(workers) == 2
    busy = asyncio.ensure_future(compute.run(work.sleep_then, 30, "busy"))
    culprit = asyncio.ensure_future(compute.run(work.die_after, 0.5))
    queued = [asyncio.ensure_future(compute.run(work.sleep_then, 30, i)) for i in range(8)]
    await asyncio.sleep(0.2)  # the pool's call queue is full; the later calls wait behind it
    for task in queued[4:]:
        task.cancel()
    with pytest.raises(ComputeWorkerDied):
        await asyncio.wait_for(culprit, 5)
    with pytest.raises(ComputeWorkerDied):
        await asyncio.wait_for(busy, 5)  # its worker is terminated: the pool is broken
    deadline = asyncio.get_running_loop().time() + 5
    while any(work.alive(pid) for pid in workers):
        assert asyncio.get_running_loop().time() < deadline, "a broken pool's worker survived"
        await asyncio.sleep(0.1)
    outcomes = await asyncio.gather(*queued, return_exceptions=True)
    assert all(isinstance(o, ComputeWorkerDied | asyncio.CancelledError) for o in outcomes)
    assert await compute.run(work.add, 2, 3) == 5
