"""Strategy parameters: grid optimization and regime-adaptive parameter sets.

* :func:`optimize_params` — batched grid search on in-sample data with an objective
  (Sharpe, Sortino, Calmar), a minimum trade count, deterministic ties, and the deflated
  Sharpe ratio and PBO of the selection (:class:`OptimizationResult`).
* :class:`ParameterSet`, :func:`fit_parameter_set` — one :class:`~engine.strategy.StrategyParams`
  per regime label with a fallback; :func:`backtest_adaptive` switches the active set with
  the causal regime label (open positions keep their entry set), and
  :class:`AdaptiveLiveStrategy` takes the same decisions bar by bar.
"""

from engine.params.adaptive import (
    AdaptiveBacktestResult,
    ParameterSet,
    RegimeFit,
    RegimeSwitch,
    backtest_adaptive,
    fit_parameter_set,
)
from engine.params.grid import ParamGrid
from engine.params.live import AdaptiveDecision, AdaptiveLiveStrategy, AdaptiveState
from engine.params.optimize import OBJECTIVES, OptimizationResult, optimize_params

__all__ = [
    "OBJECTIVES",
    "AdaptiveBacktestResult",
    "AdaptiveDecision",
    "AdaptiveLiveStrategy",
    "AdaptiveState",
    "OptimizationResult",
    "ParamGrid",
    "ParameterSet",
    "RegimeFit",
    "RegimeSwitch",
    "backtest_adaptive",
    "fit_parameter_set",
    "optimize_params",
]
