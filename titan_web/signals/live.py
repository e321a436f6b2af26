"""The live signal service: new bars in, strategy decisions out (docs/architecture.md section 7).

:func:`on_ingest` is registered with :func:`titan_web.market.services.on_bars_ingested`. For
every active monitor whose pair has an ingested symbol (and the ingested timeframe) it
evaluates the bars the monitor has not seen, with the same strategy code the backtester
uses (:class:`engine.strategy.LiveStrategy`, or :class:`engine.params.AdaptiveLiveStrategy`
for adaptive monitors), stores the decisions as :class:`~titan_web.signals.models.Signal`
rows with the pair's next ``seq``, commits, and only then publishes them to ``pair:<id>``
and to the owner's ``signals`` topic. When the ingest *changed* bars the monitor had
already evaluated (a corrected price), the monitor first replays the strategy over the
corrected bars and stores and publishes a ``correction`` signal (``services.monitor_correct``).

Stateless between workers: the source of truth is ``Monitor.state`` (the strategy state
JSON, the timestamp of the last evaluated bar and the configuration it was built with) plus
the bars. A state whose configuration no longer matches the pair and parameter sets (a
parameter set was edited, the pair re-analyzed) is rebuilt from history.

The pure functions here (:func:`evaluate`) run in the compute executor when many bars are
due (warm-up), inline for the usual one or two bars.
"""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from engine.params import AdaptiveLiveStrategy, AdaptiveState
from engine.params import ParameterSet as EngineParameterSet
from engine.strategy import LiveStrategy, StrategyParams, StrategyState

logger = logging.getLogger("titan.signals")

INLINE_BARS = 64  # evaluate up to this many bars on the loop; more go to the compute executor
STATE_VERSION = 1


# -- pure evaluation (picklable, no Django) ------------------------------------------------


def _params(row: dict[str, Any]) -> StrategyParams:
    return StrategyParams.from_dict(row)


def _finite(v: float) -> float | None:
    return float(v) if math.isfinite(v) else None


def evaluate(
    config: dict[str, Any],
    strategy_state: dict[str, Any] | None,
    ts: Sequence[str],
    y: Sequence[float],
    x: Sequence[float],
    labels: Sequence[int] | None = None,
    *,
    emit: bool = True,
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Step the monitor's strategy over bars ``ts`` (closes ``y``, ``x``).

    Returns the new strategy state (JSON) and, with ``emit``, the non-``hold`` decisions as
    ``{ts, kind, zscore, spread, price_1, price_2, regime, params_id}``.
    """
    decisions: list[dict[str, Any]] = []
    beta, alpha = float(config["beta"]), float(config["alpha"])
    if config["mode"] == "static":
        params = _params(config["params"])
        state = StrategyState.from_dict(strategy_state) if strategy_state else None
        live = LiveStrategy(params, beta=beta, alpha=alpha, state=state)
        for t, yy, xx in zip(ts, y, x, strict=True):
            d = live.step(yy, xx)
            if emit and d.is_action:
                decisions.append(
                    {
                        "ts": t,
                        "kind": d.event,
                        "zscore": _finite(d.zscore),
                        "spread": _finite(d.spread),
                        "price_1": float(yy),
                        "price_2": float(xx),
                        "regime": None,
                        "params_id": config.get("params_id"),
                    }
                )
        return live.state.to_dict(), decisions
    pset, ids = adaptive_parameter_set(config)
    astate = AdaptiveState.from_dict(strategy_state) if strategy_state else None
    alive = AdaptiveLiveStrategy(pset, beta=beta, alpha=alpha, state=astate)
    labs = labels if labels is not None else [-1] * len(ts)
    for t, yy, xx, lab in zip(ts, y, x, labs, strict=True):
        a = alive.step(yy, xx, int(lab))
        if emit and a.code != 0:
            decisions.append(
                {
                    "ts": t,
                    "kind": a.event,
                    "zscore": _finite(a.zscore),
                    "spread": _finite(a.spread),
                    "price_1": float(yy),
                    "price_2": float(xx),
                    "regime": int(a.label),
                    "params_id": ids.get(a.params),
                }
            )
    return alive.state.to_dict(), decisions


def adaptive_parameter_set(
    config: dict[str, Any],
) -> tuple[EngineParameterSet, dict[StrategyParams, int | None]]:
    """The engine's ParameterSet of an adaptive config, and the database id of each set."""
    fallback = _params(config["fallback"]["params"])
    ids: dict[StrategyParams, int | None] = {fallback: config["fallback"]["params_id"]}
    regimes = []
    for row in config["regimes"]:
        p = _params(row["params"])
        ids.setdefault(p, row["params_id"])
        regimes.append((int(row["label"]), p))
    return EngineParameterSet(regimes=tuple(regimes), fallback=fallback), ids


def labels_at(ts_ns: np.ndarray, spans: Sequence[tuple[int, int | None, int]]) -> list[int]:
    """The regime label of each bar: the last span (start_ns, end_ns, label) covering it."""
    out = np.full(len(ts_ns), -1, dtype=np.int64)
    for start, end, label in spans:
        hit = ts_ns >= start
        if end is not None:
            hit &= ts_ns <= end
        out[hit] = label
    return [int(v) for v in out]


# -- the listener --------------------------------------------------------------------------


async def on_ingest(
    symbols: list[str], timeframe: str, changed: dict[tuple[str, str], Any] | None = None
) -> None:
    """``on_bars_ingested`` listener: evaluate every monitor touched by the ingest."""
    from titan_web.signals import selectors, services

    monitors = await selectors.monitors_for_symbols(symbols=symbols, timeframe=timeframe)
    for monitor in monitors:
        legs = (monitor.pair.symbol_1.ticker, monitor.pair.symbol_2.ticker)
        stamps = [v for (sym, _), v in (changed or {}).items() if sym in legs]
        try:
            if stamps:  # a bar it may have evaluated changed: correct before moving on
                await services.monitor_correct(monitor_id=monitor.pk, changed_from=min(stamps))
            await services.monitor_evaluate(monitor_id=monitor.pk)
        except asyncio.CancelledError:
            raise
        except Exception:
            logger.exception("live evaluation of monitor %s failed", monitor.pk)
