"""Backtests: strategy parameters, planning (prices, hedge, formation and trading windows),
the ``backtest`` task and run deletion."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from django.utils import timezone

import engine.compute
from engine.data.timeframes import periods_per_year
from engine.result_warnings import as_dicts, few_trades, history_warnings, warmup_truncated
from engine.strategy import StrategyParams
from titan_web.backtests import compute, selectors
from titan_web.backtests.models import BacktestRun, WalkForwardRun
from titan_web.backtests.services._common import (
    MIN_TRADE_BARS,
    PARAMETER_SET_FIELDS,
    _aware,
    _field_errors,
    _iso,
    _set_result_url,
    _tracked,
    hedge_warning,
    user_costs,
)
from titan_web.backtests.services.regimes import _check_regime_options
from titan_web.common.errors import ApplicationError, ConflictError
from titan_web.research import selectors as research
from titan_web.research.models import ParameterSet, TradingPair
from titan_web.tasks.models import TaskRun, TaskStatus
from titan_web.tasks.registry import TaskContext
from titan_web.tasks.services import atask_submit

STRATEGY_FIELDS = (
    "lookback",
    "entry_z",
    "exit_z",
    "stop_z",
    "max_holding",
    "execution_lag",
    "hedge",
)
#: Bars of history kept before the first traded bar for the Kalman filter and the regimes.
MAX_WARMUP_BARS = 5000


def strategy_params(
    *, user: Any, parameter_set: ParameterSet | None, params: dict[str, Any]
) -> StrategyParams:
    """Engine defaults < the user's ``default_params`` < the parameter set < the request."""
    merged: dict[str, Any] = {f.name: f.default for f in dataclasses.fields(StrategyParams)}
    merged.update({k: v for k, v in (user.default_params or {}).items() if k in STRATEGY_FIELDS})
    if parameter_set is not None:
        merged.update({f: getattr(parameter_set, f) for f in PARAMETER_SET_FIELDS})
    merged.update(params)
    try:
        return StrategyParams(**merged)
    except (ValueError, TypeError) as exc:
        raise ApplicationError(
            f"Invalid strategy parameters: {exc}.",
            errors=_field_errors(exc, "params", STRATEGY_FIELDS),
        ) from exc


@dataclass(frozen=True)
class BacktestLayout:
    """Bar indices of a backtest over the loaded history (all half-open).

    Formation ``[formation_from, formation_end)`` (OLS hedge), z-score warm-up
    ``[formation_end, trade_from)`` and trading ``[trade_from, n_bars)``: the formation and
    warm-up come from the history before the requested start (``first``) when it exists;
    when it does not, trading starts at the first bar with enough history.
    """

    first: int
    trade_from: int
    formation_from: int
    formation_end: int
    formation_bars: int
    warmup_bars: int
    keep_from: int
    n_trade: int


def backtest_layout(
    *, first: int, n_bars: int, formation_bars: int, warmup_bars: int, long_warmup: bool
) -> BacktestLayout:
    """Lay out formation, warm-up and trading before/after the requested first bar."""
    trade_from = max(first, formation_bars + warmup_bars)
    formation_end = trade_from - warmup_bars
    formation_from = formation_end - formation_bars
    keep_from = formation_from
    if long_warmup:  # Kalman filter and regime labels: a long causal history
        keep_from = max(0, min(formation_from, trade_from - MAX_WARMUP_BARS))
    return BacktestLayout(
        first=first,
        trade_from=trade_from,
        formation_from=formation_from,
        formation_end=formation_end,
        formation_bars=formation_bars,
        warmup_bars=warmup_bars,
        keep_from=keep_from,
        n_trade=n_bars - trade_from,
    )


def _max_lookback(sp: StrategyParams, parameter_sets: dict[str, Any] | None) -> int:
    looks = [sp.lookback]
    if parameter_sets:
        looks += [int(p["lookback"]) for p in parameter_sets["by_regime"].values()]
    return max(looks)


@dataclass(frozen=True)
class BacktestPlan:
    """A validated backtest: the prices it reads and the spec the compute function runs."""

    symbol_1: str
    symbol_2: str
    timeframe: str
    ts: np.ndarray
    closes: np.ndarray  # (n, 2)
    spec: compute.BacktestSpec
    pair: TradingPair | None
    parameter_set: ParameterSet | None
    request: dict[str, Any]
    #: Warnings known before the run (the task adds ``few_trades``).
    warnings: list[dict[str, str]] = dataclasses.field(default_factory=list)

    def frame(self) -> pd.DataFrame:
        """History frame with columns ``y``, ``x`` and a naive UTC index (lookahead check)."""
        return pd.DataFrame(
            {"y": self.closes[:, 0], "x": self.closes[:, 1]}, index=pd.DatetimeIndex(self.ts)
        )

    @property
    def start(self) -> dt.datetime:
        return _aware(self.ts[self.spec.trade_from])

    @property
    def end(self) -> dt.datetime:
        return _aware(self.ts[-1])

    def stored_params(self) -> dict[str, Any]:
        spec = dataclasses.asdict(self.spec)
        return {
            "request": self.request,
            "strategy": dict(self.spec.params),
            "costs": dict(self.spec.costs),
            "capital": self.spec.capital,
            "hedge_source": self.spec.hedge_source,
            "spec": spec,
            "history_start": _iso(self.ts[0]),
            "history_end": _iso(self.ts[-1]),
            "history_bars": len(self.ts),
        }


