"""configure(), shutdown(), exit hooks and orphans."""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import engine.compute as compute
from engine.compute import ComputeConfig, ComputeWorkerDied
from engine.compute._config import resolve_config
from tests.engine.compute import _compute_work as work

ROOT = Path(__file__).resolve().parents[3]


def test_defaults_come_from_the_machine() -> None:
    config = compute.get_config()
    assert config.mode == "process"
    assert config.start_method == "spawn"
    assert config.workers == len(os.sched_getaffinity(0))
    assert config.blas_threads == 1
    assert config.max_tasks_per_child is None


def test_environment_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TITAN_COMPUTE", "thread")
    monkeypatch.setenv("TITAN_COMPUTE_WORKERS", "3")
    monkeypatch.setenv("TITAN_COMPUTE_START_METHOD", "forkserver")
    monkeypatch.setenv("TITAN_COMPUTE_MAX_TASKS_PER_CHILD", "10")
    monkeypatch.setenv("TITAN_COMPUTE_BLAS_THREADS", "2")
    assert compute.configure() == ComputeConfig(
        mode="thread",
        workers=3,
        start_method="forkserver",
        max_tasks_per_child=10,
        blas_threads=2,
    )
    # explicit arguments win over the environment
    assert compute.configure(workers=1).workers == 1
    assert compute.configure(workers=1).mode == "thread"


def test_a_dask_address_selects_dask_unless_a_mode_is_set() -> None:
    env = {"TITAN_DASK_SCHEDULER": "tcp://10.0.0.1:8786"}
    assert resolve_config({}, env).mode == "dask"
    assert resolve_config({}, env).dask_scheduler == "tcp://10.0.0.1:8786"
    assert resolve_config({}, {**env, "TITAN_COMPUTE": "process"}).mode == "process"
    assert resolve_config({"dask_scheduler": "tcp://h:1"}, {}).mode == "dask"


