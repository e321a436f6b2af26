"""Input checks shared by the pair-research functions (private)."""

from __future__ import annotations

import math
from typing import Any, get_args

import numpy as np

from engine._typing import Autolag, FloatArray, Trend

#: statsmodels' collinearity guard in ``coint``: R^2 >= 1 - 100 * sqrt(eps) skips the test.
SQRTEPS = float(np.sqrt(np.finfo(np.float64).eps))
RSQ_COLLINEAR = 1.0 - 100.0 * SQRTEPS


def check_series(values: Any, name: str) -> FloatArray:
    """Return ``values`` as a new 1-D float64 array; reject NaN/inf and empty input."""
    arr = np.array(values, dtype=np.float64, copy=True)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got shape {arr.shape}")
    if arr.size == 0:
        raise ValueError(f"{name} is empty")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contains NaN or infinite values")
    return arr


def check_pair(y: Any, x: Any) -> tuple[FloatArray, FloatArray]:
    """Check two aligned series of equal length (at least 3 points)."""
    ya = check_series(y, "y")
    xa = check_series(x, "x")
    if ya.shape != xa.shape:
        raise ValueError(f"y and x must have the same length, got {ya.size} and {xa.size}")
    if ya.size < 3:
        raise ValueError("at least 3 observations are needed")
    return ya, xa


def check_trend(trend: str) -> Trend:
    if trend not in get_args(Trend):
        raise ValueError(f"trend must be one of {get_args(Trend)}, got {trend!r}")
    return trend  # type: ignore[return-value]


def check_autolag(autolag: str | None) -> Autolag | None:
    if autolag is None:
        return None
    if autolag not in get_args(Autolag):
        raise ValueError(f"autolag must be one of {get_args(Autolag)} or None, got {autolag!r}")
    return autolag  # type: ignore[return-value]


def check_level(level: float, name: str = "significance_level") -> float:
    lv = float(level)
    if not 0.0 < lv < 1.0:
        raise ValueError(f"{name} must lie in (0, 1), got {level!r}")
    return lv


def resolve_maxlag(nobs: int, maxlag: int | None) -> int:
    """statsmodels ``adfuller``'s maxlag rule for the residual test (``regression="n"``).

    Default :math:`\\lceil 12 (n/100)^{1/4} \\rceil`, capped at ``n // 2 - 1`` (Schwert,
    1989); a given maxlag must not exceed ``n // 2 - 1``.
    """
    cap = nobs // 2 - 1
    if maxlag is None:
        ml = int(np.ceil(12.0 * np.power(nobs / 100.0, 1 / 4.0)))
        ml = min(cap, ml)
        if ml < 0:
            raise ValueError("sample size is too short to use selected regression component")
        return ml
    ml = int(maxlag)
    if ml < 0:
        raise ValueError("maxlag must be non-negative")
    if ml > cap:
        raise ValueError(
            f"maxlag must be at most nobs // 2 - 1 = {cap} for {nobs} observations, got {ml}"
        )
    return ml


def deterministic_terms(nobs: int, trend: Trend) -> FloatArray:
    """Columns appended by statsmodels ``add_trend(..., prepend=False)``: 1, t, t^2 (t = 1..n)."""
    if trend == "n":
        return np.empty((nobs, 0))
    t = np.arange(1.0, nobs + 1.0)
    cols = [np.ones(nobs)]
    if trend in ("ct", "ctt"):
        cols.append(t)
    if trend == "ctt":
        cols.append(t**2)
    return np.column_stack(cols)


def isfinite_float(value: float) -> bool:
    return math.isfinite(value)