async def backtest_prepare(
    *,
    user: Any,
    pair: int | None = None,
    symbol_1: str | None = None,
    symbol_2: str | None = None,
    hedge_ratio: float | None = None,
    intercept: float | None = None,
    formation_bars: int = 252,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    timeframe: str | None = None,
    params: dict[str, Any] | None = None,
    parameter_set: int | None = None,
    adaptive: bool = False,
    regime_method: str = "volatility",
    regime_options: dict[str, Any] | None = None,
    costs: dict[str, Any] | None = None,
    capital: float | None = None,
) -> BacktestPlan:
    """Resolve defaults, load prices and lay out the formation and trading windows.

    Hedge: ``params.hedge="dynamic"`` uses the causal Kalman filter; else an explicit
    ``hedge_ratio`` (and ``intercept``, default 0); else the pair's stored hedge; else OLS on
    the ``formation_bars`` bars before the first traded bar (when there are not that many
    before ``start``, the first ``formation_bars`` bars form the window and trading starts
    after it).
    """
    request = {
        k: v
        for k, v in {
            "pair": pair,
            "symbol_1": symbol_1,
            "symbol_2": symbol_2,
            "hedge_ratio": hedge_ratio,
            "intercept": intercept,
            "formation_bars": formation_bars,
            "start": start.isoformat() if start else None,
            "end": end.isoformat() if end else None,
            "timeframe": timeframe,
            "params": params or {},
            "parameter_set": parameter_set,
            "adaptive": adaptive,
            "regime_method": regime_method,
            "regime_options": regime_options or {},
            "costs": costs or {},
            "capital": capital,
        }.items()
        if v is not None
    }
    pair_obj = await selectors.pair_reference(user=user, pair_id=pair) if pair is not None else None
    if pair_obj is not None:
        symbol_1, symbol_2 = pair_obj.symbol_1.ticker, pair_obj.symbol_2.ticker
        timeframe = timeframe or pair_obj.timeframe
    assert symbol_1 is not None and symbol_2 is not None
    timeframe = timeframe or "1d"
    await research.symbols_get(tickers=[symbol_1, symbol_2], field=["symbol_1", "symbol_2"])
    pset = (
        await selectors.parameter_set_reference(user=user, parameter_set_id=parameter_set)
        if parameter_set is not None
        else None
    )
    sp = strategy_params(user=user, parameter_set=pset, params=params or {})
    cost_map = user_costs(user=user, costs=costs)
    cap = float(user.capital) if capital is None else float(capital)
    if not (math.isfinite(cap) and cap > 0):
        raise ApplicationError("capital must be > 0.", errors={"capital": ["must be > 0"]})

    parameter_sets = None
    if adaptive:
        if pair_obj is None:
            raise ApplicationError(
                "Adaptive backtests need a pair (its parameter sets per regime).",
                errors={"pair": ["required when adaptive is true"]},
            )
        by_label = await selectors.regime_parameter_sets(
            user=user, pair=pair_obj, regime_method=regime_method
        )
        if not by_label:
            raise ApplicationError(
                f"Pair {pair_obj.pk} has no parameter sets per {regime_method} regime; create "
                "them (POST /api/parameters/ or /api/parameters/optimize with per_regime).",
                errors={"adaptive": [f"no {regime_method} regime parameter sets for this pair"]},
            )
        common = {"execution_lag": sp.execution_lag, "hedge": sp.hedge}
        by_regime = {}
        for label, row in by_label.items():
            fields = {f: getattr(row, f) for f in PARAMETER_SET_FIELDS} | common
            by_regime[str(label)] = StrategyParams(**fields).to_dict()
        parameter_sets = {"by_regime": by_regime, "fallback": sp.to_dict()}
        _check_regime_options(regime_method, regime_options or {})

    ts, closes = await research.aligned_closes(
        [symbol_1, symbol_2], timeframe=timeframe, start=None, end=end, min_bars=2
    )
    first = (
        int(
            np.searchsorted(
                ts, np.datetime64(start.astimezone(dt.UTC).replace(tzinfo=None)), "left"
            )
        )
        if start
        else 0
    )
    if sp.hedge == "dynamic":
        source, beta, alpha = "kalman", None, None
    elif hedge_ratio is not None:
        source, beta, alpha = "given", float(hedge_ratio), float(intercept or 0.0)
    elif pair_obj is not None and pair_obj.hedge_ratio is not None:
        source, beta, alpha = "pair", pair_obj.hedge_ratio, pair_obj.intercept or 0.0
    else:
        source, beta, alpha = "ols", None, None
    layout = backtest_layout(
        first=first,
        n_bars=len(ts),
        formation_bars=formation_bars if source == "ols" else 0,
        warmup_bars=_max_lookback(sp, parameter_sets),
        long_warmup=source == "kalman" or adaptive,
    )
    if layout.n_trade < MIN_TRADE_BARS:
        f, w = layout.formation_bars, layout.warmup_bars
        parts = ([f"{f} formation"] if f else []) + [f"{w} lookback", f"{MIN_TRADE_BARS} to trade"]
        raise ApplicationError(
            f"Not enough {timeframe} bars for {symbol_1}/{symbol_2}: the backtest needs "
            f"{f + w + MIN_TRADE_BARS} bars ({' + '.join(parts)}); the requested window has "
            f"{len(ts) - first} bars and {first} earlier bars of history exist, so only "
            f"{max(layout.n_trade, 0)} could be traded.",
            status_code=422,
            slug="not-enough-data",
            title="Not enough data",
            errors={"start": [f"needs {f + w + MIN_TRADE_BARS} bars, has {len(ts)}"]},
        )
    keep_from = layout.keep_from
    trade_from = layout.trade_from - keep_from
    warnings = as_dicts(
        [
            None
            if start is None or layout.trade_from <= first
            else warmup_truncated(
                requested_start=start,
                trading_start=ts[layout.trade_from],
                needed_bars=layout.formation_bars + layout.warmup_bars,
                history_bars=first,
                what=(
                    f"formation ({layout.formation_bars} bars) and z-score warm-up "
                    f"({layout.warmup_bars} bars)"
                    if layout.formation_bars
                    else f"z-score warm-up ({layout.warmup_bars} bars)"
                ),
            ),
            hedge_warning(
                source=source,
                pair=pair_obj,
                window_start=ts[layout.trade_from],
                what="the traded window",
            ),
            *history_warnings(ts[layout.trade_from :], timeframe=timeframe),
        ]
    )
    ts, closes = ts[keep_from:], closes[keep_from:]
    spec = compute.BacktestSpec(
        params=sp.to_dict(),
        costs=cost_map,
        capital=cap,
        trade_from=trade_from,
        formation_from=layout.formation_from - keep_from,
        formation_end=layout.formation_end - keep_from,
        warmup_bars=layout.warmup_bars,
        hedge_source=source,
        beta=beta,
        alpha=alpha,
        adaptive=adaptive,
        regime_method=regime_method,
        regime_options=dict(regime_options or {}),
        parameter_sets=parameter_sets,
        periods_per_year=periods_per_year(timeframe),
    )
    return BacktestPlan(
        symbol_1=symbol_1,
        symbol_2=symbol_2,
        timeframe=timeframe,
        ts=ts,
        closes=np.ascontiguousarray(closes),
        spec=spec,
        pair=pair_obj,
        parameter_set=pset,
        request=request,
        warnings=warnings,
    )


