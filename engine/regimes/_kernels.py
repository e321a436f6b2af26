"""Array-only kernels of the regime detectors (no pandas, no statsmodels).

Every kernel is causal: output at index ``t`` depends on inputs at indices ``<= t`` only.
"""

from __future__ import annotations

import bisect
import math

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from engine._typing import FloatArray, IntArray

# ----------------------------------------------------------------------------------------
# Volatility regimes
# ----------------------------------------------------------------------------------------


def rolling_volatility(returns: FloatArray, window: int, *, estimator: str) -> FloatArray:
    """Trailing volatility over ``window`` bars ending at each bar.

    ``estimator="std"``: sample standard deviation (ddof=1); ``"realized"``: root mean
    square :math:`\\sqrt{\\tfrac{1}{w}\\sum r^2}`. The first ``window - 1`` bars, and any
    bar whose window holds a NaN, are NaN. Requires ``window >= 2``.
    """
    n = returns.size
    out = np.full(n, np.nan)
    if n < window:
        return out
    windows = sliding_window_view(returns, window)
    if estimator == "std":
        mean = windows.mean(axis=1)
        dev = windows - mean[:, None]
        out[window - 1 :] = np.sqrt((dev * dev).sum(axis=1) / (window - 1))
    else:
        out[window - 1 :] = np.sqrt((windows * windows).mean(axis=1))
    return out


def _sorted_quantiles(values: list[float], levels: FloatArray) -> FloatArray:
    """Quantiles of a sorted list with linear interpolation (numpy's default method)."""
    m = len(values)
    pos = levels * (m - 1)
    lo = np.floor(pos).astype(np.int64)
    hi = np.minimum(lo + 1, m - 1)
    frac = pos - lo
    a = np.array([values[i] for i in lo])
    b = np.array([values[i] for i in hi])
    result: FloatArray = a + frac * (b - a)
    return result


def causal_quantile_thresholds(
    feature: FloatArray,
    levels: FloatArray,
    *,
    min_history: int,
    history_window: int | None,
) -> FloatArray:
    """Quantiles of the finite past values of ``feature`` strictly before each bar.

    At bar ``t`` the history is ``{feature[s] finite : s < t}`` (expanding,
    ``history_window=None``) or ``{feature[s] finite : t - history_window <= s < t}``
    (trailing). When it holds fewer than ``min_history`` values the row is NaN. Sorted
    insertion keeps the cost at O(n log n) comparisons plus list moves.

    Returns
    -------
    ndarray, shape (n, len(levels))
    """
    n = feature.size
    out = np.full((n, levels.size), np.nan)
    history: list[float] = []
    for t in range(n):
        if history_window is not None and t - history_window - 1 >= 0:
            old = feature[t - history_window - 1]
            if math.isfinite(old):
                del history[bisect.bisect_left(history, old)]
        if t > 0:
            prev = feature[t - 1]
            if math.isfinite(prev):
                bisect.insort(history, float(prev))
        if len(history) >= max(min_history, 1):
            out[t] = _sorted_quantiles(history, levels)
    return out


def _lloyd_1d(
    sorted_x: FloatArray, prefix: FloatArray, centers: FloatArray, *, max_iter: int = 100
) -> FloatArray:
    """Lloyd's k-means on sorted 1-D data from ``centers``; returns sorted centers.

    Each iteration assigns by the midpoints between centers (a binary search on the sorted
    data) and recomputes cluster means from the prefix sums, so it costs O(k log m).
    """
    m = sorted_x.size
    c = np.sort(centers)
    cuts_prev: IntArray | None = None
    for _ in range(max_iter):
        mids = 0.5 * (c[:-1] + c[1:])
        cuts = np.concatenate(([0], np.searchsorted(sorted_x, mids, side="right"), [m]))
        if cuts_prev is not None and np.array_equal(cuts, cuts_prev):
            break
        cuts_prev = cuts
        sizes = np.diff(cuts)
        sums = prefix[cuts[1:]] - prefix[cuts[:-1]]
        nonempty = sizes > 0
        c = np.where(nonempty, sums / np.maximum(sizes, 1), c)
        c = np.sort(c)
    return c


def causal_kmeans_thresholds(
    feature: FloatArray,
    n_clusters: int,
    *,
    min_history: int,
    history_window: int | None,
) -> FloatArray:
    """Boundaries between 1-D k-means clusters of the log of past finite positive values.

    At bar ``t`` the history is as in :func:`causal_quantile_thresholds`. Lloyd's
    algorithm on :math:`\\log x` is started from the previous bar's centers (the first
    time from the :math:`(j + \\tfrac12)/k` quantiles), so the boundaries move smoothly;
    the thresholds are :math:`\\exp` of the midpoints between adjacent centers.

    Returns
    -------
    ndarray, shape (n, n_clusters - 1)
    """
    n = feature.size
    out = np.full((n, n_clusters - 1), np.nan)
    logs = np.full(n, np.nan)
    positive = np.isfinite(feature) & (feature > 0)
    logs[positive] = np.log(feature[positive])
    xs = np.empty(0)
    centers: FloatArray | None = None
    init_levels = (np.arange(n_clusters) + 0.5) / n_clusters
    for t in range(n):
        if history_window is not None and t - history_window - 1 >= 0:
            old = logs[t - history_window - 1]
            if math.isfinite(old):
                xs = np.delete(xs, int(np.searchsorted(xs, old)))
        if t > 0:
            prev = logs[t - 1]
            if math.isfinite(prev):
                xs = np.insert(xs, int(np.searchsorted(xs, prev)), prev)
        if xs.size < max(min_history, n_clusters):
            centers = None
            continue
        if centers is None:
            centers = np.quantile(xs, init_levels)
        prefix = np.concatenate(([0.0], np.cumsum(xs)))
        centers = _lloyd_1d(xs, prefix, centers)
        out[t] = np.exp(0.5 * (centers[:-1] + centers[1:]))
    return out


