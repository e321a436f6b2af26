"""Reads for market data: symbols, bars as arrays, data quality."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
from django.db.models import Count, Max, Min, QuerySet

import engine.compute
from engine._typing import TIMEFRAMES, Timeframe
from engine.data.base import BarBatch
from engine.data.quality import quality_report
from engine.data.resample import resample_bars
from titan_web.common.errors import NotFoundError
from titan_web.market import store
from titan_web.market.models import Series, Symbol


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
    await symbol_get(ticker=ticker)
    batch, _ = await bar_batch(symbol=ticker, timeframe=timeframe, limit=10_000_000)
    report = await engine.compute.run(
        quality_report, batch, stale_bars=stale_bars, outlier_z=outlier_z
    )
    data = report.to_dict()
    data["missing_count"] = len(report.missing)
    data["missing"] = data["missing"][:500]
    return data


async def bar_coverage(
    *, symbols: list[str] | None = None, timeframe: Timeframe | None = None
) -> list[dict[str, Any]]:
    """First and last bar and bar count of every stored series, in one grouped query."""
    qs = Series.objects.all()
    if symbols:
        qs = qs.filter(symbol__in=symbols)
    if timeframe:
        qs = qs.filter(timeframe=timeframe)
    rows = qs.annotate(first=Min("bars__ts"), last=Max("bars__ts"), count=Count("bars__ts"))
    return [
        {
            "symbol": r.symbol,
            "timeframe": r.timeframe,
            "first": r.first,
            "last": r.last,
            "count": r.count,
        }
        async for r in rows.filter(count__gt=0).order_by("symbol", "timeframe")
    ]