async def backtest_create(*, user: Any, **data: Any) -> tuple[BacktestRun, TaskRun]:
    """Validate, create a :class:`BacktestRun` and submit its ``backtest`` task."""
    plan = await backtest_prepare(user=user, **data)
    run = await BacktestRun.objects.acreate(
        owner=user,
        pair=plan.pair,
        parameter_set=plan.parameter_set,
        symbol_1=plan.symbol_1,
        symbol_2=plan.symbol_2,
        timeframe=plan.timeframe,
        start=plan.start,
        end=plan.end,
        adaptive=plan.spec.adaptive,
        params=plan.stored_params(),
        warnings=plan.warnings,
    )
    url = f"/api/backtests/{run.pk}/"
    y, x = plan.closes[:, 0].copy(), plan.closes[:, 1].copy()

    async def work(ctx: TaskContext) -> dict[str, Any]:
        ctx.result_url = url

        async def body() -> dict[str, Any]:
            await ctx.progress(0.05, f"backtesting {plan.symbol_1}/{plan.symbol_2}")
            out = await engine.compute.run(compute.run_backtest, y, x, plan.ts, spec=plan.spec)
            await ctx.progress(0.9, "storing the result")
            warnings = plan.warnings + as_dicts([few_trades(out["metrics"].get("n_trades"))])
            await BacktestRun.objects.filter(pk=run.pk).aupdate(
                metrics=out["metrics"],
                result=out["result"],
                warnings=warnings,
                status=TaskStatus.SUCCEEDED,
                finished_at=timezone.now(),
            )
            return {"backtest_id": run.pk, "metrics": out["metrics"], "warnings": warnings}

        return await _tracked(BacktestRun, run.pk, ctx, body)

    task = await atask_submit(
        owner=user,
        kind="backtest",
        params={"backtest_id": run.pk, **plan.request},
        run=work,
    )
    run.task = task
    await BacktestRun.objects.filter(pk=run.pk).aupdate(task=task)
    await _set_result_url(task, url)
    return run, task


async def run_delete(*, run: BacktestRun | WalkForwardRun) -> None:
    """Delete a finished backtest or walk-forward run (a running one: 409, cancel it first)."""
    task = run.task
    if task is not None and task.status in (TaskStatus.QUEUED, TaskStatus.RUNNING):
        raise ConflictError("The run is still in progress; cancel its task first.")
    await run.adelete()
