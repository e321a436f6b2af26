"""Cointegration tests of a pair: Engle-Granger (both directions) and Johansen.

Both reproduce statsmodels to rounding error: :func:`engle_granger` equals
:func:`statsmodels.tsa.stattools.coint` (statistic, p-value, critical values and the lag
its ``adfuller`` picks) for the same ``trend``, ``autolag`` and ``maxlag``, and
:func:`johansen` returns the numbers of
:func:`statsmodels.tsa.vector_ar.vecm.coint_johansen` in a frozen result.
"""

from __future__ import annotations

import dataclasses
import math
import warnings
from typing import Any, Literal

import numpy as np
from statsmodels.tsa.vector_ar.vecm import coint_johansen

from engine._results import Result
from engine._typing import Autolag, FloatArray, Trend
from engine.pairs._checks import (
    RSQ_COLLINEAR,
    check_autolag,
    check_pair,
    check_trend,
    deterministic_terms,
    resolve_maxlag,
)
from engine.pairs._eg import adf_no_constant, coint_regression
from engine.pairs._mackinnon import coint_critical_values, coint_pvalues

__all__ = [
    "CollinearityWarning",
    "EngleGrangerResult",
    "JohansenResult",
    "engle_granger",
    "engle_granger_kernel",
    "johansen",
]

DetOrder = Literal[-1, 0, 1]


class CollinearityWarning(UserWarning):
    """The two series are (almost) perfectly collinear; the Engle-Granger test is skipped."""


@dataclasses.dataclass(frozen=True)
class EngleGrangerResult(Result):
    """Augmented Engle-Granger test of ``dependent`` regressed on the other series.

    Attributes
    ----------
    statistic : float
        t-statistic of the residual unit-root regression (``-inf`` when the two series are
        collinear, as statsmodels reports it).
    pvalue : float
        MacKinnon (1994) asymptotic p-value for two variables.
    critical_values : tuple of float
        MacKinnon (2010) 1 %, 5 %, 10 % critical values for ``nobs - 1`` observations
        (NaN for ``trend="n"``).
    lag : int
        Number of lagged differences in the residual regression (-1 when skipped).
    maxlag : int
        Largest lag considered (or the fixed lag).
    nobs : int
        Observations of the series.
    adf_nobs : int
        Observations of the final residual regression.
    beta, alpha : float
        Hedge ratio and intercept of the cointegrating regression
        ``dependent = alpha + beta * other (+ trend terms) + e`` (alpha is 0 for
        ``trend="n"``).
    deterministic : tuple of float
        All coefficients of the deterministic terms ``[1, t, t^2]`` included by ``trend``.
    rsquared : float
        R^2 of the cointegrating regression (centred unless ``trend="n"``).
    icbest : float
        Best information criterion (or last |t| for ``"t-stat"``); NaN without autolag.
    trend, autolag :
        Settings used.
    dependent : {"y", "x"}
        Which input series was the dependent variable.
    """

    statistic: float
    pvalue: float
    critical_values: tuple[float, float, float]
    lag: int
    maxlag: int
    nobs: int
    adf_nobs: int
    beta: float
    alpha: float
    deterministic: tuple[float, ...]
    rsquared: float
    icbest: float
    trend: Trend
    autolag: Autolag | None
    dependent: Literal["y", "x"] = "y"

    def is_cointegrated(self, level: float = 0.05) -> bool:
        """Whether the null of no cointegration is rejected at ``level`` (p < level)."""
        return bool(self.pvalue < level)

    def spread(self, dependent: Any, other: Any) -> FloatArray:
        """Residual of the cointegrating regression for aligned series (a new array).

        ``dependent - beta * other - deterministic @ [1, t, t^2]`` with ``t = 1..n`` (the
        terms included by ``trend``); for ``trend="c"`` this is
        ``dependent - beta * other - alpha``.
        """
        dep = np.asarray(dependent, dtype=np.float64)
        oth = np.asarray(other, dtype=np.float64)
        det = deterministic_terms(dep.size, self.trend)
        return np.asarray(
            dep - self.beta * oth - det @ np.asarray(self.deterministic), dtype=np.float64
        )


