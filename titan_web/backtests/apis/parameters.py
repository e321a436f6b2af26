"""Parameter set endpoints: list, create, read, update and delete."""

from __future__ import annotations

from typing import Any

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from titan_web.backtests import selectors, services
from titan_web.backtests.apis._common import (
    HEDGES,
    _check_thresholds,
    _regime_method_field,
)
from titan_web.common.apiview import APIView
from titan_web.common.pagination import apaginate, paginated_serializer
from titan_web.common.schema import filter_parameters
from titan_web.common.schema_problems import problem
from titan_web.common.strict import StrictSerializer
from titan_web.research.models import ParameterSet


class ParameterSetSerializer(serializers.ModelSerializer[ParameterSet]):
    pair = serializers.IntegerField(source="pair_id", read_only=True, allow_null=True)

    class Meta:
        model = ParameterSet
        fields = [
            "id",
            "pair",
            "regime_method",
            "regime_label",
            "name",
            "lookback",
            "entry_z",
            "exit_z",
            "stop_z",
            "max_holding",
            "hedge",
            "objective",
            "score",
            "source",
            "created_at",
        ]
        read_only_fields = fields


class ParameterSetInputSerializer(StrictSerializer):
    pair = serializers.IntegerField(required=False, allow_null=True)
    regime_method = _regime_method_field(default="", allow_blank=True)
    regime_label = serializers.IntegerField(
        min_value=0, max_value=9, required=False, allow_null=True
    )
    name = serializers.CharField(max_length=100, default="", allow_blank=True)
    lookback = serializers.IntegerField(min_value=2, max_value=5000, default=60)
    entry_z = serializers.FloatField(min_value=0.01, max_value=20, default=2.0)
    exit_z = serializers.FloatField(min_value=0, max_value=20, default=0.5)
    stop_z = serializers.FloatField(min_value=0.01, max_value=50, allow_null=True, default=4.0)
    max_holding = serializers.IntegerField(min_value=1, allow_null=True, default=None)
    hedge = serializers.ChoiceField(choices=HEDGES, default="static")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        _check_thresholds(attrs)
        # A PATCH is checked against the stored row by the service.
        label_only = attrs.get("regime_label") is not None and not attrs.get("regime_method")
        if label_only and not self.partial:
            raise serializers.ValidationError({"regime_method": "required with regime_label"})
        return attrs


class ParameterSetFilter(django_filters.FilterSet):
    pair = django_filters.NumberFilter(field_name="pair_id")
    regime_method = django_filters.CharFilter()
    regime_label = django_filters.NumberFilter()
    source = django_filters.ChoiceFilter(choices=[("manual", "manual"), ("optimized", "optimized")])
    ordering = django_filters.OrderingFilter(fields=["created_at", "score", "id"])

    class Meta:
        model = ParameterSet
        fields: list[str] = []


class ParameterSetListApi(APIView):
    class InputSerializer(ParameterSetInputSerializer):
        pass

    @extend_schema(
        parameters=filter_parameters(ParameterSetFilter),
        operation_id="parameters_list",
        responses=paginated_serializer("ParameterSetPage", ParameterSetSerializer),
        tags=["parameters"],
    )
    async def get(self, request: Request) -> Response:
        qs = selectors.parameter_set_list(user=request.user)
        return Response(
            await apaginate(request, qs, ParameterSetSerializer, filterset_class=ParameterSetFilter)
        )

    @extend_schema(
        request=InputSerializer,
        responses={
            404: problem("A symbol or object the request names does not exist, or is not yours."),
            201: ParameterSetSerializer,
        },
        tags=["parameters"],
        description="A parameter set (optionally for a pair and a regime label); "
        "0 <= exit_z < entry_z < stop_z.",
    )
    async def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        pset = await services.parameter_set_create(user=request.user, **data.validated_data)
        return Response(ParameterSetSerializer(pset).data, status=status.HTTP_201_CREATED)


class ParameterSetDetailApi(APIView):
    class InputSerializer(ParameterSetInputSerializer):
        pass

    @extend_schema(responses={200: ParameterSetSerializer}, tags=["parameters"])
    async def get(self, request: Request, parameter_set_id: int) -> Response:
        pset = await selectors.parameter_set_get(
            user=request.user, parameter_set_id=parameter_set_id
        )
        return Response(ParameterSetSerializer(pset).data)

    @extend_schema(
        request=InputSerializer, responses={200: ParameterSetSerializer}, tags=["parameters"]
    )
    async def patch(self, request: Request, parameter_set_id: int) -> Response:
        pset = await selectors.parameter_set_get(
            user=request.user, parameter_set_id=parameter_set_id
        )
        data = self.InputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        pset = await services.parameter_set_update(
            user=request.user, parameter_set=pset, **data.validated_data
        )
        return Response(ParameterSetSerializer(pset).data)

    @extend_schema(
        responses={204: None, 409: problem("A monitor still trades with the parameter set.")},
        tags=["parameters"],
    )
    async def delete(self, request: Request, parameter_set_id: int) -> Response:
        pset = await selectors.parameter_set_get(
            user=request.user, parameter_set_id=parameter_set_id
        )
        await services.parameter_set_delete(parameter_set=pset)
        return Response(status=status.HTTP_204_NO_CONTENT)
