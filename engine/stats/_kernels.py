"""Scalar and array kernels of the overfitting statistics (no pandas)."""

from __future__ import annotations

import itertools
import math

import numpy as np
from scipy.special import comb
from scipy.stats import norm

from engine._typing import BoolArray, FloatArray, IntArray

EULER_GAMMA: float = 0.5772156649015329
"""Euler-Mascheroni constant."""


def sharpe_std_factor(sharpe: float, skewness: float, kurtosis: float) -> float:
    """:math:`1 - \\gamma_3 SR + \\frac{\\gamma_4 - 1}{4} SR^2` (Mertens 2002); NaN if <= 0."""
    value = 1.0 - skewness * sharpe + (kurtosis - 1.0) / 4.0 * sharpe * sharpe
    return value if value > 0.0 else math.nan


def psr_z(sharpe: float, benchmark: float, n_obs: int, skewness: float, kurtosis: float) -> float:
    """Standardised Sharpe gap :math:`(SR - SR^*)\\sqrt{n-1} / \\sqrt{\\text{factor}}`."""
    factor = sharpe_std_factor(sharpe, skewness, kurtosis)
    if n_obs < 2 or math.isnan(factor) or math.isnan(sharpe):
        return math.nan
    return (sharpe - benchmark) * math.sqrt(n_obs - 1) / math.sqrt(factor)


def normal_cdf(z: float) -> float:
    """:math:`\\Phi(z)`, NaN-propagating."""
    return math.nan if math.isnan(z) else float(norm.cdf(z))


def expected_max_sharpe(n_trials: float, sharpe_variance: float) -> float:
    """Expected maximum of ``n_trials`` i.i.d. Sharpe ratios with mean 0.

    .. math::

        E[\\max_n SR_n] \\approx \\sqrt{V}\\Big((1-\\gamma)\\Phi^{-1}(1 - \\tfrac1N)
        + \\gamma\\,\\Phi^{-1}(1 - \\tfrac{1}{N e})\\Big)

    (Bailey, Borwein, López de Prado and Zhu 2014, Proposition 1). For ``N = 1`` the
    maximum is the single draw, whose expectation is 0.
    """
    if n_trials < 1 or sharpe_variance < 0:
        return math.nan
    if n_trials == 1:
        return 0.0
    z1 = float(norm.ppf(1.0 - 1.0 / n_trials))
    z2 = float(norm.ppf(1.0 - 1.0 / (n_trials * math.e)))
    return math.sqrt(sharpe_variance) * ((1.0 - EULER_GAMMA) * z1 + EULER_GAMMA * z2)


def min_track_record_length(
    sharpe: float, benchmark: float, skewness: float, kurtosis: float, alpha: float
) -> float:
    """:math:`1 + \\text{factor}\\,(z_{1-\\alpha} / (SR - SR^*))^2`; inf when SR <= SR*."""
    factor = sharpe_std_factor(sharpe, skewness, kurtosis)
    if math.isnan(factor) or math.isnan(sharpe):
        return math.nan
    if sharpe <= benchmark:
        return math.inf
    z = float(norm.ppf(1.0 - alpha))
    return 1.0 + factor * (z / (sharpe - benchmark)) ** 2


# ----------------------------------------------------------------------------------------
# Combinatorially symmetric cross-validation
# ----------------------------------------------------------------------------------------


def combination_masks(n_splits: int) -> BoolArray:
    """All ``C(S, S/2)`` in-sample block selections as a boolean matrix, lexicographic."""
    half = n_splits // 2
    n_comb = int(comb(n_splits, half, exact=True))
    masks = np.zeros((n_comb, n_splits), dtype=np.bool_)
    for row, chosen in enumerate(itertools.combinations(range(n_splits), half)):
        masks[row, list(chosen)] = True
    return masks


def _metric(
    sums: FloatArray, sumsq: FloatArray, shift: FloatArray, n: int, metric: str
) -> FloatArray:
    """Per-strategy metric from centred sums over ``n`` rows (shift = the centring)."""
    mean_c = sums / n
    mean = mean_c + shift[None, :]
    if metric == "mean":
        return mean
    var = (sumsq - n * mean_c * mean_c) / (n - 1)
    std = np.sqrt(np.maximum(var, 0.0))
    out = np.full_like(mean, np.nan)
    ok = std > 1e-14 * np.maximum(np.abs(mean), 1e-300)
    np.divide(mean, std, out=out, where=ok)
    return out


def cscv(
    returns: FloatArray, n_splits: int, metric: str, *, chunk: int = 2048
) -> tuple[IntArray, FloatArray, FloatArray, FloatArray]:
    """Core of CSCV (Bailey, Borwein, López de Prado and Zhu 2017).

    ``returns`` has shape (T, N) with ``T`` a multiple of ``n_splits``. For every
    combination of ``S/2`` of the ``S`` row blocks (in-sample, the rest out-of-sample) it
    returns the in-sample best strategy (first on ties; NaN metrics rank lowest), its
    in-sample and out-of-sample metric and its out-of-sample relative rank
    :math:`\\bar\\omega = \\text{rank}/(N + 1)` (average rank on ties, rank 1 = worst).

    Returns
    -------
    selected, is_perf, oos_perf, omega : arrays of shape (C(S, S/2),)
    """
    t_total, n_strat = returns.shape
    block = t_total // n_splits
    shift = returns.mean(axis=0)
    centred = (returns - shift[None, :]).reshape(n_splits, block, n_strat)
    sums = centred.sum(axis=1)
    sumsq = (centred * centred).sum(axis=1)
    masks = combination_masks(n_splits).astype(np.float64)
    n_half = (n_splits // 2) * block
    total_sums = sums.sum(axis=0)
    total_sumsq = sumsq.sum(axis=0)

    n_comb = masks.shape[0]
    selected = np.empty(n_comb, dtype=np.int64)
    is_perf = np.empty(n_comb)
    oos_perf = np.empty(n_comb)
    omega = np.empty(n_comb)
    for lo in range(0, n_comb, chunk):
        m = masks[lo : lo + chunk]
        is_sums = m @ sums
        is_sumsq = m @ sumsq
        r_is = _metric(is_sums, is_sumsq, shift, n_half, metric)
        r_oos = _metric(
            total_sums[None, :] - is_sums, total_sumsq[None, :] - is_sumsq, shift, n_half, metric
        )
        r_is = np.where(np.isnan(r_is), -np.inf, r_is)
        r_oos = np.where(np.isnan(r_oos), -np.inf, r_oos)
        best = np.argmax(r_is, axis=1)
        rows = np.arange(best.size)
        value = r_oos[rows, best]
        below = (r_oos < value[:, None]).sum(axis=1)
        equal = (r_oos == value[:, None]).sum(axis=1)
        rank = below + (equal + 1) / 2.0
        selected[lo : lo + chunk] = best
        is_perf[lo : lo + chunk] = r_is[rows, best]
        oos_perf[lo : lo + chunk] = value
        omega[lo : lo + chunk] = rank / (n_strat + 1.0)
    return selected, is_perf, oos_perf, omega
