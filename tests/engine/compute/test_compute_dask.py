"""Dask mode against a real distributed.LocalCluster (worker processes, spawn)."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator

import pytest

import engine.compute as compute
from engine.compute import ComputeError, ComputeWorkerDied, LoopLagMonitor
from tests.engine.compute import _compute_work as work

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def cluster() -> Iterator[distributed.LocalCluster]:
    with distributed.LocalCluster(
        n_workers=1,
        threads_per_worker=2,
        processes=True,
        dashboard_address=":0",
        host="127.0.0.1",
    ) as local:
        yield local


async def test_round_trip_through_the_cluster(cluster: distributed.LocalCluster) -> None:
    compute.configure(dask_scheduler=cluster.scheduler_address)
    assert compute.get_config().mode == "dask"
    assert await compute.run(work.add, 2, 3, scale=2) == 10
    # the work ran in the cluster's worker process, not here
    assert await compute.run(work.pid) != os.getpid()
    info = compute.info()
    assert info.started
    assert info.capacity == 2  # total worker threads of the cluster


async def test_the_environment_variable_selects_dask(
    cluster: distributed.LocalCluster, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TITAN_DASK_SCHEDULER", cluster.scheduler_address)
    compute.configure()
    assert await compute.run(work.add, 1, 1) == 2
    assert type(compute.get_executor()).__name__ == "ClientExecutor"


async def test_exceptions_and_impure_calls(cluster: distributed.LocalCluster) -> None:
    compute.configure(dask_scheduler=cluster.scheduler_address)
    with pytest.raises(work.WorkError, match=r"^from dask$"):
        await compute.run(work.fail, "from dask")
    # pure=False: equal calls are separate tasks, not one cached result
    tokens = await asyncio.gather(*(compute.run(work.token) for _ in range(3)))
    assert len(set(tokens)) == 3


async def test_map_chunks_and_the_loop_stays_free(cluster: distributed.LocalCluster) -> None:
    compute.configure(dask_scheduler=cluster.scheduler_address)
    await compute.warmup()
    seen: list[int] = []
    async with LoopLagMonitor() as monitor:
        results = await compute.map_chunks(
            work.fail_on, [(i, -1) for i in range(6)], progress=lambda d, t: seen.append(d)
        )
        assert await compute.run(work.spin, 0.5) > 0
    assert results == list(range(6))
    assert seen == list(range(1, 7))
    print("\ndask:", monitor.stats().summary())
    assert monitor.stats().p99 < 0.05


async def test_cancelling_a_queued_dask_call(cluster: distributed.LocalCluster) -> None:
    compute.configure(dask_scheduler=cluster.scheduler_address)
    await compute.warmup()
    busy = [asyncio.ensure_future(compute.run(work.sleep_then, 0.5, i)) for i in range(2)]
    queued = asyncio.ensure_future(compute.run(work.sleep_then, 0.1, "queued"))
    await asyncio.sleep(0.1)
    queued.cancel()
    with pytest.raises(asyncio.CancelledError):
        await queued
    assert await asyncio.gather(*busy) == [0, 1]


async def test_shutdown_closes_the_client_not_the_cluster(
    cluster: distributed.LocalCluster,
) -> None:
    compute.configure(dask_scheduler=cluster.scheduler_address)
    assert await compute.run(work.add, 1, 2) == 3
    client = compute._executor._manager.acquire_sync().client
    await compute.shutdown()
    assert client.status == "closed"
    assert cluster.status.name == "running"
    assert await compute.run(work.add, 2, 2) == 4  # a new client on the next call


@pytest.mark.slow
async def test_a_dying_dask_worker_surfaces_as_worker_died() -> None:
    # Dask reruns a task whose worker died (distributed.scheduler.allowed-failures, default 3;
    # 0 here to keep the test short), then gives up with KilledWorker; the nanny restarts the
    # worker process. A cluster of its own, so the shared one is not disturbed.
    import dask

    with dask.config.set({"distributed.scheduler.allowed-failures": 0}):
        local = await asyncio.to_thread(
            distributed.LocalCluster,
            n_workers=1,
            threads_per_worker=1,
            processes=True,
            dashboard_address=":0",
            host="127.0.0.1",
        )
    try:
        compute.configure(dask_scheduler=local.scheduler_address)
        with pytest.raises(ComputeWorkerDied, match="dask workers died"):
            await asyncio.wait_for(compute.run(work.die, 1), 60)
        assert await asyncio.wait_for(compute.run(work.add, 1, 1), 60) == 2
    finally:
        await compute.shutdown()
        await asyncio.to_thread(local.close)


async def test_an_unreachable_scheduler_is_a_compute_error() -> None:
    import socket

    import dask

    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    compute.configure(dask_scheduler=f"tcp://127.0.0.1:{port}")
    with (
        dask.config.set({"distributed.comm.timeouts.connect": "1s"}),
        pytest.raises(ComputeError, match="cannot connect to the Dask scheduler"),
    ):
        async with LoopLagMonitor() as monitor:
            await compute.run(work.add, 1, 1)
    assert monitor.stats().max < 0.5  # the connection attempt ran in a thread
