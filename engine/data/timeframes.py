"""Timeframes: labels of coarse bars, spacing detection and annualisation.

Labels
------
Intraday bars (``1m, 5m, 15m, 1h``) are labelled by their start instant in UTC. Daily and
coarser bars are labelled by their **calendar date**, not by an instant: a bar's date is the
local calendar date of its timestamp *as given* (in its own UTC offset when it has one,
``2021-01-04 00:00:00-05:00`` is 2021-01-04; in ``naive_tz`` when it is naive), and the bar
is stored at 00:00 UTC of its label:

* ``1d``: the date itself;
* ``1w``: the Monday of the (ISO, Monday-first) week that holds the date, whatever day the
  provider stamps weekly bars with (a Friday-stamped week is labelled by its Monday);
* ``1mo``: the first day of the month that holds the date.

A zone offset therefore never moves a bar to another date, and two bars of one series on one
label (09:30 and 16:00 of one day for ``1d``) are one bar twice: validation rejects both.

Spacing
-------
:func:`detect_timeframe` names the timeframe whose nominal length is nearest (in log ratio)
to the median spacing of a series' bars. The median makes it tolerant of weekends, holidays
and sessions: daily stock data has median spacing 1 day although a third of its steps are
longer; monthly data has 28-31 days.

Annualisation
-------------
:data:`PERIODS_PER_YEAR` is the number of bars in a year of US-equity trading: 252 sessions
of 6.5 hours (``1h``: 1,638; ``1m``: 98,280), 52 weeks, 12 months. Every per-year figure
(Sharpe, annual return and volatility, Sortino, Calmar, the borrow charge per bar) uses it.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from engine._typing import COARSE_TIMEFRAMES, TIMEFRAMES, IntArray

NS_PER_DAY = 86_400 * 10**9

#: Nominal bar length in nanoseconds (``1mo`` = a mean Gregorian month, 30.44 days).
NOMINAL_NS: dict[str, int] = {
    "1m": 60 * 10**9,
    "5m": 5 * 60 * 10**9,
    "15m": 15 * 60 * 10**9,
    "1h": 3600 * 10**9,
    "1d": NS_PER_DAY,
    "1w": 7 * NS_PER_DAY,
    "1mo": int(365.2425 / 12 * NS_PER_DAY),
}

#: Bars per year, used for every annualised figure.
PERIODS_PER_YEAR: dict[str, int] = {
    "1m": 252 * 390,
    "5m": 252 * 78,
    "15m": 252 * 26,
    "1h": int(252 * 6.5),
    "1d": 252,
    "1w": 52,
    "1mo": 12,
}

#: Fewest bars of a series whose spacing is checked against its declared timeframe.
MIN_BARS_FOR_SPACING = 10


def periods_per_year(timeframe: str) -> int:
    """Bars per year of ``timeframe`` (see the module notes)."""
    try:
        return PERIODS_PER_YEAR[timeframe]
    except KeyError:
        raise ValueError(f"unknown timeframe {timeframe!r}; expected one of {TIMEFRAMES}") from None


def is_coarse(timeframe: str) -> bool:
    """True for timeframes labelled by calendar date (``1d`` and coarser)."""
    return timeframe in COARSE_TIMEFRAMES


def label_dates(wall_ns: IntArray, timeframe: str) -> IntArray:
    """Labels (UTC ns at 00:00 of the label date) of coarse bars from their wall-clock times.

    ``wall_ns`` holds each bar's local wall time as nanoseconds since the epoch *as if* it
    were UTC (its calendar date is the bar's date).
    """
    days = np.floor_divide(np.asarray(wall_ns, dtype=np.int64), NS_PER_DAY)
    if timeframe == "1d":
        out = days
    elif timeframe == "1w":
        out = days - np.mod(days + 3, 7)  # 1970-01-01 was a Thursday: Monday is (days+3)%7 == 0
    elif timeframe == "1mo":
        months = days.astype("datetime64[D]").astype("datetime64[M]")
        out = months.astype("datetime64[D]").astype(np.int64)
    else:
        raise ValueError(f"{timeframe!r} is not a coarse timeframe")
    return (out * NS_PER_DAY).astype(np.int64)


def nearest_timeframe(spacing_ns: float) -> str:
    """The timeframe whose nominal length is nearest to ``spacing_ns`` in log ratio."""
    if not spacing_ns > 0:
        raise ValueError("spacing must be > 0")
    return min(TIMEFRAMES, key=lambda tf: abs(math.log(spacing_ns / NOMINAL_NS[tf])))


def median_spacing(ts_ns: IntArray) -> float | None:
    """Median step between sorted distinct timestamps; ``None`` below
    :data:`MIN_BARS_FOR_SPACING` bars."""
    t = np.unique(np.asarray(ts_ns, dtype=np.int64))
    if t.shape[0] < MIN_BARS_FOR_SPACING:
        return None
    return float(np.median(np.diff(t)))


def detect_timeframe(ts_ns: IntArray) -> tuple[str | None, float | None]:
    """``(timeframe, median spacing in ns)`` of one series; ``(None, None)`` when it has too
    few bars to tell."""
    spacing = median_spacing(ts_ns)
    if spacing is None:
        return None, None
    return nearest_timeframe(spacing), spacing


def describe_spacing(spacing_ns: float) -> str:
    """Human text of a spacing: ``30 days``, ``7 days``, ``1 day``, ``15 minutes``."""
    seconds = spacing_ns / 1e9
    for unit, size in (("day", 86_400), ("hour", 3_600), ("minute", 60)):
        if seconds >= size:
            value = seconds / size
            text = f"{value:.0f}" if abs(value - round(value)) < 0.05 else f"{value:.1f}"
            return f"{text} {unit}{'' if text == '1' else 's'}"
    return f"{seconds:g} seconds"


def mismatch_reason(declared: str, detected: str, spacing_ns: float) -> str:
    """The rejection reason of a series whose spacing does not fit its declared timeframe."""
    return (
        f"declared {declared} but the bars are spaced like {detected} "
        f"(median {describe_spacing(spacing_ns)})"
    )


def group_spacing(group: IntArray, ts_ns: IntArray) -> dict[int, float]:
    """Median spacing per group code (groups with fewer than
    :data:`MIN_BARS_FOR_SPACING` bars are left out). Vectorised: one sort, one groupby."""
    g = np.asarray(group, dtype=np.int64)
    t = np.asarray(ts_ns, dtype=np.int64)
    if g.shape[0] < 2:
        return {}
    step_g, step_t = np.diff(g), np.diff(t)
    if not np.all((step_g > 0) | ((step_g == 0) & (step_t >= 0))):
        # in time order across series, a stable sort by series keeps it (and is cheaper)
        by_time = bool(np.all(step_t >= 0))
        order = np.argsort(g, kind="stable") if by_time else np.lexsort((t, g))
        g, t = g[order], t[order]
        step_g, step_t = np.diff(g), np.diff(t)
    same = (step_g == 0) & (step_t > 0)
    if not same.any():
        return {}
    counts = np.bincount(g, minlength=int(g.max()) + 1)
    steps: Any = pd.Series(step_t[same]).groupby(g[1:][same]).median()
    return {int(k): float(v) for k, v in steps.items() if counts[int(k)] >= MIN_BARS_FOR_SPACING}
