"""Chunked work on the compute executor: bounded in flight, ordered, with progress and stop."""

from __future__ import annotations

import asyncio
import contextlib
import inspect
from collections.abc import AsyncGenerator, Awaitable, Callable, Iterable, Sized
from typing import Any, TypeVar

from engine.compute._errors import ComputeCancelled
from engine.compute._executor import _manager, _Slot

T = TypeVar("T")
R = TypeVar("R")

ProgressCallback = Callable[[int, "int | None"], "Awaitable[None] | None"]
StopCallback = Callable[[], "Awaitable[bool] | bool"]


async def _maybe_await(value: Any) -> Any:
    if inspect.isawaitable(value):
        return await value
    return value


def default_max_in_flight(slot: _Slot) -> int:
    """Twice the executor's capacity (inline: 1).

    Twice, so that a worker finishing a chunk finds the next one already queued while the
    result travels back; not more, so that memory stays bounded and a stop request leaves at
    most one running chunk per worker (queued chunks that have not started are cancelled).
    """
    return 1 if slot.config.mode == "inline" else 2 * slot.capacity


async def iter_chunks(
    fn: Callable[[T], R],
    chunks: Iterable[T],
    *,
    progress: ProgressCallback | None = None,
    should_stop: StopCallback | None = None,
    max_in_flight: int | None = None,
    total: int | None = None,
) -> AsyncGenerator[R, None]:
    """Yield ``fn(chunk)`` for each chunk, in the order of ``chunks``, computed off the loop.

    See :func:`map_chunks` for the parameters. Results are yielded as soon as they and all
    earlier ones are ready; at most ``max_in_flight`` chunks are submitted and not yet yielded,
    so a lazy ``chunks`` iterator keeps memory bounded. Close the generator when leaving it
    early (``contextlib.aclosing``), so that queued chunks are cancelled at once.
    """
    if max_in_flight is not None and max_in_flight < 1:
        raise ValueError(f"max_in_flight must be at least 1, got {max_in_flight}")
    if total is None and isinstance(chunks, Sized):
        total = len(chunks)
    iterator = iter(chunks)
    pending: dict[int, tuple[asyncio.Future[R], _Slot]] = {}
    ready: dict[int, R] = {}
    submitted = yielded = done = 0
    exhausted = False
    limit = max_in_flight

    async def stop_requested() -> bool:
        return should_stop is not None and bool(await _maybe_await(should_stop()))

    def cancelled() -> ComputeCancelled:
        of = f" of {total}" if total is not None else ""
        return ComputeCancelled(
            f"stopped on request after {done}{of} chunks", done=done, total=total
        )

    try:
        while True:
            while not exhausted and (limit is None or submitted - yielded < limit):
                if await stop_requested():
                    raise cancelled()
                try:
                    chunk = next(iterator)
                except StopIteration:
                    exhausted = True
                    break
                future, slot = await _manager.submit(fn, (chunk,), {})
                if limit is None:
                    limit = default_max_in_flight(slot)
                pending[submitted] = (future, slot)
                submitted += 1
            if not pending:
                break
            finished, _ = await asyncio.wait(
                [future for future, _ in pending.values()], return_when=asyncio.FIRST_COMPLETED
            )
            for index in sorted(i for i, (f, _) in pending.items() if f in finished):
                future, slot = pending.pop(index)
                ready[index] = _manager.outcome(future, slot, fn)
                done += 1
                if progress is not None:
                    await _maybe_await(progress(done, total))
            while yielded in ready:
                result = ready.pop(yielded)
                yielded += 1
                yield result
            if (pending or not exhausted) and await stop_requested():
                raise cancelled()
    finally:
        for future, _ in pending.values():
            future.cancel()  # also cancels the concurrent future if it has not started


async def map_chunks(
    fn: Callable[[T], R],
    chunks: Iterable[T],
    *,
    progress: ProgressCallback | None = None,
    should_stop: StopCallback | None = None,
    max_in_flight: int | None = None,
) -> list[R]:
    """Compute ``fn(chunk)`` for every chunk off the loop; return the results in chunk order.

    Parameters
    ----------
    fn
        A pure module-level function of one chunk (it is pickled to the workers).
    chunks
        A sequence, or any iterable (consumed lazily, only as fast as chunks are submitted).
    progress
        ``progress(done, total)``, sync or async, called after each chunk finishes; ``total`` is
        ``len(chunks)`` or ``None`` for an iterator of unknown length.
    should_stop
        ``should_stop()``, sync or async, asked before each submission and after each finished
        chunk. When it returns true no more chunks are submitted, chunks queued but not started
        are cancelled, and :class:`~engine.compute.ComputeCancelled` is raised. Chunks already
        running in a worker finish there (a process cannot be interrupted mid-call) and their
        results are dropped: cancellation takes effect within one chunk.
    max_in_flight
        Most chunks submitted and not yet returned (default: twice the executor's capacity).

    Raises
    ------
    ComputeCancelled
        ``should_stop()`` returned true.
    ComputeWorkerDied
        A worker died; the other chunks are cancelled.
    Exception
        The first exception raised by ``fn``, with its own type; the other chunks are cancelled.
    """
    async with contextlib.aclosing(
        iter_chunks(
            fn, chunks, progress=progress, should_stop=should_stop, max_in_flight=max_in_flight
        )
    ) as results:
        return [result async for result in results]
