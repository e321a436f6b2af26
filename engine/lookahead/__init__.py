"""Lookahead check (a user feature): do decisions at or before a bar depend on later data?

:func:`check_lookahead` compares a run on the full data with runs on data truncated after K
cut bars and reports every decision that changed (:class:`LookaheadReport`).
:func:`lookahead_backtest` and :func:`lookahead_walk_forward` check TITAN's own pipelines;
any callable returning a :class:`DecisionTrace` can be checked.
"""

from engine.lookahead.check import (
    DecisionTrace,
    LookaheadDifference,
    LookaheadReport,
    check_lookahead,
)
from engine.lookahead.runs import (
    BacktestRun,
    WalkForwardRun,
    lookahead_backtest,
    lookahead_walk_forward,
)

__all__ = [
    "BacktestRun",
    "DecisionTrace",
    "LookaheadDifference",
    "LookaheadReport",
    "WalkForwardRun",
    "check_lookahead",
    "lookahead_backtest",
    "lookahead_walk_forward",
]
