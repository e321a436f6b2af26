"""map_chunks / iter_chunks: order, progress, bounded in-flight, stop, failures."""

from __future__ import annotations

import asyncio
import contextlib
import time

import pytest

import engine.compute as compute
from engine.compute import ComputeCancelled, ComputeWorkerDied
from tests.engine.compute import _compute_work as work


@pytest.mark.parametrize("mode", ["process", "thread", "inline"])
async def test_results_in_chunk_order_with_progress(mode: str, tmp_path) -> None:
    compute.configure(mode=mode, workers=2)
    # later chunks are faster, so they finish first: order must still be the chunks' order
    chunks = [(i, 0.02 * (6 - i), str(tmp_path)) for i in range(6)]
    calls: list[tuple[int, int | None]] = []
    results = await compute.map_chunks(
        work.marked_square, chunks, progress=lambda done, total: calls.append((done, total))
    )
    assert results == [i * i for i in range(6)]
    assert calls == [(d, 6) for d in range(1, 7)]


async def test_a_lazy_iterator_has_unknown_total_and_async_callbacks_work() -> None:
    compute.configure(mode="thread", workers=2)
    seen: list[tuple[int, int | None]] = []

    async def progress(done: int, total: int | None) -> None:
        await asyncio.sleep(0)
        seen.append((done, total))

    async def should_stop() -> bool:
        return False

    results = await compute.map_chunks(
        work.probed, (i for i in range(5)), progress=progress, should_stop=should_stop
    )
    assert results == list(range(5))
    assert seen == [(d, None) for d in range(1, 6)]


@pytest.mark.parametrize("limit", [1, 3])
async def test_in_flight_chunks_are_bounded(limit: int) -> None:
    compute.configure(mode="thread", workers=8)
    work.reset_probe()
    assert await compute.map_chunks(work.probed, range(20), max_in_flight=limit) == list(range(20))
    assert 1 <= work.max_running <= limit


@pytest.mark.parametrize(("mode", "expected"), [("thread", 4), ("process", 4), ("inline", 1)])
async def test_default_in_flight_is_twice_the_capacity(mode: str, expected: int) -> None:
    compute.configure(mode=mode, workers=2)
    pulled = 0

    def chunks():  # a lazy source: count how far map_chunks has read ahead
        nonlocal pulled
        for i in range(12):
            pulled += 1
            yield i

    async with contextlib.aclosing(compute.iter_chunks(work.probed, chunks())) as results:
        first = await anext(results)
        assert first == 0
        assert pulled == expected  # read ahead exactly max_in_flight chunks, no more
        assert [r async for r in results] == list(range(1, 12))


async def test_should_stop_cancels_within_one_chunk(tmp_path) -> None:
    compute.configure(mode="process", workers=2)
    await compute.warmup()
    chunks = [(i, 0.3, str(tmp_path)) for i in range(20)]
    done_seen: list[int] = []
    stop = {"at": None}

    def progress(done: int, total: int | None) -> None:
        done_seen.append(done)
        if done == 3 and stop["at"] is None:
            stop["at"] = time.perf_counter()

    with pytest.raises(ComputeCancelled, match="after 3 of 20 chunks") as caught:
        await compute.map_chunks(
            work.marked_square,
            chunks,
            progress=progress,
            should_stop=lambda: stop["at"] is not None,
            max_in_flight=4,
        )
    raised_after = time.perf_counter() - stop["at"]
    assert caught.value.done == 3
    assert caught.value.total == 20
    assert raised_after < 0.2  # no waiting for the running chunks (0.3 s each)
    await asyncio.sleep(1.0)  # let whatever the pool had already taken run out
    started = sorted(int(p.stem.split(".")[0]) for p in tmp_path.glob("*.started"))
    # only chunks submitted before the stop (3 finished + at most 4 in flight) ever start; the
    # pool's call queue (workers + 1 calls) cannot be recalled, what sat behind it is cancelled
    assert started == list(range(len(started)))
    assert len(started) <= 3 + 4
    assert done_seen == [1, 2, 3]
    assert await compute.run(work.add, 1, 1) == 2  # the pool is healthy


async def test_should_stop_with_one_in_flight_submits_nothing_more(tmp_path) -> None:
    compute.configure(mode="thread", workers=2)
    chunks = [(i, 0.01, str(tmp_path)) for i in range(10)]
    with pytest.raises(ComputeCancelled):
        await compute.map_chunks(
            work.marked_square,
            chunks,
            should_stop=lambda: (tmp_path / "2.started").exists(),
            max_in_flight=1,
        )
    assert sorted(p.name for p in tmp_path.glob("*.started")) == [
        "0.started",
        "1.started",
        "2.started",
    ]


@pytest.mark.parametrize("mode", ["process", "inline"])
async def test_a_failing_chunk_raises_its_exception(mode: str) -> None:
    compute.configure(mode=mode, workers=2)
    with pytest.raises(work.WorkError, match="chunk 4 is bad"):
        await compute.map_chunks(work.fail_on, [(i, 4) for i in range(10)])


async def test_a_dying_worker_fails_the_map_and_the_pool_recovers() -> None:
    compute.configure(mode="process", workers=2)
    with pytest.raises(ComputeWorkerDied):
        await compute.map_chunks(work.die_on, [(i, 2) for i in range(8)])
    assert await compute.map_chunks(work.fail_on, [(i, -1) for i in range(4)]) == [0, 1, 2, 3]


async def test_iter_chunks_streams_and_closing_early_cancels_the_rest(tmp_path) -> None:
    compute.configure(mode="thread", workers=1)
    chunks = ((i, 0.05, str(tmp_path)) for i in range(50))
    got = []
    async with contextlib.aclosing(
        compute.iter_chunks(work.marked_square, chunks, max_in_flight=2)
    ) as results:
        async for value in results:
            got.append(value)
            if len(got) == 3:
                break
    await asyncio.sleep(0.3)
    assert got == [0, 1, 4]
    assert len(list(tmp_path.glob("*.started"))) <= 5


async def test_bad_max_in_flight() -> None:
    with pytest.raises(ValueError, match="max_in_flight"):
        await compute.map_chunks(work.probed, [1], max_in_flight=0)
