"""Walk-forward endpoints: the configuration, the runs, their list and filters."""

from __future__ import annotations

from typing import Any

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from engine._typing import TIMEFRAMES
from engine.params import OBJECTIVES
from titan_web.backtests import selectors, services
from titan_web.backtests.apis._common import (
    STATUS_CHOICES,
    RunStatusFields,
    _fields,
    _regime_method_field,
    _status_filter,
    _window_check,
    fields_parameter,
    warnings_field,
)
from titan_web.backtests.apis.inputs import CostsSerializer, GridSerializer
from titan_web.backtests.models import WalkForwardRun
from titan_web.common.apiview import APIView
from titan_web.common.pagination import apaginate, paginated_serializer
from titan_web.common.schema import filter_parameters
from titan_web.common.schema_problems import problem
from titan_web.common.strict import StrictSerializer
from titan_web.market.fields import TickerField
from titan_web.tasks.apis import TaskSerializer, task_accepted


class WalkForwardConfigSerializer(StrictSerializer):
    """Walk-forward options (``engine.walkforward.WalkForwardConfig``); omitted ones take the
    engine's defaults (756-bar rolling train windows, 10 folds, top 5 pairs)."""

    train_bars = serializers.IntegerField(min_value=10, max_value=1_000_000, required=False)
    test_bars = serializers.IntegerField(min_value=1, max_value=1_000_000, required=False)
    n_folds = serializers.IntegerField(min_value=1, max_value=500, required=False)
    embargo = serializers.IntegerField(min_value=0, max_value=100_000, required=False)
    window = serializers.ChoiceField(choices=["rolling", "anchored"], required=False)
    top_k = serializers.IntegerField(min_value=1, max_value=100, required=False)
    significance_level = serializers.FloatField(min_value=1e-6, max_value=0.5, required=False)
    min_correlation = serializers.FloatField(min_value=-1, max_value=1, required=False)
    max_half_life = serializers.FloatField(min_value=0, required=False)
    fdr = serializers.FloatField(min_value=1e-6, max_value=1, required=False)
    unique_symbols = serializers.BooleanField(required=False)
    positive_beta = serializers.BooleanField(required=False)
    grid = GridSerializer(required=False)
    execution_lag = serializers.IntegerField(min_value=0, max_value=100, required=False)
    objective = serializers.ChoiceField(choices=list(OBJECTIVES), required=False)
    min_trades = serializers.IntegerField(min_value=0, required=False)
    adaptive = serializers.BooleanField(required=False)
    regime_method = _regime_method_field(required=False)
    regime_options = serializers.DictField(required=False)
    min_regime_bars = serializers.IntegerField(min_value=0, required=False)
    periods_per_year = serializers.FloatField(min_value=1, required=False)
    pbo_splits = serializers.IntegerField(min_value=0, max_value=64, required=False)
    n_trials = serializers.IntegerField(min_value=1, required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if "test_bars" in attrs and "n_folds" not in attrs:
            attrs["n_folds"] = None  # every test window that fits
        lag = attrs.pop("execution_lag", None)
        if lag is not None:
            attrs["grid"] = {**attrs.get("grid", {}), "execution_lag": lag}
        return attrs


class WalkForwardSerializer(RunStatusFields, serializers.ModelSerializer[WalkForwardRun]):
    warnings = warnings_field()

    class Meta:
        model = WalkForwardRun
        fields = [
            "id",
            "status",
            "error",
            "task",
            "timeframe",
            "symbols",
            "params",
            "metrics",
            "warnings",
            "created_at",
            "finished_at",
        ]
        read_only_fields = fields


WF_PARTS = ("folds", "stitched")


class WalkForwardDetailSerializer(WalkForwardSerializer):
    schema_optional_fields = WF_PARTS  # absent when ``fields`` leaves them out

    folds = serializers.ListField(
        child=serializers.DictField(), read_only=True, allow_null=True,
        help_text="per fold: ranges (bars and timestamps), status, pairs, parameter set, "
        "in-sample and out-of-sample metrics, trades, optimization summary",
    )  # fmt: skip
    stitched = serializers.DictField(
        read_only=True, allow_null=True,
        help_text="stitched out-of-sample path: ts, bars, returns, equity, labels",
    )  # fmt: skip

    class Meta(WalkForwardSerializer.Meta):
        fields = [*WalkForwardSerializer.Meta.fields, *WF_PARTS]
        read_only_fields = fields

    def to_representation(self, instance: WalkForwardRun) -> dict[str, Any]:
        data = WalkForwardSerializer(instance, context=self.context).data
        for part in self.context.get("parts", set(WF_PARTS)):
            data[part] = getattr(instance, part)
        return dict(data)


class WalkForwardFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=STATUS_CHOICES, method=_status_filter)
    timeframe = django_filters.ChoiceFilter(choices=[(t, t) for t in TIMEFRAMES])
    created_after = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_before = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="lt")
    ordering = django_filters.OrderingFilter(fields=["created_at", "finished_at", "id"])

    class Meta:
        model = WalkForwardRun
        fields: list[str] = []


