"""The bar store: bulk upsert and numpy reads, on PostgreSQL (asyncpg binary COPY) or through
the ORM (SQLite and any other backend).

Both stores take already-validated columnar bars and answer ``UpsertCounts``. Upsert is
idempotent (rows whose values are unchanged are not touched) and all-or-nothing (one
transaction per call). Reads return numpy arrays without building model objects.

Owners and history: a series records the user whose upload created it. A ``Writer`` who is
not staff may append bars to any series and re-send identical values, but an upsert that would
change a stored value of a series someone else created is refused whole
(:class:`SharedBarsConflict`, 409, listing the conflicting rows). Every change of a stored
bar is written to ``BarChange`` (who, when, old and new OHLCV) in the same transaction.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import datetime as dt
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any

import asyncpg
import numpy as np
import pandas as pd
from asgiref.sync import sync_to_async
from django.db import connections, transaction

from engine.data.validate import ValidationReport
from titan_web.common import asyncdb
from titan_web.common.errors import ConflictError
from titan_web.market import _pgcopy
from titan_web.market.models import Bar, BarChange, Series

ALIAS = "timescale"
TABLE = Bar._meta.db_table
CHANGE_TABLE = BarChange._meta.db_table
MAX_CONFLICTS_LISTED = 100


@dataclass(frozen=True)
class Writer:
    """Who writes bars. ``restricted`` writers (signed-in users who are not staff) may not
    change stored values of series they did not create; the system (``user_id`` None) and
    staff may."""

    user_id: int | None = None
    username: str = ""
    restricted: bool = False

    @classmethod
    def of(cls, user: Any) -> Writer:
        """The writer for a Django user (``None`` or anonymous: the system)."""
        if user is None or not getattr(user, "is_authenticated", False):
            return cls()
        staff = bool(user.is_staff or user.is_superuser)
        return cls(int(user.pk), str(user.get_username()), restricted=not staff)


SYSTEM = Writer()


class SharedBarsConflict(ConflictError):
    slug = "shared-bars-conflict"
    title = "Stored bars belong to another user"


def _conflict(rows: list[dict[str, Any]], count: int) -> SharedBarsConflict:
    series = sorted({f"{r['symbol']} {r['timeframe']}" for r in rows})
    return SharedBarsConflict(
        f"{count} row(s) would change stored bars of {', '.join(series)}, created by another "
        "user; only the user whose upload created a series, or staff, may change its bars "
        "(new timestamps may be appended). Nothing was written.",
        extra={"conflicts": rows[:MAX_CONFLICTS_LISTED], "conflict_count": count},
    )


def _conflict_row(
    symbol: str, timeframe: str, ts: dt.datetime, old: tuple[Any, ...], new: tuple[Any, ...]
) -> dict[str, Any]:
    names = ("open", "high", "low", "close", "volume")
    return {
        "symbol": symbol,
        "timeframe": timeframe,
        "ts": ts.astimezone(dt.UTC).isoformat().replace("+00:00", "Z"),
        "stored": dict(zip(names, old, strict=True)),
        "sent": dict(zip(names, new, strict=True)),
    }


@dataclass(frozen=True)
class BarColumns:
    """Validated bars, columnar. ``ts`` is UTC ``datetime64[ns]``; ``volume`` NaN = none."""

    symbol: np.ndarray
    timeframe: np.ndarray
    ts: np.ndarray
    open: np.ndarray
    high: np.ndarray
    low: np.ndarray
    close: np.ndarray
    volume: np.ndarray
    # Optional dense code per row of its (symbol, timeframe) pair (``ValidationReport.
    # series_codes``): grouping by it avoids hashing a million strings again.
    series_codes: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.ts)

    @classmethod
    def from_report(cls, report: ValidationReport) -> BarColumns:
        """The accepted rows of a validation report."""
        return cls(
            symbol=np.asarray(report.symbol),
            timeframe=np.asarray(report.timeframe),
            ts=report.ts,
            open=report.open,
            high=report.high,
            low=report.low,
            close=report.close,
            volume=report.volume,
            series_codes=report.series_codes,
        )

    def pair_groups(self) -> tuple[list[tuple[str, str]], np.ndarray]:
        """The distinct (symbol, timeframe) pairs in order of first appearance, and each
        row's index into them."""
        if self.series_codes is not None:
            inverse, _ = pd.factorize(self.series_codes, sort=False)
        else:
            sym_codes, _ = pd.factorize(self.symbol, sort=False)
            tf_codes, tf_names = pd.factorize(self.timeframe, sort=False)
            inverse, _ = pd.factorize(
                sym_codes.astype(np.int64) * max(len(tf_names), 1) + tf_codes, sort=False
            )
        first = np.empty(int(inverse.max()) + 1 if len(inverse) else 0, dtype=np.int64)
        first[inverse[::-1]] = np.arange(len(inverse) - 1, -1, -1)
        pairs = [(str(self.symbol[i]), str(self.timeframe[i])) for i in first.tolist()]
        return pairs, inverse


