"""Backtest-overfitting statistics: PSR, deflated Sharpe, MinTRL and PBO by CSCV.

All Sharpe ratios here are *per period* (not annualised): a daily return series gives a
daily Sharpe ratio, and trial Sharpe ratios passed to :func:`deflated_sharpe_ratio` must be
in the same unit. Skewness :math:`\\gamma_3` and kurtosis :math:`\\gamma_4` are the plain
(biased) moment estimators, kurtosis *not* in excess (3 for a normal distribution).
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any, Literal

import numpy as np
import pandas as pd

from engine._results import Result
from engine._typing import FloatArray, IntArray
from engine.stats._kernels import (
    cscv,
    expected_max_sharpe,
    min_track_record_length,
    normal_cdf,
    psr_z,
    sharpe_std_factor,
)

PBOMetric = Literal["sharpe", "mean"]


@dataclasses.dataclass(frozen=True)
class SharpeMoments(Result):
    """Sample statistics a Sharpe-ratio inference needs.

    Attributes
    ----------
    sharpe : float
        :math:`\\widehat{SR} = \\bar r / s_r` with :math:`s_r` the sample standard deviation
        (ddof=1), per period.
    n_obs : int
        Number of returns :math:`T`.
    skewness : float
        :math:`\\hat\\gamma_3 = m_3 / m_2^{3/2}` (central moments with divisor T).
    kurtosis : float
        :math:`\\hat\\gamma_4 = m_4 / m_2^2` (3 for normal returns).
    """

    sharpe: float
    n_obs: int
    skewness: float = 0.0
    kurtosis: float = 3.0


@dataclasses.dataclass(frozen=True)
class ProbabilisticSharpeResult(Result):
    """Probabilistic Sharpe ratio :math:`\\widehat{PSR}(SR^*)`.

    Attributes
    ----------
    psr : float
        Probability that the true Sharpe ratio exceeds ``sr_benchmark``.
    p_value : float
        ``1 - psr``: one-sided p-value of :math:`H_0: SR \\le SR^*`.
    z : float
        The standardised statistic inside :math:`\\Phi`.
    sharpe_std : float
        Estimated standard deviation of :math:`\\widehat{SR}`.
    """

    psr: float
    p_value: float
    z: float
    sharpe: float
    sr_benchmark: float
    sharpe_std: float
    n_obs: int
    skewness: float
    kurtosis: float


@dataclasses.dataclass(frozen=True)
class DeflatedSharpeResult(Result):
    """Deflated Sharpe ratio: PSR against the expected maximum Sharpe of the trials.

    Attributes
    ----------
    dsr : float
        :math:`\\widehat{PSR}(\\widehat{SR}_0)`: probability that the selected strategy's
        true Sharpe ratio beats what the best of ``n_trials`` skill-less trials would show.
    p_value : float
        ``1 - dsr``.
    expected_max_sharpe : float
        :math:`\\widehat{SR}_0`, per period.
    """

    dsr: float
    p_value: float
    z: float
    sharpe: float
    expected_max_sharpe: float
    n_trials: float
    sharpe_variance: float
    n_obs: int
    skewness: float
    kurtosis: float


@dataclasses.dataclass(frozen=True)
class MinTrackRecordResult(Result):
    """Minimum track record length for :math:`\\widehat{PSR}(SR^*) \\ge 1 - \\alpha`.

    Attributes
    ----------
    min_trl : float
        Required number of observations (inf when the Sharpe ratio does not exceed the
        benchmark; serialised as ``None``).
    sufficient : bool
        Whether the observed track record (``n_obs``) is at least ``min_trl``.
    """

    min_trl: float
    sufficient: bool
    sharpe: float
    sr_benchmark: float
    alpha: float
    n_obs: int
    skewness: float
    kurtosis: float


@dataclasses.dataclass(frozen=True)
class PBOResult(Result):
    """Probability of backtest overfitting by combinatorially symmetric cross-validation.

    Attributes
    ----------
    pbo : float
        :math:`\\phi = \\#\\{c : \\lambda_c \\le 0\\} / C`.
    logits : ndarray, shape (C,)
        :math:`\\lambda_c = \\log(\\bar\\omega_c / (1 - \\bar\\omega_c))` per combination.
    selected : ndarray of int, shape (C,)
        Column of the in-sample best strategy per combination.
    is_performance, oos_performance : ndarray, shape (C,)
        Metric of the selected strategy in and out of sample.
    degradation_slope, degradation_intercept, degradation_r2 : float
        OLS fit of ``oos_performance`` on ``is_performance`` (negative slope = the more
        in-sample performance, the less out of sample).
    prob_loss : float
        Share of combinations whose selected strategy's out-of-sample metric is below
        ``threshold``.
    """

    pbo: float
    logits: FloatArray
    selected: IntArray
    is_performance: FloatArray
    oos_performance: FloatArray
    degradation_slope: float
    degradation_intercept: float
    degradation_r2: float
    prob_loss: float
    threshold: float
    metric: PBOMetric
    n_splits: int
    n_combinations: int
    n_strategies: int
    n_obs_used: int

    def summary(self) -> str:
        """Return PBO, degradation and loss probability as short text."""
        return "\n".join(
            [
                "PBOResult",
                f"  pbo                    {self.pbo:.4f}",
                f"  prob_loss              {self.prob_loss:.4f}",
                f"  degradation slope      {self.degradation_slope:.4g}",
                f"  degradation r2         {self.degradation_r2:.4g}",
                f"  median logit           {float(np.median(self.logits)):.4g}",
                f"  S / C / N / T          {self.n_splits} / {self.n_combinations} / "
                f"{self.n_strategies} / {self.n_obs_used}",
            ]
        )


# ----------------------------------------------------------------------------------------
# Input checks
# ----------------------------------------------------------------------------------------


def _check_returns(returns: Any) -> FloatArray:
    if isinstance(returns, (pd.Series, pd.DataFrame)):
        values = returns.to_numpy(dtype=np.float64, na_value=np.nan)
    else:
        values = np.asarray(returns, dtype=np.float64)
    values = np.array(values, dtype=np.float64, copy=True).ravel()
    if values.size < 3:
        raise ValueError("need at least 3 returns")
    if not np.all(np.isfinite(values)):
        raise ValueError("returns must be finite (drop missing values first)")
    return values


def sharpe_moments(returns: Any) -> SharpeMoments:
    """Sharpe ratio, length, skewness and kurtosis of a return series.

    Parameters
    ----------
    returns : array_like, shape (T,)
        Finite per-period (excess) returns, ``T >= 3``.

    Returns
    -------
    SharpeMoments
        Sharpe ratio NaN when the returns are constant.
    """
    r = _check_returns(returns)
    mean = float(r.mean())
    dev = r - mean
    m2 = float(np.mean(dev**2))
    std = math.sqrt(m2 * r.size / (r.size - 1))
    if std <= 1e-14 * max(abs(mean), 1e-300):
        return SharpeMoments(sharpe=math.nan, n_obs=r.size, skewness=math.nan, kurtosis=math.nan)
    return SharpeMoments(
        sharpe=mean / std,
        n_obs=int(r.size),
        skewness=float(np.mean(dev**3)) / m2**1.5,
        kurtosis=float(np.mean(dev**4)) / m2**2,
    )


def _moments(data: Any) -> SharpeMoments:
    if isinstance(data, SharpeMoments):
        if data.n_obs < 2:
            raise ValueError("n_obs must be >= 2")
        return data
    return sharpe_moments(data)


# ----------------------------------------------------------------------------------------
# Sharpe-ratio inference
# ----------------------------------------------------------------------------------------


def probabilistic_sharpe_ratio(
    returns: Any, *, sr_benchmark: float = 0.0
) -> ProbabilisticSharpeResult:
    r"""Probabilistic Sharpe ratio (Bailey and López de Prado 2012).

    Parameters
    ----------
    returns : array_like or SharpeMoments
        Per-period returns, or their precomputed :class:`SharpeMoments`.
    sr_benchmark : float, default 0.0
        Benchmark Sharpe ratio :math:`SR^*`, per period.

    Returns
    -------
    ProbabilisticSharpeResult

    Notes
    -----
    .. math::

        \widehat{PSR}(SR^*) = \Phi\left(\frac{(\widehat{SR} - SR^*)\sqrt{T-1}}
        {\sqrt{1 - \hat\gamma_3\widehat{SR} + \frac{\hat\gamma_4 - 1}{4}\widehat{SR}^2}}
        \right),

    using the asymptotic variance of the Sharpe ratio under non-normal i.i.d. returns
    (Mertens 2002; Opdyke 2007). NaN when the variance factor is not positive.

    References
    ----------
    Bailey, D. H. and López de Prado, M. (2012). The Sharpe ratio efficient frontier.
    *Journal of Risk* 15(2), 3-44.
    Mertens, E. (2002). Comments on variance of the IID estimator in Lo (2002). Working
    paper, University of Basel.
    """
    mom = _moments(returns)
    z = psr_z(mom.sharpe, sr_benchmark, mom.n_obs, mom.skewness, mom.kurtosis)
    psr = normal_cdf(z)
    factor = sharpe_std_factor(mom.sharpe, mom.skewness, mom.kurtosis)
    return ProbabilisticSharpeResult(
        psr=psr,
        p_value=1.0 - psr,
        z=z,
        sharpe=mom.sharpe,
        sr_benchmark=float(sr_benchmark),
        sharpe_std=math.sqrt(factor / (mom.n_obs - 1)),
        n_obs=mom.n_obs,
        skewness=mom.skewness,
        kurtosis=mom.kurtosis,
    )


def expected_maximum_sharpe(n_trials: float, *, sharpe_variance: float) -> float:
    r"""Expected maximum Sharpe ratio of ``n_trials`` independent skill-less trials.

    .. math::

        \widehat{SR}_0 = \sqrt{V[\widehat{SR}_n]}\left((1-\gamma)\Phi^{-1}\Big(1-\frac1N\Big)
        + \gamma\,\Phi^{-1}\Big(1 - \frac{1}{N e}\Big)\right),

    with :math:`\gamma` the Euler-Mascheroni constant (0 for ``N = 1``).

    References
    ----------
    Bailey, D. H., Borwein, J., López de Prado, M. and Zhu, Q. J. (2014). Pseudo-mathematics
    and financial charlatanism. *Notices of the AMS* 61(5), 458-471.
    """
    if n_trials < 1:
        raise ValueError("n_trials must be >= 1")
    if sharpe_variance < 0 or not math.isfinite(sharpe_variance):
        raise ValueError("sharpe_variance must be finite and >= 0")
    return expected_max_sharpe(float(n_trials), float(sharpe_variance))


def deflated_sharpe_ratio(
    returns: Any,
    trial_sharpes: Any = None,
    *,
    n_trials: float | None = None,
    sharpe_variance: float | None = None,
) -> DeflatedSharpeResult:
    r"""Deflated Sharpe ratio (Bailey and López de Prado 2014).

    Parameters
    ----------
    returns : array_like or SharpeMoments
        Returns of the selected strategy (or their :class:`SharpeMoments`).
    trial_sharpes : array_like, optional
        Per-period Sharpe ratios of all trials tried (the selected one included). Gives
        :math:`V[\widehat{SR}_n]` (ddof=1) and, unless ``n_trials`` is given, :math:`N`.
    n_trials : float, optional
        Number of (effectively independent) trials; overrides ``len(trial_sharpes)``, e.g.
        with a clustering estimate of independent trials.
    sharpe_variance : float, optional
        Variance of the trials' Sharpe ratios; required when ``trial_sharpes`` is omitted.

    Returns
    -------
    DeflatedSharpeResult

    Notes
    -----
    .. math::

        \widehat{DSR} = \widehat{PSR}(\widehat{SR}_0),\qquad
        \widehat{SR}_0 = \sqrt{V[\widehat{SR}_n]}\left((1-\gamma)\Phi^{-1}(1-N^{-1})
        + \gamma\Phi^{-1}(1-(Ne)^{-1})\right).

    Paper example (daily data, :math:`T=1250`, annualised :math:`SR=2.5`,
    :math:`V=0.5` annualised, :math:`N=100`, :math:`\gamma_3=-3`, :math:`\gamma_4=10`):
    :math:`\widehat{SR}_0 \approx 0.1132` per day and :math:`\widehat{DSR} \approx 0.9004`.

    References
    ----------
    Bailey, D. H. and López de Prado, M. (2014). The deflated Sharpe ratio: correcting for
    selection bias, backtest overfitting and non-normality. *Journal of Portfolio
    Management* 40(5), 94-107.
    """
    mom = _moments(returns)
    if trial_sharpes is not None:
        trials = np.array(trial_sharpes, dtype=np.float64, copy=True).ravel()
        if trials.size < 2 or not np.all(np.isfinite(trials)):
            raise ValueError("trial_sharpes must hold at least 2 finite values")
        variance = float(np.var(trials, ddof=1)) if sharpe_variance is None else sharpe_variance
        count = float(trials.size) if n_trials is None else float(n_trials)
    else:
        if n_trials is None or sharpe_variance is None:
            raise ValueError("give trial_sharpes, or both n_trials and sharpe_variance")
        variance, count = float(sharpe_variance), float(n_trials)
    sr0 = expected_maximum_sharpe(count, sharpe_variance=variance)
    z = psr_z(mom.sharpe, sr0, mom.n_obs, mom.skewness, mom.kurtosis)
    dsr = normal_cdf(z)
    return DeflatedSharpeResult(
        dsr=dsr,
        p_value=1.0 - dsr,
        z=z,
        sharpe=mom.sharpe,
        expected_max_sharpe=sr0,
        n_trials=count,
        sharpe_variance=variance,
        n_obs=mom.n_obs,
        skewness=mom.skewness,
        kurtosis=mom.kurtosis,
    )


def minimum_track_record_length(
    returns: Any, *, sr_benchmark: float = 0.0, alpha: float = 0.05
) -> MinTrackRecordResult:
    r"""Minimum track record length (Bailey and López de Prado 2012).

    Parameters
    ----------
    returns : array_like or SharpeMoments
    sr_benchmark : float, default 0.0
        Per-period benchmark Sharpe ratio :math:`SR^*`.
    alpha : float, default 0.05
        Significance level.

    Returns
    -------
    MinTrackRecordResult

    Notes
    -----
    .. math::

        \text{MinTRL} = 1 + \left(1 - \hat\gamma_3\widehat{SR}
        + \frac{\hat\gamma_4-1}{4}\widehat{SR}^2\right)
        \left(\frac{z_{1-\alpha}}{\widehat{SR} - SR^*}\right)^2

    observations, the length at which :math:`\widehat{PSR}(SR^*) = 1 - \alpha`.

    References
    ----------
    Bailey, D. H. and López de Prado, M. (2012). The Sharpe ratio efficient frontier.
    *Journal of Risk* 15(2), 3-44.
    """
    if not 0.0 < alpha < 1.0:
        raise ValueError("alpha must be in (0, 1)")
    mom = _moments(returns)
    trl = min_track_record_length(mom.sharpe, sr_benchmark, mom.skewness, mom.kurtosis, alpha)
    return MinTrackRecordResult(
        min_trl=trl,
        sufficient=bool(mom.n_obs >= trl),
        sharpe=mom.sharpe,
        sr_benchmark=float(sr_benchmark),
        alpha=float(alpha),
        n_obs=mom.n_obs,
        skewness=mom.skewness,
        kurtosis=mom.kurtosis,
    )


# ----------------------------------------------------------------------------------------
# Probability of backtest overfitting
# ----------------------------------------------------------------------------------------


def probability_of_backtest_overfitting(
    performance: Any,
    *,
    n_splits: int = 16,
    metric: PBOMetric = "sharpe",
    threshold: float = 0.0,
) -> PBOResult:
    r"""Probability of backtest overfitting by CSCV (Bailey, Borwein, López de Prado, Zhu).

    Parameters
    ----------
    performance : array_like or pandas.DataFrame, shape (T, N)
        Per-period returns of ``N >= 2`` strategy configurations over the same ``T`` bars.
    n_splits : int, default 16
        Even number ``S`` of row blocks. The first ``T mod S`` rows are dropped so the
        blocks are equal (the most recent data are kept); ``C(S, S/2)`` combinations are
        evaluated (12 870 for S = 16).
    metric : {"sharpe", "mean"}, default "sharpe"
        Performance statistic: per-period Sharpe ratio (ddof=1; NaN for a constant column,
        which then ranks lowest) or mean return.
    threshold : float, default 0.0
        Out-of-sample metric below which a selection counts as a loss.

    Returns
    -------
    PBOResult

    Notes
    -----
    For each combination :math:`c` of :math:`S/2` blocks, :math:`J_c` (in-sample) and its
    complement :math:`\bar J_c` (out-of-sample) give metric vectors :math:`R_c`,
    :math:`\bar R_c`. With :math:`n^* = \arg\max_n R_{c,n}` and
    :math:`\bar\omega_c = \operatorname{rank}(\bar R_{c,n^*}) / (N + 1)` (ascending ranks,
    averaged on ties),

    .. math::

        \lambda_c = \log\frac{\bar\omega_c}{1-\bar\omega_c},\qquad
        \mathrm{PBO} = \frac{1}{C}\sum_c \mathbf{1}[\lambda_c \le 0].

    Under no skill, :math:`\bar\omega_c` is uniform on :math:`\{1..N\}/(N+1)` and PBO is
    about 1/2; a truly dominant configuration keeps its rank out of sample and PBO tends
    to 0. Blocks keep their time order, so serial dependence inside blocks is preserved.

    References
    ----------
    Bailey, D. H., Borwein, J., López de Prado, M. and Zhu, Q. J. (2017). The probability
    of backtest overfitting. *Journal of Computational Finance* 20(4), 39-69 (SSRN 2326253,
    2015).
    """
    if isinstance(performance, pd.DataFrame):
        matrix = performance.to_numpy(dtype=np.float64, na_value=np.nan)
    else:
        matrix = np.asarray(performance, dtype=np.float64)
    matrix = np.array(matrix, dtype=np.float64, copy=True)
    if matrix.ndim != 2:
        raise ValueError(f"performance must be 2-D (T x N), got shape {matrix.shape}")
    if not np.all(np.isfinite(matrix)):
        raise ValueError("performance must be finite")
    if isinstance(n_splits, bool) or not isinstance(n_splits, (int, np.integer)):
        raise TypeError("n_splits must be an int")
    if n_splits < 2 or n_splits % 2:
        raise ValueError(f"n_splits must be an even integer >= 2, got {n_splits}")
    if metric not in ("sharpe", "mean"):
        raise ValueError(f"metric must be 'sharpe' or 'mean', got {metric!r}")
    t_total, n_strat = matrix.shape
    if n_strat < 2:
        raise ValueError("need at least 2 strategies")
    block = t_total // n_splits
    if block < 2:
        raise ValueError(f"need at least {2 * n_splits} rows for n_splits={n_splits}")
    used = matrix[t_total - block * n_splits :]

    selected, is_perf, oos_perf, omega = cscv(used, int(n_splits), metric)
    is_perf = np.where(np.isinf(is_perf), np.nan, is_perf)
    oos_perf = np.where(np.isinf(oos_perf), np.nan, oos_perf)
    logits = np.log(omega / (1.0 - omega))
    slope, intercept, r2 = _ols(is_perf, oos_perf)
    loss = np.where(np.isnan(oos_perf), True, oos_perf < threshold)
    return PBOResult(
        pbo=float(np.mean(logits <= 0.0)),
        logits=logits,
        selected=selected,
        is_performance=is_perf,
        oos_performance=oos_perf,
        degradation_slope=slope,
        degradation_intercept=intercept,
        degradation_r2=r2,
        prob_loss=float(np.mean(loss)),
        threshold=float(threshold),
        metric=metric,
        n_splits=int(n_splits),
        n_combinations=int(logits.size),
        n_strategies=int(n_strat),
        n_obs_used=int(used.shape[0]),
    )


def _ols(x: FloatArray, y: FloatArray) -> tuple[float, float, float]:
    """Slope, intercept and R² of y on x over finite pairs; NaN when x is constant."""
    ok = np.isfinite(x) & np.isfinite(y)
    if ok.sum() < 3:
        return math.nan, math.nan, math.nan
    xs, ys = x[ok], y[ok]
    dx, dy = xs - xs.mean(), ys - ys.mean()
    sxx, syy, sxy = float(dx @ dx), float(dy @ dy), float(dx @ dy)
    if sxx <= 0.0:
        return math.nan, math.nan, math.nan
    slope = sxy / sxx
    r2 = sxy * sxy / (sxx * syy) if syy > 0.0 else math.nan
    return slope, float(ys.mean()) - slope * float(xs.mean()), r2
