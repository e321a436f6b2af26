"""The process-wide compute executor: creation, submission, broken-pool recovery, shutdown."""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import dataclasses
import logging
import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import (
    BrokenExecutor,
    Executor,
    Future,
    ProcessPoolExecutor,
    ThreadPoolExecutor,
)
from typing import Any, NamedTuple, ParamSpec, TypeVar

from engine.compute import _stdlib_fix, _worker
from engine.compute._config import ComputeConfig, Mode, resolve_config
from engine.compute._errors import ComputeError, ComputeWorkerDied

logger = logging.getLogger("engine.compute")

# Python 3.11's pool leaves its workers running when it breaks with a cancelled call pending,
# and the interpreter then never exits (gh-107219, fixed in 3.12): see _stdlib_fix.
_stdlib_fix.apply()

P = ParamSpec("P")
R = TypeVar("R")

#: How often a process worker checks that its parent is still alive (seconds).
WATCHDOG_INTERVAL = 1.0
#: Grace period at interpreter exit before remaining workers are terminated (seconds).
EXIT_GRACE = 2.0


class InlineExecutor(Executor):
    """Runs each call synchronously inside ``submit``: on the event loop when used by ``run``.

    Only for debugging and for measuring what blocking the loop costs. Never for production.
    """

    def __init__(self) -> None:
        self._shutdown = False

    def submit(self, fn: Callable[..., R], /, *args: Any, **kwargs: Any) -> Future[R]:
        if self._shutdown:
            raise RuntimeError("cannot schedule new futures after shutdown")
        future: Future[R] = Future()
        future.set_running_or_notify_cancel()
        try:
            result = fn(*args, **kwargs)
        except Exception as exc:
            future.set_exception(exc)
        else:
            future.set_result(result)
        return future

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self._shutdown = True


class _Slot(NamedTuple):
    """The executor in use plus what is needed to replace it exactly once."""

    executor: Executor
    generation: int
    capacity: int
    config: ComputeConfig
    client: Any  # the distributed.Client in dask mode, else None


@dataclasses.dataclass(frozen=True)
class ComputeInfo:
    """State of the compute executor (for /metrics, /readyz and logs).

    ``generation`` grows by one every time the executor is dropped (shutdown, reconfiguration,
    broken pool); ``restarts`` counts only broken-pool replacements.
    """

    mode: Mode
    started: bool
    capacity: int
    generation: int
    restarts: int
    config: ComputeConfig

    def to_dict(self) -> dict[str, Any]:
        """Return the state as a dict of JSON primitives."""
        return dataclasses.asdict(self)

    def summary(self) -> str:
        """Return one line describing the executor."""
        where = f" at {self.config.dask_scheduler}" if self.mode == "dask" else ""
        return (
            f"compute: {self.mode}{where}, capacity {self.capacity}, "
            f"{'started' if self.started else 'not started'}, generation {self.generation}, "
            f"restarts {self.restarts}"
        )


def _qualname(fn: Any) -> str:
    name = getattr(fn, "__qualname__", None) or type(fn).__qualname__
    module = getattr(fn, "__module__", None)
    return f"{module}.{name}" if module else str(name)


def _is_killed_worker(exc: BaseException) -> bool:
    # distributed.scheduler.KilledWorker, matched by name so that distributed stays optional.
    cls = type(exc)
    return cls.__name__ == "KilledWorker" and cls.__module__.startswith("distributed")


def _check_importable(fn: Any) -> None:
    # A process pool pickles functions by reference: lambdas and nested functions fail later,
    # in the pool's feeder thread, with an obscure error. Say it up front.
    qualname = getattr(fn, "__qualname__", "")
    if "<lambda>" in qualname or "<locals>" in qualname:
        raise ComputeError(
            f"{_qualname(fn)} cannot be sent to a worker process: use a module-level function "
            "(functools.partial of one is fine)"
        )


