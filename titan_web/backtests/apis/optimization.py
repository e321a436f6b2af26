"""The parameter optimization endpoint (grid search on a pair's window)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from engine.params import OBJECTIVES
from titan_web.backtests import services
from titan_web.backtests.apis._common import _regime_method_field, _window_check
from titan_web.backtests.apis.inputs import CostsSerializer, GridSerializer
from titan_web.common.apiview import APIView
from titan_web.common.schema_problems import problem
from titan_web.common.strict import StrictSerializer
from titan_web.tasks.apis import TaskSerializer, task_accepted


class ParametersOptimizeApi(APIView):
    class InputSerializer(StrictSerializer):
        pair = serializers.IntegerField()
        start = serializers.DateTimeField(required=False, allow_null=True)
        end = serializers.DateTimeField(required=False, allow_null=True)
        grid = GridSerializer(required=False)
        objective = serializers.ChoiceField(choices=list(OBJECTIVES), default="sharpe")
        min_trades = serializers.IntegerField(min_value=0, max_value=100_000, default=5)
        per_regime = serializers.BooleanField(
            default=False, help_text="also fit a set per regime label (stored per label)"
        )
        regime_method = _regime_method_field(default="volatility")
        regime_options = serializers.DictField(required=False)
        min_regime_bars = serializers.IntegerField(min_value=0, default=120)
        execution_lag = serializers.IntegerField(min_value=0, max_value=100, default=1)
        costs = CostsSerializer(required=False)
        name = serializers.CharField(max_length=60, default="", allow_blank=True)

        def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
            _window_check(attrs)
            return attrs

    @extend_schema(
        request=InputSerializer,
        responses={
            404: problem("A symbol or object the request names does not exist, or is not yours."),
            422: problem("The stored bars do not support it (too few, or the window is empty)."),
            202: TaskSerializer,
        },
        tags=["parameters"],
        description="Grid search on the pair's window (task `optimize`). Stores the best set "
        "(and one per regime with `per_regime`) with `source=optimized`; the task result holds "
        "the grid summary (top rows), the deflated Sharpe ratio and the PBO.",
    )
    async def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        task = await services.parameters_optimize_submit(user=request.user, **data.validated_data)
        return task_accepted(task)
