"""Parameter optimization: the ``optimize`` task's grid search on a pair's window and the
parameter sets it stores (the best, and one per regime)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
from asgiref.sync import sync_to_async
from django.db import transaction

import engine.compute
from engine.data.timeframes import periods_per_year
from engine.pairs import ols_hedge_ratio
from engine.params import ParamGrid
from engine.result_warnings import as_dicts, few_trades, history_warnings
from titan_web.backtests import compute, selectors
from titan_web.backtests.services._common import (
    MIN_TRADE_BARS,
    PARAMETER_SET_FIELDS,
    _iso,
    hedge_warning,
    user_costs,
)
from titan_web.backtests.services.regimes import _check_regime_options
from titan_web.common.errors import ApplicationError
from titan_web.research import selectors as research
from titan_web.research.models import ParameterSet, TradingPair
from titan_web.tasks.models import TaskRun
from titan_web.tasks.registry import TaskContext
from titan_web.tasks.services import atask_submit


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
    warnings = optimize_warnings(
        pair=pair_obj, hedge_source=hedge_source, ts=ts, timeframe=pair_obj.timeframe
    )
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
            periods_per_year=periods_per_year(pair_obj.timeframe),
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
            "warnings": warnings
            + as_dicts([few_trades((out.get("best_metrics") or {}).get("n_trades"))]),
        }

    return await atask_submit(
        owner=user,
        kind="optimize",
        params={"pair": pair_obj.pk, "objective": objective, "per_regime": per_regime, **window},
        run=work,
    )


def optimize_warnings(
    *, pair: TradingPair, hedge_source: str, ts: np.ndarray, timeframe: str
) -> list[dict[str, str]]:
    """Warnings of an optimisation: the pair's stored hedge fitted on or after the window
    (``in_sample_hedge``, as the lookahead check warns) and the window's history."""
    return as_dicts(
        [
            hedge_warning(
                source=hedge_source,
                pair=pair,
                window_start=ts[0],
                what="the optimisation window",
            ),
            *history_warnings(ts, timeframe=timeframe),
        ]
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
