"""MacKinnon (1994, 2010) p-values and critical values, vectorized.

The response-surface coefficients are statsmodels' own tables
(``statsmodels.tsa.adfvalues``); the arithmetic below is the same as
:func:`statsmodels.tsa.adfvalues.mackinnonp` (Horner evaluation with :func:`numpy.polyval`
and the normal CDF ``scipy.special.ndtr``, which is what ``scipy.stats.norm.cdf`` calls),
applied elementwise so that a whole universe of statistics is converted in one call and
every element is bit-identical to the scalar function.
"""

from __future__ import annotations

import numpy as np
from scipy import special
from statsmodels.tsa import adfvalues as _adfv

from engine._typing import FloatArray, Trend

__all__ = ["coint_critical_values", "coint_pvalues"]


def coint_pvalues(stat: FloatArray, *, trend: Trend, n_vars: int = 2) -> FloatArray:
    r"""MacKinnon's approximate asymptotic p-values of Engle-Granger statistics.

    Parameters
    ----------
    stat : ndarray
        Residual unit-root t-statistics (any shape). NaN maps to NaN, ``-inf`` to 0.
    trend : {"n", "c", "ct", "ctt"}
        Deterministic terms of the cointegrating regression.
    n_vars : int
        Number of I(1) variables in the cointegrating regression (2 for a pair).

    Returns
    -------
    ndarray
        :math:`p = \Phi(\sum_k \gamma_k \tau^k)` with the small-p or large-p polynomial
        chosen at the table's switch point, 1 above the table maximum and 0 below its
        minimum, exactly as :func:`statsmodels.tsa.adfvalues.mackinnonp`.

    References
    ----------
    MacKinnon, J.G. (1994). Approximate asymptotic distribution functions for unit-root
    and cointegration tests. *Journal of Business & Economic Statistics* 12(2), 167-176.
    """
    tau = np.asarray(stat, dtype=np.float64)
    k = n_vars - 1
    maxstat = float(_adfv._tau_maxs[trend][k])
    minstat = float(_adfv._tau_mins[trend][k])
    starstat = float(_adfv._tau_stars[trend][k])
    small = np.asarray(_adfv._tau_smallps[trend][k], dtype=np.float64)[::-1]
    large = np.asarray(_adfv._tau_largeps[trend][k], dtype=np.float64)[::-1]
    finite = np.where(np.isfinite(tau), tau, 0.0)
    p_small = special.ndtr(np.polyval(small, finite))
    p_large = special.ndtr(np.polyval(large, finite))
    out = np.where(finite <= starstat, p_small, p_large)
    out = np.where(tau > maxstat, 1.0, out)
    out = np.where(tau < minstat, 0.0, out)
    out = np.where(np.isnan(tau), np.nan, out)
    return np.asarray(out, dtype=np.float64)


def coint_critical_values(nobs: int, *, trend: Trend, n_vars: int = 2) -> FloatArray:
    """MacKinnon (2010) 1 %, 5 % and 10 % critical values for ``nobs`` observations.

    ``nobs`` is passed as :func:`statsmodels.tsa.stattools.coint` passes it (the number of
    observations minus one). NaN for ``trend="n"`` (no 2010 values exist).
    """
    if trend == "n":
        return np.full(3, np.nan)
    return np.asarray(_adfv.mackinnoncrit(N=n_vars, regression=trend, nobs=nobs), dtype=np.float64)
