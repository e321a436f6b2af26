"""Reads for backtests, walk-forward runs, regimes and parameter sets (owner-only, staff all)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet, TextField
from django.db.models.functions import Cast

from titan_web.backtests.models import BacktestRun, WalkForwardRun
from titan_web.common.errors import NotFoundError
from titan_web.common.ownership import aget_visible, visible_to
from titan_web.market.models import Series
from titan_web.research.models import ParameterSet, Regime, TradingPair
from titan_web.tasks.models import TaskRun

# The list payload shows a run's task by its status and error only.
_TASK_UNUSED = tuple(
    f"task__{f.name}"
    for f in TaskRun._meta.concrete_fields
    if f.name not in {"id", "status", "error"}
)


def backtest_list(*, user: Any) -> QuerySet[BacktestRun]:
    """Runs for the list payload: without ``result`` (equity, trades), with only the task's
    status and error (all the payload shows of it); ``params`` and ``metrics`` read as their
    stored JSON text (``params_json``, ``metrics_json``), which the payload writes out as it
    is: decoding and re-encoding them was a third of a 50-row page's CPU."""
    return visible_to(
        BacktestRun.objects.select_related("task")
        .defer("result", "params", "metrics", *_TASK_UNUSED)
        .annotate(
            params_json=Cast("params", output_field=TextField()),
            metrics_json=Cast("metrics", output_field=TextField()),
        ),
        user,
    )


async def backtest_get(*, user: Any, backtest_id: int, with_result: bool = True) -> BacktestRun:
    qs = BacktestRun.objects.select_related("task")
    if not with_result:
        qs = qs.defer("result")
    return await aget_visible(qs, user, shape=f"backtests.run:{with_result}", pk=backtest_id)


def walkforward_list(*, user: Any) -> QuerySet[WalkForwardRun]:
    return visible_to(
        WalkForwardRun.objects.select_related("task").defer("folds", "stitched"), user
    )


async def walkforward_get(
    *, user: Any, walkforward_id: int, with_stitched: bool = True
) -> WalkForwardRun:
    qs = WalkForwardRun.objects.select_related("task")
    if not with_stitched:
        qs = qs.defer("stitched")
    return await aget_visible(qs, user, pk=walkforward_id)


def regime_list(*, user: Any) -> QuerySet[Regime]:
    return visible_to(Regime.objects.select_related("symbol"), user)


def parameter_set_list(*, user: Any) -> QuerySet[ParameterSet]:
    return visible_to(ParameterSet.objects.all(), user)


async def parameter_set_get(*, user: Any, parameter_set_id: int) -> ParameterSet:
    return await aget_visible(ParameterSet.objects.all(), user, pk=parameter_set_id)


async def pair_reference(*, user: Any, pair_id: int, field: str = "pair") -> TradingPair:
    """A pair named in a request body: the user's (staff: anyone's), else 404 naming ``field``."""
    try:
        return await aget_visible(
            TradingPair.objects.select_related("symbol_1", "symbol_2"), user, pk=pair_id
        )
    except NotFoundError as exc:
        raise NotFoundError(
            f"No pair {pair_id} among your pairs.", errors={field: ["no such pair"]}
        ) from exc


async def parameter_set_reference(*, user: Any, parameter_set_id: int) -> ParameterSet:
    try:
        return await parameter_set_get(user=user, parameter_set_id=parameter_set_id)
    except NotFoundError as exc:
        raise NotFoundError(
            f"No parameter set {parameter_set_id} among yours.",
            errors={"parameter_set": ["no such parameter set"]},
        ) from exc


async def regime_parameter_sets(
    *, user: Any, pair: TradingPair, regime_method: str
) -> dict[int, ParameterSet]:
    """The newest parameter set per regime label of ``pair`` for ``regime_method``."""
    out: dict[int, ParameterSet] = {}
    qs = (
        visible_to(ParameterSet.objects.all(), user)
        .filter(pair=pair, regime_method=regime_method, regime_label__isnull=False)
        .order_by("-created_at", "-id")
    )
    async for p in qs:
        assert p.regime_label is not None
        out.setdefault(p.regime_label, p)
    return out


async def symbols_with_bars(*, timeframe: str) -> list[str]:
    """Tickers with at least one stored bar of ``timeframe``, sorted."""
    found = [
        s
        async for s in Series.objects.filter(timeframe=timeframe, bars__isnull=False)
        .values_list("symbol", flat=True)
        .distinct()
        .order_by("symbol")
    ]
    return found
