"""Causal Markov-switching regimes (Hamilton filter with out-of-sample parameters).

The model is statsmodels' ``MarkovRegression`` with an intercept,

.. math::

    y_t = \\mu_{S_t} + \\varepsilon_t,\\qquad \\varepsilon_t \\sim N(0, \\sigma^2_{S_t}),
    \\qquad P(S_t = i \\mid S_{t-1} = j) = p_{ij},

with switching variance, mean, or both. Two things would leak the future and are avoided:

* smoothed probabilities :math:`P(S_t \\mid y_0..y_T)` use later data: only the *filtered*
  probabilities :math:`P(S_t \\mid y_0..y_t)` are produced;
* parameters estimated on the whole sample carry information from after ``t``: the
  parameters used on bars ``[t_k, t_{k+1})`` are estimated on data before ``t_k`` only
  (expanding or rolling window, refitted every ``refit_every`` bars), and the filter is
  then run forward with these parameters fixed from the start of the estimation window.
"""

from __future__ import annotations

import dataclasses
import warnings
from typing import Any, Literal

import numpy as np
from statsmodels.tsa.regime_switching.markov_regression import MarkovRegression

from engine._typing import FloatArray, WindowKind
from engine.regimes._checks import check_positive_int, check_series
from engine.regimes._kernels import (
    gaussian_loglikelihoods,
    hamilton_filter,
    stationary_distribution,
)
from engine.regimes.result import (
    MarkovSegment,
    RegimeResult,
    SeriesKind,
    spans_from_labels,
)

Switching = Literal["variance", "mean", "both"]


@dataclasses.dataclass(frozen=True)
class _Fit:
    transition: FloatArray
    means: FloatArray
    variances: FloatArray
    loglike: float
    converged: bool


def statsmodels_params(
    transition: FloatArray,
    means: FloatArray,
    variances: FloatArray,
    *,
    switching: Switching,
) -> FloatArray:
    """Pack parameters into a constrained ``MarkovRegression(trend="c")`` parameter vector.

    The order is statsmodels': transition probabilities ``p[j->i]`` for ``i < k - 1`` (row
    ``i`` of the left-stochastic matrix), then the intercept(s), then the variance(s).
    """
    parts = [transition[:-1, :].ravel()]
    parts.append(means if switching in ("mean", "both") else means[:1])
    parts.append(variances if switching in ("variance", "both") else variances[:1])
    return np.concatenate(parts).astype(np.float64)


def markov_filter(
    series: Any,
    *,
    transition: FloatArray,
    means: FloatArray,
    variances: FloatArray,
    initial: FloatArray | None = None,
) -> FloatArray:
    """Filtered regime probabilities of a series for fixed parameters.

    Parameters
    ----------
    series : array_like, shape (n,)
        Finite observations.
    transition : ndarray, shape (k, k)
        Left-stochastic, ``transition[i, j] = P(S_t = i | S_{t-1} = j)``.
    means, variances : ndarray, shape (k,)
    initial : ndarray, shape (k,), optional
        Regime distribution before the first observation; default the ergodic
        distribution of ``transition`` (statsmodels' steady-state initialisation).

    Returns
    -------
    ndarray, shape (n, k)
        :math:`P(S_t = i \\mid y_0, \\dots, y_t)`; row ``t`` is the same whether the series
        is cut after ``t`` or not.
    """
    y = np.array(series, dtype=np.float64, copy=True)
    if y.ndim != 1 or not np.all(np.isfinite(y)):
        raise ValueError("series must be one-dimensional and finite")
    p = np.asarray(transition, dtype=np.float64)
    mu = np.asarray(means, dtype=np.float64)
    var = np.asarray(variances, dtype=np.float64)
    k = p.shape[0]
    if p.shape != (k, k) or mu.shape != (k,) or var.shape != (k,):
        raise ValueError("transition must be (k, k) and means, variances (k,)")
    if np.any(var <= 0) or not np.allclose(p.sum(axis=0), 1.0, atol=1e-8):
        raise ValueError("variances must be positive and transition columns sum to one")
    init = stationary_distribution(p) if initial is None else np.asarray(initial, np.float64)
    return hamilton_filter(gaussian_loglikelihoods(y, mu, var), p, init)


