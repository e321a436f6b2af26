"""Array kernels of the per-pair Engle-Granger test (private).

Time-domain implementation of statsmodels' ``coint`` procedure: ordinary least squares of
the cointegrating regression, then ``adfuller(resid, regression="n")`` with its lag search.
Every nested regression of the lag search comes from one Householder QR factorization of
``[level, lags..., target]``: for the model with the first ``m`` regressors the residual
sum of squares is the squared norm of the trailing part of the target's column of ``R``.
The scan (``_scan_nb.py``) reaches the same numbers through a different route (quadratic
forms of precomputed cross-products), so the two cross-check each other.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from engine._typing import Autolag, FloatArray, Trend
from engine.pairs._checks import deterministic_terms

#: statsmodels' "t-stat" autolag threshold (the 95 % normal quantile as it hard-codes it).
TSTAT_STOP = 1.6448536269514722
LOG_2PI = math.log(2.0 * math.pi)


class CointRegression(NamedTuple):
    beta: float
    deterministic: FloatArray  # coefficients on [1, t, t^2] as included by ``trend``
    resid: FloatArray
    rsquared: float


class ADFOutcome(NamedTuple):
    stat: float
    lag: int
    nobs: int
    icbest: float


def coint_regression(y: FloatArray, x: FloatArray, trend: Trend) -> CointRegression:
    """OLS of ``y`` on ``[x, deterministic terms]`` with statsmodels' R^2 convention."""
    n = y.size
    design = np.column_stack([x, deterministic_terms(n, trend)])
    params, *_ = np.linalg.lstsq(design, y, rcond=None)
    resid = y - design @ params
    ssr = float(resid @ resid)
    if trend == "n":
        tss = float(y @ y)
    else:
        yc = y - y.mean()
        tss = float(yc @ yc)
    rsq = 1.0 - ssr / tss if tss > 0.0 else math.nan
    return CointRegression(float(params[0]), np.asarray(params[1:], dtype=np.float64), resid, rsq)


def _r_factor(columns: list[FloatArray]) -> FloatArray:
    return np.asarray(np.linalg.qr(np.column_stack(columns), mode="r"), dtype=np.float64)


def _lagged(d: FloatArray, start: int, a: int) -> FloatArray:
    """``d`` lagged by ``a`` on the sample that starts at index ``start`` of ``d``."""
    return d[start - a : d.size - a]


def adf_no_constant(e: FloatArray, maxlag: int, autolag: Autolag | None) -> ADFOutcome:
    r"""ADF t-statistic of ``e`` without deterministic terms, statsmodels' procedure.

    With ``autolag`` the regressions

    .. math:: \Delta e_t = \gamma e_{t-1} + \sum_{i=1}^{p} \phi_i \Delta e_{t-i} + u_t,
       \qquad p = 0, \dots, p_{max}

    are fitted on the common sample ``t = p_max + 1, ..., n - 1`` and the criterion
    (AIC :math:`-2\ell + 2k`, BIC :math:`-2\ell + k \ln n`, with
    :math:`\ell = -\tfrac n2 (\ln 2\pi + \ln(\mathrm{RSS}/n) + 1)`, or statsmodels'
    general-to-specific t-stat rule) picks ``p``; the chosen regression is then refitted on
    its own, longer sample ``t = p + 1, ..., n - 1`` and its t-statistic on ``gamma`` is
    returned. Without ``autolag``, ``p = maxlag``.
    """
    d = np.diff(e)
    nd = d.size
    icbest = math.nan
    if autolag is not None:
        lmax = maxlag
        n = nd - lmax
        cols = [e[lmax : e.size - 1]]
        cols += [_lagged(d, lmax, a) for a in range(1, lmax + 1)]
        cols.append(d[lmax:])
        r = _r_factor(cols)
        k = lmax + 1
        ry = r[:, k]
        # RSS of the model with the first m regressors (m = 1..k): trailing norm of ry.
        tail = np.cumsum((ry[::-1]) ** 2)[::-1]  # tail[m] = sum_{r >= m} ry[r]^2
        best = 0
        if autolag in ("aic", "bic"):
            penalty = 2.0 if autolag == "aic" else math.log(n)
            best_ic = math.inf
            for m in range(1, k + 1):
                rss = float(tail[m])
                log_s2 = math.log(rss / n) if rss > 0.0 else -math.inf
                llf = -(n / 2.0) * LOG_2PI - (n / 2.0) * log_s2 - n / 2.0
                ic = -2.0 * llf + penalty * m
                if ic < best_ic:
                    best_ic, best = ic, m - 1
            icbest = best_ic
        else:  # "t-stat": drop lags from the top until the last one is significant
            best = 0
            icbest = math.nan
            for m in range(k, 0, -1):
                rss = float(tail[m])
                sigma = math.sqrt(rss / (n - m))
                t_last = abs(float(ry[m - 1])) / sigma if sigma > 0.0 else math.inf
                icbest = t_last
                best = m - 1
                if t_last >= TSTAT_STOP:
                    break
        lag = best
    else:
        lag = maxlag
    n = nd - lag
    cols = [_lagged(d, lag, a) for a in range(1, lag + 1)]
    cols += [e[lag : e.size - 1], d[lag:]]
    r = _r_factor(cols)
    k = lag + 1
    rss = float(r[k, k]) ** 2
    sigma = math.sqrt(rss / (n - k))
    stat = (
        float(r[lag, k]) * math.copysign(1.0, float(r[lag, lag])) / sigma if sigma > 0 else math.nan
    )
    return ADFOutcome(stat, lag, n, icbest)
