"""The bar store directly, on both backends (SQLite: ORM; PostgreSQL: streamed binary COPY).

Batches here are larger than one COPY chunk (``_pgcopy.CHUNK_ROWS``) and arrive out of key
order, with missing volumes scattered through them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import numpy as np
import pytest

from engine.data.validate import validate_bars
from titan_web.market import _pgcopy, store
from titan_web.market.models import Bar, Series

N_BARS = _pgcopy.CHUNK_ROWS // 2 + 1_000  # two symbols: more rows than one chunk


def columns(symbols: list[str], n: int, *, first_day: int = 0, seed: int = 7) -> dict[str, Any]:
    rng = np.random.default_rng(seed)
    days = np.datetime64("1990-01-01", "ns") + np.arange(first_day, first_day + n).astype(
        "timedelta64[D]"
    )
    # Time-major order (all symbols at t0, then t1, ...): not the store's key order.
    ts = np.repeat(days, len(symbols))
    sym = np.tile(np.array(symbols, dtype=object), n)
    close = rng.uniform(10, 20, len(ts))
    volume = rng.uniform(0, 1e6, len(ts))
    volume[rng.random(len(ts)) < 0.1] = np.nan
    return {
        "symbol": sym,
        "timeframe": np.full(len(ts), "1d", dtype=object),
        "ts": ts,
        "open": close,
        "high": close + 1,
        "low": close - 1,
        "close": close,
        "volume": volume,
    }


def bar_columns(cols: dict[str, Any], *, with_codes: bool) -> store.BarColumns:
    report = validate_bars(cols)
    assert report.ok
    bars = store.BarColumns.from_report(report)
    return bars if with_codes else dataclasses.replace(bars, series_codes=None)


async def assert_stored(cols: dict[str, Any], symbol: str) -> None:
    mine = cols["symbol"] == symbol
    got = await store.abars(symbol, timeframe="1d", limit=10_000_000)
    order = np.argsort(cols["ts"][mine])
    np.testing.assert_array_equal(got.ts, cols["ts"][mine][order])
    for name in ("open", "high", "low", "close", "volume"):
        np.testing.assert_array_equal(getattr(got, name), cols[name][mine][order], err_msg=name)


@pytest.mark.parametrize("with_codes", [True, False])
async def test_large_unordered_batch_round_trips(with_codes: bool) -> None:
    cols = columns(["XA", "XB"], N_BARS)
    counts = await store.aupsert(bar_columns(cols, with_codes=with_codes), source="test")
    assert counts == store.UpsertCounts(2 * N_BARS, 0, 0)
    await assert_stored(cols, "XA")
    await assert_stored(cols, "XB")
    assert await Series.objects.filter(symbol__in=["XA", "XB"]).acount() == 2
    assert {b async for b in Bar.objects.values_list("source", flat=True).distinct()} == {"test"}


async def test_append_then_overlap_counts_inserted_updated_unchanged() -> None:
    first = columns(["YA"], 100)
    assert await store.aupsert(bar_columns(first, with_codes=True)) == store.UpsertCounts(100, 0, 0)
    # A later range of the same series: appended without touching the stored rows.
    again = columns(["YA"], 55, first_day=100, seed=8)
    later = {k: v[:50] for k, v in again.items()}
    assert await store.aupsert(bar_columns(later, with_codes=True)) == store.UpsertCounts(50, 0, 0)
    # Overlapping the stored range: 10 changed, 40 identical, 5 new.
    again["close"] = again["close"].copy()
    again["close"][:10] += 0.5
    counts = await store.aupsert(bar_columns(again, with_codes=False))
    assert counts == store.UpsertCounts(5, 10, 40)
    assert await Bar.objects.filter(series__symbol="YA").acount() == 155
    assert await Series.objects.filter(symbol="YA").acount() == 1


async def test_a_failed_batch_creates_no_series(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("disk full")

    if store.uses_postgresql():
        monkeypatch.setattr(_pgcopy, "encode_bars", broken)
    else:
        from django.db.models.query import QuerySet

        monkeypatch.setattr(QuerySet, "bulk_create", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        await store.aupsert(bar_columns(columns(["ZA", "ZB"], 10), with_codes=True))
    assert not await Series.objects.filter(symbol__in=["ZA", "ZB"]).aexists()
    assert not await Bar.objects.aexists()


async def test_bar_reads_on_the_loop_equal_the_orms() -> None:
    """SQLite: ``abars`` reads on the event loop (asyncdb) and converts the timestamps at
    once; the values equal the ORM's own read in every mode (range, limit, newest first)."""
    if store.uses_postgresql():
        pytest.skip("PostgreSQL reads bars through asyncpg (pg_bars)")
    from asgiref.sync import sync_to_async

    cols = columns(["XL"], 400)
    cols["ts"] = cols["ts"] + np.timedelta64(123456, "us")  # microseconds survive
    await store.aupsert(bar_columns(cols, with_codes=True), source="test")
    start, end = cols["ts"][10].astype("datetime64[us]").item(), None
    cases = [
        {"start": None, "end": None, "limit": 100_000, "descending": False},
        {"start": start, "end": end, "limit": 50, "descending": False},
        {
            "start": start,
            "end": cols["ts"][300].astype("datetime64[us]").item(),
            "limit": 7,
            "descending": True,
        },
    ]
    for case in cases:
        case = {
            **case,
            "start": case["start"] and case["start"].replace(tzinfo=dt.UTC),
            "end": case["end"] and case["end"].replace(tzinfo=dt.UTC),
        }
        ours = await store.abars("XL", timeframe="1d", **case)
        ref = await sync_to_async(store._orm_bars)(
            "XL", "1d", case["start"], case["end"], case["limit"], case["descending"]
        )
        assert len(ours.ts) == len(ref.ts) > 0
        np.testing.assert_array_equal(ours.ts, ref.ts)
        for name in ("open", "high", "low", "close", "volume"):
            np.testing.assert_array_equal(getattr(ours, name), getattr(ref, name), err_msg=name)
    assert np.isnan((await store.abars("XL", timeframe="1d")).volume).any()  # NULL -> NaN


