"""The lookahead check endpoint of a finished backtest."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from titan_web.backtests import selectors, services
from titan_web.common.apiview import APIView
from titan_web.common.schema_problems import problem
from titan_web.common.strict import StrictSerializer
from titan_web.tasks.apis import TaskSerializer, task_accepted


class BacktestLookaheadApi(APIView):
    class InputSerializer(StrictSerializer):
        cuts = serializers.IntegerField(min_value=1, max_value=50, default=5)

    @extend_schema(
        request=InputSerializer,
        responses={
            202: TaskSerializer,
            409: problem("The backtest has not succeeded, or is already being checked."),
        },
        tags=["backtests"],
        description="Lookahead check of a finished backtest (task `lookahead`): the same "
        "backtest re-run on the data truncated after each cut bar must take the same decisions "
        "up to the cut. The report (`ok`, `differences`, `warnings` about hedge ratios fixed "
        "outside the backtest) is the task's result and the run's `lookahead`.",
    )
    async def post(self, request: Request, backtest_id: int) -> Response:
        run = await selectors.backtest_get(user=request.user, backtest_id=backtest_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        task = await services.backtest_lookahead_submit(
            user=request.user, run=run, **data.validated_data
        )
        return task_accepted(task)
