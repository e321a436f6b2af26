"""The in-process task registry (docs/architecture.md 5): ``TaskRun`` rows plus asyncio tasks.

A run is accepted by one process, which creates its row (``queued``, ``worker`` = this
process) and keeps the coroutine in a per-kind FIFO queue; at most ``concurrency_limit(kind)``
runs of a kind execute at once in this process. A running task gets a :class:`TaskContext`
to report progress and to poll for cancellation between chunks of work.

Liveness. Every process has an identity ``host:pid:boot`` (a fresh ``boot`` uuid per
process start) stored in ``TaskRun.worker``, and stamps ``heartbeat_at`` on its queued and
running rows every few seconds. A row whose owner is gone is *orphaned* and becomes
``interrupted``; "gone" means: on this host, the pid no longer exists, or it is this very pid
with another boot id (a restarted container reuses pids); on any host, or when the pid exists
but may have been reused, no heartbeat for ``stale_seconds()``. Orphans are swept at start-up
(``TasksConfig`` registers :meth:`TaskRegistry.startup`) and every half-minute by each live
process, so that a dead host's runs do not wait for its restart.

Cancellation. ``task_cancel`` sets ``cancel_requested`` in the database. A queued run is
cancelled at once. A running one is told through the channel layer: every process keeps one
channel in the group ``titan.tasks.control`` and the owner sets the run's local flag, which
the work sees in ``ctx.should_stop()`` at its next chunk. Heartbeats also re-read
``cancel_requested``, so a lost control message delays a cancel by one heartbeat at most.
Work that ignores the flag is cancelled at its next ``await`` after a grace period.

Shutdown (ASGI lifespan): queued runs and running ones (cancelled at their next ``await``)
become ``interrupted`` with the reason "server shut down".
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import json
import logging
import math
import os
import socket
import time
import uuid
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from asgiref.sync import sync_to_async
from channels.db import aclose_old_connections
from channels.layers import get_channel_layer
from django.db import connections
from django.utils import timezone

from realtime.publish import publish
from titan_web.common.errors import ApplicationError, ConflictError
from titan_web.tasks import conf
from titan_web.tasks.models import TERMINAL_STATUSES, TaskRun, TaskStatus

if TYPE_CHECKING:
    from titan_web.accounts.models import User

logger = logging.getLogger("titan.tasks")

CONTROL_GROUP = "titan.tasks.control"
MESSAGE_MAX = 500
ERROR_MAX = 4000
SWEEP_EVERY = 30.0  # seconds between two sweeps for other processes' orphans
REJOIN_EVERY = 600.0  # seconds between two group_add of the control channel (group expiry)

TaskWork = Callable[["TaskContext"], Awaitable[Any]]

_HOST = socket.gethostname()[:48] or "localhost"
_identity: tuple[int, str] | None = None


def worker_id() -> str:
    """This process's identity ``host:pid:boot`` (a new boot uuid in every process)."""
    global _identity
    pid = os.getpid()
    if _identity is None or _identity[0] != pid:
        _identity = (pid, f"{_HOST}:{pid}:{uuid.uuid4().hex}")
    return _identity[1]


class TaskCancelled(Exception):
    """Raised by :meth:`TaskContext.raise_if_cancelled` when a cancel was requested."""


class TimeLimitExceeded(Exception):
    """The run took longer than its kind's time limit (used for the error text)."""


def describe_error(exc: BaseException) -> str:
    """``"ExceptionType: message"`` for users: no traceback, no module path."""
    text = str(exc).strip()
    name = type(exc).__name__
    return (f"{name}: {text}" if text else name)[:ERROR_MAX]


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    except OSError:
        return False
    return True


