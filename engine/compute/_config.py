"""Settings of the compute executor: environment variables plus :func:`configure` overrides."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from typing import Any, Literal, get_args

Mode = Literal["process", "thread", "dask", "inline"]
StartMethod = Literal["spawn", "forkserver"]

MODES: tuple[Mode, ...] = get_args(Mode)
START_METHODS: tuple[StartMethod, ...] = get_args(StartMethod)

ENV_MODE = "TITAN_COMPUTE"
ENV_WORKERS = "TITAN_COMPUTE_WORKERS"
ENV_DASK = "TITAN_DASK_SCHEDULER"
ENV_START_METHOD = "TITAN_COMPUTE_START_METHOD"
ENV_MAX_TASKS = "TITAN_COMPUTE_MAX_TASKS_PER_CHILD"
ENV_BLAS_THREADS = "TITAN_COMPUTE_BLAS_THREADS"


@dataclasses.dataclass(frozen=True)
class ComputeConfig:
    """Resolved settings of the compute executor.

    Attributes
    ----------
    mode
        ``"process"`` (default): a local ``ProcessPoolExecutor``. ``"dask"``: a Dask
        distributed cluster (default when ``TITAN_DASK_SCHEDULER`` is set). ``"thread"``: a
        ``ThreadPoolExecutor`` (only for GIL-releasing work; pure-Python work still contends
        for the GIL with the event loop). ``"inline"``: the function runs *on the event loop*,
        blocking it; for debugging and for the benchmark's "forced onto the loop" baseline,
        never for production.
    workers
        Pool size for ``process`` and ``thread`` (``TITAN_COMPUTE_WORKERS``; default: the CPUs
        this process may run on).
    dask_scheduler
        Scheduler address such as ``tcp://127.0.0.1:8786`` (``TITAN_DASK_SCHEDULER``).
    start_method
        ``"spawn"`` (default) or ``"forkserver"`` (``TITAN_COMPUTE_START_METHOD``). ``fork`` is
        refused: forking a process that runs an event loop and several threads (uvicorn,
        asyncio's default executor, the pool's own manager thread, database pools) copies locks
        that other threads held at the instant of the fork, so the child can deadlock on them,
        and it duplicates the loop's selector and sockets. CPython deprecates fork with threads
        (3.12 warns) and switches the POSIX default away from it in 3.14.
    max_tasks_per_child
        Replace a worker after this many tasks (``TITAN_COMPUTE_MAX_TASKS_PER_CHILD``; default
        never). Bounds memory growth from leaky native code.
    blas_threads
        Threads each process worker's BLAS/OpenMP/numba may use (``TITAN_COMPUTE_BLAS_THREADS``,
        default 1), so that ``workers`` processes do not oversubscribe the cores.
    """

    mode: Mode = "process"
    workers: int = 1
    dask_scheduler: str | None = None
    start_method: StartMethod = "spawn"
    max_tasks_per_child: int | None = None
    blas_threads: int = 1

    def to_dict(self) -> dict[str, Any]:
        """Return the settings as a dict of JSON primitives."""
        return dataclasses.asdict(self)


def default_workers() -> int:
    """Return the number of CPUs this process may run on (affinity-aware), at least 1."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def _positive_int(value: Any, name: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a positive integer, got {value!r}") from None
    if isinstance(value, bool) or number < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return number


def resolve_config(
    overrides: Mapping[str, Any], environ: Mapping[str, str] | None = None
) -> ComputeConfig:
    """Combine ``overrides`` (from :func:`configure`, ``None`` meaning unset) with ``environ``.

    Raises ``ValueError`` for an unknown mode or start method, a non-positive count, or Dask
    mode without a scheduler address.
    """
    env = os.environ if environ is None else environ

    def pick(key: str, var: str) -> Any:
        value = overrides.get(key)
        if value is not None:
            return value
        text = env.get(var, "").strip()
        return text or None

    dask_scheduler = pick("dask_scheduler", ENV_DASK)
    mode = pick("mode", ENV_MODE)
    if mode is None:
        mode = "dask" if dask_scheduler else "process"
    mode = str(mode).lower()
    if mode not in MODES:
        raise ValueError(f"{ENV_MODE}/mode must be one of {', '.join(MODES)}, got {mode!r}")
    if mode == "dask" and not dask_scheduler:
        raise ValueError(f"dask mode needs a scheduler address ({ENV_DASK} or dask_scheduler=)")

    workers = pick("workers", ENV_WORKERS)
    workers = default_workers() if workers is None else _positive_int(workers, ENV_WORKERS)

    start_method = str(pick("start_method", ENV_START_METHOD) or "spawn").lower()
    if start_method not in START_METHODS:
        raise ValueError(
            f"{ENV_START_METHOD}/start_method must be spawn or forkserver, got {start_method!r}"
            " (fork is unsafe in a process that runs an event loop and threads)"
        )

    max_tasks = pick("max_tasks_per_child", ENV_MAX_TASKS)
    max_tasks = None if max_tasks is None else _positive_int(max_tasks, ENV_MAX_TASKS)

    blas = pick("blas_threads", ENV_BLAS_THREADS)
    blas = 1 if blas is None else _positive_int(blas, ENV_BLAS_THREADS)

    return ComputeConfig(
        mode=mode,
        workers=workers,
        dask_scheduler=str(dask_scheduler) if dask_scheduler else None,
        start_method=start_method,
        max_tasks_per_child=max_tasks,
        blas_threads=blas,
    )