async def test_pg_connections_go_to_their_waiters_in_arrival_order() -> None:
    """asyncpg's pool queue lets a request that arrives just as a connection is put back take
    it from the waiter woken for it (which then queues again, at the end): under load some
    waited many turns. ``pg_connection`` hands connections out in arrival order. The newcomer
    here arrives at the worst moment, in the same turn as the connection is put back."""
    import asyncio

    if not store.uses_postgresql():
        pytest.skip("the asyncpg pool is PostgreSQL's")
    pool = await store.asyncpg_pool()
    order: list[str] = []
    release = [asyncio.Event() for _ in range(store.POOL_SIZE)]
    all_held = asyncio.Event()
    held = 0

    async def holder(k: int) -> None:
        nonlocal held
        async with store.pg_connection():
            held += 1
            if held == store.POOL_SIZE:
                all_held.set()
            await release[k].wait()

    async def user(name: str) -> None:
        async with store.pg_connection() as conn:
            order.append(name)
            await conn.fetchval("SELECT 1")

    holders = [asyncio.create_task(holder(k)) for k in range(store.POOL_SIZE)]
    await asyncio.wait_for(all_held.wait(), 10)
    waiting = []
    for i in range(3):
        waiting.append(asyncio.create_task(user(f"waiter{i}")))
        await asyncio.sleep(0.01)  # each one queued before the next

    queue = pool._queue
    put = queue.put_nowait
    newcomer: list[asyncio.Task[None]] = []

    def put_and_barge(item: Any) -> None:
        if not newcomer:  # the first connection put back: a request arrives right then
            newcomer.append(asyncio.create_task(user("newcomer")))
        put(item)

    queue.put_nowait = put_and_barge  # type: ignore[method-assign]
    try:
        release[0].set()
        await asyncio.wait_for(asyncio.gather(*waiting), 10)
        for event in release:
            event.set()
        await asyncio.wait_for(asyncio.gather(*holders, *newcomer), 10)
    finally:
        del queue.put_nowait
    assert order == ["waiter0", "waiter1", "waiter2", "newcomer"]


async def test_a_pg_connection_comes_back_clean() -> None:
    """The pool skips asyncpg's reset query (``store._no_session_state``): a transaction left
    open is still rolled back before the connection is handed out again."""
    if not store.uses_postgresql():
        pytest.skip("the asyncpg pool is PostgreSQL's")
    async with store.pg_connection() as conn:
        await conn.execute("BEGIN")
        await conn.execute("CREATE TEMP TABLE left_open (x int) ON COMMIT DROP")
        assert conn.is_in_transaction()
    for _ in range(store.POOL_SIZE + 1):
        async with store.pg_connection() as conn:
            assert not conn.is_in_transaction()
            assert await conn.fetchval("SELECT to_regclass('pg_temp.left_open')") is None
