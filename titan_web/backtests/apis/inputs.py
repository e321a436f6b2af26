"""Input serializers shared by several endpoints: strategy parameters, costs, a grid."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from titan_web.backtests.apis._common import HEDGES, _check_thresholds
from titan_web.common.strict import StrictSerializer


class StrategyParamsSerializer(StrictSerializer):
    """Strategy parameters; each omitted one comes from the parameter set, then from your
    ``default_params``, then from the engine's defaults."""

    lookback = serializers.IntegerField(min_value=2, max_value=5000, required=False)
    entry_z = serializers.FloatField(min_value=0.01, max_value=20, required=False)
    exit_z = serializers.FloatField(min_value=0, max_value=20, required=False)
    stop_z = serializers.FloatField(min_value=0.01, max_value=50, required=False, allow_null=True)
    max_holding = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    execution_lag = serializers.IntegerField(min_value=0, max_value=100, required=False)
    hedge = serializers.ChoiceField(choices=HEDGES, required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        _check_thresholds(attrs)
        return attrs


class CostsSerializer(StrictSerializer):
    """Costs; each omitted one comes from your preferences."""

    cost_bps = serializers.FloatField(min_value=0, max_value=1000, required=False)
    slippage_bps = serializers.FloatField(min_value=0, max_value=1000, required=False)
    borrow_rate = serializers.FloatField(min_value=0, max_value=10, required=False)


class GridSerializer(StrictSerializer):
    """A parameter grid (every axis a list; null in stop_z / max_holding disables them)."""

    lookback = serializers.ListField(
        child=serializers.IntegerField(min_value=2, max_value=5000), min_length=1, max_length=50,
        required=False,
    )  # fmt: skip
    entry_z = serializers.ListField(
        child=serializers.FloatField(min_value=0.01, max_value=20), min_length=1, max_length=50,
        required=False,
    )  # fmt: skip
    exit_z = serializers.ListField(
        child=serializers.FloatField(min_value=0, max_value=20), min_length=1, max_length=50,
        required=False,
    )  # fmt: skip
    stop_z = serializers.ListField(
        child=serializers.FloatField(min_value=0.01, max_value=50, allow_null=True),
        min_length=1, max_length=50, required=False,
    )  # fmt: skip
    max_holding = serializers.ListField(
        child=serializers.IntegerField(min_value=1, allow_null=True), min_length=1, max_length=50,
        required=False,
    )  # fmt: skip

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        size = 1
        for v in attrs.values():
            size *= len(v)
        if size > 5000:
            raise serializers.ValidationError("the grid has more than 5,000 combinations")
        return attrs
