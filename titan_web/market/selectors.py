"""Reads for market data: symbols, bars as arrays, data quality."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
from django.db.models import Count, Max, Min, QuerySet

import engine.compute
from engine._typing import TIMEFRAMES, Timeframe
from engine.data.base import BarBatch
from engine.data.quality import calendar_name, quality_report
from engine.data.resample import resample_bars
from engine.data.validate import normalize_ticker
from titan_web.common import asyncdb
from titan_web.common.errors import NotFoundError
from titan_web.market import store
from titan_web.market.models import BarChange, Series, Symbol


def symbol_list() -> QuerySet[Symbol]:
    return Symbol.objects.all()


async def symbol_get(*, ticker: str) -> Symbol:
    """A symbol by ticker, case-insensitively (tickers are stored upper case)."""
    ticker = normalize_ticker(ticker)
    try:
        return await Symbol.objects.aget(ticker=ticker)
    except Symbol.DoesNotExist as exc:
        raise NotFoundError(f"No symbol {ticker!r}.") from exc


async def symbols_require(*, tickers: list[str], field: str | list[str]) -> list[Symbol]:
    """The symbols of ``tickers`` (stored form), in order; 404 naming each unknown one under
    its field path: ``field`` is one name per ticker (``["symbol_1", "symbol_2"]``) or the
    name of the list they came in (``"symbols"``, reported as ``symbols.<index>``)."""
    found = {s.ticker: s for s in await asyncdb.aobjects(Symbol.objects.filter(ticker__in=tickers))}
    names = field if isinstance(field, list) else [f"{field}.{i}" for i in range(len(tickers))]
    missing = {n: t for n, t in zip(names, tickers, strict=True) if t not in found}
    if missing:
        raise NotFoundError(
            f"Unknown symbol(s): {', '.join(missing.values())}.",
            errors={n: [f"unknown symbol {t!r}"] for n, t in missing.items()},
        )
    return [found[t] for t in tickers]


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
    newest_first: bool = False,
) -> tuple[BarBatch, Timeframe]:
    """Bars of one symbol in time order: the oldest ``limit`` ones, or with ``newest_first``
    the newest ``limit`` ones; resampled from the finest finer timeframe when
    none are stored at ``timeframe``. Returns the batch and the timeframe it was read from."""
    arrays = await store.abars(
        symbol, timeframe=timeframe, start=start, end=end, limit=limit, descending=newest_first
    )
    if newest_first:
        arrays = store.BarArrays(*(getattr(arrays, f)[::-1] for f in ("ts", *store._VALUE_FIELDS)))
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
            batch = _slice(batch, slice(-limit, None) if newest_first else slice(None, limit))
    return batch, source_tf


def _slice(batch: BarBatch, part: slice) -> BarBatch:
    return BarBatch(
        batch.symbol,
        batch.timeframe,
        batch.ts[part],
        batch.open[part],
        batch.high[part],
        batch.low[part],
        batch.close[part],
        batch.volume[part],
    )


def batch_payload(batch: BarBatch, *, limit: int, newest_first: bool = False) -> dict[str, Any]:
    """Column-oriented bars, in time order or, with ``newest_first``, newest first."""
    step = -1 if newest_first else 1
    ts = np.datetime_as_string(batch.ts[::step], unit="s")

    def col(a: np.ndarray) -> list[float | None]:
        return [None if v != v else v for v in a[::step].tolist()]

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
    ticker = symbol.ticker
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
