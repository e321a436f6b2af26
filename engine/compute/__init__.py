"""The compute executor: run pure, CPU-heavy functions off the event loop.

TITAN serves HTTP and WebSockets from one asyncio loop. Anything CPU-bound (statsmodels,
numpy loops, backtests) goes through here::

    result = await engine.compute.run(engle_granger, y, x, trend="c")

``run`` submits ``fn(*args, **kwargs)`` to a :class:`concurrent.futures.Executor` and awaits
the result with :func:`asyncio.wrap_future`: the loop keeps serving while the work runs.
Exceptions raised by ``fn`` propagate with their own type and message.

Executors (``TITAN_COMPUTE`` or ``configure(mode=...)``)
--------------------------------------------------------
``process`` (default)
    A ``ProcessPoolExecutor`` of ``TITAN_COMPUTE_WORKERS`` workers (default: the CPUs this
    process may use), created on first use, started with ``spawn`` (or ``forkserver``;
    ``fork`` is refused, see :class:`ComputeConfig`). Each worker ignores SIGINT, pins the
    BLAS/OpenMP/numba thread counts to ``TITAN_COMPUTE_BLAS_THREADS`` (1) so that workers do
    not oversubscribe the cores, and exits by itself if the parent process disappears.
    Functions and arguments are pickled: use module-level functions.
``dask``
    ``distributed.Client(TITAN_DASK_SCHEDULER).get_executor(pure=False)``. The default when
    ``TITAN_DASK_SCHEDULER`` is set. The synchronous client runs on its own IO thread; its
    executor returns ``concurrent.futures.Future`` objects, awaited like the pool's. Dask's
    nanny already sets ``OMP/MKL/OPENBLAS_NUM_THREADS=1`` in its workers.
``thread``
    A ``ThreadPoolExecutor``: only worth it for work that releases the GIL.
``inline``
    Runs ``fn`` *on the event loop*, blocking everything else. For debugging and for the
    benchmark's "forced onto the loop" baseline; never for production.

Failures and cancellation
-------------------------
If a process worker dies mid-task (``os._exit``, SIGKILL, the OOM killer, a segfault) every
call in flight on that pool raises :class:`ComputeWorkerDied`; the pool is replaced once,
however many callers noticed, and the next call runs on a fresh pool. Cancelling the awaiting
task cancels a call that has not started; a call already running in a process runs to its end
and its result is dropped, which is why long work is chunked (:func:`map_chunks`).

Lifecycle
---------
Call :func:`configure` at start-up if the environment is not enough, optionally ``await
warmup()``, and ``await shutdown()`` in the ASGI lifespan shutdown. An exit hook shuts the
executor down too (pending calls cancelled, busy workers terminated after
:data:`EXIT_GRACE` seconds), so no worker outlives the process. The module state is guarded
by a lock and usable from any thread and event loop.

Keep this package's imports light (no numpy): process workers import it before their
initializer sets the BLAS thread variables.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import Executor
from typing import ParamSpec, TypeVar

from engine.compute._chunks import iter_chunks, map_chunks
from engine.compute._config import ComputeConfig, Mode, StartMethod
from engine.compute._errors import ComputeCancelled, ComputeError, ComputeWorkerDied
from engine.compute._executor import EXIT_GRACE, ComputeInfo, InlineExecutor, _manager
from engine.compute._worker import ping as _ping
from engine.compute.lag import LagStats, LoopLagMonitor

__all__ = [
    "EXIT_GRACE",
    "ComputeCancelled",
    "ComputeConfig",
    "ComputeError",
    "ComputeInfo",
    "ComputeWorkerDied",
    "InlineExecutor",
    "LagStats",
    "LoopLagMonitor",
    "Mode",
    "StartMethod",
    "configure",
    "get_config",
    "get_executor",
    "info",
    "iter_chunks",
    "map_chunks",
    "run",
    "shutdown",
    "shutdown_sync",
    "warmup",
]

P = ParamSpec("P")
R = TypeVar("R")


async def run(fn: Callable[P, R], /, *args: P.args, **kwargs: P.kwargs) -> R:
    """Run ``fn(*args, **kwargs)`` on the compute executor and return its result.

    Raises
    ------
    ComputeWorkerDied
        The worker running the call (or another call on the same process pool) died.
    ComputeError
        The executor is unavailable, or ``fn`` cannot be sent to a process (a lambda or a
        nested function).
    Exception
        Whatever ``fn`` raised, with its own type and message.
    """
    return await _manager.run(fn, args, kwargs)


def configure(
    *,
    mode: Mode | None = None,
    workers: int | None = None,
    dask_scheduler: str | None = None,
    start_method: StartMethod | None = None,
    max_tasks_per_child: int | None = None,
    blas_threads: int | None = None,
) -> ComputeConfig:
    """Set the executor's settings; arguments left ``None`` come from the environment.

    Each call replaces the overrides of the previous one (``configure()`` with no arguments
    returns to the environment's settings). The current executor, if any, is shut down without
    waiting (its running calls still finish and deliver their results; queued ones are
    cancelled) and the next call creates the new one. ``dask_scheduler`` alone implies
    ``mode="dask"``. Meant for start-up and tests; in dask mode the old client is closed in
    this call, which blocks briefly.

    Raises
    ------
    ValueError
        An unknown mode or start method, a count below 1, or dask mode without an address.
    """
    overrides = {
        "mode": mode,
        "workers": workers,
        "dask_scheduler": dask_scheduler,
        "start_method": start_method,
        "max_tasks_per_child": max_tasks_per_child,
        "blas_threads": blas_threads,
    }
    return _manager.configure({k: v for k, v in overrides.items() if v is not None})


def get_config() -> ComputeConfig:
    """Return the settings in effect (environment plus :func:`configure` overrides)."""
    return _manager.config()


def get_executor() -> Executor:
    """Return the current executor, creating it if needed.

    In dask mode the first call connects to the scheduler and blocks; from a coroutine prefer
    ``await warmup()``, which connects in a thread.
    """
    return _manager.acquire_sync().executor


def info() -> ComputeInfo:
    """Return the executor's mode, capacity, generation and broken-pool restarts."""
    return _manager.info()


async def warmup() -> int:
    """Start the executor and its workers now rather than on the first request.

    Submits one short call per unit of capacity at once, so that each process worker is
    started and pays its start-up (interpreter, imports) here, and returns the number of
    distinct workers that answered.
    """
    slot = await _manager.acquire()
    hold = 0.0 if slot.config.mode == "inline" else 0.05
    pids = await asyncio.gather(*(run(_ping, hold) for _ in range(slot.capacity)))
    return len(set(pids))


async def shutdown(
    wait: bool = True, cancel_futures: bool = True, *, timeout: float | None = None
) -> None:
    """Shut the executor down without blocking the loop; the next call starts a new one.

    ``wait`` waits for running calls (and, unless ``cancel_futures``, queued ones) to finish;
    with ``timeout`` process workers still busy after that many seconds are terminated, so
    that shutdown is bounded (their callers get :class:`ComputeWorkerDied`).
    """
    await asyncio.to_thread(
        _manager.shutdown_sync, wait=wait, cancel_futures=cancel_futures, timeout=timeout
    )


def shutdown_sync(
    wait: bool = True, cancel_futures: bool = True, *, timeout: float | None = None
) -> None:
    """Synchronous :func:`shutdown`, for sync code and exit hooks (blocks while waiting)."""
    _manager.shutdown_sync(wait=wait, cancel_futures=cancel_futures, timeout=timeout)