@dataclass(frozen=True)
class UpsertCounts:
    inserted: int
    updated: int
    unchanged: int
    #: (symbol, timeframe) -> earliest changed bar (UTC), for each series with updated bars
    changed: dict[tuple[str, str], dt.datetime] = dataclasses.field(
        default_factory=dict, compare=False
    )


@dataclass(frozen=True)
class CloseMatrix:
    """Closes of several symbols on the union of their timestamps (NaN where missing)."""

    symbols: list[str]
    ts: np.ndarray  # datetime64[ns], ascending
    close: np.ndarray  # float64, shape (len(ts), len(symbols))


@dataclass(frozen=True)
class BarArrays:
    ts: np.ndarray
    open: np.ndarray
    high: np.ndarray
    low: np.ndarray
    close: np.ndarray
    volume: np.ndarray


# --------------------------------------------------------------------------------------
# PostgreSQL: asyncpg with binary COPY
# --------------------------------------------------------------------------------------

_pools: dict[tuple[int, str], asyncpg.Pool] = {}
_pool_lock: dict[int, asyncio.Lock] = {}
_gates: dict[tuple[int, str], asyncio.Semaphore] = {}
POOL_SIZE = 10


async def _no_session_state(conn: asyncpg.Connection) -> None:
    """The pool's reset: nothing to do. asyncpg still rolls back a transaction left open; its
    default reset query (``RESET ALL``, ``UNLISTEN *``, ``CLOSE ALL``, advisory unlocks) is a
    round trip per release, for state this module never leaves on a connection: no ``SET``,
    ``LISTEN``, cursors or session locks, and the staging table drops at commit."""


async def asyncpg_pool(alias: str = ALIAS) -> asyncpg.Pool:
    """A per-event-loop asyncpg pool for ``alias`` (Django's pool is psycopg and sync)."""
    loop = asyncio.get_running_loop()
    key = (id(loop), alias)
    pool = _pools.get(key)
    if pool is not None and not pool._closed:
        return pool
    lock = _pool_lock.setdefault(id(loop), asyncio.Lock())
    async with lock:
        pool = _pools.get(key)
        if pool is None or pool._closed:
            conf = connections[alias].settings_dict
            pool = await asyncpg.create_pool(
                host=conf["HOST"] or None,
                port=int(conf["PORT"] or 5432),
                user=conf["USER"] or None,
                password=conf["PASSWORD"] or None,
                database=conf["NAME"],
                min_size=1,
                max_size=POOL_SIZE,
                reset=_no_session_state,
            )
            _pools[key] = pool
            _gates[key] = asyncio.Semaphore(POOL_SIZE)
    return pool


@contextlib.asynccontextmanager
async def pg_connection(alias: str = ALIAS) -> AsyncIterator[asyncpg.Connection]:
    """A connection of this loop's asyncpg pool, handed out first come, first served.

    asyncpg's pool keeps its free connections in an ``asyncio`` queue, which lets a request
    that arrives just as a connection is put back take it before the one woken for it; the
    woken one then queues again at the end. Under a steady load of more requests than
    connections some waited many turns: bars at 64 connections had a p99 of 5-10x their
    median (docs/decisions.md, 59). The gate in front, a semaphore of the pool's size, queues
    them in order (asyncio's semaphore hands a released slot to its oldest waiter), so the
    pool itself never has a waiter."""
    pool = await asyncpg_pool(alias)
    gate = _gates[(id(asyncio.get_running_loop()), alias)]
    async with gate, pool.acquire() as conn:
        yield conn


