"""Reads for market data: symbols, bars as arrays, data quality."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
from django.db.models import QuerySet

import engine.compute
from engine._typing import TIMEFRAMES, Timeframe
from engine.data.base import BarBatch
from engine.data.quality import calendar_name, quality_report
from engine.data.resample import resample_bars
from titan_web.common.errors import NotFoundError
from titan_web.market import store
from titan_web.market.models import BarChange, Series, Symbol


def symbol_list() -> QuerySet[Symbol]:
    return Symbol.objects.all()


async def symbol_get(*, ticker: str) -> Symbol:
    try:
        return await Symbol.objects.aget(ticker=ticker)
    except Symbol.DoesNotExist as exc:
        raise NotFoundError(f"No symbol {ticker!r}.") from exc


async def _stored_timeframes(symbol: str) -> list[Timeframe]:
    found = {
        t
        async for t in Series.objects.filter(symbol=symbol, bars__isnull=False)
        .values_list("timeframe", flat=True)
        .distinct()
    }
    return [t for t in TIMEFRAMES if t in found]


async def bar_batch(
    *,
    symbol: str,
    timeframe: Timeframe,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    limit: int = 100_000,
) -> tuple[BarBatch, Timeframe]:
    """Bars of one symbol; resampled from the finest finer timeframe when none are stored at
    ``timeframe``. Returns the batch and the timeframe it was read from."""
    arrays = await store.abars(symbol, timeframe=timeframe, start=start, end=end, limit=limit)
    source_tf: Timeframe = timeframe
    if len(arrays.ts) == 0:
        finer = [
            t
            for t in await _stored_timeframes(symbol)
            if TIMEFRAMES.index(t) < TIMEFRAMES.index(timeframe)
            and not (t == "1w" and timeframe == "1mo")  # a week can straddle two months
        ]
        if finer:
            source_tf = finer[-1]
            arrays = await store.abars(
                symbol, timeframe=source_tf, start=start, end=end, limit=10_000_000
            )
    batch = BarBatch(
        symbol,
        source_tf,
        arrays.ts,
        arrays.open,
        arrays.high,
        arrays.low,  # type: ignore[arg-type]
        arrays.close,
        arrays.volume,
    )
    if source_tf != timeframe and len(batch.ts):
        batch = await engine.compute.run(resample_bars, batch, timeframe)
        if len(batch.ts) > limit:
            batch = BarBatch(
                symbol,
                batch.timeframe,
                batch.ts[:limit],
                batch.open[:limit],
                batch.high[:limit],
                batch.low[:limit],
                batch.close[:limit],
                batch.volume[:limit],
            )
    return batch, source_tf


def batch_payload(batch: BarBatch, *, limit: int) -> dict[str, Any]:
    ts = np.datetime_as_string(batch.ts, unit="s")

    def col(a: np.ndarray) -> list[float | None]:
        return [None if v != v else v for v in a.tolist()]

    out: dict[str, Any] = {
        "count": len(batch.ts),
        "ts": [t + "Z" for t in ts.tolist()],
        "open": col(batch.open),
        "high": col(batch.high),
        "low": col(batch.low),
        "close": col(batch.close),
        "volume": col(batch.volume),
    }
    out["truncated"] = len(batch.ts) >= limit
    return out


async def symbol_quality(
    *, ticker: str, timeframe: Timeframe, stale_bars: int, outlier_z: float
) -> dict[str, Any]:
    symbol = await symbol_get(ticker=ticker)
    batch, _ = await bar_batch(symbol=ticker, timeframe=timeframe, limit=10_000_000)
    report = await engine.compute.run(
        quality_report,
        batch,
        stale_bars=stale_bars,
        outlier_z=outlier_z,
        exchange=calendar_name(symbol.exchange),
    )
    data = report.to_dict()
    data["missing_count"] = len(report.missing)
    data["missing"] = data["missing"][:500]
    return data


def bar_changes(
    *,
    symbol: str | None = None,
    timeframe: str | None = None,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
) -> QuerySet[BarChange]:
    """Recorded changes of stored bars, newest first. Bars are shared data: every signed-in
    user may read the whole history (who changed which bar, from what to what)."""
    qs = BarChange.objects.select_related("series")
    if symbol is not None:
        qs = qs.filter(series__symbol=symbol)
    if timeframe is not None:
        qs = qs.filter(series__timeframe=timeframe)
    if start is not None:
        qs = qs.filter(ts__gte=start)
    if end is not None:
        qs = qs.filter(ts__lte=end)
    return qs.order_by("-changed_at", "-id")
