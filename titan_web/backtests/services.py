"""Writes and long runs: backtests, walk-forward runs, regimes, parameter sets, lookahead checks.

Long runs are tasks of the in-process registry (``backtest``, ``walkforward``, ``optimize``,
``regimes``, ``lookahead``); each run row's ``status`` mirrors its task (the task row is the
source of truth, the API reports the task's status while it is linked). CPU work goes to the
compute executor; walk-forward folds and lookahead cuts are sent one at a time so that
progress is reported and a cancel request stops the run between two of them.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import inspect
import math
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from asgiref.sync import sync_to_async
from django.db import transaction
from django.utils import timezone

import engine.compute
from engine.pairs import ols_hedge_ratio
from engine.params import ParamGrid
from engine.regimes import markov_regimes, volatility_regimes
from engine.strategy import StrategyParams
from engine.walkforward import WalkForwardConfig
from titan_web.backtests import compute, selectors
from titan_web.backtests.models import BacktestRun, WalkForwardRun
from titan_web.common.errors import ApplicationError, ConflictError
from titan_web.research import selectors as research
from titan_web.research.models import ParameterSet, Regime, TradingPair
from titan_web.tasks.models import TaskRun, TaskStatus
from titan_web.tasks.registry import TaskCancelled, TaskContext
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
PARAMETER_SET_FIELDS = ("lookback", "entry_z", "exit_z", "stop_z", "max_holding", "hedge")
MIN_TRADE_BARS = 30
#: Bars of history kept before the first traded bar for the Kalman filter and the regimes.
MAX_WARMUP_BARS = 5000


def _aware(value: Any) -> dt.datetime:
    return pd.Timestamp(value).tz_localize("UTC").to_pydatetime()  # type: ignore[no-any-return]


def _iso(value: Any) -> str:
    return str(np.datetime_as_string(np.datetime64(value, "s"), unit="s")) + "Z"


def _field_errors(exc: Exception, prefix: str, fields: tuple[str, ...]) -> dict[str, list[str]]:
    """Engine ``ValueError("exit_z must ...")`` as ``{"params.exit_z": [...]}``."""
    msg = str(exc)
    for f in fields:
        if msg.startswith(f + " ") or msg.startswith(f"{f}:"):
            return {f"{prefix}.{f}" if prefix else f: [msg]}
    return {prefix or "non_field_errors": [msg]}


async def _set_result_url(task: TaskRun, url: str) -> None:
    """Link the task to the object it creates from the start (the 202 body shows it)."""
    task.result_url = url
    await TaskRun.objects.filter(pk=task.pk, result_url="").aupdate(result_url=url)


async def _mirror_end(model: Any, pk: int, ctx: TaskContext, exc: BaseException | None) -> None:
    status = (
        TaskStatus.CANCELLED
        if ctx.should_stop() or isinstance(exc, TaskCancelled)
        else TaskStatus.FAILED
    )
    await model.objects.filter(pk=pk).aupdate(status=status, finished_at=timezone.now())


async def _tracked(
    model: Any, pk: int, ctx: TaskContext, body: Callable[[], Awaitable[dict[str, Any]]]
) -> dict[str, Any]:
    """Run ``body`` with the run row's status mirroring the task's."""
    await model.objects.filter(pk=pk).aupdate(status=TaskStatus.RUNNING)
    try:
        return await body()
    except BaseException as exc:
        with contextlib.suppress(BaseException):  # the task row records the end regardless
            await _mirror_end(model, pk, ctx, exc)
        raise


# ----------------------------------------------------------------------------- backtests


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


def user_costs(*, user: Any, costs: dict[str, Any] | None) -> dict[str, float]:
    out = {
        "cost_bps": float(user.cost_bps),
        "slippage_bps": float(user.slippage_bps),
        "borrow_rate": float(user.borrow_rate),
    }
    out.update({k: float(v) for k, v in (costs or {}).items() if v is not None})
    return out


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
    await research.symbols_get(tickers=[symbol_1, symbol_2])
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
    if source == "ols":
        trade_from = max(first, formation_bars)
        formation_from = trade_from - formation_bars
    else:
        formation_from = trade_from = first
    keep_from = formation_from
    if source == "kalman" or adaptive:
        keep_from = max(0, trade_from - MAX_WARMUP_BARS)
    ts, closes = ts[keep_from:], closes[keep_from:]
    trade_from -= keep_from
    formation_from -= keep_from
    n_trade = len(ts) - trade_from
    need = max(MIN_TRADE_BARS, sp.lookback + 2)
    if n_trade < need:
        raise ApplicationError(
            f"Only {max(n_trade, 0)} {timeframe} bars to trade for {symbol_1}/{symbol_2} in that "
            f"range (after a formation window of {trade_from - formation_from} bars); at least "
            f"{need} are needed.",
            status_code=422,
            slug="not-enough-data",
            title="Not enough data",
        )
    spec = compute.BacktestSpec(
        params=sp.to_dict(),
        costs=cost_map,
        capital=cap,
        trade_from=trade_from,
        formation_from=formation_from,
        hedge_source=source,
        beta=beta,
        alpha=alpha,
        adaptive=adaptive,
        regime_method=regime_method,
        regime_options=dict(regime_options or {}),
        parameter_sets=parameter_sets,
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
    )
    url = f"/api/backtests/{run.pk}/"
    y, x = plan.closes[:, 0].copy(), plan.closes[:, 1].copy()

    async def work(ctx: TaskContext) -> dict[str, Any]:
        ctx.result_url = url

        async def body() -> dict[str, Any]:
            await ctx.progress(0.05, f"backtesting {plan.symbol_1}/{plan.symbol_2}")
            out = await engine.compute.run(compute.run_backtest, y, x, plan.ts, spec=plan.spec)
            await ctx.progress(0.9, "storing the result")
            await BacktestRun.objects.filter(pk=run.pk).aupdate(
                metrics=out["metrics"],
                result=out["result"],
                status=TaskStatus.SUCCEEDED,
                finished_at=timezone.now(),
            )
            return {"backtest_id": run.pk, "metrics": out["metrics"]}

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


# ----------------------------------------------------------------------------- lookahead


async def _plan_from_run(run: BacktestRun) -> BacktestPlan:
    p = run.params
    spec_d = dict(p["spec"])
    spec = compute.BacktestSpec(**spec_d)
    ts, closes = await research.aligned_closes(
        [run.symbol_1, run.symbol_2],
        timeframe=run.timeframe,
        start=pd.Timestamp(p["history_start"]).to_pydatetime(),
        end=pd.Timestamp(p["history_end"]).to_pydatetime(),
        min_bars=2,
    )
    if len(ts) != p["history_bars"]:
        raise ConflictError(
            "The bars of this backtest's window changed since it ran "
            f"({p['history_bars']} then, {len(ts)} now); run the backtest again."
        )
    return BacktestPlan(
        symbol_1=run.symbol_1,
        symbol_2=run.symbol_2,
        timeframe=run.timeframe,
        ts=ts,
        closes=np.ascontiguousarray(closes),
        spec=spec,
        pair=None,
        parameter_set=None,
        request=p.get("request", {}),
    )


def lookahead_warnings(plan: BacktestPlan, pair: TradingPair | None) -> list[str]:
    """What the truncation check cannot see: hedge ratios fixed outside the backtest."""
    source = plan.spec.hedge_source
    out = []
    if source == "pair" and pair is not None:
        overlap = (pair.end is None or pair.end >= plan.start) and (
            pair.start is None or pair.start <= plan.end
        )
        if overlap:
            out.append(
                f"The hedge ratio comes from pair {pair.pk}'s analysis over "
                f"{pair.start:%Y-%m-%d}..{pair.end:%Y-%m-%d}, which overlaps the traded window: "
                "it is estimated in sample (lookahead the truncation check cannot see). Use "
                "hedge OLS on a formation window (omit the pair) or a pair analysed before "
                "the backtest starts."
                if pair.start and pair.end
                else f"The hedge ratio comes from pair {pair.pk}'s analysis, whose window "
                "overlaps the traded window (in-sample hedge)."
            )
    elif source == "given":
        out.append(
            "The hedge ratio was given in the request; the check cannot tell what data it was "
            "estimated from."
        )
    return out


async def lookahead_run(
    plan: BacktestPlan,
    *,
    cuts: int,
    progress: Callable[[float, str], Awaitable[None]] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> dict[str, Any]:
    """The lookahead check of a planned backtest, one cut per executor call."""
    frame = plan.frame()
    lookback = int(plan.spec.params["lookback"])
    if plan.spec.parameter_sets:
        lookback = max(
            [lookback]
            + [int(v["lookback"]) for v in plan.spec.parameter_sets["by_regime"].values()]
        )
    cut_list = compute.lookahead_cuts(len(frame), plan.spec.trade_from, lookback, cuts)
    reports = []
    for k, c in enumerate(cut_list):
        if should_stop is not None and should_stop():
            raise TaskCancelled(f"lookahead check cancelled after {k} of {len(cut_list)} cuts")
        if progress is not None:
            await progress(k / len(cut_list), f"cut {k + 1}/{len(cut_list)} (bar {c})")
        reports.append(
            await engine.compute.run(compute.lookahead_check, frame, spec=plan.spec, cuts=[c])
        )
    return compute.merge_reports(reports, f"backtest {plan.symbol_1}/{plan.symbol_2}")


async def backtest_lookahead_submit(*, user: Any, run: BacktestRun, cuts: int = 5) -> TaskRun:
    """Submit a ``lookahead`` task checking the stored backtest ``run``."""
    if run.result is None and (run.task is None or run.task.status != TaskStatus.SUCCEEDED):
        raise ConflictError("The backtest has not succeeded; there is nothing to check yet.")
    plan = await _plan_from_run(run)
    pair = await TradingPair.objects.filter(pk=run.pair_id).afirst() if run.pair_id else None
    url = f"/api/backtests/{run.pk}/"

    async def work(ctx: TaskContext) -> dict[str, Any]:
        ctx.result_url = url
        report = await lookahead_run(
            plan, cuts=cuts, progress=ctx.progress, should_stop=ctx.should_stop
        )
        report["backtest_id"] = run.pk
        report["warnings"] = lookahead_warnings(plan, pair)
        report["checked_at"] = timezone.now().isoformat()
        await BacktestRun.objects.filter(pk=run.pk).aupdate(lookahead=report)
        return report

    task = await atask_submit(
        owner=user, kind="lookahead", params={"backtest_id": run.pk, "cuts": cuts}, run=work
    )
    await _set_result_url(task, url)
    return task


# ----------------------------------------------------------------------------- walk-forward


async def walkforward_create(
    *,
    user: Any,
    symbols: list[str] | None = None,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    timeframe: str = "1d",
    config: dict[str, Any] | None = None,
    costs: dict[str, Any] | None = None,
    capital: float | None = None,
) -> tuple[WalkForwardRun, TaskRun]:
    """Validate, create a :class:`WalkForwardRun` and submit its ``walkforward`` task."""
    if not symbols:
        symbols = await selectors.symbols_with_bars(timeframe=timeframe)
        if len(symbols) < 2:
            raise ApplicationError(
                f"Fewer than two symbols have {timeframe} bars.",
                errors={"symbols": ["at least two symbols with bars are needed"]},
            )
    await research.symbols_get(tickers=symbols)
    cfg_in = dict(config or {})
    cfg_in["costs"] = user_costs(user=user, costs=costs)
    cfg_in["capital"] = float(user.capital) if capital is None else float(capital)
    try:
        cfg = WalkForwardConfig.from_dict(cfg_in)
    except (ValueError, TypeError) as exc:
        raise ApplicationError(
            f"Invalid walk-forward configuration: {exc}.", errors={"config": [str(exc)]}
        ) from exc
    ts, closes = await research.aligned_closes(symbols, timeframe=timeframe, start=start, end=end)
    try:
        layout = cfg.folds(len(ts))
    except ValueError as exc:
        raise ApplicationError(
            f"No fold layout fits {len(ts)} common bars: {exc}.",
            status_code=422,
            slug="not-enough-data",
            title="Not enough data",
            errors={"config": [str(exc)]},
        ) from exc
    frame = pd.DataFrame(closes, index=pd.DatetimeIndex(ts, tz="UTC"), columns=symbols)
    run = await WalkForwardRun.objects.acreate(
        owner=user,
        timeframe=timeframe,
        symbols=list(symbols),
        params={
            "symbols": list(symbols),
            "timeframe": timeframe,
            "start": _iso(ts[0]),
            "end": _iso(ts[-1]),
            "bars": len(ts),
            "n_folds": len(layout),
            "config": cfg.to_dict(),
        },
    )
    url = f"/api/walkforward/{run.pk}/"

    async def work(ctx: TaskContext) -> dict[str, Any]:
        ctx.result_url = url

        async def body() -> dict[str, Any]:
            results = []
            compact: list[dict[str, Any]] = []
            for f in layout:
                if ctx.should_stop():
                    raise TaskCancelled(
                        f"walk-forward cancelled after {f.index} of {len(layout)} folds"
                    )
                await ctx.progress(f.index / (len(layout) + 1), f"fold {f.index + 1}/{len(layout)}")
                res = await engine.compute.run(
                    compute.wf_fold, frame.iloc[: f.test_end], f, config=cfg
                )
                results.append(res)
                compact.append(compute.compact_fold(res, frame))
                await WalkForwardRun.objects.filter(pk=run.pk).aupdate(folds=compact)
            if ctx.should_stop():
                raise TaskCancelled("walk-forward cancelled before stitching")
            await ctx.progress(len(layout) / (len(layout) + 1), "stitching the folds")
            out = await engine.compute.run(compute.wf_assemble, frame, results, config=cfg)
            await WalkForwardRun.objects.filter(pk=run.pk).aupdate(
                folds=out["folds"],
                stitched=out["stitched"],
                metrics=out["metrics"],
                status=TaskStatus.SUCCEEDED,
                finished_at=timezone.now(),
            )
            return {"walkforward_id": run.pk, "headline": out["metrics"]["headline"]}

        return await _tracked(WalkForwardRun, run.pk, ctx, body)

    task = await atask_submit(
        owner=user,
        kind="walkforward",
        params={"walkforward_id": run.pk, "symbols": list(symbols), "n_folds": len(layout)},
        run=work,
    )
    run.task = task
    await WalkForwardRun.objects.filter(pk=run.pk).aupdate(task=task)
    await _set_result_url(task, url)
    return run, task


# ----------------------------------------------------------------------------- regimes


_DETECTORS: dict[str, Any] = {"volatility": volatility_regimes, "markov": markov_regimes}


def _check_regime_options(method: str, options: dict[str, Any]) -> None:
    names = set(inspect.signature(_DETECTORS[method]).parameters) - {"series", "kind"}
    unknown = sorted(set(options) - names)
    if unknown:
        raise ApplicationError(
            f"Unknown {method} option(s): {', '.join(unknown)}.",
            errors={"options": [f"unknown: {', '.join(unknown)}; allowed: {sorted(names)}"]},
        )


@dataclass(frozen=True)
class RegimeTarget:
    pair: TradingPair | None
    symbol: Any
    tickers: list[str]
    timeframe: str


async def regime_target(
    *, user: Any, pair: int | None, symbol: str | None, timeframe: str | None
) -> RegimeTarget:
    if pair is not None:
        p = await selectors.pair_reference(user=user, pair_id=pair)
        return RegimeTarget(
            p, None, [p.symbol_1.ticker, p.symbol_2.ticker], timeframe or p.timeframe
        )
    assert symbol is not None
    (sym,) = await research.symbols_get(tickers=[symbol])
    return RegimeTarget(None, sym, [symbol], timeframe or "1d")


def _store_regimes(
    *, user: Any, target: RegimeTarget, method: str, rows: list[Regime]
) -> list[Regime]:
    """Replace the owner's spans of this pair (or symbol) and method with ``rows``."""
    with transaction.atomic():
        Regime.objects.filter(
            owner=user, pair=target.pair, symbol=target.symbol, method=method
        ).delete()
        return Regime.objects.bulk_create(rows)


