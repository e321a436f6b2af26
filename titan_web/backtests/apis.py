"""Backtest, walk-forward, regime, parameter-set and lookahead endpoints."""

from __future__ import annotations

from typing import Any

import django_filters
from adrf.views import APIView
from django.db.models import Q, QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from engine._typing import TIMEFRAMES
from engine.params import OBJECTIVES
from titan_web.backtests import selectors, services
from titan_web.backtests.models import BacktestRun, WalkForwardRun
from titan_web.common.pagination import apaginate, filter_queryset, paginated_serializer
from titan_web.research.models import ParameterSet, Regime
from titan_web.tasks.apis import TaskSerializer, task_accepted
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

# ----------------------------------------------------------------------------- shared inputs


def _check_thresholds(attrs: dict[str, Any], prefix: str = "") -> None:
    """exit_z < entry_z < stop_z among the values given."""
    ez, xz, sz = attrs.get("entry_z"), attrs.get("exit_z"), attrs.get("stop_z")
    if ez is not None and xz is not None and not xz < ez:
        raise serializers.ValidationError({f"{prefix}exit_z": "must be below entry_z"})
    if ez is not None and sz is not None and not sz > ez:
        raise serializers.ValidationError({f"{prefix}stop_z": "must be above entry_z"})


class StrategyParamsSerializer(serializers.Serializer[Any]):
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


class CostsSerializer(serializers.Serializer[Any]):
    """Costs; each omitted one comes from your preferences."""

    cost_bps = serializers.FloatField(min_value=0, max_value=1000, required=False)
    slippage_bps = serializers.FloatField(min_value=0, max_value=1000, required=False)
    borrow_rate = serializers.FloatField(min_value=0, max_value=10, required=False)


class GridSerializer(serializers.Serializer[Any]):
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


def _window_check(attrs: dict[str, Any]) -> None:
    if attrs.get("start") and attrs.get("end") and attrs["start"] >= attrs["end"]:
        raise serializers.ValidationError({"end": "must be after start"})


FIELDS_PARAMETER = OpenApiParameter(
    "fields",
    OpenApiTypes.STR,
    description="comma-separated result parts to include (default all); `metrics` alone "
    "returns the run without its series",
)


def filter_parameters(filterset: type[django_filters.FilterSet]) -> list[OpenApiParameter]:
    """OpenAPI query parameters of a filter set (adrf views are not GenericAPIViews, so
    drf-spectacular's django-filter integration does not apply), plus limit and offset."""
    types = [
        (django_filters.BooleanFilter, OpenApiTypes.BOOL),
        (django_filters.IsoDateTimeFilter, OpenApiTypes.DATETIME),
        (django_filters.UUIDFilter, OpenApiTypes.UUID),
        (django_filters.NumberFilter, OpenApiTypes.NUMBER),
    ]
    out = []
    for name, f in filterset.base_filters.items():
        kind = next((t for cls, t in types if isinstance(f, cls)), OpenApiTypes.STR)
        kw: dict[str, Any] = {}
        if isinstance(f, django_filters.OrderingFilter):
            fields = [str(v) for v in f.param_map]
            kw["description"] = f"one of {', '.join(fields)}; prefix '-' for descending"
        elif isinstance(f, (django_filters.ChoiceFilter, django_filters.MultipleChoiceFilter)):
            kw["enum"] = [c[0] for c in f.extra["choices"]]
            kw["many"] = isinstance(f, django_filters.MultipleChoiceFilter)
        if f.label and "description" not in kw:
            kw["description"] = str(f.label)
        out.append(OpenApiParameter(name, kind, **kw))
    out.append(OpenApiParameter("limit", OpenApiTypes.INT, description="page size (max 500)"))
    out.append(OpenApiParameter("offset", OpenApiTypes.INT))
    return out


def _fields(request: Request, allowed: tuple[str, ...]) -> set[str]:
    raw = request.query_params.get("fields")
    if not raw:
        return set(allowed)
    wanted = {f.strip() for f in raw.split(",") if f.strip()}
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