def _start_params(z: FloatArray, k: int, switching: Switching) -> FloatArray:
    """Persistent, spread-out starting values on the standardised window."""
    off = 0.05 / (k - 1)
    transition = np.full((k, k), off) + np.eye(k) * (0.95 - off)
    mean, var = float(np.mean(z)), float(np.var(z))
    means = mean + np.linspace(-0.5, 0.5, k) * np.sqrt(var)
    if switching == "variance":
        means = np.full(k, mean)
    variances = var * np.geomspace(0.4, 2.5, k)
    if switching == "mean":
        variances = np.full(k, var)
    return statsmodels_params(transition, means, variances, switching=switching)


def _fit(y: FloatArray, k: int, switching: Switching, *, maxiter: int, em_iter: int) -> _Fit:
    """Maximum likelihood on one estimation window, relabelled by variance (or mean)."""
    scale = float(np.std(y, ddof=1))
    if not np.isfinite(scale) or scale <= 0.0:
        raise ValueError("estimation window has zero variance; cannot fit a Markov model")
    z = y / scale
    switch_mean = switching in ("mean", "both")
    switch_var = switching in ("variance", "both")
    model = MarkovRegression(
        z,
        k_regimes=k,
        trend="c",
        switching_trend=switch_mean,
        switching_variance=switch_var,
    )
    with warnings.catch_warnings():
        # statsmodels' own convergence / overflow warnings: convergence is reported in
        # the result instead.
        warnings.simplefilter("ignore")
        res = model.fit(
            start_params=_start_params(z, k, switching),
            maxiter=maxiter,
            em_iter=em_iter,
            disp=False,
        )
    params = np.asarray(res.params, dtype=np.float64)
    transition = np.asarray(model.regime_transition_matrix(params)[..., 0], dtype=np.float64)
    means = np.array([params[model.parameters[i, "exog"]][0] for i in range(k)]) * scale
    variances = np.array([params[model.parameters[i, "variance"]][0] for i in range(k)]) * scale**2
    order = np.lexsort((means, variances)) if switch_var else np.argsort(means, kind="stable")
    return _Fit(
        transition=transition[np.ix_(order, order)],
        means=means[order],
        variances=variances[order],
        loglike=float(res.llf),
        converged=bool(res.mle_retvals.get("converged", False)) if res.mle_retvals else False,
    )


