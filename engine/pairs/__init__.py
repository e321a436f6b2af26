"""Pair research: cointegration tests, hedge ratios, mean-reversion metrics, breaks, scans.

Pure numerical code (numpy, scipy, statsmodels, numba), never Django. Inputs are log
prices; options are keyword-only; every function returns a frozen :class:`engine._results.Result`.
"""

from engine.pairs.analysis import PairAnalysis, analyze_pair
from engine.pairs.breaks import (
    BreakAnalysis,
    RollingCointegration,
    rolling_engle_granger,
    stability_score,
    structural_breaks,
)
from engine.pairs.cointegration import (
    CollinearityWarning,
    EngleGrangerResult,
    JohansenResult,
    engle_granger,
    johansen,
)
from engine.pairs.hedge import (
    HedgeRatio,
    KalmanHedge,
    kalman_hedge_ratio,
    ols_hedge_ratio,
    tls_hedge_ratio,
)
from engine.pairs.metrics import HalfLife, Hurst, half_life, hurst_exponent, return_correlation
from engine.pairs.scan import ScanCancelled, ScanResult, scan_universe

__all__ = [
    "BreakAnalysis",
    "CollinearityWarning",
    "EngleGrangerResult",
    "HalfLife",
    "HedgeRatio",
    "Hurst",
    "JohansenResult",
    "KalmanHedge",
    "PairAnalysis",
    "RollingCointegration",
    "ScanCancelled",
    "ScanResult",
    "analyze_pair",
    "engle_granger",
    "half_life",
    "hurst_exponent",
    "johansen",
    "kalman_hedge_ratio",
    "ols_hedge_ratio",
    "return_correlation",
    "rolling_engle_granger",
    "scan_universe",
    "stability_score",
    "structural_breaks",
    "tls_hedge_ratio",
]