# ----------------------------------------------------------------------------- backtests


class BacktestSerializer(serializers.ModelSerializer[BacktestRun]):
    """A backtest run without its series. ``status`` is the task's while it is linked."""

    status = serializers.SerializerMethodField()
    error = serializers.SerializerMethodField()
    task = serializers.UUIDField(source="task_id", read_only=True, allow_null=True)
    pair = serializers.IntegerField(source="pair_id", read_only=True, allow_null=True)
    parameter_set = serializers.IntegerField(
        source="parameter_set_id", read_only=True, allow_null=True
    )
    lookahead_ok = serializers.SerializerMethodField()

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
            "lookahead_ok",
            "created_at",
            "finished_at",
        ]
        read_only_fields = fields

    def get_status(self, run: BacktestRun) -> str:
        return run.task.status if run.task is not None else run.status

    def get_error(self, run: BacktestRun) -> str:
        return run.task.error if run.task is not None else ""

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
    "labels",
    "switches",
)


class BacktestDetailSerializer(BacktestSerializer):
    """A backtest run with its result (``fields`` picks the parts)."""

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
        return queryset.filter(Q(symbol_1=value) | Q(symbol_2=value))


class BacktestListApi(APIView):
    class InputSerializer(serializers.Serializer[Any]):
        pair = serializers.IntegerField(
            required=False, allow_null=True, help_text="one of your pairs (its legs and hedge)"
        )
        symbol_1 = serializers.CharField(max_length=32, required=False, help_text="leg y")
        symbol_2 = serializers.CharField(max_length=32, required=False, help_text="leg x")
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
        qs = filter_queryset(request, selectors.backtest_list(user=request.user), BacktestFilter)
        return Response(await apaginate(request, qs, BacktestSerializer))

    @extend_schema(
        request=InputSerializer,
        responses={202: TaskSerializer},
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
        parameters=[FIELDS_PARAMETER], responses={200: BacktestDetailSerializer}, tags=["backtests"]
    )
    async def get(self, request: Request, backtest_id: int) -> Response:
        parts = _fields(request, RESULT_PARTS)
        run = await selectors.backtest_get(
            user=request.user, backtest_id=backtest_id, with_result=bool(parts)
        )
        return Response(BacktestDetailSerializer(run, context={"parts": parts}).data)

    @extend_schema(responses={204: None}, tags=["backtests"])
    async def delete(self, request: Request, backtest_id: int) -> Response:
        run = await selectors.backtest_get(
            user=request.user, backtest_id=backtest_id, with_result=False
        )
        await services.run_delete(run=run)
        return Response(status=status.HTTP_204_NO_CONTENT)


class BacktestLookaheadApi(APIView):
    class InputSerializer(serializers.Serializer[Any]):
        cuts = serializers.IntegerField(min_value=1, max_value=50, default=5)

    @extend_schema(
        request=InputSerializer,
        responses={202: TaskSerializer},
        tags=["backtests"],
        description="Lookahead check of a finished backtest (task `lookahead`): the same "
        "backtest re-run on the data truncated after each cut bar must take the same decisions "
        "up to the cut. The report (`ok`, `differences`, `warnings` about hedge ratios fixed "
        "outside the backtest) is the task's result and the run's `lookahead`.",
    )
    async def post(self, request: Request, backtest_id: int) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        run = await selectors.backtest_get(user=request.user, backtest_id=backtest_id)
        task = await services.backtest_lookahead_submit(
            user=request.user, run=run, **data.validated_data
        )
        return task_accepted(task)


# ----------------------------------------------------------------------------- walk-forward


class WalkForwardConfigSerializer(serializers.Serializer[Any]):
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


class WalkForwardSerializer(serializers.ModelSerializer[WalkForwardRun]):
    status = serializers.SerializerMethodField()
    error = serializers.SerializerMethodField()
    task = serializers.UUIDField(source="task_id", read_only=True, allow_null=True)

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
            "created_at",
            "finished_at",
        ]
        read_only_fields = fields

    def get_status(self, run: WalkForwardRun) -> str:
        return run.task.status if run.task is not None else run.status

    def get_error(self, run: WalkForwardRun) -> str:
        return run.task.error if run.task is not None else ""


