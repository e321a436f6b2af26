"""Mean-reversion metrics of a spread and co-movement of a pair."""

from __future__ import annotations

import dataclasses
import math
from typing import Any

import numpy as np

from engine._results import Result
from engine.pairs._checks import check_pair, check_series
from engine.pairs._stats import ar_slope, correlation, half_life_from_slope, hurst_variance

__all__ = [
    "HalfLife",
    "Hurst",
    "half_life",
    "hurst_exponent",
    "return_correlation",
]


@dataclasses.dataclass(frozen=True)
class HalfLife(Result):
    """Half-life of mean reversion (bars) and the slope it comes from."""

    half_life: float
    slope: float
    nobs: int


def half_life(spread: Any) -> HalfLife:
    r"""Half-life of mean reversion of ``spread`` (in bars).

    OLS of the discrete Ornstein-Uhlenbeck / AR(1) regression

    .. math:: \Delta s_t = a + b\, s_{t-1} + u_t, \qquad
       \text{half-life} = -\frac{\ln 2}{\ln(1 + b)},

    since :math:`s_t - \mu = (1 + b)(s_{t-1} - \mu) + u_t` halves a deviation after that
    many bars. ``inf`` when :math:`b \ge 0` (no mean reversion), NaN when
    :math:`b \le -1` (overshooting, not a monotone decay) or with fewer than 3 points or a
    constant spread. For an AR(1) with coefficient :math:`\phi`, :math:`1 + b` estimates
    :math:`\phi` and the half-life is :math:`-\ln 2 / \ln \phi`.

    References
    ----------
    Chan, E.P. (2013). *Algorithmic Trading*, ch. 2. Wiley.
    """
    s = check_series(spread, "spread")
    b = ar_slope(s)
    hl = float(half_life_from_slope(np.array([b]))[0])
    return HalfLife(half_life=hl, slope=b, nobs=max(0, s.size - 1))


def return_correlation(y: Any, x: Any) -> float:
    r"""Pearson correlation of the first differences of two log-price series.

    .. math:: \rho = \operatorname{corr}(\Delta \log y_t, \Delta \log x_t)

    (the inputs are log prices, so the differences are log returns). NaN with fewer than 2
    returns or a constant series.
    """
    ya, xa = check_pair(y, x)
    return correlation(np.diff(ya), np.diff(xa))


@dataclasses.dataclass(frozen=True)
class Hurst(Result):
    """Hurst exponent estimate and the lag range used."""

    hurst: float
    min_lag: int
    max_lag: int


def hurst_exponent(series: Any, *, max_lag: int = 100) -> Hurst:
    r"""Hurst exponent by the scaling of lagged differences (variance method).

    For a process with Hurst exponent :math:`H`,
    :math:`\operatorname{sd}(s_{t+\tau} - s_t) \propto \tau^{H}`; :math:`\hat H` is the
    least-squares slope of :math:`\ln \operatorname{sd}` on :math:`\ln \tau` for
    :math:`\tau = 2, \dots, \min(\text{max\_lag}, n/2)`. :math:`H = 0.5`: random walk,
    :math:`H < 0.5`: mean reverting, :math:`H > 0.5`: trending. NaN with fewer than three
    lags or a zero-variance lag.

    References
    ----------
    Mandelbrot, B.B. and Van Ness, J.W. (1968). Fractional Brownian motions, fractional
    noises and applications. *SIAM Review* 10(4), 422-437.
    """
    s = check_series(series, "series")
    if max_lag < 4:
        raise ValueError("max_lag must be at least 4")
    hi = max(2, min(int(max_lag), s.size // 2))
    h = hurst_variance(s, int(max_lag))
    return Hurst(hurst=h if math.isfinite(h) else math.nan, min_lag=2, max_lag=hi)
