from django.urls import path

import titan_web.common.converters  # noqa: F401  (registers <id:...>)
from titan_web.backtests import apis

urlpatterns = [
    path("backtests/", apis.BacktestListApi.as_view(), name="backtest-list"),
    path("backtests/<id:backtest_id>/", apis.BacktestDetailApi.as_view(), name="backtest-detail"),
    path(
        "backtests/<id:backtest_id>/lookahead",
        apis.BacktestLookaheadApi.as_view(),
        name="backtest-lookahead",
    ),
    path("walkforward/", apis.WalkForwardListApi.as_view(), name="walkforward-list"),
    path(
        "walkforward/<id:walkforward_id>/",
        apis.WalkForwardDetailApi.as_view(),
        name="walkforward-detail",
    ),
    path("regimes/", apis.RegimeListApi.as_view(), name="regime-list"),
    path("regimes/detect", apis.RegimeDetectApi.as_view(), name="regime-detect"),
    path("parameters/", apis.ParameterSetListApi.as_view(), name="parameter-set-list"),
    path(
        "parameters/<id:parameter_set_id>/",
        apis.ParameterSetDetailApi.as_view(),
        name="parameter-set-detail",
    ),
    path("parameters/optimize", apis.ParametersOptimizeApi.as_view(), name="parameters-optimize"),
]
