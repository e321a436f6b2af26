"""Backtest, walk-forward, regime, parameter-set and lookahead endpoints.

One module per area (``backtests``, ``lookahead``, ``walkforward``, ``regimes``,
``parameters``, ``optimization``; shared input serializers in ``inputs``, shared helpers in
``_common``); this package re-exports their public names, so ``apis.BacktestListApi`` and the
like keep working.
"""

from __future__ import annotations

from titan_web.backtests.apis._common import (
    HEDGES,
    REGIME_METHODS,
    STATUS_CHOICES,
    fields_parameter,
)
from titan_web.backtests.apis.backtests import (
    RESULT_PARTS,
    BacktestDetailApi,
    BacktestDetailSerializer,
    BacktestFilter,
    BacktestListApi,
    BacktestSerializer,
)
from titan_web.backtests.apis.inputs import (
    CostsSerializer,
    GridSerializer,
    StrategyParamsSerializer,
)
from titan_web.backtests.apis.lookahead import BacktestLookaheadApi
from titan_web.backtests.apis.optimization import ParametersOptimizeApi
from titan_web.backtests.apis.parameters import (
    ParameterSetDetailApi,
    ParameterSetFilter,
    ParameterSetInputSerializer,
    ParameterSetListApi,
    ParameterSetSerializer,
)
from titan_web.backtests.apis.regimes import (
    RegimeDetectApi,
    RegimeFilter,
    RegimeListApi,
    RegimeSerializer,
)
from titan_web.backtests.apis.walkforward import (
    WF_PARTS,
    WalkForwardConfigSerializer,
    WalkForwardDetailApi,
    WalkForwardDetailSerializer,
    WalkForwardFilter,
    WalkForwardListApi,
    WalkForwardSerializer,
)
from titan_web.common.schema import filter_parameters

__all__ = [
    "HEDGES",
    "REGIME_METHODS",
    "RESULT_PARTS",
    "STATUS_CHOICES",
    "WF_PARTS",
    "BacktestDetailApi",
    "BacktestDetailSerializer",
    "BacktestFilter",
    "BacktestListApi",
    "BacktestLookaheadApi",
    "BacktestSerializer",
    "CostsSerializer",
    "GridSerializer",
    "ParameterSetDetailApi",
    "ParameterSetFilter",
    "ParameterSetInputSerializer",
    "ParameterSetListApi",
    "ParameterSetSerializer",
    "ParametersOptimizeApi",
    "RegimeDetectApi",
    "RegimeFilter",
    "RegimeListApi",
    "RegimeSerializer",
    "StrategyParamsSerializer",
    "WalkForwardConfigSerializer",
    "WalkForwardDetailApi",
    "WalkForwardDetailSerializer",
    "WalkForwardFilter",
    "WalkForwardListApi",
    "WalkForwardSerializer",
    "fields_parameter",
    "filter_parameters",
]
