"""Regimes: detector options, the pair or symbol a detection targets, causal detection with
stored spans and the ``regimes`` task."""

from __future__ import annotations

import datetime as dt
import inspect
from dataclasses import dataclass
from typing import Any

from asgiref.sync import sync_to_async
from django.db import transaction

import engine.compute
from engine.regimes import markov_regimes, volatility_regimes
from engine.result_warnings import as_dicts, history_warnings
from titan_web.backtests import compute, selectors
from titan_web.backtests.services._common import _aware, _iso, _set_result_url
from titan_web.common.errors import ApplicationError
from titan_web.research import selectors as research
from titan_web.research.models import Regime, TradingPair
from titan_web.tasks.models import TaskRun
from titan_web.tasks.registry import TaskContext
from titan_web.tasks.services import atask_submit

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
    (sym,) = await research.symbols_get(tickers=[symbol], field=["symbol"])
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
        "warnings": as_dicts(history_warnings(ts, timeframe=target.timeframe)),
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
                for k in (
                    "pair",
                    "symbol",
                    "method",
                    "n_regimes",
                    "current",
                    "label_counts",
                    "warnings",
                )
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
