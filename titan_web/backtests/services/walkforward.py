"""Walk-forward runs: validation, the fold layout and the ``walkforward`` task (one fold per
executor call, so that progress is reported and a cancel stops between folds)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
from django.utils import timezone

import engine.compute
from engine.data.timeframes import periods_per_year
from engine.walkforward import WalkForwardConfig
from titan_web.backtests import compute, selectors
from titan_web.backtests.models import WalkForwardRun
from titan_web.backtests.services._common import _iso, _set_result_url, _tracked, user_costs
from titan_web.common.errors import ApplicationError
from titan_web.research import selectors as research
from titan_web.tasks.models import TaskRun, TaskStatus
from titan_web.tasks.registry import TaskCancelled, TaskContext
from titan_web.tasks.services import atask_submit


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
    ppy = float(cfg_in.setdefault("periods_per_year", periods_per_year(timeframe)))
    cfg_in["costs"] = {**user_costs(user=user, costs=costs), "days_per_year": max(1, round(ppy))}
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