def orphan_reason(
    worker: str, last_seen: datetime | None, *, now: datetime, me: str, stale: float
) -> str | None:
    """Why the process ``worker`` counts as gone, or None if it may be alive.

    ``last_seen`` is the row's heartbeat (or creation time). Rows of this very process
    (``worker == me``) are never orphans.
    """
    if worker == me:
        return None
    host, _, rest = worker.partition(":")
    pid_text, _, _boot = rest.partition(":")
    my_host, my_pid = me.split(":")[0], os.getpid()
    if host == my_host and pid_text.isdigit():
        pid = int(pid_text)
        if pid == my_pid:
            return f"its process ({worker}) was restarted"
        if not _pid_alive(pid):
            return f"its process (pid {pid} on {host}) is gone"
    age = math.inf if last_seen is None else (now - last_seen).total_seconds()
    if age > stale:
        seen = "never" if last_seen is None else f"{age:.0f} s ago"
        return f"its process ({worker or 'unknown'}) stopped sending heartbeats (last {seen})"
    return None


@dataclass(eq=False)
class _Entry:
    id: uuid.UUID
    kind: str
    work: TaskWork
    ctx: TaskContext
    task: asyncio.Task[None] | None = None
    stop_reason: str | None = None  # "cancel" | "shutdown" when we cancel the asyncio task
    done: asyncio.Event = field(default_factory=asyncio.Event)
    force_handle: asyncio.TimerHandle | None = None


class TaskContext:
    """What a running task's work gets: progress, cancellation, identity.

    - ``await ctx.progress(fraction, message)``: published to the ``task:<id>`` topic at most
      every ``publish_interval()`` (0.1 s) and written to the row at most every
      ``save_interval()`` (1 s); a throttled update is sent later, and the final state is
      always written when the run ends.
    - ``ctx.should_stop()`` / ``ctx.raise_if_cancelled()``: cooperative cancellation, to call
      between chunks (``engine.compute.map_chunks(..., should_stop=ctx.should_stop)``).
    - ``ctx.result_url``: set it (for example ``"/api/backtests/12/"``) to link the result.
    """

    def __init__(
        self,
        registry: TaskRegistry,
        *,
        task_id: uuid.UUID,
        kind: str,
        owner_id: int,
        params: dict[str, Any],
    ) -> None:
        self._registry = registry
        self.task_id = task_id
        self.kind = kind
        self.owner_id = owner_id
        self.params = params
        self.result_url = ""
        self.fraction = 0.0
        self.message = ""
        self.cancel_requested = False
        self.publishes = 0  # progress events published (for /metrics and tests)
        self.saves = 0  # progress writes to the database
        self._last_publish = -math.inf
        self._last_save = -math.inf
        self._dirty_publish = False
        self._dirty_save = False
        self._flusher: asyncio.Task[None] | None = None
        self._closed = False

    @property
    def topic(self) -> str:
        return f"task:{self.task_id}"

    def should_stop(self) -> bool:
        """True once a cancel was requested: stop at the end of the current chunk."""
        return self.cancel_requested

    def raise_if_cancelled(self) -> None:
        """Raise :class:`TaskCancelled` if a cancel was requested."""
        if self.cancel_requested:
            raise TaskCancelled("cancelled on request")

    async def progress(self, fraction: float, message: str | None = None) -> None:
        """Report progress in [0, 1] with an optional message (throttled, see the class)."""
        if self._closed:
            return
        value = float(fraction)
        if math.isfinite(value):
            self.fraction = min(1.0, max(0.0, value))
        if message is not None:
            self.message = str(message)[:MESSAGE_MAX]
        self._dirty_publish = self._dirty_save = True
        now = time.monotonic()
        if now - self._last_publish >= conf.publish_interval():
            await self._publish_now()
        if now - self._last_save >= conf.save_interval():
            await self._save_now()
        if (self._dirty_publish or self._dirty_save) and self._flusher is None:
            self._flusher = _spawn(self._flush_later(), name=f"titan-task-flush-{self.task_id}")

    async def _publish_now(self) -> None:
        self._last_publish = time.monotonic()
        self._dirty_publish = False
        self.publishes += 1
        await self._registry.publish_state(
            self.task_id, TaskStatus.RUNNING, progress=self.fraction, message=self.message
        )

    async def _save_now(self) -> None:
        self._last_save = time.monotonic()
        self._dirty_save = False
        self.saves += 1
        try:
            await TaskRun.objects.filter(
                pk=self.task_id, status=TaskStatus.RUNNING, worker=worker_id()
            ).aupdate(progress=self.fraction, message=self.message, heartbeat_at=timezone.now())
        except Exception:
            logger.exception("task %s: saving progress failed", self.task_id)

    async def _flush_later(self) -> None:
        try:
            while not self._closed and (self._dirty_publish or self._dirty_save):
                now = time.monotonic()
                due = []
                if self._dirty_publish:
                    due.append(self._last_publish + conf.publish_interval())
                if self._dirty_save:
                    due.append(self._last_save + conf.save_interval())
                await asyncio.sleep(max(0.0, min(due) - now))
                now = time.monotonic()
                if self._dirty_publish and now - self._last_publish >= conf.publish_interval():
                    await self._publish_now()
                if self._dirty_save and now - self._last_save >= conf.save_interval():
                    await self._save_now()
        finally:
            self._flusher = None

    async def _close(self) -> None:
        self._closed = True
        flusher, self._flusher = self._flusher, None
        if flusher is not None and flusher is not asyncio.current_task():
            flusher.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await flusher


