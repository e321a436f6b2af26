"""Causal regime detection: the regime at bar t is decided from data up to t only.

``detect_regimes(series, method="volatility" | "markov", **options)`` dispatches to
:func:`volatility_regimes` (rolling volatility against past quantiles) or
:func:`markov_regimes` (Markov-switching model, filtered probabilities, out-of-sample
parameters). Both return a :class:`RegimeResult` whose label 0 is the calmest regime.
"""

from __future__ import annotations

from typing import Any

from engine.regimes.markov import markov_filter, markov_regimes
from engine.regimes.result import (
    UNKNOWN,
    MarkovSegment,
    RegimeMethod,
    RegimeResult,
    RegimeSpan,
    SeriesKind,
    spans_from_labels,
)
from engine.regimes.volatility import volatility_regimes

__all__ = [
    "UNKNOWN",
    "MarkovSegment",
    "RegimeMethod",
    "RegimeResult",
    "RegimeSpan",
    "SeriesKind",
    "detect_regimes",
    "markov_filter",
    "markov_regimes",
    "spans_from_labels",
    "volatility_regimes",
]


def detect_regimes(
    series: Any, *, method: RegimeMethod = "volatility", **options: Any
) -> RegimeResult:
    """Detect regimes causally with the chosen method.

    Parameters
    ----------
    series : array_like or pandas.Series
        Returns, or prices with ``kind="prices"``.
    method : {"volatility", "markov"}, default "volatility"
    **options
        Keyword options of :func:`volatility_regimes` or :func:`markov_regimes`.

    Returns
    -------
    RegimeResult
    """
    if method == "volatility":
        return volatility_regimes(series, **options)
    if method == "markov":
        return markov_regimes(series, **options)
    raise ValueError(f"method must be 'volatility' or 'markov', got {method!r}")
