"""Regime endpoints: the stored spans and their detection."""

from __future__ import annotations

from typing import Any

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from engine._typing import TIMEFRAMES
from titan_web.backtests import selectors, services
from titan_web.backtests.apis._common import (
    REGIME_METHODS,
    _window_check,
    warnings_field,
)
from titan_web.common.apiview import APIView
from titan_web.common.pagination import apaginate, paginated_serializer
from titan_web.common.schema import filter_parameters
from titan_web.common.schema_problems import problem
from titan_web.common.strict import StrictSerializer
from titan_web.market.fields import TickerField
from titan_web.research.models import Regime
from titan_web.tasks.apis import TaskSerializer, task_accepted


class RegimeSerializer(serializers.ModelSerializer[Regime]):
    pair = serializers.IntegerField(source="pair_id", read_only=True, allow_null=True)
    symbol = serializers.SerializerMethodField()
    task = serializers.UUIDField(source="task_id", read_only=True, allow_null=True)

    class Meta:
        model = Regime
        fields = [
            "id",
            "pair",
            "symbol",
            "method",
            "label",
            "name",
            "start",
            "end",
            "stats",
            "task",
            "created_at",
        ]
        read_only_fields = fields

    def get_symbol(self, regime: Regime) -> str | None:
        return regime.symbol.ticker if regime.symbol_id else None  # type: ignore[union-attr]


class RegimeFilter(django_filters.FilterSet):
    pair = django_filters.NumberFilter(field_name="pair_id")
    symbol = django_filters.CharFilter(method="filter_symbol", label="ticker")
    method = django_filters.ChoiceFilter(choices=[(m, m) for m in REGIME_METHODS])
    label = django_filters.NumberFilter()
    task = django_filters.UUIDFilter(field_name="task_id")
    start_after = django_filters.IsoDateTimeFilter(field_name="start", lookup_expr="gte")
    start_before = django_filters.IsoDateTimeFilter(field_name="start", lookup_expr="lt")
    ordering = django_filters.OrderingFilter(fields=["start", "created_at", "label"])

    class Meta:
        model = Regime
        fields: list[str] = []

    def filter_symbol(self, queryset: Any, name: str, value: str) -> Any:
        return queryset.filter(symbol__ticker=value.strip().upper())


class RegimeListApi(APIView):
    @extend_schema(
        parameters=filter_parameters(RegimeFilter),
        operation_id="regimes_list",
        responses=paginated_serializer("RegimePage", RegimeSerializer),
        tags=["regimes"],
    )
    async def get(self, request: Request) -> Response:
        qs = selectors.regime_list(user=request.user)
        return Response(
            await apaginate(request, qs, RegimeSerializer, filterset_class=RegimeFilter)
        )


class RegimeDetectApi(APIView):
    class InputSerializer(StrictSerializer):
        pair = serializers.IntegerField(required=False, allow_null=True)
        symbol = TickerField(required=False)
        method = serializers.ChoiceField(choices=REGIME_METHODS, default="volatility")
        options = serializers.DictField(
            required=False,
            help_text="options of engine.regimes.volatility_regimes / markov_regimes",
        )
        start = serializers.DateTimeField(required=False, allow_null=True)
        end = serializers.DateTimeField(required=False, allow_null=True)
        timeframe = serializers.ChoiceField(choices=TIMEFRAMES, required=False)
        store = serializers.BooleanField(
            default=True, help_text="store the spans (replacing your previous ones)"
        )

        def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
            if (attrs.get("pair") is None) == (not attrs.get("symbol")):
                raise serializers.ValidationError({"pair": "give exactly one of pair and symbol"})
            _window_check(attrs)
            return attrs

    class OutputSerializer(serializers.Serializer[Any]):
        pair = serializers.IntegerField(allow_null=True)
        symbol = serializers.CharField(allow_null=True)
        timeframe = serializers.CharField()
        method = serializers.CharField()
        n_regimes = serializers.IntegerField()
        params = serializers.DictField()
        current = serializers.IntegerField(help_text="label of the last bar")
        label_counts = serializers.DictField(child=serializers.IntegerField())
        stored = serializers.BooleanField()
        spans = RegimeSerializer(many=True)
        ts = serializers.ListField(child=serializers.DateTimeField())
        labels = serializers.ListField(child=serializers.IntegerField())
        warnings = warnings_field()

    @extend_schema(
        request=InputSerializer,
        responses={
            404: problem("A symbol or object the request names does not exist, or is not yours."),
            422: problem("The stored bars do not support it (too few, or the window is empty)."),
            201: OutputSerializer,
            200: OutputSerializer,
            202: TaskSerializer,
        },
        tags=["regimes"],
        description="Causal regimes of a pair (mean log return of its legs) or a symbol. "
        "`volatility` is computed within the request (201 when stored, 200 otherwise); "
        "`markov` fits models and runs as a task (`regimes`, 202).",
    )
    async def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        target = await services.regime_target(
            user=request.user, pair=v.get("pair"), symbol=v.get("symbol"),
            timeframe=v.get("timeframe"),
        )  # fmt: skip
        kw = {"start": v.get("start"), "end": v.get("end"), "store": v["store"]}
        if v["method"] == "markov":
            task = await services.regimes_detect_submit(
                user=request.user, target=target, method="markov", options=v.get("options", {}),
                **kw,
            )  # fmt: skip
            return task_accepted(task)
        out = await services.regimes_detect(
            user=request.user, target=target, method=v["method"], options=v.get("options"), **kw
        )
        code = status.HTTP_201_CREATED if v["store"] else status.HTTP_200_OK
        return Response(self.OutputSerializer(out).data, status=code)