async def regimes_detect(
    *,
    user: Any,
    target: RegimeTarget,
    method: str = "volatility",
    options: dict[str, Any] | None = None,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    store: bool = True,
    task: TaskRun | None = None,
) -> dict[str, Any]:
    """Detect regimes causally (off the loop) and store their spans, replacing the owner's
    previous spans of the same pair (or symbol) and method.

    The series is the mean log return of the pair's legs (of the symbol alone), the one the
    adaptive backtest labels. A span's ``end`` is the timestamp of its last bar.
    """
    options = dict(options or {})
    _check_regime_options(method, options)
    ts, closes = await research.aligned_closes(
        target.tickers, timeframe=target.timeframe, start=start, end=end
    )
    try:
        res = await engine.compute.run(compute.detect, closes, method=method, options=options)
    except (ValueError, TypeError) as exc:
        raise ApplicationError(
            f"Regime detection failed: {exc}.", errors={"options": [str(exc)]}
        ) from exc
    n_reg = res["n_regimes"]
    rows = []
    for s, e, label in res["spans"]:
        rows.append(
            Regime(
                owner=user,
                pair=target.pair,
                symbol=target.symbol,
                method=method,
                label=label,
                name=compute.regime_name(label, n_reg),
                start=_aware(ts[s]),
                end=_aware(ts[e - 1]),
                stats={"start_bar": s, "end_bar": e - 1, "n_bars": e - s, "options": res["params"]},
                task=task,
            )
        )
    if store:
        rows = await sync_to_async(_store_regimes)(
            user=user, target=target, method=method, rows=rows
        )
    return {
        "pair": target.pair.pk if target.pair else None,
        "symbol": target.symbol.ticker if target.symbol else None,
        "timeframe": target.timeframe,
        "method": method,
        "n_regimes": n_reg,
        "params": res["params"],
        "current": res["current"],
        "label_counts": res["label_counts"],
        "stored": store,
        "spans": rows,
        "ts": [_iso(t) for t in ts],
        "labels": [int(v) for v in res["labels"]],
    }


