"""Backtest endpoints: the runs, their list and filters, and the backtest request."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from engine._typing import TIMEFRAMES
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
from titan_web.backtests.apis.inputs import CostsSerializer, StrategyParamsSerializer
from titan_web.backtests.models import BacktestRun
from titan_web.backtests.payloads import backtest_payload
from titan_web.common.apiview import APIView
from titan_web.common.pagination import apaginate, paginated_serializer
from titan_web.common.schema import filter_parameters
from titan_web.common.schema_problems import problem
from titan_web.common.strict import StrictSerializer
from titan_web.market.fields import TickerField
from titan_web.tasks.apis import TaskSerializer, task_accepted


class BacktestSerializer(RunStatusFields, serializers.ModelSerializer[BacktestRun]):
    """A backtest run without its series. ``status`` is the task's while it is linked."""

    pair = serializers.IntegerField(source="pair_id", read_only=True, allow_null=True)
    parameter_set = serializers.IntegerField(
        source="parameter_set_id", read_only=True, allow_null=True
    )
    lookahead_ok = serializers.SerializerMethodField()
    warnings = warnings_field()

    class Meta:
        model = BacktestRun
        fields = [
            "id",
            "status",
            "error",
            "task",
            "pair",
            "parameter_set",
            "symbol_1",
            "symbol_2",
            "timeframe",
            "start",
            "end",
            "adaptive",
            "params",
            "metrics",
            "warnings",
            "lookahead_ok",
            "created_at",
            "finished_at",
        ]
        read_only_fields = fields

    def get_lookahead_ok(self, run: BacktestRun) -> bool | None:
        report = run.lookahead if "lookahead" not in run.get_deferred_fields() else None
        return None if not report else bool(report.get("ok"))


RESULT_PARTS = (
    "ts",
    "equity",
    "returns",
    "weights",
    "held",
    "zscore",
    "trades",
    "hedge",
    "window",
    "labels",
    "switches",
)


class BacktestDetailSerializer(BacktestSerializer):
    """A backtest run with its result (``fields`` picks the parts)."""

    schema_optional_fields = RESULT_PARTS  # absent when not asked for or not computed

    ts = serializers.ListField(child=serializers.DateTimeField(), read_only=True)
    equity = serializers.ListField(child=serializers.FloatField(allow_null=True), read_only=True)
    returns = serializers.ListField(child=serializers.FloatField(allow_null=True), read_only=True)
    weights = serializers.DictField(
        child=serializers.ListField(child=serializers.FloatField()), read_only=True,
        help_text="{y: [...], x: [...]}: leg weights held at each close (fractions of equity)",
    )  # fmt: skip
    held = serializers.ListField(child=serializers.IntegerField(), read_only=True)
    zscore = serializers.ListField(child=serializers.FloatField(allow_null=True), read_only=True)
    trades = serializers.ListField(child=serializers.DictField(), read_only=True)
    hedge = serializers.DictField(read_only=True)
    window = serializers.DictField(
        read_only=True,
        help_text="formation_start, formation_end, formation_bars (OLS hedge), warmup_start, "
        "warmup_bars (z-score warm-up from the history before the first traded bar), "
        "trading_start, trading_end, trading_bars",
    )
    labels = serializers.ListField(child=serializers.IntegerField(), read_only=True)
    switches = serializers.ListField(child=serializers.DictField(), read_only=True)
    lookahead = serializers.JSONField(read_only=True, allow_null=True)

    class Meta(BacktestSerializer.Meta):
        fields = [*BacktestSerializer.Meta.fields, *RESULT_PARTS, "lookahead"]
        read_only_fields = fields

    def to_representation(self, instance: BacktestRun) -> dict[str, Any]:
        data = BacktestSerializer(instance, context=self.context).data
        wanted = self.context.get("parts", set(RESULT_PARTS))
        deferred = instance.get_deferred_fields()
        result = {} if "result" in deferred else (instance.result or {})
        for part in RESULT_PARTS:
            if part in wanted and part in result:
                data[part] = result[part]
        data["lookahead"] = instance.lookahead
        return dict(data)


class BacktestFilter(django_filters.FilterSet):
    pair = django_filters.NumberFilter(field_name="pair_id")
    symbol = django_filters.CharFilter(method="filter_symbol", label="either leg's ticker")
    status = django_filters.MultipleChoiceFilter(choices=STATUS_CHOICES, method=_status_filter)
    adaptive = django_filters.BooleanFilter()
    timeframe = django_filters.ChoiceFilter(choices=[(t, t) for t in TIMEFRAMES])
    created_after = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_before = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="lt")
    ordering = django_filters.OrderingFilter(fields=["created_at", "finished_at", "id"])

    class Meta:
        model = BacktestRun
        fields: list[str] = []

    def filter_symbol(self, queryset: Any, name: str, value: str) -> Any:
        value = value.strip().upper()
        return queryset.filter(Q(symbol_1=value) | Q(symbol_2=value))