async def close_asyncpg_pools() -> None:
    """Close this loop's pools (ASGI shutdown, end of a test)."""
    loop_id = id(asyncio.get_running_loop())
    for key in [k for k in _pools if k[0] == loop_id]:
        _gates.pop(key, None)
        await _pools.pop(key).close()


SERIES_TABLE = Series._meta.db_table

# Series rows for (symbol, timeframe) pairs, created when missing. Rows inserted by the CTE
# are not visible to the outer SELECT of the same statement, so each pair comes back once:
# from ``ins`` when new, from the table when it existed. A pair inserted meanwhile by another
# transaction is in neither (``pg_series_ids`` asks again for it).
_SERIES_SQL = f"""
WITH wanted AS (SELECT * FROM unnest($1::text[], $2::text[]) AS w(symbol, timeframe)),
ins AS (
  INSERT INTO {SERIES_TABLE} (symbol, timeframe, created_by_id)
  SELECT symbol, timeframe, $3::int4 FROM wanted
  ON CONFLICT (symbol, timeframe) DO NOTHING RETURNING id, symbol, timeframe, created_by_id
)
SELECT id, symbol, timeframe, TRUE AS new, created_by_id FROM ins
UNION ALL
SELECT s.id, s.symbol, s.timeframe, FALSE, s.created_by_id
FROM {SERIES_TABLE} s JOIN wanted USING (symbol, timeframe)
"""
_SERIES_LOOKUP_SQL = f"""
SELECT s.id, s.symbol, s.timeframe, FALSE, s.created_by_id FROM {SERIES_TABLE} s
JOIN unnest($1::text[], $2::text[]) AS w(symbol, timeframe) USING (symbol, timeframe)
"""

_STAGE_DDL = (
    "CREATE TEMP TABLE titan_bar_stage (series int4, ts timestamptz, open float8, "
    "high float8, low float8, close float8, volume float8) ON COMMIT DROP"
)
_MERGE_SQL = f"""
WITH up AS (
  INSERT INTO {TABLE} AS b (series_id, ts, open, high, low, close, volume, source)
  SELECT s.series, s.ts, s.open, s.high, s.low, s.close, NULLIF(s.volume, 'NaN'::float8), $1
  FROM titan_bar_stage s
  ON CONFLICT (series_id, ts) DO UPDATE SET
    open = EXCLUDED.open, high = EXCLUDED.high, low = EXCLUDED.low, close = EXCLUDED.close,
    volume = EXCLUDED.volume, source = EXCLUDED.source
  WHERE (b.open, b.high, b.low, b.close, b.volume)
        IS DISTINCT FROM
        (EXCLUDED.open, EXCLUDED.high, EXCLUDED.low, EXCLUDED.close, EXCLUDED.volume)
  RETURNING (xmax = 0) AS inserted, b.series_id, b.ts, b.open, b.high, b.low, b.close, b.volume
),
-- Every sub-statement sees the snapshot from before the statement: joining the updated rows
-- back to the table reads their old values (PostgreSQL docs, "Data-Modifying Statements in
-- WITH"). Only updated rows are joined, so an unchanged re-ingest pays nothing here.
aud AS (
  INSERT INTO {CHANGE_TABLE} (changed_at, user_id, username, series_id, ts,
    old_open, old_high, old_low, old_close, old_volume, old_source,
    new_open, new_high, new_low, new_close, new_volume, source)
  SELECT now(), $2::int4, $3, up.series_id, up.ts,
    o.open, o.high, o.low, o.close, o.volume, o.source,
    up.open, up.high, up.low, up.close, up.volume, $1
  FROM up JOIN {TABLE} o ON o.series_id = up.series_id AND o.ts = up.ts
  WHERE NOT up.inserted
  RETURNING series_id, ts
)
SELECT NULL::int4, count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted),
       NULL::timestamptz FROM up
UNION ALL
SELECT series_id, 0, 0, min(ts) FROM aud GROUP BY series_id
"""

