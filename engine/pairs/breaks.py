"""Stability and structural breaks of a pair's cointegration."""

from __future__ import annotations

import dataclasses
import math
from typing import Any

import numpy as np
from statsmodels.tsa.stattools import zivot_andrews as _sm_zivot_andrews

from engine._results import Result
from engine._typing import Autolag, FloatArray, IntArray, Trend
from engine.pairs._checks import check_autolag, check_level, check_pair, check_trend
from engine.pairs.cointegration import engle_granger_kernel

__all__ = [
    "BreakAnalysis",
    "RollingCointegration",
    "rolling_engle_granger",
    "stability_score",
    "structural_breaks",
]


@dataclasses.dataclass(frozen=True)
class RollingCointegration(Result):
    """Engle-Granger of ``y`` on ``x`` over rolling windows ``[start, end)``.

    Windows have ``window`` bars and end at ``n, n - step, n - 2 step, ...`` (so the last
    one always holds the latest bar), in chronological order.
    """

    start: IntArray
    end: IntArray
    statistic: FloatArray
    pvalue: FloatArray
    beta: FloatArray
    alpha: FloatArray
    lag: IntArray
    window: int
    step: int


def _rolling_kernel(
    y: FloatArray,
    x: FloatArray,
    window: int,
    step: int,
    trend: Trend,
    autolag: Autolag | None,
    maxlag: int | None,
) -> RollingCointegration:
    n = y.size
    ends = np.arange(n, window - 1, -step, dtype=np.int64)[::-1]
    starts = ends - window
    m = ends.size
    stat, pval, beta, alpha = (np.full(m, np.nan) for _ in range(4))
    lag = np.full(m, -1, dtype=np.int64)
    for k in range(m):
        s, e = int(starts[k]), int(ends[k])
        r = engle_granger_kernel(y[s:e], x[s:e], trend, autolag, maxlag)
        stat[k], pval[k], beta[k], alpha[k], lag[k] = r.statistic, r.pvalue, r.beta, r.alpha, r.lag
    return RollingCointegration(starts, ends, stat, pval, beta, alpha, lag, window, step)


def rolling_engle_granger(
    y: Any,
    x: Any,
    *,
    window: int = 504,
    step: int = 126,
    trend: Trend = "c",
    autolag: Autolag | None = "aic",
    maxlag: int | None = None,
) -> RollingCointegration:
    """Rolling-window Engle-Granger p-values and hedge ratios (see :class:`RollingCointegration`).

    Each window is tested exactly as :func:`engine.pairs.engle_granger` (``maxlag``
    defaults to statsmodels' rule for the window length).
    """
    ya, xa = check_pair(y, x)
    if not 20 <= window <= ya.size:
        raise ValueError(f"window must lie in [20, {ya.size}], got {window}")
    if step < 1:
        raise ValueError("step must be positive")
    return _rolling_kernel(ya, xa, window, step, check_trend(trend), check_autolag(autolag), maxlag)


def stability_score(
    pvalues: FloatArray, betas: FloatArray, *, significance_level: float = 0.05
) -> float:
    r"""Stability of a cointegrating relation from sub-window results, in [0, 1].

    .. math:: S = f \cdot \frac{1}{1 + \mathrm{CV}_\beta}, \qquad
       f = \frac{\#\{w : p_w < \text{level}\}}{W}, \qquad
       \mathrm{CV}_\beta = \frac{\operatorname{sd}(\beta_w)}{|\overline{\beta_w}|}

    over the :math:`W` sub-windows (population sd). :math:`S = 1` only if every window is
    cointegrated with the same hedge ratio; :math:`S = 0` if none is (or the mean hedge
    ratio is 0). NaN with fewer than 2 windows or a non-finite value.
    """
    p = np.asarray(pvalues, dtype=np.float64)
    b = np.asarray(betas, dtype=np.float64)
    if p.size < 2 or not (np.all(np.isfinite(p)) and np.all(np.isfinite(b))):
        return math.nan
    share = float(np.mean(p < significance_level))
    mean = float(np.mean(b))
    if mean == 0.0:
        return 0.0
    cv = float(np.std(b)) / abs(mean)
    return share / (1.0 + cv)


@dataclasses.dataclass(frozen=True)
class BreakAnalysis(Result):
    """Rolling cointegration, hedge-ratio drift, Zivot-Andrews and a "stopped" flag.

    Attributes
    ----------
    rolling : RollingCointegration
    beta_full : float
        Hedge ratio over the full sample.
    beta_drift : ndarray
        :math:`\\beta_w - \\beta_{full}` per window.
    max_relative_drift : float
        :math:`\\max_w |\\beta_w - \\beta_{full}| / |\\beta_{full}|`.
    share_cointegrated : float
        Share of windows with p-value below the level.
    stability_score : float
        See :func:`stability_score`.
    stopped_cointegrating : bool
        True when the last ``recent_windows`` windows all have p >= level while at least
        half of the earlier windows had p < level.
    za_statistic, za_pvalue : float
        Zivot-Andrews test of the full-sample spread (NaN when not run).
    za_break_index : int
        Bar index of the estimated break (-1 when not run).
    za_lags : int
        Lags used by the Zivot-Andrews regression (-1 when not run).
    """

    rolling: RollingCointegration
    beta_full: float
    beta_drift: FloatArray
    max_relative_drift: float
    share_cointegrated: float
    stability_score: float
    stopped_cointegrating: bool
    za_statistic: float
    za_pvalue: float
    za_break_index: int
    za_lags: int
    significance_level: float
    recent_windows: int