class BacktestListApi(APIView):
    class InputSerializer(StrictSerializer):
        pair = serializers.IntegerField(
            required=False, allow_null=True, help_text="one of your pairs (its legs and hedge)"
        )
        symbol_1 = TickerField(required=False, help_text="leg y")
        symbol_2 = TickerField(required=False, help_text="leg x")
        hedge_ratio = serializers.FloatField(
            required=False, allow_null=True, help_text="fixed β (default: OLS on the formation)"
        )
        intercept = serializers.FloatField(required=False, allow_null=True)
        formation_bars = serializers.IntegerField(
            min_value=30, max_value=100_000, default=252,
            help_text="bars before the first traded bar for the OLS hedge",
        )  # fmt: skip
        start = serializers.DateTimeField(required=False, allow_null=True)
        end = serializers.DateTimeField(required=False, allow_null=True)
        timeframe = serializers.ChoiceField(choices=TIMEFRAMES, required=False)
        params = StrategyParamsSerializer(required=False)
        parameter_set = serializers.IntegerField(required=False, allow_null=True)
        adaptive = serializers.BooleanField(
            default=False, help_text="switch parameter sets with the pair's causal regime"
        )
        regime_method = _regime_method_field(default="volatility")
        regime_options = serializers.DictField(required=False)
        costs = CostsSerializer(required=False)
        capital = serializers.FloatField(min_value=1, max_value=1e15, required=False)

        def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
            if attrs.get("pair") is None:
                missing = [f for f in ("symbol_1", "symbol_2") if not attrs.get(f)]
                if missing:
                    raise serializers.ValidationError(
                        dict.fromkeys(("pair", *missing), "required without pair")
                    )
                if attrs["symbol_1"] == attrs["symbol_2"]:
                    raise serializers.ValidationError({"symbol_2": "must differ from symbol_1"})
            elif attrs.get("symbol_1") or attrs.get("symbol_2"):
                raise serializers.ValidationError(
                    {"pair": "give pair or symbol_1 and symbol_2, not both"}
                )
            if attrs.get("intercept") is not None and attrs.get("hedge_ratio") is None:
                raise serializers.ValidationError({"intercept": "needs hedge_ratio"})
            _window_check(attrs)
            return attrs

    @extend_schema(
        parameters=filter_parameters(BacktestFilter),
        operation_id="backtests_list",
        responses=paginated_serializer("BacktestPage", BacktestSerializer),
        tags=["backtests"],
    )
    async def get(self, request: Request) -> Response:
        qs = selectors.backtest_list(user=request.user)
        return Response(
            await apaginate(
                request,
                qs,
                BacktestSerializer,
                filterset_class=BacktestFilter,
                payload=backtest_payload,
            )
        )

    @extend_schema(
        request=InputSerializer,
        responses={
            404: problem("A symbol or object the request names does not exist, or is not yours."),
            422: problem("The stored bars do not support it (too few, or the window is empty)."),
            202: TaskSerializer,
        },
        tags=["backtests"],
        description="Backtest a pair (202 + task; the task's `result_url` is the run). "
        "Hedge: `params.hedge=dynamic` uses the causal Kalman filter; else `hedge_ratio`; else "
        "the pair's hedge; else OLS on the `formation_bars` bars before the first traded bar. "
        "Omitted parameters, costs and capital come from your preferences.",
    )
    async def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        _, task = await services.backtest_create(user=request.user, **data.validated_data)
        return task_accepted(task)


class BacktestDetailApi(APIView):
    @extend_schema(
        parameters=[fields_parameter(RESULT_PARTS)],
        responses={200: BacktestDetailSerializer},
        tags=["backtests"],
    )
    async def get(self, request: Request, backtest_id: int) -> Response:
        parts = _fields(request, RESULT_PARTS)
        run = await selectors.backtest_get(
            user=request.user, backtest_id=backtest_id, with_result=bool(parts)
        )
        return Response(BacktestDetailSerializer(run, context={"parts": parts}).data)

    @extend_schema(
        responses={204: None, 409: problem("The run is still in progress; cancel its task first.")},
        tags=["backtests"],
    )
    async def delete(self, request: Request, backtest_id: int) -> Response:
        run = await selectors.backtest_get(
            user=request.user, backtest_id=backtest_id, with_result=False
        )
        await services.run_delete(run=run)
        return Response(status=status.HTTP_204_NO_CONTENT)