@pytest.mark.parametrize(
    ("overrides", "env", "message"),
    [
        ({"mode": "gpu"}, {}, "must be one of"),
        ({}, {"TITAN_COMPUTE": "dask"}, "scheduler address"),
        ({"start_method": "fork"}, {}, "fork is unsafe"),
        ({}, {"TITAN_COMPUTE_WORKERS": "zero"}, "TITAN_COMPUTE_WORKERS must be a positive"),
        ({"workers": 0}, {}, "positive integer"),
        ({}, {"TITAN_COMPUTE_MAX_TASKS_PER_CHILD": "-1"}, "positive integer"),
    ],
)
def test_bad_settings_are_refused(overrides: dict, env: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        resolve_config(overrides, env)


def test_configure_validates_before_replacing_anything() -> None:
    compute.configure(mode="thread", workers=2)
    executor = compute.get_executor()
    with pytest.raises(ValueError):
        compute.configure(mode="nope")  # type: ignore[arg-type]
    assert compute.get_executor() is executor
    assert compute.get_config().mode == "thread"


async def test_configure_switches_executor_and_lets_running_calls_finish() -> None:
    compute.configure(mode="process", workers=1)
    running = asyncio.ensure_future(compute.run(work.sleep_then, 0.5, "kept"))
    await asyncio.sleep(0.3)
    compute.configure(mode="thread", workers=1)
    assert await compute.run(work.pid) == os.getpid()
    assert await running == "kept"


async def test_shutdown_leaves_no_worker_processes() -> None:
    before = work.child_pids()
    compute.configure(mode="process", workers=2)
    await compute.warmup()
    workers = work.child_pids() - before
    assert len(workers) == 2
    generation = compute.info().generation
    await compute.shutdown()
    assert not compute.info().started
    assert compute.info().generation == generation + 1
    assert not multiprocessing.active_children()
    assert not any(work.alive(pid) for pid in workers)
    # the next call starts a fresh executor
    assert await compute.run(work.add, 2, 2) == 4
    compute.shutdown_sync()
    assert not multiprocessing.active_children()


async def test_shutdown_with_timeout_terminates_busy_workers() -> None:
    compute.configure(mode="process", workers=1)
    await compute.warmup()
    busy = asyncio.ensure_future(compute.run(work.spin, 30))
    await asyncio.sleep(0.3)
    started = time.perf_counter()
    await compute.shutdown(timeout=0.5)
    assert time.perf_counter() - started < 5
    with pytest.raises(ComputeWorkerDied):
        await asyncio.wait_for(busy, 5)
    assert not multiprocessing.active_children()


async def test_shutdown_without_waiting_returns_at_once() -> None:
    compute.configure(mode="process", workers=1)
    running = asyncio.ensure_future(compute.run(work.sleep_then, 0.5, "done"))
    await asyncio.sleep(0.3)
    started = time.perf_counter()
    await compute.shutdown(wait=False)
    assert time.perf_counter() - started < 0.3
    assert await running == "done"


async def test_the_loop_keeps_running_during_shutdown() -> None:
    compute.configure(mode="process", workers=1)
    running = asyncio.ensure_future(compute.run(work.sleep_then, 0.5, "done"))
    await asyncio.sleep(0.2)
    async with compute.LoopLagMonitor() as monitor:
        await compute.shutdown(wait=True)
    assert await running == "done"
    assert monitor.stats().max < 0.2


@pytest.fixture
def start_parent() -> Iterator[Callable[[str], tuple[subprocess.Popen[str], list[int]]]]:
    """Start ``_orphan_parent``; whatever happens, kill it and its descendants afterwards."""
    started: list[tuple[subprocess.Popen[str], list[int]]] = []

    def start(how: str) -> tuple[subprocess.Popen[str], list[int]]:
        parent = subprocess.Popen(
            [sys.executable, "-m", "tests.engine.compute._orphan_parent", how],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        pids: list[int] = []
        started.append((parent, pids))
        assert parent.stdout is not None
        line = parent.stdout.readline()
        pids.extend(int(p) for p in line.split())
        assert len(pids) >= 2, line  # two workers (+ multiprocessing's resource tracker)
        assert all(work.alive(pid) for pid in pids)
        return parent, pids

    yield start
    for parent, pids in started:
        if parent.poll() is None:
            parent.kill()
            parent.wait(5)
        for pid in pids:
            if work.alive(pid):
                os.kill(pid, signal.SIGKILL)
        assert parent.stdout is not None
        parent.stdout.close()


def _wait_dead(pids: list[int], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not any(work.alive(pid) for pid in pids):
            return True
        time.sleep(0.1)
    return False


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_workers_of_a_killed_parent_exit_by_themselves(
    sig: signal.Signals, start_parent: Callable[[str], tuple[subprocess.Popen[str], list[int]]]
) -> None:
    # Nothing in the parent runs on SIGKILL (nor on SIGTERM without a handler): the workers'
    # watchdog notices the parent is gone and exits even though they are busy for a minute.
    parent, pids = start_parent("hang")
    parent.send_signal(sig)
    parent.wait(5)
    assert _wait_dead(pids, 5), "orphaned compute workers survived their parent"


@pytest.mark.parametrize("how", ["exit", "retire"])
def test_exit_without_shutdown_cleans_up_through_the_exit_hook(
    how: str, start_parent: Callable[[str], tuple[subprocess.Popen[str], list[int]]]
) -> None:
    # "retire": the busy pool was replaced without waiting; multiprocessing's exit hook joins
    # every child, so its workers spinning for a minute would hold the exit for that minute.
    parent, pids = start_parent(how)
    started = time.monotonic()
    assert parent.wait(20) == 0
    # the hook cancels the queued call and terminates the busy workers after its grace period
    assert time.monotonic() - started < compute.EXIT_GRACE + 8
    assert _wait_dead(pids, 3)
