"""Helpers shared by the backtest endpoints: choice sets, input checks, the ``fields`` and
filter query parameters, the run status filter and the run status fields."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers
from rest_framework.request import Request

from titan_web.backtests.models import BacktestRun, WalkForwardRun
from titan_web.common.strict import check_query_params
from titan_web.tasks.models import TaskStatus

REGIME_METHODS = ["volatility", "markov"]


def _regime_method_field(**kw: Any) -> serializers.CharField:
    """``volatility`` or ``markov`` (a plain string in OpenAPI: the ``method`` enum of
    ``regimes/detect`` is the same choice set under another name)."""
    from django.core.validators import RegexValidator

    blank = kw.get("allow_blank", False)
    return serializers.CharField(
        validators=[
            RegexValidator(
                r"^(volatility|markov)?$" if blank else r"^(volatility|markov)$",
                "must be volatility or markov" + (" (or blank)" if blank else ""),
            )
        ],
        help_text="volatility or markov" + (" (blank: no regime)" if blank else ""),
        **kw,
    )


HEDGES = ["static", "dynamic"]
STATUS_CHOICES = list(TaskStatus.choices)


def _check_thresholds(attrs: dict[str, Any], prefix: str = "") -> None:
    """exit_z < entry_z < stop_z among the values given."""
    ez, xz, sz = attrs.get("entry_z"), attrs.get("exit_z"), attrs.get("stop_z")
    if ez is not None and xz is not None and not xz < ez:
        raise serializers.ValidationError({f"{prefix}exit_z": "must be below entry_z"})
    if ez is not None and sz is not None and not sz > ez:
        raise serializers.ValidationError({f"{prefix}stop_z": "must be above entry_z"})


def _window_check(attrs: dict[str, Any]) -> None:
    if attrs.get("start") and attrs.get("end") and attrs["start"] >= attrs["end"]:
        raise serializers.ValidationError({"end": "must be after start"})


def fields_parameter(parts: tuple[str, ...]) -> OpenApiParameter:
    """``fields``: comma-separated result parts (the ones :func:`_fields` accepts)."""
    one = "(" + "|".join([*parts, "metrics"]) + ")"
    return OpenApiParameter(
        "fields",
        {"type": "string", "pattern": f"^{one}(,{one})*$"},
        description="comma-separated result parts to include (default all); `metrics` alone "
        "returns the run without its series",
    )


def _fields(request: Request, allowed: tuple[str, ...]) -> set[str]:
    check_query_params(request.query_params, known={"fields"})
    raw = request.query_params.get("fields")
    if raw is None:
        return set(allowed)
    wanted = set(raw.split(","))
    unknown = wanted - set(allowed) - {"metrics"}
    if unknown:
        raise serializers.ValidationError(
            {"fields": f"unknown: {', '.join(sorted(unknown))}; allowed: {', '.join(allowed)}"}
        )
    return wanted & set(allowed)


def _status_filter(queryset: QuerySet[Any], name: str, value: list[str]) -> QuerySet[Any]:
    if not value:
        return queryset
    return queryset.filter(Q(task__status__in=value) | Q(task__isnull=True, status__in=value))


# No docstring here: drf-spectacular describes a serializer with the first docstring of its
# classes, so one here would become the description of the run serializers that have none.
class WarningSerializer(serializers.Serializer[Any]):
    """A caveat of a result: a stable ``code`` and a sentence with the numbers."""

    code = serializers.ChoiceField(
        choices=[
            "in_sample_hedge",
            "warmup_truncated",
            "short_history",
            "irregular_spacing",
            "gaps",
            "thin_coverage",
            "few_trades",
        ],
        read_only=True,
    )
    message = serializers.CharField(read_only=True)


def warnings_field() -> serializers.ListField:
    return serializers.ListField(
        child=WarningSerializer(),
        read_only=True,
        help_text="caveats of the result (in-sample hedge, truncated warm-up, short history, "
        "irregular spacing, gaps, thin coverage, few trades); empty when none",
    )


class RunStatusFields(serializers.Serializer[Any]):
    # ``status``, ``error`` and ``task`` of a backtest or walk-forward run; ``status`` is the
    # task's while it is linked. Mixed in before ``ModelSerializer``; ``Meta.fields`` orders.

    status = serializers.SerializerMethodField()
    error = serializers.SerializerMethodField()
    task = serializers.UUIDField(source="task_id", read_only=True, allow_null=True)

    def get_status(self, run: BacktestRun | WalkForwardRun) -> str:
        return run.task.status if run.task is not None else run.status

    def get_error(self, run: BacktestRun | WalkForwardRun) -> str:
        return run.task.error if run.task is not None else ""