_CONFLICT_SQL = f"""
SELECT s.series, s.ts, b.open, b.high, b.low, b.close, b.volume,
       s.open, s.high, s.low, s.close, NULLIF(s.volume, 'NaN'::float8), count(*) OVER ()
FROM titan_bar_stage s JOIN {TABLE} b ON b.series_id = s.series AND b.ts = s.ts
WHERE s.series = ANY($1::int4[])
  AND (b.open, b.high, b.low, b.close, b.volume)
      IS DISTINCT FROM (s.open, s.high, s.low, s.close, NULLIF(s.volume, 'NaN'::float8))
ORDER BY s.series, s.ts
LIMIT {MAX_CONFLICTS_LISTED}
"""

_OVERLAP_SQL = f"""
SELECT EXISTS (
  SELECT 1 FROM unnest($1::int4[], $2::timestamptz[], $3::timestamptz[]) AS r(series, lo, hi)
  WHERE EXISTS (SELECT 1 FROM {TABLE} b
                WHERE b.series_id = r.series AND b.ts >= r.lo AND b.ts <= r.hi)
)
"""

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class _SeriesPlan:
    """The batch's rows mapped to series ids, sorted by (series, ts)."""

    series: np.ndarray  # int32 per row
    order: np.ndarray | None  # row order that sorts the batch by (series, ts); None: sorted
    existing: list[tuple[int, dt.datetime, dt.datetime]]  # stored series and batch range
    names: dict[int, tuple[str, str]]  # series id -> (symbol, timeframe)
    foreign: list[int]  # stored series the writer may not change (created by someone else)

    def rows(self, bars: BarColumns) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """Series ids and value columns in (series, ts) order."""
        names = ("ts", "open", "high", "low", "close", "volume")
        if self.order is None:
            return self.series, {n: getattr(bars, n) for n in names}
        return self.series[self.order], {n: getattr(bars, n)[self.order] for n in names}


async def pg_series_ids(
    conn: asyncpg.Connection,
    symbols: list[str],
    timeframes: list[str],
    created_by: int | None = None,
) -> dict[tuple[str, str], tuple[int, bool, int | None]]:
    """Series ids of (symbol, timeframe) pairs, creating the missing ones (recording
    ``created_by``) in ``conn``'s transaction: ``{(symbol, timeframe): (id, created,
    created_by)}``."""
    rows = await conn.fetch(_SERIES_SQL, symbols, timeframes, created_by)
    found = {(r[1], r[2]): (int(r[0]), bool(r[3]), r[4]) for r in rows}
    if len(found) < len(set(zip(symbols, timeframes, strict=True))):
        rows = await conn.fetch(_SERIES_LOOKUP_SQL, symbols, timeframes)
        for r in rows:
            found.setdefault((r[1], r[2]), (int(r[0]), False, r[4]))
    return found


async def _plan(conn: asyncpg.Connection, bars: BarColumns, writer: Writer) -> _SeriesPlan:
    keys, inverse = bars.pair_groups()
    ids = await pg_series_ids(conn, [k[0] for k in keys], [k[1] for k in keys], writer.user_id)
    pair_ids = np.array([ids[k][0] for k in keys], dtype=np.int32)
    series = pair_ids[inverse]
    micros = bars.ts.astype("datetime64[us]").astype(np.int64)
    lo = np.full(len(keys), np.iinfo(np.int64).max)
    hi = np.full(len(keys), np.iinfo(np.int64).min)
    np.minimum.at(lo, inverse, micros)
    np.maximum.at(hi, inverse, micros)
    existing = [
        (
            int(pair_ids[i]),
            _EPOCH + dt.timedelta(microseconds=int(lo[i])),
            _EPOCH + dt.timedelta(microseconds=int(hi[i])),
        )
        for i, key in enumerate(keys)
        if not ids[key][1]
    ]
    # Rows in key order fill the primary key index page by page.
    step_series = np.diff(series)
    in_order = bool(np.all((step_series > 0) | ((step_series == 0) & (np.diff(micros) > 0))))
    order = None if in_order else np.lexsort((micros, series))
    names = {v[0]: k for k, v in ids.items()}
    foreign = [
        v[0] for v in ids.values() if writer.restricted and not v[1] and v[2] != writer.user_id
    ]
    return _SeriesPlan(series, order, existing, names, foreign)


