"""Pair research endpoints: analyze two symbols, stored pairs, spread series."""

from __future__ import annotations

from typing import Any

import django_filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from engine._typing import TIMEFRAMES
from titan_web.common.apiview import APIView
from titan_web.common.pagination import apaginate, paginated_serializer
from titan_web.common.schema import filter_parameters
from titan_web.common.schema_problems import problem
from titan_web.common.strict import StrictQuerySerializer, StrictSerializer
from titan_web.market.fields import TickerField
from titan_web.research import selectors, services
from titan_web.research.models import TradingPair
from titan_web.research.payloads import pair_payload
from titan_web.tasks.apis import TaskSerializer, task_accepted


class PairSerializer(serializers.ModelSerializer[TradingPair]):
    symbol_1 = serializers.CharField(source="symbol_1.ticker")
    symbol_2 = serializers.CharField(source="symbol_2.ticker")
    scan_id = serializers.UUIDField(allow_null=True, read_only=True)

    class Meta:
        model = TradingPair
        fields = [
            "id",
            "symbol_1",
            "symbol_2",
            "timeframe",
            "start",
            "end",
            "hedge_ratio",
            "intercept",
            "tstat",
            "pvalue",
            "qvalue",
            "lag",
            "half_life",
            "correlation",
            "hurst",
            "stability_score",
            "is_cointegrated",
            "scan_id",
            "created_at",
        ]


class PairDetailSerializer(PairSerializer):
    class Meta(PairSerializer.Meta):
        fields = [*PairSerializer.Meta.fields, "stats"]


class PairFilter(django_filters.FilterSet):
    symbol = django_filters.CharFilter(method="filter_symbol", label="either leg's ticker")
    is_cointegrated = django_filters.BooleanFilter()
    max_pvalue = django_filters.NumberFilter(field_name="pvalue", lookup_expr="lte")
    max_qvalue = django_filters.NumberFilter(field_name="qvalue", lookup_expr="lte")
    max_half_life = django_filters.NumberFilter(field_name="half_life", lookup_expr="lte")
    min_correlation = django_filters.NumberFilter(field_name="correlation", lookup_expr="gte")
    scan = django_filters.UUIDFilter(field_name="scan_id")
    timeframe = django_filters.ChoiceFilter(choices=[(t, t) for t in TIMEFRAMES])
    ordering = django_filters.OrderingFilter(
        fields=[
            "pvalue",
            "qvalue",
            "half_life",
            "correlation",
            "stability_score",
            "hurst",
            "created_at",
        ]
    )

    class Meta:
        model = TradingPair
        fields: list[str] = []

    def filter_symbol(self, queryset: Any, name: str, value: str) -> Any:
        from django.db.models import Q

        value = value.strip().upper()
        return queryset.filter(Q(symbol_1__ticker=value) | Q(symbol_2__ticker=value))


class CointegrationOptions(StrictSerializer):
    """Options shared by pair analysis and universe scans."""

    start = serializers.DateTimeField(required=False, allow_null=True)
    end = serializers.DateTimeField(required=False, allow_null=True)
    timeframe = serializers.ChoiceField(choices=TIMEFRAMES, default="1d")
    significance_level = serializers.FloatField(min_value=0.001, max_value=0.5, default=0.05)
    min_correlation = serializers.FloatField(
        min_value=-1, max_value=1, required=False, allow_null=True
    )
    autolag = serializers.ChoiceField(
        choices=["aic", "bic", "t-stat"], allow_null=True, default="aic"
    )
    maxlag = serializers.IntegerField(min_value=0, max_value=100, required=False, allow_null=True)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs.get("start") and attrs.get("end") and attrs["start"] >= attrs["end"]:
            raise serializers.ValidationError({"end": "must be after start"})
        if attrs.get("autolag") is None and attrs.get("maxlag") is None:
            raise serializers.ValidationError({"maxlag": "required when autolag is null"})
        return attrs


