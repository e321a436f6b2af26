"""Result types shared by the regime detectors.

Every detector returns one :class:`RegimeResult`: integer labels per bar (``-1`` while the
detector is still warming up and cannot decide causally), optional per-regime
probabilities, the maximal runs of equal labels as :class:`RegimeSpan` records, the method
and the options used. Labels are ordered by volatility: ``0`` is always the calmest regime.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from engine._results import Result
from engine._typing import FloatArray, IntArray

RegimeMethod = Literal["volatility", "markov"]
SeriesKind = Literal["returns", "prices"]

UNKNOWN: int = -1
"""Label of bars at which the detector has not enough past data to decide."""


@dataclasses.dataclass(frozen=True)
class RegimeSpan(Result):
    """A maximal run of bars sharing one label.

    Attributes
    ----------
    start : int
        Index of the first bar of the run.
    end : int
        Index one past the last bar (half-open ``[start, end)``, so ``labels[start:end]``
        is the run).
    label : int
        The regime label of the run (``-1`` = unknown / warm-up).
    """

    start: int
    end: int
    label: int

    @property
    def n_bars(self) -> int:
        """Number of bars in the run."""
        return self.end - self.start


@dataclasses.dataclass(frozen=True)
class MarkovSegment(Result):
    """Parameters used by the Markov detector on one out-of-sample segment.

    The segment's bars ``[start, end)`` are filtered with parameters estimated by maximum
    likelihood on ``[fit_start, fit_end)`` only, where ``fit_end == start``. Regimes are
    reordered by increasing variance (by increasing mean when the variance does not
    switch), so index ``i`` of every array below is label ``i``.

    Attributes
    ----------
    start, end : int
        Output bars of the segment (half-open).
    fit_start, fit_end : int
        Estimation window (half-open), entirely before ``start``.
    transition : ndarray, shape (k, k)
        Left-stochastic transition matrix, ``transition[i, j] = P(S_t = i | S_{t-1} = j)``
        (the statsmodels convention).
    means : ndarray, shape (k,)
        Regime means of the series (equal when the mean does not switch).
    variances : ndarray, shape (k,)
        Regime variances (equal when the variance does not switch).
    statsmodels_params : ndarray
        The same parameters as a constrained parameter vector of
        ``statsmodels.tsa.regime_switching.markov_regression.MarkovRegression`` with
        ``trend="c"`` on the unscaled series, in the relabelled order.
    loglike : float
        Maximised log-likelihood on the (scaled) estimation window.
    converged : bool
        Whether the optimizer reported convergence.
    """

    start: int
    end: int
    fit_start: int
    fit_end: int
    transition: FloatArray
    means: FloatArray
    variances: FloatArray
    statsmodels_params: FloatArray
    loglike: float
    converged: bool


@dataclasses.dataclass(frozen=True)
class RegimeResult(Result):
    """Causal regime labels of a series.

    Attributes
    ----------
    method : {"volatility", "markov"}
        Detector that produced the labels.
    n_regimes : int
        Number of regimes; labels are in ``{-1, 0, ..., n_regimes - 1}``, ``0`` = lowest
        volatility.
    labels : ndarray of int64, shape (n,)
        Regime of each bar, decided from data up to and including that bar only; ``-1``
        while warming up (or where the input is missing).
    probabilities : ndarray, shape (n, n_regimes) or None
        Filtered regime probabilities ``P(S_t = i | y_0..y_t)`` (Markov only; NaN rows
        during the warm-up).
    spans : tuple of RegimeSpan
        Maximal runs of equal labels covering the whole series, in order.
    params : dict
        The options the detector ran with.
    volatility : ndarray, shape (n,) or None
        Rolling volatility that was classified (volatility method only).
    thresholds : ndarray, shape (n, n_regimes - 1) or None
        Thresholds in force at each bar, from volatility history strictly before the bar
        (volatility method only; NaN during the warm-up).
    segments : tuple of MarkovSegment
        Estimation windows and parameters of each refit (Markov only).
    index : ndarray or None
        Datetime index of the input when it was a pandas object with one.
    """

    method: RegimeMethod
    n_regimes: int
    labels: IntArray
    probabilities: FloatArray | None
    spans: tuple[RegimeSpan, ...]
    params: Mapping[str, Any]
    volatility: FloatArray | None = None
    thresholds: FloatArray | None = None
    segments: tuple[MarkovSegment, ...] = ()
    index: npt.NDArray[np.datetime64] | None = None

    @property
    def current(self) -> int:
        """Label of the last bar (what a live signal would use now)."""
        return int(self.labels[-1]) if self.labels.size else UNKNOWN

    def label_counts(self) -> dict[int, int]:
        """Number of bars per label, unknown (``-1``) included."""
        values, counts = np.unique(self.labels, return_counts=True)
        return {int(v): int(c) for v, c in zip(values, counts, strict=True)}

    def summary(self) -> str:
        """Return a short text: method, options, label counts and the last spans."""
        lines = [f"RegimeResult(method={self.method!r}, n_regimes={self.n_regimes})"]
        lines.append(f"  bars                   {self.labels.size}")
        lines.append(f"  label counts           {self.label_counts()}")
        lines.append(f"  spans                  {len(self.spans)}")
        for key, value in self.params.items():
            lines.append(f"  {key:<22} {value!r}")
        if self.segments:
            lines.append(f"  refits                 {len(self.segments)}")
        return "\n".join(lines)


def spans_from_labels(labels: IntArray) -> tuple[RegimeSpan, ...]:
    """Split ``labels`` into maximal runs of equal values.

    Parameters
    ----------
    labels : ndarray of int, shape (n,)

    Returns
    -------
    tuple of RegimeSpan
        Half-open runs covering ``[0, n)`` in order; empty for an empty input.
    """
    n = labels.size
    if n == 0:
        return ()
    change = np.flatnonzero(labels[1:] != labels[:-1]) + 1
    starts = np.concatenate(([0], change))
    ends = np.concatenate((change, [n]))
    return tuple(
        RegimeSpan(start=int(s), end=int(e), label=int(labels[s]))
        for s, e in zip(starts, ends, strict=True)
    )