def _spawn(coro: Coroutine[Any, Any, None], *, name: str) -> asyncio.Task[None]:
    """A task in an empty context: no request-scoped state (such as asgiref's per-request
    thread executor) leaks into work that outlives the request that started it."""
    return asyncio.get_running_loop().create_task(coro, name=name, context=contextvars.Context())


class TaskRegistry:
    """One per process (:data:`registry`). All methods run on the server's event loop."""

    def __init__(self) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None
        self._entries: dict[uuid.UUID, _Entry] = {}
        self._queues: dict[str, deque[_Entry]] = defaultdict(deque)
        self._running: dict[str, int] = defaultdict(int)
        self._background: list[asyncio.Task[None]] = []
        self._channel: str | None = None
        self._closed = False
        self.kinds_seen: set[str] = set()

    # -- lifecycle ---------------------------------------------------------------------------

    @property
    def started(self) -> bool:
        return self._loop is not None and not self._closed

    async def startup(self) -> None:
        """ASGI start-up: start (again, after a shutdown), then recover orphans of dead
        processes."""
        if self._closed:
            self._loop = None
        await self.ensure_started()
        count = await self.recover_orphans()
        if count:
            logger.warning("marked %d orphaned task(s) interrupted at start-up", count)

    async def ensure_started(self) -> None:
        """Start heartbeats and the control listener on the running loop (idempotent).

        A registry left bound to another (closed) loop, as happens between tests, is reset:
        its runs belonged to that loop and can no longer execute. After :meth:`shutdown` on
        this loop it stays closed (submissions are refused) until :meth:`startup`.
        """
        loop = asyncio.get_running_loop()
        if self._loop is loop:
            return
        if self._loop is not None:
            self._forget()
        self._loop = loop
        self._closed = False
        self._background = [
            _spawn(self._heartbeat_loop(), name="titan-tasks-heartbeat"),
            _spawn(self._control_loop(), name="titan-tasks-control"),
        ]

    def _forget(self) -> None:
        self._entries.clear()
        self._queues.clear()
        self._running.clear()
        self._background = []
        self._channel = None

    async def shutdown(self, *, reason: str = "server shut down") -> None:
        """ASGI shutdown: queued and running runs of this process become ``interrupted``."""
        if self._loop is not asyncio.get_running_loop():
            self._forget()
            self._loop = None
            return
        self._closed = True
        queued = [entry for queue in self._queues.values() for entry in queue]
        self._queues.clear()
        for entry in queued:
            await self._finish_unstarted(
                entry, TaskStatus.INTERRUPTED, error=f"{reason} before the task started"
            )
        running = [e for e in self._entries.values() if e.task is not None and not e.task.done()]
        for entry in running:
            entry.stop_reason = "shutdown"
            assert entry.task is not None
            entry.task.cancel()
        if running:
            _, pending = await asyncio.wait(
                [e.task for e in running if e.task is not None],
                timeout=conf.shutdown_grace_seconds(),
            )
            for entry in running:
                if entry.task in pending:  # the work swallowed the cancellation
                    await self._record_end(
                        entry, TaskStatus.INTERRUPTED, error=f"{reason} while the task was running"
                    )
        for task in self._background:
            task.cancel()
        await asyncio.gather(*self._background, return_exceptions=True)
        self._background = []
        await self._leave_control_group()
        self._entries.clear()
        self._running.clear()
        # Give back the database connection of the thread our ORM calls ran in (the pool's
        # connection would otherwise stay checked out until the process exits).
        await sync_to_async(connections.close_all)()

    # -- submission --------------------------------------------------------------------------

    async def submit(
        self, *, owner: User, kind: str, params: dict[str, Any], work: TaskWork
    ) -> TaskRun:
        await self.ensure_started()
        if self._closed:
            raise ApplicationError(
                "The server is shutting down; submit the task again in a moment.",
                status_code=503,
                slug="unavailable",
                title="Service unavailable",
            )
        try:
            params = json.loads(json.dumps(params, allow_nan=False))
        except (TypeError, ValueError) as exc:
            raise TypeError(f"task params must be JSON-serializable: {exc}") from exc
        await self._check_user_limit(owner=owner, kind=kind)
        now = timezone.now()
        row = await TaskRun.objects.acreate(
            owner=owner,
            kind=kind,
            params=params,
            status=TaskStatus.QUEUED,
            worker=worker_id(),
            heartbeat_at=now,
        )
        ctx = TaskContext(self, task_id=row.id, kind=kind, owner_id=owner.pk, params=params)
        entry = _Entry(id=row.id, kind=kind, work=work, ctx=ctx)
        self._entries[row.id] = entry
        self._queues[kind].append(entry)
        self.kinds_seen.add(kind)
        self._pump(kind)
        return row

    async def _check_user_limit(self, *, owner: User, kind: str) -> None:
        """429 when ``owner`` already has ``conf.user_limit(kind)`` tasks of ``kind`` queued
        or running (on any worker: the count is the database's)."""
        limit = conf.user_limit(kind)
        active = await TaskRun.objects.filter(
            owner=owner, kind=kind, status__in=[TaskStatus.QUEUED, TaskStatus.RUNNING]
        ).acount()
        if active >= limit:
            raise ApplicationError(
                f"You already have {active} {kind} tasks queued or running; the limit is "
                f"{limit}. Wait for one to finish or cancel one.",
                status_code=429,
                slug="task-limit",
                title="Too many tasks",
                extra={"kind": kind, "limit": limit, "active": active},
            )

    def _pump(self, kind: str) -> None:
        queue = self._queues[kind]
        limit = conf.concurrency_limit(kind)
        while queue and self._running[kind] < limit and not self._closed:
            entry = queue.popleft()
            self._running[kind] += 1
            entry.task = _spawn(self._execute(entry), name=f"titan-task-{kind}-{entry.id}")

    def counts(self) -> dict[str, tuple[int, int]]:
        """``{kind: (running, queued)}`` in this process."""
        kinds = set(self._running) | set(self._queues) | self.kinds_seen
        return {k: (self._running.get(k, 0), len(self._queues.get(k, ()))) for k in kinds}

    def is_local(self, task_id: uuid.UUID) -> bool:
        return task_id in self._entries

    async def wait(self, task_id: uuid.UUID, timeout: float | None = None) -> None:
        """Wait until a run of this process has ended (no-op for runs of other processes)."""
        entry = self._entries.get(task_id)
        if entry is not None:
            await asyncio.wait_for(entry.done.wait(), timeout)

    # -- execution ---------------------------------------------------------------------------

    async def _execute(self, entry: _Entry) -> None:
        try:
            await self._run(entry)
        except asyncio.CancelledError:
            # Cancelled outside our own stop paths (the loop is going away): record it if we can.
            with contextlib.suppress(BaseException):
                await self._record_end(
                    entry, TaskStatus.INTERRUPTED, error="the server stopped while it was running"
                )
            raise
        except Exception:
            logger.exception("task %s: the registry failed to run it", entry.id)
        finally:
            if entry.force_handle is not None:
                entry.force_handle.cancel()
            self._running[entry.kind] = max(0, self._running[entry.kind] - 1)
            self._entries.pop(entry.id, None)
            entry.done.set()
            self._pump(entry.kind)

    async def _run(self, entry: _Entry) -> None:
        now = timezone.now()
        started = await TaskRun.objects.filter(
            pk=entry.id, status=TaskStatus.QUEUED, worker=worker_id()
        ).aupdate(status=TaskStatus.RUNNING, started_at=now, heartbeat_at=now)
        if not started:  # cancelled (or swept) while it waited in the queue
            return
        await self.publish_state(entry.id, TaskStatus.RUNNING, progress=0.0, message="")
        ctx = entry.ctx
        limit = conf.time_limit(entry.kind)
        status = TaskStatus.SUCCEEDED
        error = ""
        result: Any = None
        try:
            async with asyncio.timeout(limit if limit > 0 else None) as deadline:
                result = await entry.work(ctx)
        except asyncio.CancelledError:
            task = asyncio.current_task()
            if entry.stop_reason is None or task is None:
                raise
            task.uncancel()
            if entry.stop_reason == "shutdown":
                status = TaskStatus.INTERRUPTED
                error = "server shut down while the task was running"
            else:
                status = TaskStatus.CANCELLED
                ctx.message = "cancelled on request (stopped at its next await)"
        except TimeoutError as exc:
            if deadline.expired():
                status = TaskStatus.FAILED
                error = describe_error(
                    TimeLimitExceeded(f"time limit of {limit:g} s exceeded for a {entry.kind} task")
                )
                logger.warning(
                    "task %s (%s): time limit of %g s exceeded", entry.id, entry.kind, limit
                )
            else:
                status, error = self._failure(entry, exc)
        except Exception as exc:
            status, error = self._failure(entry, exc)
        if status is TaskStatus.SUCCEEDED:
            try:
                result = json.loads(json.dumps(result, allow_nan=False))
            except (TypeError, ValueError) as exc:
                status, result = TaskStatus.FAILED, None
                error = describe_error(
                    type(exc)(f"the task's result is not JSON-serializable: {exc}")
                )
                logger.error("task %s (%s): %s", entry.id, entry.kind, error)
            else:
                ctx.fraction = 1.0
        elif status is TaskStatus.CANCELLED and not ctx.message.startswith("cancelled"):
            ctx.message = "cancelled on request"
        await self._record_end(entry, status, error=error, result=result)

    def _failure(self, entry: _Entry, exc: Exception) -> tuple[TaskStatus, str]:
        if entry.ctx.cancel_requested:
            # Work stopped because it was asked to (TaskCancelled, ComputeCancelled, ...).
            logger.info("task %s cancelled on request (%s)", entry.id, describe_error(exc))
            return TaskStatus.CANCELLED, ""
        logger.error("task %s (%s) failed", entry.id, entry.kind, exc_info=exc)
        return TaskStatus.FAILED, describe_error(exc)

    async def _record_end(
        self, entry: _Entry, status: TaskStatus, *, error: str = "", result: Any = None
    ) -> None:
        ctx = entry.ctx
        await ctx._close()
        updated = 0
        for attempt in range(4):  # a run must not stay "running" over a database hiccup
            now = timezone.now()
            try:
                updated = await TaskRun.objects.filter(
                    pk=entry.id,
                    worker=worker_id(),
                    status__in=[TaskStatus.QUEUED, TaskStatus.RUNNING],
                ).aupdate(
                    status=status,
                    progress=ctx.fraction,
                    message=ctx.message,
                    error=error,
                    result=result,
                    result_url=ctx.result_url[:300],
                    finished_at=now,
                    heartbeat_at=now,
                )
                break
            except Exception:
                if attempt == 3:
                    raise
                logger.exception("task %s: recording its end failed; retrying", entry.id)
                await asyncio.sleep(0.5 * 2**attempt)
                with contextlib.suppress(Exception):
                    await aclose_old_connections()
        if updated:
            await self.publish_state(
                entry.id,
                status,
                progress=ctx.fraction,
                message=ctx.message,
                error=error,
                result_url=ctx.result_url,
            )

    async def _finish_unstarted(self, entry: _Entry, status: TaskStatus, *, error: str) -> None:
        now = timezone.now()
        updated = await TaskRun.objects.filter(pk=entry.id, status=TaskStatus.QUEUED).aupdate(
            status=status, error=error, finished_at=now, heartbeat_at=now
        )
        self._entries.pop(entry.id, None)
        entry.done.set()
        if updated:
            await self.publish_state(entry.id, status, progress=0.0, message="", error=error)

    # -- cancellation ------------------------------------------------------------------------

    async def cancel(self, row: TaskRun) -> TaskRun:
        """Cancel ``row``: at once if queued, cooperatively (next chunk) if running."""
        if row.status == TaskStatus.CANCELLED:
            return row
        if row.status in TERMINAL_STATUSES:
            raise ConflictError(f"The task has already ended ({row.status}).")
        await self.ensure_started()
        now = timezone.now()
        if row.status == TaskStatus.QUEUED:
            cancelled = await TaskRun.objects.filter(pk=row.pk, status=TaskStatus.QUEUED).aupdate(
                status=TaskStatus.CANCELLED,
                cancel_requested=True,
                message="cancelled before it started",
                finished_at=now,
            )
            if cancelled:
                entry = self._entries.get(row.pk)
                if entry is not None and entry.task is None:
                    with contextlib.suppress(ValueError):
                        self._queues[entry.kind].remove(entry)
                    self._entries.pop(entry.id, None)
                    entry.done.set()
                elif entry is None:
                    await self._send_control(row.pk)  # drop it from its owner's queue
                await self.publish_state(
                    row.pk,
                    TaskStatus.CANCELLED,
                    progress=0.0,
                    message="cancelled before it started",
                )
                return await TaskRun.objects.aget(pk=row.pk)
        # Running (or it started while we looked): flag it; the owner stops at its next chunk.
        await TaskRun.objects.filter(
            pk=row.pk, status__in=[TaskStatus.QUEUED, TaskStatus.RUNNING]
        ).aupdate(cancel_requested=True)
        if row.pk in self._entries:
            self._cancel_local(row.pk)
        else:
            await self._send_control(row.pk)
        return await TaskRun.objects.aget(pk=row.pk)

    def _cancel_local(self, task_id: uuid.UUID) -> None:
        entry = self._entries.get(task_id)
        if entry is None or entry.ctx.cancel_requested:
            return
        entry.ctx.cancel_requested = True
        if entry.task is None:  # still in our queue: it will not start (row is cancelled)
            return
        grace = conf.cancel_grace_seconds()
        if grace > 0 and self._loop is not None:
            entry.force_handle = self._loop.call_later(grace, self._force_cancel, entry)

    def _force_cancel(self, entry: _Entry) -> None:
        if entry.task is not None and not entry.task.done():
            logger.warning("task %s ignored its cancel request: cancelling it", entry.id)
            entry.stop_reason = "cancel"
            entry.task.cancel()

    async def _send_control(self, task_id: uuid.UUID) -> None:
        layer = get_channel_layer()
        if layer is None:
            return
        try:
            await layer.group_send(CONTROL_GROUP, {"type": "task.cancel", "id": str(task_id)})
        except Exception:
            logger.exception("task %s: could not send the cancel request", task_id)

    def _on_control(self, message: dict[str, Any]) -> None:
        if message.get("type") != "task.cancel":
            return
        try:
            task_id = uuid.UUID(str(message.get("id")))
        except ValueError:
            return
        entry = self._entries.get(task_id)
        if entry is None:
            return
        if entry.task is None:  # queued here, cancelled by another process
            with contextlib.suppress(ValueError):
                self._queues[entry.kind].remove(entry)
            self._entries.pop(entry.id, None)
            entry.done.set()
        else:
            self._cancel_local(task_id)

    async def _control_loop(self) -> None:
        layer = get_channel_layer()
        if layer is None:
            return
        backoff = 0.5
        last_join = -math.inf
        while True:
            try:
                if self._channel is None:
                    # The default prefix: channels-redis serves every process-specific channel
                    # from one list per prefix behind one receive lock, so a channel with
                    # another prefix would starve the WebSocket consumers' receives.
                    self._channel = await layer.new_channel()
                if time.monotonic() - last_join > REJOIN_EVERY:
                    await layer.group_add(CONTROL_GROUP, self._channel)
                    last_join = time.monotonic()
                try:
                    message = await asyncio.wait_for(layer.receive(self._channel), REJOIN_EVERY)
                except TimeoutError:
                    continue
                self._on_control(message)
                backoff = 0.5
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("task control channel failed; retrying in %.1f s", backoff)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 30.0)
                last_join = -math.inf

    async def _leave_control_group(self) -> None:
        layer = get_channel_layer()
        if layer is not None and self._channel is not None:
            with contextlib.suppress(Exception):
                await layer.group_discard(CONTROL_GROUP, self._channel)
        self._channel = None

    # -- heartbeats and orphans --------------------------------------------------------------

    async def _heartbeat_loop(self) -> None:
        last_sweep = time.monotonic()
        while True:
            await asyncio.sleep(conf.heartbeat_seconds())
            try:
                await self.beat()
                if time.monotonic() - last_sweep >= SWEEP_EVERY:
                    last_sweep = time.monotonic()
                    await self.recover_orphans()
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("task heartbeat failed")

    async def beat(self) -> None:
        """Stamp this process's rows and pick up cancel requests made in the database."""
        ids = list(self._entries)
        if not ids:
            return
        await aclose_old_connections()
        await TaskRun.objects.filter(
            pk__in=ids, worker=worker_id(), status__in=[TaskStatus.QUEUED, TaskStatus.RUNNING]
        ).aupdate(heartbeat_at=timezone.now())
        requested = TaskRun.objects.filter(pk__in=ids, cancel_requested=True).values_list(
            "pk", flat=True
        )
        async for task_id in requested:
            entry = self._entries.get(task_id)
            if entry is not None and entry.task is not None:
                self._cancel_local(task_id)

    async def recover_orphans(self) -> int:
        """Mark queued and running rows whose process is gone ``interrupted``; return how many."""
        me = worker_id()
        now = timezone.now()
        stale = conf.stale_seconds()
        rows = TaskRun.objects.exclude(status__in=list(TERMINAL_STATUSES)).exclude(worker=me)
        found = [
            row
            async for row in rows.values(
                "id", "status", "worker", "heartbeat_at", "created_at", "progress", "message"
            )
        ]
        count = 0
        for row in found:
            reason = orphan_reason(
                row["worker"], row["heartbeat_at"] or row["created_at"], now=now, me=me, stale=stale
            )
            if reason is None:
                continue
            was = "running" if row["status"] == TaskStatus.RUNNING else "waiting to start"
            error = f"Interrupted: the task was {was} when {reason}; submit it again."
            updated = await TaskRun.objects.filter(
                pk=row["id"], status=row["status"], worker=row["worker"]
            ).aupdate(status=TaskStatus.INTERRUPTED, error=error[:ERROR_MAX], finished_at=now)
            if updated:
                count += 1
                logger.warning("task %s interrupted: %s", row["id"], reason)
                await self.publish_state(
                    row["id"],
                    TaskStatus.INTERRUPTED,
                    progress=row["progress"],
                    message=row["message"],
                    error=error,
                )
        return count

    # -- events ------------------------------------------------------------------------------

    async def publish_state(
        self,
        task_id: uuid.UUID,
        status: str,
        *,
        progress: float | None,
        message: str | None,
        error: str = "",
        result_url: str = "",
    ) -> None:
        """Send a ``task.progress`` frame to the ``task:<id>`` topic (never raises)."""
        data: dict[str, Any] = {"status": str(status), "progress": progress, "message": message}
        if status in TERMINAL_STATUSES:
            data["error"] = error
            data["result_url"] = result_url
        topic = f"task:{task_id}"
        try:
            await publish(topic, {"type": "task.progress", "topic": topic, "data": data})
        except Exception:
            logger.exception("task %s: publishing %s failed", task_id, status)


registry = TaskRegistry()
