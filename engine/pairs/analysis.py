"""One-call research summary of a pair: :func:`analyze_pair`."""

from __future__ import annotations

import dataclasses
from typing import Any, Literal

import numpy as np

from engine._results import Result
from engine._typing import Autolag, Trend
from engine.pairs._checks import check_autolag, check_level, check_pair, check_trend
from engine.pairs._stats import ar_slope, correlation, half_life_from_slope, hurst_variance
from engine.pairs.breaks import BreakAnalysis, break_kernel
from engine.pairs.cointegration import (
    DetOrder,
    EngleGrangerResult,
    JohansenResult,
    engle_granger_kernel,
    johansen,
)
from engine.pairs.hedge import tls_hedge_ratio

__all__ = ["PairAnalysis", "analyze_pair"]

Direction = Literal["y_on_x", "x_on_y", "best"]


@dataclasses.dataclass(frozen=True)
class PairAnalysis(Result):
    """Everything :func:`analyze_pair` measured about a pair.

    The headline fields (``hedge_ratio`` ... ``lag``) belong to the chosen ``direction``:
    ``"y_on_x"`` means ``y = intercept + hedge_ratio * x + spread``, ``"x_on_y"`` the
    reverse. ``is_cointegrated`` is ``pvalue < significance_level`` in that direction.
    ``half_life`` and ``hurst`` are those of the chosen direction's spread.
    """

    direction: Literal["y_on_x", "x_on_y"]
    hedge_ratio: float
    intercept: float
    tstat: float
    pvalue: float
    critical_values: tuple[float, float, float]
    lag: int
    is_cointegrated: bool
    eg_y_on_x: EngleGrangerResult
    eg_x_on_y: EngleGrangerResult
    hedge_ratio_tls: float
    half_life: float
    half_life_slope: float
    correlation: float
    hurst: float
    stability_score: float
    johansen: JohansenResult
    breaks: BreakAnalysis
    significance_level: float
    nobs: int


def analyze_pair(
    y: Any,
    x: Any,
    *,
    trend: Trend = "c",
    autolag: Autolag | None = "aic",
    maxlag: int | None = None,
    significance_level: float = 0.05,
    direction: Direction = "y_on_x",
    johansen_det_order: DetOrder = 0,
    johansen_k_ar_diff: int = 1,
    window: int = 504,
    step: int = 126,
    recent_windows: int = 2,
    zivot_andrews: bool = False,
    hurst_max_lag: int = 100,
) -> PairAnalysis:
    r"""Research summary of the pair ``(y, x)`` of log prices.

    * Engle-Granger in both directions (:func:`engine.pairs.engle_granger`, identical to
      statsmodels ``coint`` with ``trend``, ``autolag``, ``maxlag``).
    * ``direction``: ``"y_on_x"`` (default) reports ``y`` on ``x``; ``"x_on_y"`` the
      reverse; ``"best"`` the direction with the smaller p-value (ties: ``y_on_x``).
    * ``is_cointegrated``: :math:`p < \text{significance\_level}` in the chosen direction.
    * Total-least-squares hedge ratio of ``y`` on ``x`` (:func:`tls_hedge_ratio`).
    * Half-life (:func:`half_life`) and Hurst exponent (:func:`hurst_exponent`) of the
      chosen spread :math:`s_t = dep_t - \beta\, other_t - \alpha` (minus the trend terms
      for ``trend`` "ct"/"ctt": the cointegrating residual).
    * Correlation of log returns (:func:`return_correlation`).
    * Johansen trace / max-eigenvalue tests (``johansen_det_order``, ``johansen_k_ar_diff``).
    * Breaks and stability (:func:`structural_breaks` with ``window`` capped at the sample
      length, ``step``, ``recent_windows``); the Zivot-Andrews test is off by default here
      (``zivot_andrews=True`` runs it, about 0.1-0.6 s for 2,520 bars) and
      ``stability_score`` is :func:`stability_score` of the rolling windows.

    Returns
    -------
    PairAnalysis
    """
    ya, xa = check_pair(y, x)
    tr, al = check_trend(trend), check_autolag(autolag)
    level = check_level(significance_level)
    if direction not in ("y_on_x", "x_on_y", "best"):
        raise ValueError("direction must be 'y_on_x', 'x_on_y' or 'best'")
    fwd = engle_granger_kernel(ya, xa, tr, al, maxlag, "y")
    rev = engle_granger_kernel(xa, ya, tr, al, maxlag, "x")
    if direction == "best":
        chosen: Literal["y_on_x", "x_on_y"] = "x_on_y" if rev.pvalue < fwd.pvalue else "y_on_x"
    else:
        chosen = direction
    eg, dep, other = (fwd, ya, xa) if chosen == "y_on_x" else (rev, xa, ya)
    spread = eg.spread(dep, other)
    slope = ar_slope(spread)
    hl = float(half_life_from_slope(np.array([slope]))[0])
    win = min(int(window), ya.size)
    breaks = break_kernel(
        dep, other, eg.beta, spread, window=win, step=int(step), trend=tr, autolag=al,
        maxlag=maxlag, level=level, recent_windows=int(recent_windows),
        zivot_andrews=zivot_andrews, za_trim=0.15, za_maxlag=None, za_autolag="aic",
    )  # fmt: skip
    return PairAnalysis(
        direction=chosen,
        hedge_ratio=eg.beta,
        intercept=eg.alpha,
        tstat=eg.statistic,
        pvalue=eg.pvalue,
        critical_values=eg.critical_values,
        lag=eg.lag,
        is_cointegrated=bool(eg.pvalue < level),
        eg_y_on_x=fwd,
        eg_x_on_y=rev,
        hedge_ratio_tls=tls_hedge_ratio(ya, xa).beta,
        half_life=hl,
        half_life_slope=slope,
        correlation=correlation(np.diff(ya), np.diff(xa)),
        hurst=hurst_variance(spread, int(hurst_max_lag)),
        stability_score=breaks.stability_score,
        johansen=johansen(ya, xa, det_order=johansen_det_order, k_ar_diff=johansen_k_ar_diff),
        breaks=breaks,
        significance_level=level,
        nobs=int(ya.size),
    )