class PairAnalyzeApi(APIView):
    class InputSerializer(CointegrationOptions):
        symbol_1 = TickerField(help_text="dependent leg y")
        symbol_2 = TickerField(help_text="regressor x")
        store = serializers.BooleanField(default=False, help_text="store as one of your pairs")

        def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
            if attrs["symbol_1"] == attrs["symbol_2"]:
                raise serializers.ValidationError({"symbol_2": "must differ from symbol_1"})
            return super().validate(attrs)

    @extend_schema(
        request=InputSerializer,
        responses={
            404: problem("A symbol or object the request names does not exist, or is not yours."),
            422: problem("The stored bars do not support it (too few, or the window is empty)."),
            200: OpenApiTypes.OBJECT,
            201: OpenApiTypes.OBJECT,
        },
        tags=["pairs"],
        description="Engle-Granger (both directions, as statsmodels coint), Johansen, "
        "hedge ratios, half-life, Hurst, stability; computed off the event loop.",
    )
    async def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        result = await services.pair_analyze(user=request.user, **data.validated_data)
        return Response(
            result, status=status.HTTP_201_CREATED if result["pair_id"] else status.HTTP_200_OK
        )


class PairListApi(APIView):
    @extend_schema(
        responses=paginated_serializer("PairPage", PairSerializer),
        tags=["pairs"],
        parameters=filter_parameters(PairFilter),
    )  # type: ignore[list-item]
    async def get(self, request: Request) -> Response:
        qs = selectors.pair_list(user=request.user)
        page = await apaginate(
            request, qs, PairSerializer, filterset_class=PairFilter, payload=pair_payload
        )
        return Response(page)


class PairDetailApi(APIView):
    @extend_schema(responses={200: PairDetailSerializer}, tags=["pairs"])
    async def get(self, request: Request, pair_id: int) -> Response:
        pair = await selectors.pair_get_for_detail(user=request.user, pair_id=pair_id)
        return Response(pair_payload(pair, detail=True))  # = PairDetailSerializer(pair).data

    @extend_schema(
        responses={204: None, 409: problem("A monitor still watches the pair.")},
        tags=["pairs"],
        description="Delete the pair; 409 naming the monitors while any watches it.",
    )
    async def delete(self, request: Request, pair_id: int) -> Response:
        pair = await selectors.pair_get(user=request.user, pair_id=pair_id)
        await services.pair_delete(pair=pair)
        return Response(status=status.HTTP_204_NO_CONTENT)


class PairSpreadApi(APIView):
    class InputSerializer(StrictQuerySerializer):
        start = serializers.DateTimeField(required=False, allow_null=True)
        end = serializers.DateTimeField(required=False, allow_null=True)
        lookback = serializers.IntegerField(min_value=2, max_value=5000, default=60)

    @extend_schema(
        parameters=[InputSerializer],
        responses={
            422: problem("The stored bars do not support it (too few, or the window is empty)."),
            200: OpenApiTypes.OBJECT,
        },
        tags=["pairs"],
        description="Spread and z-score (static hedge ratio) and the Kalman dynamic hedge ratio.",
    )
    async def get(self, request: Request, pair_id: int) -> Response:
        params = self.InputSerializer.validated(request.query_params)
        pair = await selectors.pair_get(user=request.user, pair_id=pair_id)
        return Response(await services.pair_spread(pair=pair, **params))


class PairScanApi(APIView):
    class InputSerializer(CointegrationOptions):
        symbols = serializers.ListField(child=TickerField(), min_length=2, max_length=2000)
        max_half_life = serializers.FloatField(min_value=0, required=False, allow_null=True)
        fdr = serializers.FloatField(min_value=0.0001, max_value=0.5, default=0.05, allow_null=True)

        def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
            if len(set(attrs["symbols"])) != len(attrs["symbols"]):
                raise serializers.ValidationError({"symbols": "symbols must be distinct"})
            return super().validate(attrs)

    @extend_schema(
        request=InputSerializer,
        responses={
            404: problem("A symbol or object the request names does not exist, or is not yours."),
            202: TaskSerializer,
        },
        tags=["pairs"],
        description="Scan every pair of a universe as a task (202 + Location). Pairs "
        "passing the filters with p < significance_level are stored, tied to the scan.",
    )
    async def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        task = await services.pair_scan_submit(user=request.user, **data.validated_data)
        return task_accepted(task)