class _Manager:
    """Module-wide state. One instance, guarded by a ``threading`` lock so that it is safe
    from any thread and any event loop (a test runner's, uvicorn's, ``asyncio.run``'s)."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._create_lock = threading.Lock()
        self._overrides: dict[str, Any] = {}
        self._config: ComputeConfig | None = None
        self._slot: _Slot | None = None
        self._generation = 0
        self._restarts = 0
        self._final = False
        self._hooks_registered = False
        # Workers of pools dropped without waiting (reconfigured, broken): at exit, any still
        # alive is terminated so that multiprocessing's exit hook, which joins every child,
        # cannot wait forever on one.
        self._retired: list[Any] = []

    # -- configuration ---------------------------------------------------------------------

    def configure(self, overrides: dict[str, Any]) -> ComputeConfig:
        config = resolve_config(overrides)  # validate before touching anything
        with self._lock:
            self._overrides = dict(overrides)
            self._config = config
            old = self._detach_locked()
        if old is not None:
            self._dispose(old, wait=False, cancel_futures=True)
        return config

    def _config_locked(self) -> ComputeConfig:
        if self._config is None:
            self._config = resolve_config(self._overrides)
        return self._config

    def config(self) -> ComputeConfig:
        with self._lock:
            return self._config_locked()

    def info(self) -> ComputeInfo:
        with self._lock:
            config = self._config_locked()
            slot = self._slot
            return ComputeInfo(
                mode=config.mode,
                started=slot is not None,
                capacity=slot.capacity if slot else _nominal_capacity(config),
                generation=self._generation,
                restarts=self._restarts,
                config=config,
            )

    # -- executor lifecycle ------------------------------------------------------------------

    def acquire_sync(self) -> _Slot:
        """Return the current executor, creating it if needed (may block in dask mode)."""
        while True:
            with self._lock:
                if self._slot is not None:
                    return self._slot
                self._check_not_final()
            with self._create_lock:
                with self._lock:
                    if self._slot is not None:
                        return self._slot
                    self._check_not_final()
                    config = self._config_locked()
                    generation = self._generation
                executor, capacity, client = _create(config)
                with self._lock:
                    if generation == self._generation and not self._final:
                        self._slot = _Slot(executor, generation, capacity, config, client)
                        self._register_hooks_locked()
                        logger.info("compute executor started: %s", self.info().summary())
                        return self._slot
                # configure() or shutdown() ran while we were creating it: discard and retry.
                self._dispose(
                    _Slot(executor, generation, capacity, config, client),
                    wait=False,
                    cancel_futures=True,
                )

    async def acquire(self) -> _Slot:
        with self._lock:
            slot = self._slot
            if slot is not None:
                return slot
            mode = self._config_locked().mode
        if mode == "dask":
            # Connecting a distributed.Client blocks (network round trips, timeouts).
            return await asyncio.to_thread(self.acquire_sync)
        # Building a pool object is cheap: workers start on demand at submit time.
        return self.acquire_sync()

    def _check_not_final(self) -> None:
        if self._final:
            raise ComputeError("the compute executor was shut down for interpreter exit")

    def _detach_locked(self) -> _Slot | None:
        slot, self._slot = self._slot, None
        if slot is not None:
            self._generation += 1
        return slot

    def invalidate(self, generation: int, cause: BaseException) -> bool:
        """Drop the executor of ``generation`` if it is still current; return True if so.

        Several coroutines that saw the same broken pool call this; only the first replaces it
        (the generation check), the rest find a newer generation and do nothing.
        """
        with self._lock:
            slot = self._slot
            if slot is None or slot.generation != generation:
                return False
            self._detach_locked()
            self._restarts += 1
        logger.warning(
            "compute worker died (%s); the %s pool will be replaced on next use",
            cause,
            slot.config.mode,
        )
        self._dispose(slot, wait=False, cancel_futures=True)
        return True

    def shutdown_sync(self, *, wait: bool, cancel_futures: bool, timeout: float | None) -> None:
        with self._lock:
            slot = self._detach_locked()
        if slot is not None:
            self._dispose(slot, wait=wait, cancel_futures=cancel_futures, timeout=timeout)

    def at_exit(self) -> None:
        with self._lock:
            if self._final:
                return
            self._final = True
        try:
            self.shutdown_sync(wait=True, cancel_futures=True, timeout=EXIT_GRACE)
        except Exception:  # pragma: no cover - best effort at exit
            logger.exception("compute executor shutdown at exit failed")
        with self._lock:
            retired, self._retired = self._retired, []
        _stop_processes(retired, grace=EXIT_GRACE)

    def _register_hooks_locked(self) -> None:
        if self._hooks_registered:
            return
        self._hooks_registered = True
        # threading's exit hooks run before atexit and in reverse order of registration, so this
        # one runs before concurrent.futures' own, which would otherwise first wait for every
        # queued task to run. atexit is the fallback for interpreters without the private hook.
        register = getattr(threading, "_register_atexit", None)
        if register is not None:
            with contextlib.suppress(RuntimeError):  # interpreter already shutting down
                register(self.at_exit)
        atexit.register(self.at_exit)

    def _dispose(
        self, slot: _Slot, *, wait: bool, cancel_futures: bool, timeout: float | None = None
    ) -> None:
        executor = slot.executor
        if isinstance(executor, ProcessPoolExecutor):
            if not wait:
                with self._lock:
                    self._retired = [p for p in self._retired if p.is_alive()]
                    self._retired.extend((getattr(executor, "_processes", None) or {}).values())
            _shutdown_process_pool(
                executor, wait=wait, cancel_futures=cancel_futures, timeout=timeout
            )
        elif slot.client is not None:
            # ClientExecutor.shutdown has no cancel_futures: wait=False cancels its futures.
            executor.shutdown(wait=wait and not cancel_futures)
            if timeout is None:
                slot.client.close()
            else:
                slot.client.close(timeout=timeout)
        else:
            executor.shutdown(wait=wait, cancel_futures=cancel_futures)

    # -- submission --------------------------------------------------------------------------

    async def submit(
        self, fn: Callable[..., R], args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> tuple[asyncio.Future[R], _Slot]:
        """Submit ``fn`` and return an asyncio future for it plus the slot it went to.

        A pool found broken at submit time (its death was not yet noticed by an awaiting
        caller) is replaced once and the call resubmitted: it had not started, so this is safe.
        """
        loop = asyncio.get_running_loop()
        for attempt in (1, 2):
            slot = await self.acquire()
            if slot.config.mode == "process":
                _check_importable(fn)
            try:
                cf_future = slot.executor.submit(fn, *args, **kwargs)
            except BrokenExecutor as exc:
                self.invalidate(slot.generation, exc)
                if attempt == 2:
                    raise ComputeWorkerDied(f"compute pool broken at submit: {exc}") from exc
                continue
            except RuntimeError as exc:
                # Shut down by a concurrent configure()/shutdown(): go to the new executor.
                with self._lock:
                    replaced = self._slot is None or self._slot.generation != slot.generation
                if replaced and attempt == 1 and not self._final:
                    continue
                raise ComputeError(f"compute executor unavailable: {exc}") from exc
            return asyncio.wrap_future(cf_future, loop=loop), slot
        raise AssertionError("unreachable")  # pragma: no cover

    def outcome(self, future: asyncio.Future[R], slot: _Slot, fn: Any) -> R:
        """Return a finished future's result, translating worker deaths."""
        try:
            return future.result()
        except BrokenExecutor as exc:
            self.invalidate(slot.generation, exc)
            raise ComputeWorkerDied(
                f"a compute worker died while running {_qualname(fn)} or a task sharing its "
                f"pool ({exc}); the pool is replaced, the next call starts a fresh one"
            ) from exc
        except Exception as exc:
            if _is_killed_worker(exc):
                raise ComputeWorkerDied(
                    f"dask workers died repeatedly while running {_qualname(fn)}: {exc}"
                ) from exc
            raise

    async def run(self, fn: Callable[..., R], args: tuple[Any, ...], kwargs: dict[str, Any]) -> R:
        future, slot = await self.submit(fn, args, kwargs)
        try:
            await asyncio.wait([future])
        except asyncio.CancelledError:
            # wrap_future cancels the concurrent future too: a call still queued never runs; one
            # already running in a process finishes there and its result is dropped.
            future.cancel()
            raise
        return self.outcome(future, slot, fn)


