"""Ingest and read benchmark on the real PostgreSQL (issue 3).

Measures in one run:
- TITAN's ingest of 1,000,000 bars (validation, series lookup, overlap check and a streamed
  binary COPY into the keyed table; a re-ingest takes the staging-table merge instead)
  against a raw asyncpg ``copy_records_to_table`` of the same rows into a bare table
  (records built before the clock starts: the raw COPY's best case), and into a table with
  TITAN's key and BRIN index (the floor for a store that keeps bars unique). Each contender
  starts after a CHECKPOINT, so none pays for another's dirty buffers;
- TITAN's read of a 500-symbol x 2,520-bar close matrix (binary COPY straight into numpy,
  pivoted) against a raw asyncpg ``fetch`` of the same rows (records, not pivoted).

Run: ``.venv/bin/python tests/benchmarks/ingest.py`` (PostgreSQL on 127.0.0.1:5432, user
postgres; it creates and drops the databases titan_bench and titan_bench_ts). Ends with one
JSON line of headline figures.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
PG = "postgres://postgres@127.0.0.1:5432"
os.environ["DATABASE_URL"] = f"{PG}/titan_bench"
os.environ["TIMESCALE_URL"] = f"{PG}/titan_bench_ts"
os.environ.pop("REDIS_URL", None)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "titan_web.settings")
os.environ.setdefault("TITAN_VAR_DIR", str(ROOT / "var" / "bench"))

N_SYMBOLS, N_BARS_INGEST, N_BARS_READ = 500, 2_000, 2_520
REPEATS = int(os.environ.get("BENCH_REPEATS", "3"))


def make_columns(first_bar: int, n_bars: int, seed: int = 1) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed + first_bar)
    start = np.datetime64("2010-01-01", "ns")
    days = start + (np.arange(first_bar, first_bar + n_bars) * np.timedelta64(1, "D"))
    sym = np.repeat(np.array([f"S{i:04d}" for i in range(N_SYMBOLS)], dtype=object), n_bars)
    ts = np.tile(days, N_SYMBOLS)
    close = np.exp(rng.normal(0, 0.01, len(ts)).cumsum() * 0 + rng.normal(4, 0.5, len(ts)))
    high = close * 1.01
    low = close * 0.99
    return {
        "symbol": sym,
        "timeframe": np.full(len(ts), "1d", dtype=object),
        "ts": ts,
        "open": close,
        "high": high,
        "low": low,
        "close": close,
        "volume": rng.integers(1, 10_000, len(ts)).astype(np.float64),
    }


def recreate_databases() -> None:
    import psycopg

    with psycopg.connect("host=127.0.0.1 user=postgres dbname=postgres", autocommit=True) as c:
        for name in ("titan_bench", "titan_bench_ts"):
            c.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            c.execute(f"CREATE DATABASE {name}")


async def main() -> dict[str, float]:
    import django

    django.setup()
    from asgiref.sync import sync_to_async
    from django.core.management import call_command

    from engine.data.validate import validate_bars
    from titan_web.market import store

    await sync_to_async(call_command)("migrate", verbosity=0)
    await sync_to_async(call_command)("migrate", database="timescale", verbosity=0)
    pool = await store.asyncpg_pool()

    cols = make_columns(0, N_BARS_INGEST)
    n = len(cols["ts"])
    ts_py = [
        dt.datetime(1970, 1, 1, tzinfo=dt.UTC) + dt.timedelta(microseconds=int(u))
        for u in cols["ts"].astype("datetime64[us]").astype(np.int64)
    ]
    records = list(
        zip(
            cols["symbol"].tolist(),
            cols["timeframe"].tolist(),
            ts_py,
            cols["open"].tolist(),
            cols["high"].tolist(),
            cols["low"].tolist(),
            cols["close"].tolist(),
            cols["volume"].tolist(),
            strict=True,
        )
    )
    series_of = {name: i for i, name in enumerate(dict.fromkeys(cols["symbol"].tolist()))}
    keyed_records = [(series_of[r[0]], *r[2:]) for r in records]
    raw_times, keyed_times, titan_times, validate_times, upsert_times = [], [], [], [], []
    for _ in range(REPEATS):
        async with pool.acquire() as conn:
            # Reference 2: the same rows into a table with TITAN's key (series id, ts) and
            # BRIN index: the floor for any store that keeps bars unique.
            await conn.execute("DROP TABLE IF EXISTS bench_keyed")
            await conn.execute(
                "CREATE TABLE bench_keyed (series int4, ts timestamptz, open float8, "
                "high float8, low float8, close float8, volume float8, "
                "PRIMARY KEY (series, ts))"
            )
            await conn.execute("CREATE INDEX ON bench_keyed USING BRIN (ts)")
            await conn.execute("CHECKPOINT")  # each contender starts with no dirty buffers
            t0 = time.perf_counter()
            await conn.copy_records_to_table("bench_keyed", records=keyed_records)
            keyed_times.append(time.perf_counter() - t0)
            await conn.execute("DROP TABLE bench_keyed")
            await conn.execute("DROP TABLE IF EXISTS bench_raw")
            await conn.execute(
                "CREATE TABLE bench_raw (symbol text, timeframe text, ts timestamptz, "
                "open float8, high float8, low float8, close float8, volume float8)"
            )
            await conn.execute("CHECKPOINT")
            t0 = time.perf_counter()
            await conn.copy_records_to_table("bench_raw", records=records)
            raw_times.append(time.perf_counter() - t0)
            await conn.execute(f"TRUNCATE {store.TABLE}")
            await conn.execute("CHECKPOINT")
        t0 = time.perf_counter()
        report = validate_bars(cols)
        t1 = time.perf_counter()
        bars = store.BarColumns.from_report(report)
        counts = await store.pg_upsert(bars, source="bench")
        t2 = time.perf_counter()
        assert report.n_rejected == 0 and counts.inserted == n, (report.n_rejected, counts)
        validate_times.append(t1 - t0)
        upsert_times.append(t2 - t1)
        titan_times.append(t2 - t0)

    # Idempotent re-ingest of the same million rows (nothing changes).
    t0 = time.perf_counter()
    again = await store.pg_upsert(bars, source="bench")
    reingest_s = time.perf_counter() - t0
    assert again.unchanged == n and again.inserted == again.updated == 0

    # Extend to 2,520 bars per symbol for the read benchmark (untimed).
    extra = make_columns(N_BARS_INGEST, N_BARS_READ - N_BARS_INGEST)
    rep = validate_bars(extra)
    await store.pg_upsert(store.BarColumns.from_report(rep))
    async with pool.acquire() as conn:
        await conn.execute(f"ANALYZE {store.TABLE}")
    symbols = [f"S{i:04d}" for i in range(N_SYMBOLS)]
    raw_read, titan_read = [], []
    for _ in range(REPEATS + 2):
        async with pool.acquire() as conn:
            t0 = time.perf_counter()
            rows = await conn.fetch(
                f"SELECT s.symbol, b.ts, b.close FROM {store.TABLE} b "
                f"JOIN {store.SERIES_TABLE} s ON s.id = b.series_id "
                "WHERE s.symbol = ANY($1::text[]) AND s.timeframe = '1d'",
                symbols,
            )
            raw_read.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        matrix = await store.pg_close_matrix(symbols, "1d", None, None)
        titan_read.append(time.perf_counter() - t0)
    assert len(rows) == N_SYMBOLS * N_BARS_READ
    assert matrix.close.shape == (N_BARS_READ, N_SYMBOLS) and not np.isnan(matrix.close).any()
    check = {(r["symbol"], r["ts"]): r["close"] for r in rows[:1000]}
    for (s, ts), c in check.items():
        i = symbols.index(s)
        j = int(np.searchsorted(matrix.ts, np.datetime64(ts.replace(tzinfo=None), "ns")))
        assert matrix.close[j, i] == c
    await store.close_asyncpg_pools()

    raw_s, titan_s = statistics.median(raw_times), statistics.median(titan_times)
    keyed_s = statistics.median(keyed_times)
    raw_r, titan_r = statistics.median(raw_read), statistics.median(titan_read)
    print(f"{'':38}{'median s':>10}{'rows/s':>14}")
    print(f"{'raw asyncpg COPY (bare table)':38}{raw_s:>10.3f}{n / raw_s:>14,.0f}")
    print(f"{'raw asyncpg COPY (series key + BRIN)':38}{keyed_s:>10.3f}{n / keyed_s:>14,.0f}")
    print(f"{'TITAN ingest (validate + upsert)':38}{titan_s:>10.3f}{n / titan_s:>14,.0f}")
    print(f"{'  of which validation':38}{statistics.median(validate_times):>10.3f}")
    print(f"{'  of which COPY + upsert':38}{statistics.median(upsert_times):>10.3f}")
    print(f"{'TITAN re-ingest, all unchanged':38}{reingest_s:>10.3f}{n / reingest_s:>14,.0f}")
    print(f"{'raw asyncpg fetch 500x2520':38}{raw_r * 1e3:>9.0f}ms")
    print(f"{'TITAN close matrix 500x2520':38}{titan_r * 1e3:>9.0f}ms")
    print(
        f"ingest ratio (TITAN rows/s / raw COPY rows/s): {raw_s / titan_s:.2f}  (must >= 0.5, aim 0.7)"
    )
    print(f"ingest ratio vs a raw COPY into the same keyed table: {keyed_s / titan_s:.2f}")
    print(f"read speed-up (raw fetch time / TITAN time): {raw_r / titan_r:.2f}  (must >= 1, aim 2)")
    return {
        "rows": n,
        "titan_ingest_s": round(titan_s, 3),
        "raw_copy_s": round(raw_s, 3),
        "ingest_ratio": round(raw_s / titan_s, 3),
        "raw_keyed_copy_s": round(keyed_s, 3),
        "ingest_ratio_vs_keyed": round(keyed_s / titan_s, 3),
        "titan_rows_per_s": round(n / titan_s),
        "reingest_s": round(reingest_s, 3),
        "titan_read_ms": round(titan_r * 1e3, 1),
        "raw_fetch_ms": round(raw_r * 1e3, 1),
        "read_speedup": round(raw_r / titan_r, 2),
    }


if __name__ == "__main__":
    recreate_databases()
    try:
        figures = asyncio.run(main())
    finally:
        recreate_databases()
    print(json.dumps(figures))