def engle_granger_kernel(
    y: FloatArray,
    x: FloatArray,
    trend: Trend,
    autolag: Autolag | None,
    maxlag: int | None,
    dependent: Literal["y", "x"] = "y",
) -> EngleGrangerResult:
    """Engle-Granger on checked float arrays (no copies, no validation)."""
    n = y.size
    ml = resolve_maxlag(n, maxlag)
    reg = coint_regression(y, x, trend)
    if not (np.ptp(x) > 0.0 and np.ptp(y) > 0.0) or math.isnan(reg.rsquared):
        stat, lag, adf_nobs, icbest = math.nan, -1, 0, math.nan
    elif reg.rsquared < RSQ_COLLINEAR:
        adf = adf_no_constant(reg.resid, ml, autolag)
        stat, lag, adf_nobs, icbest = adf.stat, adf.lag, adf.nobs, adf.icbest
    else:
        warnings.warn(
            "y and x are (almost) perfectly collinear; the statistic is set to -inf",
            CollinearityWarning,
            stacklevel=3,
        )
        stat, lag, adf_nobs, icbest = -math.inf, -1, 0, math.nan
    pvalue = float(coint_pvalues(np.array([stat]), trend=trend)[0])
    crit = coint_critical_values(n - 1, trend=trend)
    alpha = float(reg.deterministic[0]) if trend != "n" else 0.0
    return EngleGrangerResult(
        statistic=float(stat),
        pvalue=pvalue,
        critical_values=(float(crit[0]), float(crit[1]), float(crit[2])),
        lag=int(lag),
        maxlag=ml,
        nobs=n,
        adf_nobs=int(adf_nobs),
        beta=reg.beta,
        alpha=alpha,
        deterministic=tuple(float(v) for v in reg.deterministic),
        rsquared=reg.rsquared,
        icbest=float(icbest),
        trend=trend,
        autolag=autolag,
        dependent=dependent,
    )


def engle_granger(
    y: Any,
    x: Any,
    *,
    trend: Trend = "c",
    autolag: Autolag | None = "aic",
    maxlag: int | None = None,
) -> EngleGrangerResult:
    r"""Augmented Engle-Granger cointegration test of ``y`` on ``x``.

    Step 1 regresses

    .. math:: y_t = \alpha + \beta x_t + e_t

    (with the deterministic terms of ``trend``); step 2 runs the ADF regression without
    deterministic terms on the residuals,

    .. math:: \Delta e_t = \gamma e_{t-1} + \sum_{i=1}^{p} \phi_i \Delta e_{t-i} + u_t,

    and reports the t-statistic of :math:`\gamma` with MacKinnon's cointegration p-value and
    critical values for two variables. The lag search, samples and tables are those of
    :func:`statsmodels.tsa.stattools.coint` with the same arguments (see
    ``engine.pairs._eg.adf_no_constant``).

    Parameters
    ----------
    y, x : array_like
        Aligned series (log prices), at least 3 points, finite.
    trend : {"c", "n", "ct", "ctt"}
        Deterministic terms of the cointegrating regression.
    autolag : {"aic", "bic", "t-stat"} or None
        Lag selection of the residual regression; ``None`` uses ``maxlag`` lags.
    maxlag : int, optional
        Largest (or, without autolag, fixed) lag; default
        :math:`\lceil 12 (n/100)^{1/4} \rceil`.

    Returns
    -------
    EngleGrangerResult

    Notes
    -----
    When the cointegrating regression has :math:`R^2 \ge 1 - 100\sqrt{\epsilon}` the
    statistic is ``-inf`` (p-value 0), as statsmodels does, and a
    :class:`CollinearityWarning` is issued. When ``y`` or ``x`` is constant the statistic is
    NaN.

    References
    ----------
    Engle, R.F. and Granger, C.W.J. (1987). Co-integration and error correction:
    representation, estimation, and testing. *Econometrica* 55(2), 251-276.
    MacKinnon, J.G. (2010). Critical values for cointegration tests. Queen's Economics
    Department Working Paper 1227.
    """
    ya, xa = check_pair(y, x)
    return engle_granger_kernel(ya, xa, check_trend(trend), check_autolag(autolag), maxlag)


