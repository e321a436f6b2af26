"""Small array kernels of the pair metrics (private).

Every kernel takes float64 arrays, never mutates them, and handles degenerate input
explicitly (fewer than two points or zero variance give NaN) instead of letting numpy warn.
"""

from __future__ import annotations

import math

import numpy as np

from engine._typing import BoolArray, FloatArray

LN2 = math.log(2.0)


def ar_slope(s: FloatArray) -> float:
    r"""Slope ``b`` of :math:`\Delta s_t = a + b s_{t-1} + u_t` by OLS (NaN if degenerate)."""
    if s.size < 3:
        return math.nan
    lev = s[:-1]
    d = np.diff(s)
    lc = lev - lev.mean()
    sxx = float(lc @ lc)
    if not sxx > 0.0:
        return math.nan
    return float(lc @ (d - d.mean())) / sxx


def half_life_from_slope(b: FloatArray) -> FloatArray:
    r"""Half-life :math:`-\ln 2 / \ln(1 + b)`: ``inf`` for ``b >= 0``, NaN for ``b <= -1``."""
    b = np.asarray(b, dtype=np.float64)
    ok = (b > -1.0) & (b < 0.0)
    safe = np.where(ok, b, -0.5)
    hl = -LN2 / np.log1p(safe)
    out = np.where(ok, hl, np.nan)
    out = np.where(b >= 0.0, np.inf, out)
    return np.asarray(out, dtype=np.float64)


def correlation(a: FloatArray, b: FloatArray) -> float:
    """Pearson correlation; NaN with fewer than 2 points or zero variance."""
    if a.size < 2:
        return math.nan
    ac = a - a.mean()
    bc = b - b.mean()
    den = math.sqrt(float(ac @ ac) * float(bc @ bc))
    if not den > 0.0:
        return math.nan
    return float(ac @ bc) / den


def hurst_variance(s: FloatArray, max_lag: int) -> float:
    r"""Hurst exponent by the scaling of lagged differences.

    Least-squares slope of :math:`\ln \operatorname{sd}(s_{t+\tau} - s_t)` on
    :math:`\ln \tau` for :math:`\tau = 2, \dots, \text{max\_lag}` (``sd`` with ddof=0):
    0.5 for a random walk, below 0.5 for a mean-reverting series. NaN with fewer than
    three usable lags or a zero-variance lag.
    """
    taus = np.arange(2, max(2, min(max_lag, s.size // 2)) + 1)
    if taus.size < 3:
        return math.nan
    sds = np.empty(taus.size)
    for k, tau in enumerate(taus):
        diff = s[tau:] - s[:-tau]
        sds[k] = float(np.std(diff))
    if not np.all(sds > 0.0):
        return math.nan
    lx = np.log(taus.astype(np.float64))
    ly = np.log(sds)
    lxc = lx - lx.mean()
    return float(lxc @ (ly - ly.mean())) / float(lxc @ lxc)


def benjamini_hochberg(pvalues: FloatArray) -> FloatArray:
    r"""Benjamini-Hochberg adjusted p-values (q-values); NaN p-values stay NaN.

    With the :math:`m` finite p-values sorted, :math:`q_{(i)} = \min_{k \ge i}
    \min(1, m p_{(k)} / k)`; rejecting :math:`q \le \alpha` controls the false discovery
    rate at :math:`\alpha` (independent or positively dependent tests).
    """
    p = np.asarray(pvalues, dtype=np.float64)
    out = np.full(p.shape, np.nan)
    ok = np.isfinite(p)
    m = int(ok.sum())
    if m == 0:
        return out
    pv = p[ok]
    order = np.argsort(pv, kind="stable")
    ranked = pv[order] * m / np.arange(1, m + 1)
    q = np.minimum.accumulate(ranked[::-1])[::-1]
    q = np.minimum(q, 1.0)
    adj = np.empty(m)
    adj[order] = q
    out[ok] = adj
    return out


def filter_mask(
    corr: FloatArray,
    half_life: FloatArray,
    min_correlation: float | None,
    max_half_life: float | None,
) -> BoolArray:
    """True where the optional correlation and half-life filters pass (NaN fails)."""
    mask = np.ones(corr.shape, dtype=bool)
    if min_correlation is not None:
        mask &= np.nan_to_num(corr, nan=-np.inf) >= min_correlation
    if max_half_life is not None:
        mask &= np.nan_to_num(half_life, nan=np.inf, posinf=np.inf) <= max_half_life
    return mask
