r"""Data-quality checks: coverage, gaps, stale prices, outlier returns, source comparison.

Expected calendar (what counts as a *gap*):

* ``1d``: every session of the exchange's calendar (``exchange=``, an ``exchange_calendars``
  name or alias such as ``XNYS``, ``NYSE``, ``XNAS``, ``XLON``; default ``XNYS``) from the
  first to the last bar, so exchange holidays (2023-01-16, 2023-07-04 on the NYSE) are not
  gaps; ``exchange=None`` expects every weekday instead; ``calendar=`` (the expected
  timestamps) overrides both;
* ``1w`` / ``1mo``: every week (labelled by its Monday) / month (by its first day) that has
  at least one session;
* intraday: *within sessions*. A session is a UTC calendar day that has at least one bar;
  inside it every timeframe step from that day's first bar to its last bar is expected.
  Nights, weekends and holidays are therefore never gaps, and a session that starts late
  or ends early is not flagged; holes in the middle of a trading day are.

Stale prices: a *run* is a maximal sequence of consecutive bars with exactly the same
close; runs longer than ``stale_bars`` bars are reported.

Outliers: log returns :math:`r_t = \ln(c_t / c_{t-1})` with robust z-scores

.. math::

    z_t = \frac{r_t - \operatorname{median}(r)}{1.4826 \cdot \operatorname{MAD}(r)},

(1.4826 makes the MAD a consistent estimator of a normal standard deviation; Rousseeuw
and Croux, 1993). When more than half the returns are equal the MAD is 0; the scale then
falls back to :math:`1.2533 \cdot` mean absolute deviation from the median, and when that
is 0 too no return is an outlier except non-zero ones (reported with ``z = inf``).
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from engine._results import Result
from engine._typing import FloatArray
from engine.data.base import BarBatch, DatetimeArray
from engine.data.resample import NS_PER
from engine.data.timeframes import detect_timeframe, label_dates, mismatch_reason

DEFAULT_EXCHANGE = "XNYS"

_MAD_SCALE = 1.4826
_MEAN_AD_SCALE = 1.2533  # sqrt(pi / 2)


@dataclasses.dataclass(frozen=True)
class QualityReport(Result):
    """Per-symbol data quality (see the module notes for the definitions).

    Attributes
    ----------
    symbol, timeframe : str
    first, last : datetime64 or None
    count : int
        Bars present.
    expected : int
        Bars the calendar expects between ``first`` and ``last`` (present ones included).
    missing : ndarray of datetime64[ns]
        Expected timestamps with no bar.
    coverage : float
        ``(expected - len(missing)) / expected`` (1.0 for an empty series).
    off_calendar : int
        Bars at timestamps the calendar does not expect (for example a Saturday).
    stale_runs : list of dict
        ``{start, end, length, close}`` per run of unchanged closes longer than
        ``stale_bars``.
    outliers : list of dict
        ``{ts, log_return, robust_z}`` for each return with ``|z| > outlier_z``.
    calendar : str
        The calendar the expected bars come from (``XNYS``, ``weekdays``, ``given``,
        ``sessions``).
    detected_timeframe : str or None
        The timeframe the bars' median spacing is nearest to (None below 10 bars).
    median_spacing_s : float or None
    warnings : list of str
        Plain-language findings: a declared timeframe that does not fit the spacing, thin
        coverage.
    """

    symbol: str
    timeframe: str
    first: np.datetime64 | None
    last: np.datetime64 | None
    count: int
    expected: int
    missing: DatetimeArray
    coverage: float
    off_calendar: int
    stale_runs: list[dict[str, Any]]
    outliers: list[dict[str, Any]]
    calendar: str = "weekdays"
    detected_timeframe: str | None = None
    median_spacing_s: float | None = None
    warnings: list[str] = dataclasses.field(default_factory=list)

    @property
    def n_missing(self) -> int:
        """Number of expected bars that are absent."""
        return int(self.missing.shape[0])

    def summary(self) -> str:
        """Coverage, gaps, stale runs and outliers in a few lines."""
        return (
            f"QualityReport {self.symbol} {self.timeframe}: {self.count} bars "
            f"{self.first} .. {self.last}\n"
            f"  coverage {self.coverage:.4f} ({self.n_missing} missing of {self.expected}), "
            f"{self.off_calendar} off-calendar\n"
            f"  {len(self.stale_runs)} stale run(s), {len(self.outliers)} outlier return(s)"
        )


@dataclasses.dataclass(frozen=True)
class SourceComparison(Result):
    """Closes of one symbol from two sources, aligned on timestamps.

    Attributes
    ----------
    symbol : str
    n_aligned : int
        Timestamps present in both.
    only_in_a, only_in_b : ndarray of datetime64[ns]
    max_abs_diff : float
        :math:`\\max |c^a - c^b|` over aligned bars (NaN when none).
    max_rel_diff : float
        :math:`\\max |c^a - c^b| / |c^b|`.
    mean_abs_diff : float
    worst_ts : datetime64 or None
        Where the absolute difference is largest.
    """

    symbol: str
    n_aligned: int
    only_in_a: DatetimeArray
    only_in_b: DatetimeArray
    max_abs_diff: float
    max_rel_diff: float
    mean_abs_diff: float
    worst_ts: np.datetime64 | None


def calendar_name(exchange: str | None) -> str:
    """The ``exchange_calendars`` name for a symbol's exchange field (``NYSE``, ``XNAS``,
    ``NYSE/NASDAQ``: the first part that is a known calendar); ``XNYS`` when none is."""
    import exchange_calendars as xcals

    names = set(xcals.get_calendar_names())
    for part in str(exchange or "").replace(",", "/").split("/"):
        key = part.strip().upper()
        if key in names:
            return key
    return DEFAULT_EXCHANGE


def sessions(exchange: str, first: pd.Timestamp, last: pd.Timestamp) -> npt.NDArray[np.int64]:
    """Session dates (00:00 UTC, ns) of ``exchange`` from ``first`` to ``last``."""
    import exchange_calendars as xcals

    start = pd.Timestamp(year=(first.year // 10) * 10, month=1, day=1)  # a few cached spans
    end = pd.Timestamp(year=max(last.year + 1, pd.Timestamp.now().year + 1), month=12, day=31)
    try:
        cal = xcals.get_calendar(exchange, start=start, end=end)
    except (ValueError, KeyError, xcals.errors.CalendarError):
        cal = xcals.get_calendar(exchange)  # the calendar's own bounds
    lo = max(first.normalize(), cal.first_session)
    hi = min(last.normalize(), cal.last_session)
    if lo > hi:
        return np.empty(0, dtype=np.int64)
    days = cal.sessions_in_range(lo, hi)
    return pd.DatetimeIndex(days).tz_localize(None).as_unit("ns").asi8.copy()


def _expected_calendar(batch: BarBatch, exchange: str | None) -> npt.NDArray[np.int64]:
    t = batch.ts.view(np.int64)
    if batch.timeframe in ("1d", "1w", "1mo"):
        first = pd.Timestamp(t[0]).normalize()
        last = pd.Timestamp(t[-1]).normalize()
        if batch.timeframe != "1d":  # whole weeks / months: their sessions may start later
            last = last + pd.Timedelta(days=6 if batch.timeframe == "1w" else 31)
        if exchange is None:
            days = pd.bdate_range(first, last).as_unit("ns").asi8.copy()
        else:
            days = sessions(exchange, first, last)
        if batch.timeframe == "1d":
            return days
        labels = np.unique(label_dates(days, batch.timeframe))
        return labels[labels <= t[-1]]
    step = NS_PER[batch.timeframe]
    day = NS_PER["1d"]
    days = np.floor_divide(t, day)
    starts = np.flatnonzero(np.r_[True, days[1:] != days[:-1]])
    ends = np.r_[starts[1:], t.shape[0]] - 1
    parts = [
        np.arange(t[s], t[e] + 1, step, dtype=np.int64) for s, e in zip(starts, ends, strict=True)
    ]
    return np.concatenate(parts)


def _stale_runs(batch: BarBatch, stale_bars: int) -> list[dict[str, Any]]:
    c = batch.close
    if c.shape[0] == 0:
        return []
    change = np.r_[True, c[1:] != c[:-1]]
    starts = np.flatnonzero(change)
    lengths = np.diff(np.r_[starts, c.shape[0]])
    out = []
    for s, n in zip(starts.tolist(), lengths.tolist(), strict=True):
        if n > stale_bars:
            out.append(
                {
                    "start": batch.ts[s],
                    "end": batch.ts[s + n - 1],
                    "length": n,
                    "close": float(c[s]),
                }
            )
    return out


def robust_zscores(x: FloatArray) -> FloatArray:
    """Robust z-scores of ``x`` (median and scaled MAD; see the module notes).

    Returns NaN for fewer than 2 values; ``inf`` (signed) for values that differ from the
    median when the scale is 0, and 0 for values equal to it.
    """
    x = np.asarray(x, dtype=float)
    if x.shape[0] < 2:
        return np.full(x.shape[0], np.nan)
    med = float(np.median(x))
    dev = x - med
    scale = _MAD_SCALE * float(np.median(np.abs(dev)))
    if scale == 0.0:
        scale = _MEAN_AD_SCALE * float(np.mean(np.abs(dev)))
    if scale == 0.0:
        return np.where(dev == 0, 0.0, np.where(dev > 0, np.inf, -np.inf))
    return dev / scale


def quality_report(
    batch: BarBatch,
    *,
    stale_bars: int = 5,
    outlier_z: float = 8.0,
    calendar: DatetimeArray | None = None,
    exchange: str | None = DEFAULT_EXCHANGE,
) -> QualityReport:
    """Check one symbol's bars.

    Parameters
    ----------
    batch : BarBatch
    stale_bars : int, default 5
        Report runs of unchanged closes longer than this many bars.
    outlier_z : float, default 8.0
        Robust z-score threshold for outlier log returns (daily stock returns are
        heavy-tailed: 8 flags the rare jumps worth a look, not every busy day).
    calendar : ndarray of datetime64, optional
        Expected timestamps (UTC), replacing the default calendar; only those between the
        first and last bar count.
    exchange : str or None, default "XNYS"
        Exchange calendar of daily and coarser bars (see the module notes); None: weekdays.

    Returns
    -------
    QualityReport
    """
    if stale_bars < 1 or outlier_z <= 0:
        raise ValueError("stale_bars must be >= 1 and outlier_z > 0")
    n = len(batch)
    if n == 0:
        empty = np.empty(0, "datetime64[ns]")
        return QualityReport(batch.symbol, batch.timeframe, None, None, 0, 0, empty, 1.0, 0, [], [])
    t = batch.ts.view(np.int64)
    coarse = batch.timeframe in ("1d", "1w", "1mo")
    if calendar is not None:
        cal = np.unique(np.asarray(calendar, dtype="datetime64[ns]").view(np.int64))
        cal = cal[(cal >= t[0]) & (cal <= t[-1])]
        cal_name = "given"
    else:
        exchange = calendar_name(exchange) if exchange is not None else None
        cal = _expected_calendar(batch, exchange)
        cal_name = (exchange or "weekdays") if coarse else "sessions"
    present = np.isin(cal, t, assume_unique=True)
    missing = cal[~present].view("datetime64[ns]")
    off = int((~np.isin(t, cal, assume_unique=True)).sum())
    expected = int(cal.shape[0])
    coverage = float(present.sum()) / expected if expected else 1.0

    outliers: list[dict[str, Any]] = []
    c = batch.close
    if n >= 3:
        ok = (c[1:] > 0) & (c[:-1] > 0) & np.isfinite(c[1:]) & np.isfinite(c[:-1])
        idx = np.flatnonzero(ok) + 1
        r = np.log(c[idx] / c[idx - 1])
        z = robust_zscores(r)
        hit = np.abs(z) > outlier_z
        outliers = [
            {"ts": batch.ts[i], "log_return": float(ri), "robust_z": float(zi)}
            for i, ri, zi in zip(idx[hit], r[hit], z[hit], strict=True)
        ]
    detected, spacing = detect_timeframe(t)
    warnings = []
    if detected is not None and spacing is not None and detected != batch.timeframe:
        warnings.append(mismatch_reason(batch.timeframe, detected, spacing))
    if expected and coverage < 0.9:
        warnings.append(
            f"coverage {coverage:.3f}: {expected - int(present.sum())} of {expected} expected "
            f"{batch.timeframe} bars ({cal_name} calendar) are missing"
        )
    return QualityReport(
        symbol=batch.symbol,
        timeframe=batch.timeframe,
        first=batch.ts[0],
        last=batch.ts[-1],
        count=n,
        expected=expected,
        missing=missing,
        coverage=coverage,
        off_calendar=off,
        stale_runs=_stale_runs(batch, stale_bars),
        outliers=outliers,
        calendar=cal_name,
        detected_timeframe=detected,
        median_spacing_s=spacing / 1e9 if spacing is not None else None,
        warnings=warnings,
    )


def compare_sources(a: BarBatch, b: BarBatch) -> SourceComparison:
    """Compare the closes of the same symbol from two providers.

    Parameters
    ----------
    a, b : BarBatch
        Same symbol and timeframe.

    Returns
    -------
    SourceComparison

    Raises
    ------
    ValueError
        The batches are for different symbols or timeframes.
    """
    if a.symbol != b.symbol or a.timeframe != b.timeframe:
        raise ValueError(
            f"compare one series: got {a.symbol}/{a.timeframe} and {b.symbol}/{b.timeframe}"
        )
    ta, tb = a.ts.view(np.int64), b.ts.view(np.int64)
    common, ia, ib = np.intersect1d(ta, tb, assume_unique=True, return_indices=True)
    only_a = np.setdiff1d(ta, tb, assume_unique=True).view("datetime64[ns]")
    only_b = np.setdiff1d(tb, ta, assume_unique=True).view("datetime64[ns]")
    if common.shape[0] == 0:
        return SourceComparison(
            a.symbol, 0, only_a, only_b, float("nan"), float("nan"), float("nan"), None
        )
    ca, cb = a.close[ia], b.close[ib]
    diff = np.abs(ca - cb)
    with np.errstate(divide="ignore", invalid="ignore"):
        rel = np.where(cb != 0, diff / np.abs(cb), np.where(diff == 0, 0.0, np.inf))
    k = int(np.argmax(diff))
    return SourceComparison(
        symbol=a.symbol,
        n_aligned=int(common.shape[0]),
        only_in_a=only_a,
        only_in_b=only_b,
        max_abs_diff=float(diff[k]),
        max_rel_diff=float(np.max(rel)),
        mean_abs_diff=float(np.mean(diff)),
        worst_ts=common.view("datetime64[ns]")[k],
    )
