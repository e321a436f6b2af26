"""Causal rolling-volatility regimes.

The volatility of bar ``t`` is measured on the ``window`` returns ending at ``t``; it is
classified against quantiles of the volatility history strictly before ``t``. Nothing after
``t`` enters the label of ``t``, so the labels can be used for trading decisions and for
walk-forward research without lookahead.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import numpy as np

from engine.regimes._checks import check_positive_int, check_series
from engine.regimes._kernels import (
    causal_kmeans_thresholds,
    causal_quantile_thresholds,
    hysteresis_labels,
    rolling_volatility,
)
from engine.regimes.result import RegimeResult, SeriesKind, spans_from_labels

VolEstimator = Literal["std", "realized"]
ThresholdMethod = Literal["quantile", "kmeans"]

_DEFAULT_LEVELS: dict[int, tuple[float, ...]] = {2: (0.5,), 3: (1.0 / 3.0, 2.0 / 3.0)}


def volatility_regimes(
    series: Any,
    *,
    window: int = 21,
    n_regimes: Literal[2, 3] = 2,
    kind: SeriesKind = "returns",
    estimator: VolEstimator = "std",
    threshold_method: ThresholdMethod = "quantile",
    quantiles: Sequence[float] | None = None,
    min_history: int = 252,
    history_window: int | None = None,
    hysteresis: float = 0.0,
    min_duration: int = 1,
) -> RegimeResult:
    r"""Label each bar low / (normal /) high volatility using past data only.

    Parameters
    ----------
    series : array_like or pandas.Series
        Returns (``kind="returns"``) or strictly positive prices (``kind="prices"``, turned
        into log returns). NaN is allowed and yields unknown labels while it is inside the
        volatility window.
    window : int, default 21
        Bars in the trailing volatility window (>= 2).
    n_regimes : {2, 3}, default 2
        Two regimes (0 = low, 1 = high) or three (0 = low, 1 = normal, 2 = high).
    kind : {"returns", "prices"}, default "returns"
    estimator : {"std", "realized"}, default "std"
        Sample standard deviation (ddof=1) or root mean square of the window's returns.
    threshold_method : {"quantile", "kmeans"}, default "quantile"
        ``"quantile"``: thresholds are quantiles of the past volatilities.
        ``"kmeans"``: thresholds are the boundaries between ``n_regimes`` one-dimensional
        k-means clusters of the past log volatilities (Lloyd's algorithm, warm-started
        from the previous bar); they sit in the gap between calm and turbulent history
        whatever the share of each, where a fixed quantile does not.
    quantiles : sequence of float, optional
        ``n_regimes - 1`` increasing levels in (0, 1) of the volatility history used as
        thresholds by the quantile method; default the median for two regimes, the
        terciles for three.
    min_history : int, default 252
        Finite past volatilities required before a bar is labelled; earlier bars are
        ``-1``.
    history_window : int, optional
        Use only the volatilities of the last ``history_window`` bars before ``t``
        (trailing); default all of them (expanding).
    hysteresis : float, default 0.0
        Relative band ``b`` in [0, 1): moving up across threshold :math:`c` needs
        :math:`\sigma_t > c(1+b)`, moving down needs :math:`\sigma_t \le c(1-b)`.
    min_duration : int, default 1
        A change of regime is adopted once it has been indicated on this many consecutive
        bars (1 = at once). Adds up to ``min_duration - 1`` bars of lag, removes flicker.

    Returns
    -------
    RegimeResult
        ``volatility`` and ``thresholds`` (shape ``(n, n_regimes - 1)``) are filled.

    Notes
    -----
    With returns :math:`r_t` and window :math:`w`,

    .. math::

        \sigma_t = \Big(\tfrac{1}{w-1}\sum_{s=t-w+1}^{t}(r_s-\bar r_t)^2\Big)^{1/2},
        \qquad c_{j,t} = Q_{q_j}\big(\{\sigma_s : s < t\}\big),

    where :math:`Q_q` is the empirical quantile with linear interpolation (numpy's default
    method), and the raw label is :math:`\#\{j : \sigma_t > c_{j,t}\}`. Because
    :math:`c_{j,t}` uses :math:`\sigma_s` for :math:`s \le t-1` only and :math:`\sigma_t`
    uses returns up to :math:`t`, label :math:`t` is a function of :math:`r_0..r_t`.
    Quantile thresholds are relative: within a long calm stretch about half the bars are
    above the median, and a turbulent stretch that lasts longer than the calm history
    before it becomes "normal"; hysteresis, ``min_duration`` and the k-means method
    mitigate this.
    Hysteresis and the minimum duration are applied forward in time, so they keep this
    property. Expanding quantiles make the thresholds adapt slowly to secular changes in
    volatility; a trailing ``history_window`` (e.g. five years of bars) adapts faster.

    References
    ----------
    Ang, A. and Timmermann, A. (2012). Regime changes and financial markets. *Annual
    Review of Financial Economics* 4, 313-337.
    Andersen, T. G., Bollerslev, T., Diebold, F. X. and Labys, P. (2003). Modeling and
    forecasting realized volatility. *Econometrica* 71(2), 579-625.
    """
    returns, index = check_series(series, kind=kind)
    window = check_positive_int("window", window, minimum=2)
    min_history = check_positive_int("min_history", min_history)
    min_duration = check_positive_int("min_duration", min_duration)
    if history_window is not None:
        history_window = check_positive_int("history_window", history_window)
        if history_window < min_history:
            raise ValueError("history_window must be >= min_history")
    if n_regimes not in (2, 3):
        raise ValueError(f"n_regimes must be 2 or 3, got {n_regimes!r}")
    if estimator not in ("std", "realized"):
        raise ValueError(f"estimator must be 'std' or 'realized', got {estimator!r}")
    if not 0.0 <= hysteresis < 1.0:
        raise ValueError(f"hysteresis must be in [0, 1), got {hysteresis}")
    levels = np.asarray(
        _DEFAULT_LEVELS[n_regimes] if quantiles is None else quantiles, dtype=np.float64
    )
    if levels.shape != (n_regimes - 1,):
        raise ValueError(f"quantiles must hold n_regimes - 1 = {n_regimes - 1} values")
    if threshold_method not in ("quantile", "kmeans"):
        raise ValueError(
            f"threshold_method must be 'quantile' or 'kmeans', got {threshold_method!r}"
        )
    if np.any((levels <= 0.0) | (levels >= 1.0)) or np.any(np.diff(levels) <= 0.0):
        raise ValueError("quantiles must be strictly increasing and inside (0, 1)")

    vol = rolling_volatility(returns, window, estimator=estimator)
    if threshold_method == "quantile":
        thresholds = causal_quantile_thresholds(
            vol, levels, min_history=min_history, history_window=history_window
        )
    else:
        thresholds = causal_kmeans_thresholds(
            vol, n_regimes, min_history=min_history, history_window=history_window
        )
    labels = hysteresis_labels(vol, thresholds, band=hysteresis, min_duration=min_duration)
    params: dict[str, Any] = {
        "window": window,
        "kind": kind,
        "estimator": estimator,
        "threshold_method": threshold_method,
        "quantiles": [float(q) for q in levels] if threshold_method == "quantile" else None,
        "min_history": min_history,
        "history_window": history_window,
        "hysteresis": float(hysteresis),
        "min_duration": min_duration,
    }
    return RegimeResult(
        method="volatility",
        n_regimes=n_regimes,
        labels=labels,
        probabilities=None,
        spans=spans_from_labels(labels),
        params=params,
        volatility=vol,
        thresholds=thresholds,
        index=index,
    )
