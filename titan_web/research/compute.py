"""Pure functions the research services send to the compute executor (picklable, no ORM)."""

from __future__ import annotations

from typing import Any

import numpy as np

from engine.pairs import analyze_pair, kalman_hedge_ratio
from engine.strategy import rolling_zscore


def analyze_closes(y: np.ndarray, x: np.ndarray, **options: Any) -> dict[str, Any]:
    """``analyze_pair`` on log prices of two aligned close series, as JSON primitives."""
    return analyze_pair(np.log(y), np.log(x), **options).to_dict()


def spread_series(
    y: np.ndarray, x: np.ndarray, *, beta: float, alpha: float, lookback: int
) -> dict[str, Any]:
    """Static spread and z-score, and the Kalman dynamic hedge ratio with its spread."""
    ly, lx = np.log(y), np.log(x)
    spread = ly - beta * lx - alpha
    z = (
        rolling_zscore(spread, lookback=lookback)
        if len(spread) >= lookback
        else np.full(len(spread), np.nan)
    )
    kalman = kalman_hedge_ratio(ly, lx)
    return {
        "spread": spread,
        "zscore": z,
        "dynamic_beta": kalman.beta,
        "dynamic_alpha": kalman.alpha,
        "dynamic_spread": kalman.spread,
    }


def scan_closes(closes: np.ndarray, symbols: list[str], **options: Any) -> dict[str, Any]:
    """``scan_universe`` on log prices; returns plain arrays (ndarray fields, picklable)."""
    from engine.pairs import scan_universe

    result = scan_universe(np.log(closes), symbols=symbols, **options)
    fields = (
        "i",
        "j",
        "beta",
        "alpha",
        "tstat",
        "pvalue",
        "lag",
        "qvalue",
        "half_life",
        "correlation",
        "passes_filters",
        "cointegrated",
    )
    out: dict[str, Any] = {f: np.asarray(getattr(result, f)) for f in fields}
    out["critical_values"] = list(result.critical_values)
    out["nobs"] = int(result.nobs)
    out["maxlag"] = int(result.maxlag)
    return out
