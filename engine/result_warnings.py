"""Structured warnings that travel with research results.

Every research result (pair analysis, scan, spread, backtest, walk-forward, optimisation,
regimes) carries a ``warnings`` list of ``{"code": ..., "message": ...}`` items: things the
result is still computed for but that a user must know before trusting it. The detectors
here are small pure functions shared by every caller, so one condition is always worded and
decided the same way.

Codes
-----
``in_sample_hedge``
    A fixed hedge ratio was fitted on data that overlaps the evaluated window or comes after
    it (:func:`in_sample_hedge`).
``warmup_truncated``
    The formation / z-score warm-up could not be taken from data before the requested start
    (not enough history), so trading starts later than asked (:func:`warmup_truncated`).
``short_history``
    Fewer bars than the statistics need to be reliable (:func:`history_warnings`).
``irregular_spacing``
    The typical spacing of the bars does not match the declared timeframe.
``gaps``
    Spacings much longer than the timeframe (missing data).
``thin_coverage``
    Far fewer bars than the span should hold for a daily or coarser timeframe.
``few_trades``
    So few trades that trade-based statistics (Sharpe, hit rate) say little (:func:`few_trades`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from typing import Any

import numpy as np

from engine._results import Result

__all__ = [
    "ResultWarning",
    "as_dicts",
    "few_trades",
    "history_warnings",
    "in_sample_hedge",
    "warmup_truncated",
]

#: Nominal bar spacing in seconds per timeframe (coarse ones approximate).
TIMEFRAME_SECONDS = {
    "1m": 60,
    "5m": 300,
    "15m": 900,
    "1h": 3600,
    "1d": 86_400,
    "1w": 7 * 86_400,
    "1mo": 30 * 86_400,
}
#: Share of calendar days that are trading days (daily coverage).
TRADING_DAYS_SHARE = 252 / 365.25
MIN_BARS = 252
MIN_TRADES = 5
MIN_COVERAGE = 0.8


@dataclasses.dataclass(frozen=True)
class ResultWarning(Result):
    """One warning: a stable machine-readable ``code`` and a sentence with the numbers."""

    code: str
    message: str


def as_dicts(items: Iterable[ResultWarning | None]) -> list[dict[str, str]]:
    """JSON form of the warnings (``None`` items skipped, duplicates of a code+message once)."""
    out: list[dict[str, str]] = []
    for w in items:
        if w is None:
            continue
        d = {"code": w.code, "message": w.message}
        if d not in out:
            out.append(d)
    return out


def _day(value: Any) -> str:
    return str(_naive(value))[:10]


def _naive(value: Any) -> np.datetime64:
    """Naive UTC ``datetime64[s]`` of a naive/aware datetime, Timestamp or datetime64."""
    if isinstance(value, dt.datetime) and value.tzinfo is not None:  # Timestamp too
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return np.datetime64(value, "s")


def in_sample_hedge(
    *,
    fit_start: Any,
    fit_end: Any,
    window_start: Any,
    source: str,
    what: str = "the evaluated window",
) -> ResultWarning | None:
    """``in_sample_hedge`` when a fixed hedge's fit window is not entirely before the window.

    The hedge is out of sample only if it was fitted on data that ends before the first
    evaluated bar; a fit window that overlaps the evaluated one, or lies after it, uses
    prices the strategy could not have known. ``fit_end`` None (unknown): warned too.
    """
    if fit_end is not None and _naive(fit_end) < _naive(window_start):
        return None
    span = (
        f"{_day(fit_start)}..{_day(fit_end)}"
        if fit_start is not None and fit_end is not None
        else "an unknown window"
    )
    return ResultWarning(
        "in_sample_hedge",
        f"The hedge ratio ({source}) was fitted on {span}, which is not before {what} "
        f"starting {_day(window_start)}: it is estimated in sample (lookahead). Fit the "
        "hedge on a formation window before the start (omit the pair's hedge) or use a pair "
        "analysed on data that ends before it.",
    )


def warmup_truncated(
    *,
    requested_start: Any,
    trading_start: Any,
    needed_bars: int,
    history_bars: int,
    what: str = "formation and z-score warm-up",
    starts: str = "trading starts",
) -> ResultWarning | None:
    """``warmup_truncated`` when trading (``starts``) had to begin after ``requested_start``."""
    if requested_start is None or _naive(trading_start) <= _naive(requested_start):
        return None
    return ResultWarning(
        "warmup_truncated",
        f"The {what} needs {needed_bars} bars of history but only {history_bars} exist "
        f"before {_day(requested_start)}; {starts} at {_day(trading_start)}, the first bar "
        "with enough history.",
    )


def few_trades(n_trades: Any, *, minimum: int = MIN_TRADES) -> ResultWarning | None:
    """``few_trades`` when fewer than ``minimum`` trades were made."""
    try:
        n = int(n_trades)
    except (TypeError, ValueError):
        return None
    if n >= minimum:
        return None
    return ResultWarning(
        "few_trades",
        f"Only {n} trade{'s' if n != 1 else ''} (fewer than {minimum}): the Sharpe ratio, "
        "hit rate and other statistics say little.",
    )


def history_warnings(ts: Any, *, timeframe: str, min_bars: int = MIN_BARS) -> list[ResultWarning]:
    """``short_history``, ``irregular_spacing``, ``gaps`` and ``thin_coverage`` of a series.

    ``ts``: the bar timestamps (sorted, naive UTC or aware). Spacing is checked against the
    timeframe's nominal spacing: the median spacing should be within a factor of 2.5 of it
    (for daily bars: 1 to 3 calendar days), a gap is a spacing above ``max(5 x nominal,
    7 days)``, and daily or coarser series should hold at least 80 % of the bars their span
    implies (252 trading days a year for ``1d``).
    """
    t = np.asarray(ts)
    if t.dtype.kind != "M":
        t = np.array([_naive(v) for v in t], dtype="datetime64[s]")
    t = t.astype("datetime64[s]")
    n = t.shape[0]
    out: list[ResultWarning] = []
    if n < min_bars:
        out.append(
            ResultWarning(
                "short_history",
                f"Only {n} {timeframe} bars (fewer than {min_bars}): estimates from so short "
                "a history are noisy.",
            )
        )
    nominal = TIMEFRAME_SECONDS.get(timeframe)
    if nominal is None or n < 3:
        return out
    d = np.diff(t).astype(np.int64).astype(np.float64)
    med = float(np.median(d))
    daily_like = nominal >= 86_400
    lo, hi = (nominal / 2.5, nominal * 3.0) if daily_like else (nominal / 2.5, nominal * 2.5)
    if not lo <= med <= hi:
        out.append(
            ResultWarning(
                "irregular_spacing",
                f"The bars are typically {_span(med)} apart but the timeframe is {timeframe} "
                f"({_span(nominal)}): the data may be of another frequency, and per-year "
                "figures computed from the timeframe would be wrong.",
            )
        )
    limit = max(5 * nominal, 7 * 86_400)
    big = d > limit
    if big.any():
        k = int(np.argmax(d))
        out.append(
            ResultWarning(
                "gaps",
                f"{int(big.sum())} gap{'s' if big.sum() != 1 else ''} longer than "
                f"{_span(limit)} (the longest {_span(float(d[k]))} after "
                f"{str(t[k])[:10]}): missing data.",
            )
        )
    if daily_like:
        span_days = float((t[-1] - t[0]).astype(np.int64)) / 86_400 + 1
        per_day = TRADING_DAYS_SHARE if nominal == 86_400 else 86_400 / nominal
        expected = span_days * per_day
        if expected >= 20 and n / expected < MIN_COVERAGE:
            out.append(
                ResultWarning(
                    "thin_coverage",
                    f"{n} bars over {str(t[0])[:10]}..{str(t[-1])[:10]}, where about "
                    f"{expected:.0f} {timeframe} bars are expected (coverage {n / expected:.2f}).",
                )
            )
    return out


def _span(seconds: float) -> str:
    if seconds >= 86_400:
        return f"{seconds / 86_400:.1f} days"
    if seconds >= 3600:
        return f"{seconds / 3600:.1f} hours"
    return f"{seconds / 60:.1f} minutes"
