"""Walk-forward runs: validation, the fold layout and the ``walkforward`` task (one fold per
executor call, so that progress is reported and a cancel stops between folds)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd
from django.utils import timezone

import engine.compute
from engine.data.timeframes import periods_per_year
from engine.result_warnings import as_dicts, few_trades, history_warnings, warmup_truncated
from engine.walkforward import Fold, WalkForwardConfig, make_folds
from titan_web.backtests import compute, selectors
from titan_web.backtests.models import WalkForwardRun
from titan_web.backtests.services._common import _iso, _set_result_url, _tracked, user_costs
from titan_web.common.errors import ApplicationError
from titan_web.research import selectors as research
from titan_web.tasks.models import TaskRun, TaskStatus
from titan_web.tasks.registry import TaskCancelled, TaskContext
from titan_web.tasks.services import atask_submit

#: Shortest test fold whose out-of-sample statistics (Sharpe, PBO splits) mean anything.
MIN_TEST_FOLD_BARS = 20


def _first_bar(ts: np.ndarray, start: dt.datetime | None) -> int:
    if start is None:
        return 0
    at = np.datetime64(start.astimezone(dt.UTC).replace(tzinfo=None))
    return int(np.searchsorted(ts, at, "left"))


def _refuse(msg: str) -> ApplicationError:
    return ApplicationError(
        msg,
        status_code=422,
        slug="not-enough-data",
        title="Not enough data",
        errors={"config": [msg]},
    )


def fold_layout(
    cfg: WalkForwardConfig,
    ts: np.ndarray,
    *,
    first: int,
    start: dt.datetime | None,
    timeframe: str,
) -> tuple[tuple[Fold, ...], list[dict[str, str]]]:
    """Folds whose test windows tile the requested span ``[first, n)`` exactly.

    The first train window (and the embargo) come from the history before ``start`` when it
    exists; otherwise the test windows start at the first bar with enough history (warned).
    Refused (422, with the numbers): test windows that do not reach the end of the span
    (``n_folds`` x ``test_bars`` too short), or a test fold shorter than
    ``MIN_TEST_FOLD_BARS``.
    """
    n = len(ts)
    lead = cfg.train_bars + cfg.embargo
    s0 = max(first, lead)
    if n - s0 < MIN_TEST_FOLD_BARS:
        raise _refuse(
            f"The walk-forward needs {lead + MIN_TEST_FOLD_BARS} bars ({cfg.train_bars} train + "
            f"{cfg.embargo} embargo + {MIN_TEST_FOLD_BARS} to test); the requested window has "
            f"{n - first} common bars and {first} earlier bars of history exist."
        )
    try:
        layout = make_folds(
            n,
            train_bars=cfg.train_bars,
            test_bars=cfg.test_bars,
            n_folds=cfg.n_folds,
            embargo=cfg.embargo,
            window=cfg.window,
            start=s0 - lead,
        )
    except ValueError as exc:
        raise _refuse(f"No fold layout fits {n - s0} bars to test: {exc}.") from exc
    span = f"{str(ts[s0])[:10]}..{str(ts[-1])[:10]} ({n - s0} bars)"
    covered_to = layout[-1].test_end
    if covered_to < n:
        need = -(-(n - s0) // cfg.test_bars) if cfg.test_bars else len(layout)
        raise _refuse(
            f"{len(layout)} test folds of {cfg.test_bars} bars cover "
            f"{str(ts[s0])[:10]}..{str(ts[covered_to - 1])[:10]} ({covered_to - s0} bars) of "
            f"the requested {span}; give n_folds alone to split the span into equal folds, "
            f"or n_folds={need} with test_bars={cfg.test_bars}."
        )
    short = [f for f in layout if f.test_bars < MIN_TEST_FOLD_BARS]
    if short:
        f = short[0]
        raise _refuse(
            f"{len(layout)} test folds over {span}: fold {f.index} has {f.test_bars} test bars, "
            f"fewer than the {MIN_TEST_FOLD_BARS} its out-of-sample statistics need; use at "
            f"most {(n - s0) // MIN_TEST_FOLD_BARS} folds or a longer window."
        )
    warnings = as_dicts(
        [
            None
            if start is None or s0 <= first
            else warmup_truncated(
                requested_start=start,
                trading_start=ts[s0],
                needed_bars=lead,
                history_bars=first,
                what=f"first train window ({cfg.train_bars} bars + {cfg.embargo} embargo)",
            ),
            *history_warnings(ts[s0:], timeframe=timeframe),
        ]
    )
    return layout, warnings


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
    # all the history up to `end`: the first train window may lie before `start`
    ts, closes = await research.aligned_closes(symbols, timeframe=timeframe, start=None, end=end)
    first = _first_bar(ts, start)
    layout, warnings = fold_layout(cfg, ts, first=first, start=start, timeframe=timeframe)
    frame = pd.DataFrame(closes, index=pd.DatetimeIndex(ts, tz="UTC"), columns=symbols)
    run = await WalkForwardRun.objects.acreate(
        owner=user,
        timeframe=timeframe,
        symbols=list(symbols),
        params={
            "symbols": list(symbols),
            "timeframe": timeframe,
            "start": _iso(ts[layout[0].test_start]),
            "end": _iso(ts[-1]),
            "requested_start": start.isoformat() if start else None,
            "requested_end": end.isoformat() if end else None,
            "history_start": _iso(ts[layout[0].train_start]),
            "bars": len(ts) - layout[0].test_start,
            "history_bars": len(ts),
            "n_folds": len(layout),
            "config": cfg.to_dict(),
        },
        warnings=warnings,
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
            n_trades = out["metrics"]["oos_metrics"].get("n_trades")
            final = warnings + as_dicts([few_trades(n_trades)])
            await WalkForwardRun.objects.filter(pk=run.pk).aupdate(
                warnings=final,
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