async def _overlaps(conn: asyncpg.Connection, existing: list[tuple[int, Any, Any]]) -> bool:
    if not existing:
        return False
    ids, lo, hi = (list(c) for c in zip(*existing, strict=True))
    return bool(await conn.fetchval(_OVERLAP_SQL, ids, lo, hi))


async def pg_upsert(bars: BarColumns, *, source: str = "", writer: Writer = SYSTEM) -> UpsertCounts:
    """Upsert on PostgreSQL in one transaction.

    The batch's series are looked up (and created when new). Fast path: when no stored bar of
    those series falls inside the batch's time range of the series (a first load, or new bars
    appended), the rows are copied straight into the table (binary COPY, in key order).
    Otherwise, or when a concurrent writer inserted the same keys meanwhile, they are copied
    into a temporary staging table and merged with one ``INSERT ... ON CONFLICT DO UPDATE ...
    WHERE IS DISTINCT FROM`` that counts inserted and updated rows and leaves identical rows
    untouched.
    """
    if len(bars) == 0:
        return UpsertCounts(0, 0, 0)
    async with pg_connection() as conn:
        try:
            async with conn.transaction():
                plan = await _plan(conn, bars, writer)
                if not await _overlaps(conn, plan.existing):
                    series, cols = plan.rows(bars)
                    await conn.copy_to_table(
                        TABLE,
                        source=_paced(_pgcopy.encode_bars(series, **cols, source=source)),
                        columns=_pgcopy.BAR_COLUMNS,
                        format="binary",
                    )
                    return UpsertCounts(len(bars), 0, 0)
                return await _pg_merge(conn, plan, bars, source, writer)
        except asyncpg.UniqueViolationError:
            pass  # another writer inserted some of these keys meanwhile: merge instead
        async with conn.transaction():
            return await _pg_merge(conn, await _plan(conn, bars, writer), bars, source, writer)


async def _paced(chunks: Iterator[bytes]) -> AsyncIterator[bytes]:
    """COPY data chunk by chunk, yielding to the event loop between chunks.

    asyncpg asks for the next chunk only when the socket accepts more, so encoding on the
    client overlaps with the server's inserting, memory stays at a few chunks, and other
    requests run between chunks instead of waiting for the whole batch to be encoded.
    """
    for chunk in chunks:
        yield chunk
        await asyncio.sleep(0)


async def _pg_merge(
    conn: asyncpg.Connection, plan: _SeriesPlan, bars: BarColumns, source: str, writer: Writer
) -> UpsertCounts:
    series, cols = plan.rows(bars)
    payload = _pgcopy.encode_stage(series, **cols)
    await conn.execute(_STAGE_DDL)
    # A memoryview: asyncpg would take plain bytes for a file path (os.fspath accepts bytes).
    await conn.copy_to_table("titan_bar_stage", source=memoryview(payload), format="binary")
    if plan.foreign:
        found = await conn.fetch(_CONFLICT_SQL, plan.foreign)
        if found:
            rows = [
                _conflict_row(*plan.names[int(r[0])], r[1], tuple(r[2:7]), tuple(r[7:12]))
                for r in found
            ]
            raise _conflict(rows, int(found[0][12]))  # rolls the transaction back
    rows = await conn.fetch(_MERGE_SQL, source, writer.user_id, writer.username)
    inserted = updated = 0
    changed: dict[tuple[str, str], dt.datetime] = {}
    for r in rows:
        if r[0] is None:
            inserted, updated = int(r[1]), int(r[2])
        else:
            changed[plan.names[int(r[0])]] = r[3]
    return UpsertCounts(inserted, updated, len(bars) - inserted - updated, changed)