def _nominal_capacity(config: ComputeConfig) -> int:
    if config.mode == "inline":
        return 1
    return config.workers


def _create(config: ComputeConfig) -> tuple[Executor, int, Any]:
    """Build the executor for ``config``: (executor, capacity, owned dask client or None)."""
    if config.mode == "process":
        context = multiprocessing.get_context(config.start_method)
        pool = ProcessPoolExecutor(
            max_workers=config.workers,
            mp_context=context,
            initializer=_worker.initialize,
            initargs=(config.blas_threads, os.getpid(), WATCHDOG_INTERVAL),
            max_tasks_per_child=config.max_tasks_per_child,
        )
        return pool, config.workers, None
    if config.mode == "thread":
        return (
            ThreadPoolExecutor(config.workers, thread_name_prefix="titan-compute"),
            config.workers,
            None,
        )
    if config.mode == "inline":
        return InlineExecutor(), 1, None
    try:
        from distributed import Client
    except ImportError as exc:  # pragma: no cover - distributed is a dev dependency
        raise ComputeError("dask mode needs the 'distributed' package") from exc
    # A synchronous client runs its comms on its own IO-loop thread, so serialization and
    # network traffic stay off our event loop; ClientExecutor hands back plain
    # concurrent.futures.Future objects completed from that thread, which asyncio.wrap_future
    # awaits safely. pure=False: each call is a new task (the default pure=True would
    # deduplicate equal calls by a hash of function and arguments and return a cached result).
    # set_as_default=False: do not hijack dask's global scheduler for the whole process.
    try:
        client = Client(config.dask_scheduler, asynchronous=False, set_as_default=False)
    except Exception as exc:  # OSError or TimeoutError after distributed.comm.timeouts.connect
        raise ComputeError(
            f"cannot connect to the Dask scheduler at {config.dask_scheduler}: {exc}"
        ) from exc
    try:
        capacity = max(1, sum(client.nthreads().values()))
        return client.get_executor(pure=False), capacity, client
    except BaseException:
        client.close()
        raise