@dataclasses.dataclass(frozen=True)
class JohansenResult(Result):
    """Johansen trace and maximum-eigenvalue tests (values of ``coint_johansen``).

    Attributes
    ----------
    eigenvalues : ndarray, shape (k,)
        Eigenvalues, descending.
    eigenvectors : ndarray, shape (k, k)
        Cointegrating vectors in columns (normalized as statsmodels does).
    trace_stat, max_eig_stat : ndarray, shape (k,)
        Statistics for H0: rank <= r, r = 0..k-1.
    trace_crit, max_eig_crit : ndarray, shape (k, 3)
        Osterwald-Lenum critical values at 90 %, 95 %, 99 %.
    rank_trace, rank_max_eig : int
        Cointegration rank chosen at 95 % by the sequential trace / max-eigen tests.
    det_order, k_ar_diff : int
        Settings used.
    """

    eigenvalues: FloatArray
    eigenvectors: FloatArray
    trace_stat: FloatArray
    trace_crit: FloatArray
    max_eig_stat: FloatArray
    max_eig_crit: FloatArray
    rank_trace: int
    rank_max_eig: int
    det_order: int
    k_ar_diff: int


def _sequential_rank(stat: FloatArray, crit95: FloatArray) -> int:
    for r in range(stat.size):
        if not stat[r] > crit95[r]:
            return r
    return int(stat.size)


def johansen(y: Any, x: Any, *, det_order: DetOrder = 0, k_ar_diff: int = 1) -> JohansenResult:
    r"""Johansen cointegration rank tests of the pair ``(y, x)``.

    For the VECM :math:`\Delta Y_t = \Pi Y_{t-1} + \sum_{i=1}^{k} \Gamma_i \Delta Y_{t-i}
    + \varepsilon_t`, with eigenvalues :math:`\hat\lambda_1 \ge \hat\lambda_2` of the
    reduced-rank problem,

    .. math:: LR_{trace}(r) = -T \sum_{i=r+1}^{2} \ln(1 - \hat\lambda_i), \qquad
       LR_{max}(r) = -T \ln(1 - \hat\lambda_{r+1}).

    This is a thin wrapper of :func:`statsmodels.tsa.vector_ar.vecm.coint_johansen`
    (``det_order`` -1: no deterministic terms, 0: constant, 1: linear trend; ``k_ar_diff``
    lagged differences).

    References
    ----------
    Johansen, S. (1991). Estimation and hypothesis testing of cointegration vectors in
    Gaussian vector autoregressive models. *Econometrica* 59(6), 1551-1580.
    """
    ya, xa = check_pair(y, x)
    if det_order not in (-1, 0, 1):
        raise ValueError("det_order must be -1, 0 or 1")
    k = int(k_ar_diff)
    if k < 0 or ya.size - k < 4:
        raise ValueError("k_ar_diff must be non-negative and leave at least 4 observations")
    res = coint_johansen(np.column_stack([ya, xa]), det_order, k)
    trace = np.array(res.lr1, dtype=np.float64)
    maxe = np.array(res.lr2, dtype=np.float64)
    cvt = np.array(res.cvt, dtype=np.float64)
    cvm = np.array(res.cvm, dtype=np.float64)
    return JohansenResult(
        eigenvalues=np.array(res.eig, dtype=np.float64),
        eigenvectors=np.array(res.evec, dtype=np.float64),
        trace_stat=trace,
        trace_crit=cvt,
        max_eig_stat=maxe,
        max_eig_crit=cvm,
        rank_trace=_sequential_rank(trace, cvt[:, 1]),
        rank_max_eig=_sequential_rank(maxe, cvm[:, 1]),
        det_order=int(det_order),
        k_ar_diff=k,
    )