async def _copy_out(query: str, *args: Any) -> bytes:
    chunks: list[bytes] = []

    async def sink(data: bytes) -> None:
        chunks.append(bytes(data))

    async with pg_connection() as conn:
        await conn.copy_from_query(query, *args, output=sink, format="binary")
    return b"".join(chunks)


async def pg_close_matrix(
    symbols: list[str], timeframe: str, start: dt.datetime | None, end: dt.datetime | None
) -> CloseMatrix:
    # Symbol positions by a join on unnest(...) WITH ORDINALITY: array_position() or a
    # subscript per row walks the text array each time (O(symbols) per row).
    query = (
        f"SELECT sy.i::int4, b.ts, b.close "
        "FROM unnest($1::text[]) WITH ORDINALITY AS sy(name, i) "
        f"JOIN {SERIES_TABLE} s ON s.symbol = sy.name AND s.timeframe = $2 "
        f"JOIN {TABLE} b ON b.series_id = s.id "
        "WHERE ($3::timestamptz IS NULL OR b.ts >= $3) AND ($4::timestamptz IS NULL OR b.ts <= $4)"
    )
    rows = _pgcopy.decode(
        await _copy_out(query, symbols, timeframe, start, end), _pgcopy.CLOSE_DTYPE
    )
    ts = _pgcopy.pg_to_datetime64(rows["ts"])
    return _pivot(symbols, rows["sym"].astype(np.int64) - 1, ts, rows["close"].astype(np.float64))


async def pg_bars(
    symbol: str,
    timeframe: str,
    start: dt.datetime | None,
    end: dt.datetime | None,
    limit: int,
    descending: bool = False,
) -> BarArrays:
    query = (
        f"SELECT b.ts, b.open, b.high, b.low, b.close, COALESCE(b.volume, 'NaN'::float8) "
        f"FROM {TABLE} b WHERE b.series_id = "
        f"(SELECT id FROM {SERIES_TABLE} WHERE symbol = $1 AND timeframe = $2) "
        "AND ($3::timestamptz IS NULL OR b.ts >= $3) AND ($4::timestamptz IS NULL OR b.ts <= $4) "
        f"ORDER BY b.ts {'DESC' if descending else ''} LIMIT $5"
    )
    rows = _pgcopy.decode(
        await _copy_out(query, symbol, timeframe, start, end, limit), _pgcopy.BAR_DTYPE
    )
    return BarArrays(
        _pgcopy.pg_to_datetime64(rows["ts"]),
        *(rows[c].astype(np.float64) for c in ("open", "high", "low", "close", "volume")),
    )


# --------------------------------------------------------------------------------------
# ORM path (SQLite and any other backend)
# --------------------------------------------------------------------------------------

_VALUE_FIELDS = ("open", "high", "low", "close", "volume")


def _py_datetimes(ts: np.ndarray) -> list[dt.datetime]:
    micros = ts.astype("datetime64[us]").astype(np.int64).tolist()
    epoch = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    return [epoch + dt.timedelta(microseconds=m) for m in micros]