def _shutdown_process_pool(
    pool: ProcessPoolExecutor, *, wait: bool, cancel_futures: bool, timeout: float | None
) -> None:
    """Shut ``pool`` down; with ``timeout``, terminate workers still busy after it."""
    if timeout is None or not wait:
        pool.shutdown(wait=wait, cancel_futures=cancel_futures)
        return
    # Private attributes, read defensively (3.14 adds ProcessPoolExecutor.terminate_workers()).
    processes = list((getattr(pool, "_processes", None) or {}).values())
    manager_thread = getattr(pool, "_executor_manager_thread", None)
    pool.shutdown(wait=False, cancel_futures=cancel_futures)
    _stop_processes(processes, grace=timeout)
    if manager_thread is not None:
        manager_thread.join(timeout + 2.0)


def _stop_processes(processes: list[Any], *, grace: float) -> None:
    """Give ``processes`` ``grace`` seconds to exit, then terminate (and kill) the rest."""
    deadline = time.monotonic() + grace
    for process in processes:
        process.join(max(0.0, deadline - time.monotonic()))
    for process in processes:
        if process.is_alive():
            logger.warning("terminating compute worker %s still busy at shutdown", process.pid)
            process.terminate()
    for process in processes:
        process.join(1.0)
        if process.is_alive():  # pragma: no cover - SIGTERM ignored
            process.kill()
            process.join(1.0)


_manager = _Manager()
