"""Statistics on backtest results: overfitting diagnostics (PSR, DSR, MinTRL, PBO)."""

from __future__ import annotations

from engine.stats.overfit import (
    DeflatedSharpeResult,
    MinTrackRecordResult,
    PBOMetric,
    PBOResult,
    ProbabilisticSharpeResult,
    SharpeMoments,
    deflated_sharpe_ratio,
    expected_maximum_sharpe,
    minimum_track_record_length,
    probabilistic_sharpe_ratio,
    probability_of_backtest_overfitting,
    sharpe_moments,
)

__all__ = [
    "DeflatedSharpeResult",
    "MinTrackRecordResult",
    "PBOMetric",
    "PBOResult",
    "ProbabilisticSharpeResult",
    "SharpeMoments",
    "deflated_sharpe_ratio",
    "expected_maximum_sharpe",
    "minimum_track_record_length",
    "probabilistic_sharpe_ratio",
    "probability_of_backtest_overfitting",
    "sharpe_moments",
]
