r"""Resampling bars from a finer to a coarser timeframe.

Buckets are **left-closed and left-labelled** on a grid anchored at the Unix epoch in UTC:
a bar at time :math:`t` falls in the bucket starting at
:math:`\lfloor t / w \rfloor \, w` for bucket width :math:`w`, so ``1d`` buckets run from
00:00 UTC to the next 00:00 UTC and are labelled with their start. This equals pandas'
``resample(rule, closed="left", label="left")`` (its default ``origin="start_day"`` gives
the same grid, since every supported width divides a day), which the tests check.

``1w`` and ``1mo`` buckets are calendar buckets instead: the week from Monday 00:00 UTC and
the calendar month, labelled by their Monday and first day (the labels of
:mod:`engine.data.timeframes`). Any intraday or ``1d`` source resamples to them; ``1w``
does not resample to ``1mo`` (a week can straddle two months).

Aggregation: ``open`` = first, ``high`` = max, ``low`` = min, ``close`` = last,
``volume`` = sum of the non-missing volumes (NaN when every volume in the bucket is
missing; pandas would give 0). Empty buckets produce no bar (pandas gives a NaN row).
Each output bar is built from whatever input bars the bucket holds; incomplete buckets
(for example a trading day that closes at 21:00 UTC) are not flagged here: see
:mod:`engine.data.quality` for gaps.
"""

from __future__ import annotations

import numpy as np

from engine._typing import TIMEFRAMES, Timeframe
from engine.data.base import BarBatch
from engine.data.timeframes import label_dates

NS_PER: dict[str, int] = {
    "1m": 60 * 10**9,
    "5m": 5 * 60 * 10**9,
    "15m": 15 * 60 * 10**9,
    "1h": 3600 * 10**9,
    "1d": 86400 * 10**9,
}


def resample_bars(batch: BarBatch, timeframe: Timeframe) -> BarBatch:
    """Aggregate ``batch`` into coarser ``timeframe`` bars.

    Parameters
    ----------
    batch : BarBatch
        Source bars (any timeframe finer than or equal to the target).
    timeframe : {"1m", "5m", "15m", "1h", "1d", "1w", "1mo"}
        Target; its width must be a multiple of the source's (``1w``, ``1mo``: any source
        up to ``1d``; ``1mo`` also from ``1mo``).

    Returns
    -------
    BarBatch
        Left-labelled UTC buckets; the same batch's values if the timeframes are equal.

    Raises
    ------
    ValueError
        Unknown target, or a target finer than the source.
    """
    if timeframe not in TIMEFRAMES:
        raise ValueError(f"unknown timeframe {timeframe!r}")
    calendar = timeframe in ("1w", "1mo")
    if calendar:
        ok = batch.timeframe == timeframe or batch.timeframe not in ("1w", "1mo")
    else:
        ok = batch.timeframe in NS_PER and NS_PER[timeframe] >= NS_PER[batch.timeframe]
        ok = ok and NS_PER[timeframe] % NS_PER[batch.timeframe] == 0
    if not ok:
        raise ValueError(
            f"cannot resample {batch.timeframe} to {timeframe}: target must be coarser "
            "and a multiple of the source"
        )
    if len(batch) == 0:
        return BarBatch(
            batch.symbol,
            timeframe,
            batch.ts,
            batch.open,
            batch.high,
            batch.low,
            batch.close,
            batch.volume,
        )
    t = batch.ts.view(np.int64)
    if calendar:
        bucket = label_dates(t, timeframe)
    else:
        dst = NS_PER[timeframe]
        bucket = np.floor_divide(t, dst) * dst
    starts = np.flatnonzero(np.r_[True, bucket[1:] != bucket[:-1]])
    ends = np.r_[starts[1:], t.shape[0]] - 1
    vol = batch.volume
    present = ~np.isnan(vol)
    vol_sum = np.add.reduceat(np.where(present, vol, 0.0), starts)
    vol_n = np.add.reduceat(present.astype(np.int64), starts)
    return BarBatch(
        batch.symbol,
        timeframe,
        bucket[starts].view("datetime64[ns]"),
        batch.open[starts],
        np.maximum.reduceat(batch.high, starts),
        np.minimum.reduceat(batch.low, starts),
        batch.close[ends],
        np.where(vol_n > 0, vol_sum, np.nan),
    )