def _orm_upsert(bars: BarColumns, source: str, writer: Writer = SYSTEM) -> UpsertCounts:
    keys = np.char.add(np.char.add(bars.symbol.astype(str), "\x1f"), bars.timeframe.astype(str))
    inserted = updated = 0
    conflicts: list[dict[str, Any]] = []
    n_conflicts = 0
    audit: list[BarChange] = []
    changed_at = dt.datetime.now(dt.UTC)
    first_change: dict[tuple[str, str], dt.datetime] = {}
    with transaction.atomic(using=ALIAS):
        for key in np.unique(keys):
            symbol, timeframe = str(key).split("\x1f")
            series, created = Series.objects.using(ALIAS).get_or_create(
                symbol=symbol, timeframe=timeframe, defaults={"created_by_id": writer.user_id}
            )
            foreign = writer.restricted and not created and series.created_by_id != writer.user_id
            idx = np.flatnonzero(keys == key)
            stamps = _py_datetimes(bars.ts[idx])
            existing = {
                row[0]: row[1:]
                for row in Bar.objects.using(ALIAS)
                .filter(series=series, ts__gte=min(stamps), ts__lte=max(stamps))
                .values_list("ts", *_VALUE_FIELDS, "source")
                .iterator(chunk_size=20_000)
            }
            columns = [getattr(bars, f)[idx].tolist() for f in _VALUE_FIELDS]
            new: list[Bar] = []
            changed: list[Bar] = []
            for ts, o, h, lo, c, v in zip(stamps, *columns, strict=True):
                volume = None if v != v else v  # NaN means no volume
                bar = Bar(
                    series=series,
                    ts=ts,
                    open=o,
                    high=h,
                    low=lo,
                    close=c,
                    volume=volume,
                    source=source,
                )
                old = existing.get(ts)
                if old is None:
                    new.append(bar)
                elif tuple(old[:5]) != (o, h, lo, c, volume):
                    changed.append(bar)
                    if foreign:
                        n_conflicts += 1
                        if len(conflicts) < MAX_CONFLICTS_LISTED:
                            conflicts.append(
                                _conflict_row(
                                    symbol, timeframe, ts, tuple(old[:5]), (o, h, lo, c, volume)
                                )
                            )
                        continue
                    audit.append(_change(writer, changed_at, series, bar, old, source))
            if n_conflicts:
                continue  # refused below, once every series is checked
            if changed:
                first_change[(symbol, timeframe)] = min(b.ts for b in changed)
            Bar.objects.using(ALIAS).bulk_create(new, batch_size=2_000)
            if changed:
                Bar.objects.using(ALIAS).bulk_create(
                    changed,
                    batch_size=2_000,
                    update_conflicts=True,
                    unique_fields=["series", "ts"],
                    update_fields=[*_VALUE_FIELDS, "source"],
                )
            inserted += len(new)
            updated += len(changed)
        if n_conflicts:
            raise _conflict(conflicts, n_conflicts)  # rolls the transaction back
        BarChange.objects.using(ALIAS).bulk_create(audit, batch_size=2_000)
    return UpsertCounts(inserted, updated, len(bars) - inserted - updated, first_change)


def _change(
    writer: Writer,
    changed_at: dt.datetime,
    series: Series,
    bar: Bar,
    old: tuple[Any, ...],
    source: str,
) -> BarChange:
    return BarChange(
        changed_at=changed_at,
        user_id=writer.user_id,
        username=writer.username,
        series=series,
        ts=bar.ts,
        old_open=old[0],
        old_high=old[1],
        old_low=old[2],
        old_close=old[3],
        old_volume=old[4],
        old_source=old[5],
        new_open=bar.open,
        new_high=bar.high,
        new_low=bar.low,
        new_close=bar.close,
        new_volume=bar.volume,
        source=source,
    )


def _bars_query(
    symbols: list[str],
    timeframe: str,
    start: Any,
    end: Any,
    fields: tuple[str, ...],
    limit: int | None = None,
    descending: bool = False,
) -> Any:
    """The ``values_list`` of ``fields`` of the bars of ``symbols`` (by symbol, then time)."""
    qs = Bar.objects.using(ALIAS).filter(series__symbol__in=symbols, series__timeframe=timeframe)
    if start is not None:
        qs = qs.filter(ts__gte=start)
    if end is not None:
        qs = qs.filter(ts__lte=end)
    rows = qs.order_by("series__symbol", "-ts" if descending else "ts").values_list(*fields)
    return rows[:limit] if limit else rows


def _to_ns(values: list[Any]) -> np.ndarray:
    return np.array(
        [np.datetime64(v.replace(tzinfo=None), "ns") for v in values], dtype="datetime64[ns]"
    )


def _orm_close_matrix(symbols: list[str], timeframe: str, start: Any, end: Any) -> CloseMatrix:
    rows = list(_bars_query(symbols, timeframe, start, end, ("series__symbol", "ts", "close")))
    index = {s: i for i, s in enumerate(symbols)}
    sym = np.fromiter((index[r[0]] for r in rows), dtype=np.int64, count=len(rows))
    ts = _to_ns([r[1] for r in rows])
    close = np.fromiter((r[2] for r in rows), dtype=np.float64, count=len(rows))
    return _pivot(symbols, sym, ts, close)