def hysteresis_labels(
    feature: FloatArray,
    thresholds: FloatArray,
    *,
    band: float,
    min_duration: int,
) -> IntArray:
    """Label each bar by the thresholds it exceeds, with a hysteresis band and a delay.

    With ``k`` ascending thresholds :math:`c_1 \\le \\dots \\le c_k`, the raw label is
    :math:`\\#\\{j : x_t > c_j\\}`. Starting from label ``s``, the candidate moves up to
    :math:`u_t = \\#\\{j : x_t > c_j (1 + b)\\}` when :math:`u_t > s`, down to
    :math:`d_t = \\#\\{j : x_t > c_j (1 - b)\\}` when :math:`d_t < s`, and stays otherwise
    (a Schmitt trigger). A change is adopted once the same candidate has been seen on
    ``min_duration`` consecutive bars. Bars with NaN feature or thresholds are ``-1`` and
    restart the state; the first decided bar after them takes its raw label at once.
    """
    n = feature.size
    labels = np.full(n, -1, dtype=np.int64)
    state = -1
    pending = -1
    count = 0
    up_thr = thresholds * (1.0 + band)
    down_thr = thresholds * (1.0 - band)
    for t in range(n):
        x = feature[t]
        row = thresholds[t]
        if not math.isfinite(x) or not np.all(np.isfinite(row)):
            state, pending, count = -1, -1, 0
            continue
        if state == -1:
            state = int(np.count_nonzero(x > row))
            pending, count = -1, 0
        else:
            up = int(np.count_nonzero(x > up_thr[t]))
            down = int(np.count_nonzero(x > down_thr[t]))
            if up > state:
                candidate = up
            elif down < state:
                candidate = down
            else:
                candidate = state
            if candidate == state:
                pending, count = -1, 0
            else:
                if candidate == pending:
                    count += 1
                else:
                    pending, count = candidate, 1
                if count >= min_duration:
                    state, pending, count = candidate, -1, 0
        labels[t] = state
    return labels


# ----------------------------------------------------------------------------------------
# Markov switching
# ----------------------------------------------------------------------------------------


def stationary_distribution(transition: FloatArray) -> FloatArray:
    """Ergodic distribution :math:`\\pi = P\\pi`, :math:`\\sum\\pi = 1` of a left-stochastic P.

    Solved as statsmodels does (``initialize_steady_state``): the last column of the
    pseudo-inverse of :math:`[(I - P)^\\top; \\mathbf{1}^\\top]^\\top`.
    """
    k = transition.shape[0]
    a = np.vstack([np.eye(k) - transition, np.ones((1, k))])
    pi: FloatArray = np.linalg.pinv(a)[:, -1]
    return pi


def gaussian_loglikelihoods(y: FloatArray, means: FloatArray, variances: FloatArray) -> FloatArray:
    """Log densities :math:`\\log\\phi(y_t; \\mu_i, \\sigma^2_i)`, shape (n, k)."""
    resid = y[:, None] - means[None, :]
    out: FloatArray = -0.5 * resid * resid / variances[None, :] - 0.5 * np.log(
        2.0 * np.pi * variances[None, :]
    )
    return out


def hamilton_filter(
    loglikelihoods: FloatArray,
    transition: FloatArray,
    initial: FloatArray,
) -> FloatArray:
    """Hamilton (1989) filter with fixed parameters, in log space.

    .. math::

        \\xi_{t|t-1} = P\\,\\xi_{t-1|t-1},\\qquad
        \\xi_{t|t} = \\frac{\\xi_{t|t-1} \\odot \\eta_t}{\\mathbf{1}^\\top(\\xi_{t|t-1}
        \\odot \\eta_t)},

    with :math:`\\xi_{-1|-1}` = ``initial`` and :math:`\\eta_{t,i} = f(y_t \\mid S_t = i)`.
    Each row depends on rows ``<= t`` of ``loglikelihoods`` only. Like statsmodels, the
    transition probabilities and the initial vector are floored at 1e-20 before the log.

    Parameters
    ----------
    loglikelihoods : ndarray, shape (n, k)
    transition : ndarray, shape (k, k)
        Left-stochastic: ``transition[i, j] = P(S_t = i | S_{t-1} = j)``.
    initial : ndarray, shape (k,)

    Returns
    -------
    ndarray, shape (n, k)
        Filtered probabilities :math:`P(S_t = i \\mid y_0, \\dots, y_t)`.

    References
    ----------
    Hamilton, J. D. (1989). A new approach to the economic analysis of nonstationary time
    series and the business cycle. *Econometrica* 57(2), 357-384.
    Kim, C.-J. and Nelson, C. R. (1999). *State-Space Models with Regime Switching*, ch. 4.
    """
    n, k = loglikelihoods.shape
    out = np.empty((n, k))
    log_p = np.log(np.maximum(transition, 1e-20))
    log_xi = np.log(np.maximum(initial, 1e-20))
    for t in range(n):
        a = log_p + log_xi[None, :]
        amax = a.max(axis=1)
        log_pred = amax + np.log(np.exp(a - amax[:, None]).sum(axis=1))
        joint = log_pred + loglikelihoods[t]
        jmax = joint.max()
        log_xi = joint - (jmax + math.log(float(np.exp(joint - jmax).sum())))
        out[t] = np.exp(log_xi)
    return out