async def regimes_detect_submit(
    *, user: Any, target: RegimeTarget, method: str, options: dict[str, Any], **kw: Any
) -> TaskRun:
    """Markov detection as a ``regimes`` task (it fits a model per refit window)."""
    _check_regime_options(method, options)
    holder: dict[str, TaskRun] = {}

    async def work(ctx: TaskContext) -> dict[str, Any]:
        await ctx.progress(0.05, f"{method} regimes")
        out = await regimes_detect(
            user=user, target=target, method=method, options=options, task=holder["task"], **kw
        )
        ids = [r.pk for r in out["spans"]]
        return {
            "regime_ids": ids,
            "n_spans": len(ids),
            **{
                k: out[k]
                for k in ("pair", "symbol", "method", "n_regimes", "current", "label_counts")
            },
        }

    task = await atask_submit(
        owner=user,
        kind="regimes",
        params={
            "pair": target.pair.pk if target.pair else None,
            "symbol": target.symbol.ticker if target.symbol else None,
            "method": method,
            "options": options,
        },
        run=work,
    )
    holder["task"] = task
    await _set_result_url(task, f"/api/regimes/?task={task.pk}")
    return task


# ----------------------------------------------------------------------------- parameters


def _check_parameter_fields(data: dict[str, Any]) -> None:
    try:
        StrategyParams(**{f: data[f] for f in PARAMETER_SET_FIELDS if f in data})
    except (ValueError, TypeError) as exc:
        raise ApplicationError(
            f"Invalid parameters: {exc}.", errors=_field_errors(exc, "", PARAMETER_SET_FIELDS)
        ) from exc


