"""The lookahead check of a backtest: re-planning a stored run, the check one cut at a time,
the warnings it cannot see past and the ``lookahead`` task."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import numpy as np
import pandas as pd
from django.utils import timezone

import engine.compute
from titan_web.backtests import compute
from titan_web.backtests.models import BacktestRun
from titan_web.backtests.services._common import _set_result_url, hedge_warning
from titan_web.backtests.services.backtests import BacktestPlan
from titan_web.common.errors import ConflictError
from titan_web.research import selectors as research
from titan_web.research.models import TradingPair
from titan_web.tasks.models import TaskRun, TaskStatus
from titan_web.tasks.registry import TaskCancelled, TaskContext
from titan_web.tasks.services import atask_submit


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
        w = hedge_warning(
            source=source, pair=pair, window_start=plan.start, what="the traded window"
        )
        if w is not None:
            out.append(w.message)
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