class WalkForwardListApi(APIView):
    class InputSerializer(StrictSerializer):
        symbols = serializers.ListField(
            child=TickerField(), min_length=2, max_length=2000,
            required=False, help_text="the universe (default: every symbol with bars)",
        )  # fmt: skip
        start = serializers.DateTimeField(required=False, allow_null=True)
        end = serializers.DateTimeField(required=False, allow_null=True)
        timeframe = serializers.ChoiceField(choices=TIMEFRAMES, default="1d")
        config = WalkForwardConfigSerializer(required=False)
        costs = CostsSerializer(required=False)
        capital = serializers.FloatField(min_value=1, max_value=1e15, required=False)

        def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
            symbols = attrs.get("symbols")
            if symbols and len(set(symbols)) != len(symbols):
                raise serializers.ValidationError({"symbols": "duplicate symbols"})
            _window_check(attrs)
            return attrs

    @extend_schema(
        parameters=filter_parameters(WalkForwardFilter),
        operation_id="walkforward_list",
        responses=paginated_serializer("WalkForwardPage", WalkForwardSerializer),
        tags=["walkforward"],
    )
    async def get(self, request: Request) -> Response:
        qs = selectors.walkforward_list(user=request.user)
        return Response(
            await apaginate(request, qs, WalkForwardSerializer, filterset_class=WalkForwardFilter)
        )

    @extend_schema(
        request=InputSerializer,
        responses={
            404: problem("A symbol or object the request names does not exist, or is not yours."),
            422: problem("The stored bars do not support it (too few, or the window is empty)."),
            202: TaskSerializer,
        },
        tags=["walkforward"],
        description="Walk-forward analysis (task `walkforward`, progress per fold, a cancel "
        "stops between folds). Per fold, pair selection, hedge and parameters use the train "
        "window only; the test windows are traded and stitched.",
    )
    async def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        _, task = await services.walkforward_create(user=request.user, **data.validated_data)
        return task_accepted(task)


class WalkForwardDetailApi(APIView):
    @extend_schema(
        parameters=[fields_parameter(WF_PARTS)],
        responses={200: WalkForwardDetailSerializer},
        tags=["walkforward"],
    )
    async def get(self, request: Request, walkforward_id: int) -> Response:
        parts = _fields(request, WF_PARTS)
        run = await selectors.walkforward_get(
            user=request.user, walkforward_id=walkforward_id, with_stitched="stitched" in parts
        )
        return Response(WalkForwardDetailSerializer(run, context={"parts": parts}).data)

    @extend_schema(
        responses={204: None, 409: problem("The run is still in progress; cancel its task first.")},
        tags=["walkforward"],
    )
    async def delete(self, request: Request, walkforward_id: int) -> Response:
        run = await selectors.walkforward_get(
            user=request.user, walkforward_id=walkforward_id, with_stitched=False
        )
        await services.run_delete(run=run)
        return Response(status=status.HTTP_204_NO_CONTENT)