async def parameter_set_create(*, user: Any, pair: int | None = None, **data: Any) -> ParameterSet:
    pair_obj = await selectors.pair_reference(user=user, pair_id=pair) if pair is not None else None
    _check_parameter_fields(data)
    return await ParameterSet.objects.acreate(owner=user, pair=pair_obj, **data)


async def parameter_set_update(
    *, user: Any, parameter_set: ParameterSet, **data: Any
) -> ParameterSet:
    if "pair" in data:
        pair = data.pop("pair")
        parameter_set.pair = (
            await selectors.pair_reference(user=user, pair_id=pair) if pair is not None else None
        )
    for k, v in data.items():
        setattr(parameter_set, k, v)
    _check_parameter_fields({f: getattr(parameter_set, f) for f in PARAMETER_SET_FIELDS})
    await parameter_set.asave()
    return parameter_set


async def parameters_optimize_submit(
    *,
    user: Any,
    pair: int,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    grid: dict[str, Any] | None = None,
    objective: str = "sharpe",
    min_trades: int = 5,
    per_regime: bool = False,
    regime_method: str = "volatility",
    regime_options: dict[str, Any] | None = None,
    min_regime_bars: int = 120,
    execution_lag: int = 1,
    costs: dict[str, Any] | None = None,
    name: str = "",
) -> TaskRun:
    """Submit an ``optimize`` task: grid search on the pair's window (its stored hedge, else
    OLS on the window); stores the best set (and one per regime) with ``source="optimized"``."""
    pair_obj = await selectors.pair_reference(user=user, pair_id=pair)
    try:
        g = ParamGrid.from_dict({**(grid or {}), "execution_lag": execution_lag, "hedge": "static"})
    except (ValueError, TypeError) as exc:
        raise ApplicationError(f"Invalid grid: {exc}.", errors={"grid": [str(exc)]}) from exc
    regime_options = dict(regime_options or {})
    if per_regime:
        _check_regime_options(regime_method, regime_options)
    ts, closes = await research.aligned_closes(
        [pair_obj.symbol_1.ticker, pair_obj.symbol_2.ticker],
        timeframe=pair_obj.timeframe,
        start=start,
        end=end,
        min_bars=max(MIN_TRADE_BARS, g.max_lookback + 3),
    )
    y, x = closes[:, 0].copy(), closes[:, 1].copy()
    if pair_obj.hedge_ratio is not None:
        beta, alpha, hedge_source = pair_obj.hedge_ratio, pair_obj.intercept or 0.0, "pair"
    else:
        h = ols_hedge_ratio(np.log(y), np.log(x))
        beta, alpha, hedge_source = h.beta, h.alpha, "ols"
    cost_map = user_costs(user=user, costs=costs)
    grid_dict = g.to_dict()
    first, last = _iso(ts[0]), _iso(ts[-1])
    window: dict[str, Any] = {"start": first, "end": last, "bars": len(ts)}
    label = name or f"optimized {objective} {first[:10]}..{last[:10]}"

    async def work(ctx: TaskContext) -> dict[str, Any]:
        await ctx.progress(0.05, f"grid of {len(g.candidates())} candidates")
        out = await engine.compute.run(
            compute.optimize,
            y,
            x,
            beta=beta,
            alpha=alpha,
            grid=grid_dict,
            objective=objective,
            min_trades=min_trades,
            costs=cost_map,
            per_regime=per_regime,
            regime_method=regime_method,
            regime_options=regime_options,
            min_regime_bars=min_regime_bars,
        )
        if out["best"] is None:
            raise ApplicationError(
                f"No candidate had at least {min_trades} trades in the window; lower "
                "min_trades or widen the window."
            )
        ids = await sync_to_async(_store_optimized)(
            user=user, pair=pair_obj, out=out, label=label, per_regime=per_regime,
            regime_method=regime_method, objective=objective,
        )  # fmt: skip
        ctx.result_url = f"/api/parameters/{ids[0]}/"
        return {
            "parameter_set_ids": ids,
            "pair": pair_obj.pk,
            "window": window,
            "hedge": {"source": hedge_source, "beta": beta, "alpha": alpha},
            "costs": cost_map,
            **out,
        }

    return await atask_submit(
        owner=user,
        kind="optimize",
        params={"pair": pair_obj.pk, "objective": objective, "per_regime": per_regime, **window},
        run=work,
    )


def _store_optimized(
    *,
    user: Any,
    pair: TradingPair,
    out: dict[str, Any],
    label: str,
    per_regime: bool,
    regime_method: str,
    objective: str,
) -> list[int]:
    def fields(p: dict[str, Any]) -> dict[str, Any]:
        return {f: p[f] for f in PARAMETER_SET_FIELDS}

    common = {"owner": user, "pair": pair, "objective": objective, "source": "optimized"}
    with transaction.atomic():
        best = ParameterSet.objects.create(
            **common,
            name=label,
            score=out["score"],
            regime_method=regime_method if per_regime else "",
            **fields(out["best"]),
        )
        ids = [best.pk]
        pset = out.get("parameter_set")
        if per_regime and pset:
            fits = {f["label"]: f for f in pset["fits"]}
            for lab, p in pset["by_regime"].items():
                row = ParameterSet.objects.create(
                    **common,
                    name=f"{label} regime {lab}",
                    regime_method=regime_method,
                    regime_label=int(lab),
                    score=fits.get(int(lab), {}).get("score"),
                    **fields(p),
                )
                ids.append(row.pk)
    return ids