WF_PARTS = ("folds", "stitched")


class WalkForwardDetailSerializer(WalkForwardSerializer):
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
    class InputSerializer(serializers.Serializer[Any]):
        symbols = serializers.ListField(
            child=serializers.CharField(max_length=32), min_length=2, max_length=2000,
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
        qs = filter_queryset(
            request, selectors.walkforward_list(user=request.user), WalkForwardFilter
        )
        return Response(await apaginate(request, qs, WalkForwardSerializer))

    @extend_schema(
        request=InputSerializer,
        responses={202: TaskSerializer},
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
        parameters=[FIELDS_PARAMETER],
        responses={200: WalkForwardDetailSerializer},
        tags=["walkforward"],
    )
    async def get(self, request: Request, walkforward_id: int) -> Response:
        parts = _fields(request, WF_PARTS)
        run = await selectors.walkforward_get(
            user=request.user, walkforward_id=walkforward_id, with_stitched="stitched" in parts
        )
        return Response(WalkForwardDetailSerializer(run, context={"parts": parts}).data)

    @extend_schema(responses={204: None}, tags=["walkforward"])
    async def delete(self, request: Request, walkforward_id: int) -> Response:
        run = await selectors.walkforward_get(
            user=request.user, walkforward_id=walkforward_id, with_stitched=False
        )
        await services.run_delete(run=run)
        return Response(status=status.HTTP_204_NO_CONTENT)


# ----------------------------------------------------------------------------- regimes


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
    symbol = django_filters.CharFilter(field_name="symbol__ticker")
    method = django_filters.ChoiceFilter(choices=[(m, m) for m in REGIME_METHODS])
    label = django_filters.NumberFilter()
    task = django_filters.UUIDFilter(field_name="task_id")
    start_after = django_filters.IsoDateTimeFilter(field_name="start", lookup_expr="gte")
    start_before = django_filters.IsoDateTimeFilter(field_name="start", lookup_expr="lt")
    ordering = django_filters.OrderingFilter(fields=["start", "created_at", "label"])

    class Meta:
        model = Regime
        fields: list[str] = []


class RegimeListApi(APIView):
    @extend_schema(
        parameters=filter_parameters(RegimeFilter),
        operation_id="regimes_list",
        responses=paginated_serializer("RegimePage", RegimeSerializer),
        tags=["regimes"],
    )
    async def get(self, request: Request) -> Response:
        qs = filter_queryset(request, selectors.regime_list(user=request.user), RegimeFilter)
        return Response(await apaginate(request, qs, RegimeSerializer))


class RegimeDetectApi(APIView):
    class InputSerializer(serializers.Serializer[Any]):
        pair = serializers.IntegerField(required=False, allow_null=True)
        symbol = serializers.CharField(max_length=32, required=False)
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

    @extend_schema(
        request=InputSerializer,
        responses={201: OutputSerializer, 200: OutputSerializer, 202: TaskSerializer},
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


# ----------------------------------------------------------------------------- parameters


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


class ParameterSetInputSerializer(serializers.Serializer[Any]):
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
        qs = filter_queryset(
            request, selectors.parameter_set_list(user=request.user), ParameterSetFilter
        )
        return Response(await apaginate(request, qs, ParameterSetSerializer))

    @extend_schema(
        request=InputSerializer,
        responses={201: ParameterSetSerializer},
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

    @extend_schema(responses={204: None}, tags=["parameters"])
    async def delete(self, request: Request, parameter_set_id: int) -> Response:
        pset = await selectors.parameter_set_get(
            user=request.user, parameter_set_id=parameter_set_id
        )
        await pset.adelete()
        return Response(status=status.HTTP_204_NO_CONTENT)


class ParametersOptimizeApi(APIView):
    class InputSerializer(serializers.Serializer[Any]):
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
        responses={202: TaskSerializer},
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