def _orm_bars(
    symbol: str, timeframe: str, start: Any, end: Any, limit: int, descending: bool = False
) -> BarArrays:
    fields = ("ts", *_VALUE_FIELDS)
    rows = list(_bars_query([symbol], timeframe, start, end, fields, limit, descending))
    return _bar_arrays(rows, _to_ns)


def _bar_arrays(rows: list[Any], to_ns: Any) -> BarArrays:
    if not rows:
        empty = np.array([], dtype=np.float64)
        return BarArrays(np.array([], dtype="datetime64[ns]"), empty, empty, empty, empty, empty)
    cols = list(zip(*rows, strict=True))
    floats = [np.array([np.nan if v is None else v for v in c], dtype=np.float64) for c in cols[1:]]
    return BarArrays(to_ns(list(cols[0])), *floats)


def _naive_utc_to_ns(values: list[Any]) -> np.ndarray:
    """SQLite's datetimes as its connection reads them (naive UTC: Django stores UTC without
    an offset), converted by numpy in one call."""
    return np.array(values, dtype="datetime64[ns]")


def _naive(value: Any) -> bool:
    return type(value) is dt.datetime and value.tzinfo is None


async def _sqlite_bars(
    symbol: str, timeframe: str, start: Any, end: Any, limit: int, descending: bool
) -> BarArrays:
    """:func:`_orm_bars` read on the event loop (titan_web/common/asyncdb.py), the
    timestamps converted by numpy at once rather than one by one; the ORM in a thread when
    the inline read cannot run."""
    query = _bars_query([symbol], timeframe, start, end, ("ts", *_VALUE_FIELDS), limit, descending)
    rows = await asyncdb.araw_rows(query)
    if rows is None or not all(_naive(r[0]) for r in rows):
        return await sync_to_async(_orm_bars)(symbol, timeframe, start, end, limit, descending)
    return _bar_arrays(rows, _naive_utc_to_ns)


def _pivot(symbols: list[str], sym: np.ndarray, ts: np.ndarray, close: np.ndarray) -> CloseMatrix:
    times, row = np.unique(ts, return_inverse=True)
    matrix = np.full((len(times), len(symbols)), np.nan)
    matrix[row, sym] = close
    return CloseMatrix(list(symbols), times, matrix)


# --------------------------------------------------------------------------------------
# Dispatch
# --------------------------------------------------------------------------------------


def uses_postgresql() -> bool:
    # Not connections[ALIAS]: on the event loop that builds a wrapper per request.
    return bool(asyncdb.compile_wrapper(ALIAS).vendor == "postgresql")


async def aupsert(bars: BarColumns, *, source: str = "", writer: Writer = SYSTEM) -> UpsertCounts:
    """Insert new bars, update changed ones, leave identical ones alone; all or nothing.

    Raises :class:`SharedBarsConflict` (nothing written) when a restricted ``writer`` would
    change stored values of a series someone else created; records every change."""
    if uses_postgresql():
        return await pg_upsert(bars, source=source, writer=writer)
    return await sync_to_async(_orm_upsert)(bars, source, writer)


async def aclose_matrix(
    symbols: list[str],
    *,
    timeframe: str,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
) -> CloseMatrix:
    if uses_postgresql():
        return await pg_close_matrix(symbols, timeframe, start, end)
    return await sync_to_async(_orm_close_matrix)(symbols, timeframe, start, end)


async def abars(
    symbol: str,
    *,
    timeframe: str,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    limit: int = 100_000,
    descending: bool = False,
) -> BarArrays:
    """Bars of one series in time order, or newest first with ``descending`` (``limit``
    then keeps the newest)."""
    if uses_postgresql():
        return await pg_bars(symbol, timeframe, start, end, limit, descending)
    return await _sqlite_bars(symbol, timeframe, start, end, limit, descending)