def markov_regimes(
    series: Any,
    *,
    n_regimes: Literal[2, 3] = 2,
    kind: SeriesKind = "returns",
    switching: Switching = "variance",
    min_train: int = 500,
    refit_every: int | None = 250,
    window_kind: WindowKind = "anchored",
    train_size: int | None = None,
    maxiter: int = 100,
    em_iter: int = 5,
) -> RegimeResult:
    r"""Causal Markov-switching regimes from filtered probabilities.

    Parameters
    ----------
    series : array_like or pandas.Series
        Returns (``kind="returns"``) or strictly positive prices (``kind="prices"``, turned
        into log returns). Leading NaNs are skipped (labelled ``-1``); NaNs after the first
        finite value are rejected.
    n_regimes : {2, 3}, default 2
    kind : {"returns", "prices"}, default "returns"
    switching : {"variance", "mean", "both"}, default "variance"
        Which of :math:`\sigma^2_{S_t}` and :math:`\mu_{S_t}` switch.
    min_train : int, default 500
        Observations in the first estimation window; bars before its end are ``-1``.
    refit_every : int or None, default 250
        Re-estimate every this many bars; None estimates once, on the first window.
    window_kind : {"anchored", "rolling"}, default "anchored"
        Estimation windows that grow from the first observation, or that hold the last
        ``train_size`` observations before each refit.
    train_size : int, optional
        Rolling window length; default ``min_train``.
    maxiter, em_iter : int
        Passed to ``MarkovRegression.fit`` (BFGS iterations, preliminary EM steps).

    Returns
    -------
    RegimeResult
        ``probabilities`` (n, k) are filtered probabilities, ``labels`` their argmax,
        ``segments`` the estimation windows and parameters.

    Notes
    -----
    Refit points are :math:`t_k = f + m + k\,h` (first finite observation :math:`f`,
    ``min_train`` :math:`m`, ``refit_every`` :math:`h`). Segment :math:`k` uses
    :math:`\hat\theta_k` estimated on :math:`[a_k, t_k)` and reports, for
    :math:`t \in [t_k, t_{k+1})`, the Hamilton filter run with :math:`\hat\theta_k` fixed
    over :math:`y_{a_k}, \dots, y_t` from the ergodic distribution; this equals
    ``MarkovRegression(y[a_k:t+1]).filter(params).filtered_marginal_probabilities[-1]``.
    Regimes are sorted by increasing variance (by mean when only the mean switches), so
    label 0 means the calm regime in every segment. Estimation runs on the window divided
    by its standard deviation (for the optimizer's conditioning); parameters are mapped
    back to the series' scale.

    References
    ----------
    Hamilton, J. D. (1989). A new approach to the economic analysis of nonstationary time
    series and the business cycle. *Econometrica* 57(2), 357-384.
    Kim, C.-J. and Nelson, C. R. (1999). *State-Space Models with Regime Switching*. MIT
    Press.
    """
    y, index = check_series(series, kind=kind)
    if n_regimes not in (2, 3):
        raise ValueError(f"n_regimes must be 2 or 3, got {n_regimes!r}")
    if switching not in ("variance", "mean", "both"):
        raise ValueError(f"switching must be 'variance', 'mean' or 'both', got {switching!r}")
    if window_kind not in ("anchored", "rolling"):
        raise ValueError(f"window_kind must be 'anchored' or 'rolling', got {window_kind!r}")
    min_train = check_positive_int("min_train", min_train, minimum=10 * n_regimes)
    if refit_every is not None:
        refit_every = check_positive_int("refit_every", refit_every)
    size = min_train if train_size is None else check_positive_int("train_size", train_size)
    if size < 10 * n_regimes:
        raise ValueError("train_size too small")
    maxiter = check_positive_int("maxiter", maxiter)
    em_iter = check_positive_int("em_iter", em_iter, minimum=0)

    n = y.size
    finite = np.isfinite(y)
    first = int(np.argmax(finite)) if finite.any() else n
    if not finite[first:].all():
        raise ValueError("series has missing values after its first observation")

    probabilities = np.full((n, n_regimes), np.nan)
    segments: list[MarkovSegment] = []
    start = first + min_train
    while start < n:
        end = n if refit_every is None else min(n, start + refit_every)
        fit_start = first if window_kind == "anchored" else max(first, start - size)
        fit = _fit(y[fit_start:start], n_regimes, switching, maxiter=maxiter, em_iter=em_iter)
        filtered = hamilton_filter(
            gaussian_loglikelihoods(y[fit_start:end], fit.means, fit.variances),
            fit.transition,
            stationary_distribution(fit.transition),
        )
        probabilities[start:end] = filtered[start - fit_start :]
        segments.append(
            MarkovSegment(
                start=start,
                end=end,
                fit_start=fit_start,
                fit_end=start,
                transition=fit.transition,
                means=fit.means,
                variances=fit.variances,
                statsmodels_params=statsmodels_params(
                    fit.transition, fit.means, fit.variances, switching=switching
                ),
                loglike=fit.loglike,
                converged=fit.converged,
            )
        )
        start = end

    labels = np.full(n, -1, dtype=np.int64)
    decided = np.isfinite(probabilities[:, 0])
    labels[decided] = np.argmax(probabilities[decided], axis=1)
    params: dict[str, Any] = {
        "kind": kind,
        "switching": switching,
        "min_train": min_train,
        "refit_every": refit_every,
        "window_kind": window_kind,
        "train_size": size if window_kind == "rolling" else None,
        "maxiter": maxiter,
        "em_iter": em_iter,
    }
    return RegimeResult(
        method="markov",
        n_regimes=n_regimes,
        labels=labels,
        probabilities=probabilities,
        spans=spans_from_labels(labels),
        params=params,
        segments=tuple(segments),
        index=index,
    )