def _stopped(pvalues: FloatArray, level: float, recent: int) -> bool:
    if pvalues.size < recent + 1:
        return False
    earlier, last = pvalues[:-recent], pvalues[-recent:]
    return bool(np.all(last >= level) and np.mean(earlier < level) >= 0.5)


def break_kernel(
    y: FloatArray,
    x: FloatArray,
    beta_full: float,
    spread: FloatArray,
    *,
    window: int,
    step: int,
    trend: Trend,
    autolag: Autolag | None,
    maxlag: int | None,
    level: float,
    recent_windows: int,
    zivot_andrews: bool,
    za_trim: float,
    za_maxlag: int | None,
    za_autolag: Autolag | None,
) -> BreakAnalysis:
    """Break analysis on checked arrays (``spread`` from the full-sample regression)."""
    roll = _rolling_kernel(y, x, window, step, trend, autolag, maxlag)
    drift = roll.beta - beta_full
    rel = float(np.max(np.abs(drift)) / abs(beta_full)) if beta_full != 0.0 else math.nan
    share = float(np.mean(roll.pvalue < level)) if roll.pvalue.size else math.nan
    za_stat, za_p, za_idx, za_lags = math.nan, math.nan, -1, -1
    if zivot_andrews:
        res = _sm_zivot_andrews(
            spread, trim=za_trim, maxlag=za_maxlag, regression="c", autolag=za_autolag
        )
        za_stat, za_p, za_lags, za_idx = float(res[0]), float(res[1]), int(res[3]), int(res[4])
    return BreakAnalysis(
        rolling=roll,
        beta_full=beta_full,
        beta_drift=drift,
        max_relative_drift=rel,
        share_cointegrated=share,
        stability_score=stability_score(roll.pvalue, roll.beta, significance_level=level),
        stopped_cointegrating=_stopped(roll.pvalue, level, recent_windows),
        za_statistic=za_stat,
        za_pvalue=za_p,
        za_break_index=za_idx,
        za_lags=za_lags,
        significance_level=level,
        recent_windows=recent_windows,
    )


def structural_breaks(
    y: Any,
    x: Any,
    *,
    window: int = 504,
    step: int = 126,
    trend: Trend = "c",
    autolag: Autolag | None = "aic",
    maxlag: int | None = None,
    significance_level: float = 0.05,
    recent_windows: int = 2,
    zivot_andrews: bool = True,
    za_trim: float = 0.15,
    za_maxlag: int | None = None,
    za_autolag: Autolag | None = "aic",
) -> BreakAnalysis:
    r"""Has the pair's cointegration broken down?

    * Rolling Engle-Granger p-values and hedge ratios (:func:`rolling_engle_granger`) and
      the drift :math:`\beta_w - \beta_{full}` of the hedge ratio.
    * A Zivot-Andrews unit-root test with one endogenous break in the intercept of the
      full-sample spread :math:`s_t = y_t - \hat\beta x_t - \hat\alpha`
      (:func:`statsmodels.tsa.stattools.zivot_andrews`, ``regression="c"``; its p-value is
      for the unit-root null, so a small value means "stationary around a shifted mean").
    * The flag ``stopped_cointegrating``: the last ``recent_windows`` windows all have
      :math:`p \ge` level while at least half of the earlier windows had :math:`p <` level
      (False with fewer than ``recent_windows + 1`` windows).

    References
    ----------
    Zivot, E. and Andrews, D.W.K. (1992). Further evidence on the great crash, the oil-price
    shock, and the unit-root hypothesis. *Journal of Business & Economic Statistics* 10(3),
    251-270.
    """
    ya, xa = check_pair(y, x)
    tr, al = check_trend(trend), check_autolag(autolag)
    level = check_level(significance_level)
    if not 20 <= window <= ya.size:
        raise ValueError(f"window must lie in [20, {ya.size}], got {window}")
    if step < 1 or recent_windows < 1:
        raise ValueError("step and recent_windows must be positive")
    full = engle_granger_kernel(ya, xa, tr, al, maxlag)
    spread = full.spread(ya, xa)
    return break_kernel(
        ya, xa, full.beta, spread, window=window, step=step, trend=tr, autolag=al,
        maxlag=maxlag, level=level, recent_windows=int(recent_windows),
        zivot_andrews=zivot_andrews, za_trim=za_trim, za_maxlag=za_maxlag,
        za_autolag=check_autolag(za_autolag),
    )  # fmt: skip
