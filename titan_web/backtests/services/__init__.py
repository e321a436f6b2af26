"""Writes and long runs: backtests, walk-forward runs, regimes, parameter sets, lookahead checks.

Long runs are tasks of the in-process registry (``backtest``, ``walkforward``, ``optimize``,
``regimes``, ``lookahead``); each run row's ``status`` mirrors its task (the task row is the
source of truth, the API reports the task's status while it is linked). CPU work goes to the
compute executor; walk-forward folds and lookahead cuts are sent one at a time so that
progress is reported and a cancel request stops the run between two of them.

One module per area (``backtests``, ``lookahead``, ``walkforward``, ``regimes``,
``parameters``, ``optimization``; shared helpers in ``_common``); this package re-exports
their public names, so ``services.backtest_create`` and the like keep working.
"""

from __future__ import annotations

from titan_web.backtests.services._common import (
    MIN_TRADE_BARS,
    PARAMETER_SET_FIELDS,
    user_costs,
)
from titan_web.backtests.services.backtests import (
    MAX_WARMUP_BARS,
    STRATEGY_FIELDS,
    BacktestPlan,
    backtest_create,
    backtest_prepare,
    run_delete,
    strategy_params,
)
from titan_web.backtests.services.lookahead import (
    _plan_from_run,  # the ``lookahead`` management command re-plans stored runs with it
    backtest_lookahead_submit,
    lookahead_run,
    lookahead_warnings,
)
from titan_web.backtests.services.optimization import parameters_optimize_submit
from titan_web.backtests.services.parameters import (
    parameter_set_create,
    parameter_set_delete,
    parameter_set_update,
)
from titan_web.backtests.services.regimes import (
    RegimeTarget,
    regime_target,
    regimes_detect,
    regimes_detect_submit,
)
from titan_web.backtests.services.walkforward import walkforward_create

__all__ = [
    "MAX_WARMUP_BARS",
    "MIN_TRADE_BARS",
    "PARAMETER_SET_FIELDS",
    "STRATEGY_FIELDS",
    "BacktestPlan",
    "RegimeTarget",
    "_plan_from_run",
    "backtest_create",
    "backtest_lookahead_submit",
    "backtest_prepare",
    "lookahead_run",
    "lookahead_warnings",
    "parameter_set_create",
    "parameter_set_delete",
    "parameter_set_update",
    "parameters_optimize_submit",
    "regime_target",
    "regimes_detect",
    "regimes_detect_submit",
    "run_delete",
    "strategy_params",
    "user_costs",
    "walkforward_create",
]
