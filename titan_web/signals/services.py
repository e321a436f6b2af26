"""Writes for live signals: monitors and the evaluation of new bars (see ``live.py``).

Seq assignment is safe across workers: the new signals of a pair are inserted in one
transaction on the time-series alias that first takes a transaction-scoped advisory lock on
the pair (PostgreSQL; SQLite serializes writers), then reads ``max(seq)``. The monitor row
is locked (``SELECT ... FOR UPDATE``) around it and its state is only advanced when it still
holds the ``last_ts`` the evaluation started from (else the evaluation is redone). Signals
are also deduplicated by ``(monitor, ts)``, so a state write lost after the signals committed
(two databases, no two-phase commit) cannot produce duplicates on the next evaluation.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import weakref
from collections.abc import Awaitable, Callable
from typing import Any

import numpy as np
from asgiref.sync import sync_to_async
from django.db import connections, router, transaction
from django.db.models import Max

import engine.compute
from engine.strategy import StrategyParams
from titan_web.common.errors import ApplicationError, NotFoundError
from titan_web.common.ownership import aget_visible
from titan_web.market import store
from titan_web.research import selectors as research_selectors
from titan_web.research.models import ParameterSet, Regime, TradingPair
from titan_web.signals import live, relay
from titan_web.signals.models import Monitor, Signal

logger = logging.getLogger("titan.signals")

SEQ_LOCK_BASE = -(2**62)  # advisory lock keys SEQ_LOCK_BASE + pair_id: one per pair
MAX_ATTEMPTS = 5
CORRECTION = "correction"
LIVE = "live"

_pair_locks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[int, asyncio.Lock]] = (
    weakref.WeakKeyDictionary()
)


def _pair_lock(pair_id: int) -> asyncio.Lock:
    """One evaluation of a pair at a time in this process (its thread-hopping transactions
    would otherwise race on SQLite, which has no advisory locks)."""
    locks = _pair_locks.setdefault(asyncio.get_running_loop(), {})
    lock = locks.get(pair_id)
    if lock is None:
        lock = locks[pair_id] = asyncio.Lock()
    return lock


class MonitorConfigError(ApplicationError):
    status_code = 422
    slug = "monitor-config"
    title = "Monitor cannot run"


# -- configuration -----------------------------------------------------------------------


def _strategy_params(ps: ParameterSet) -> dict[str, Any]:
    try:
        params = StrategyParams(
            lookback=ps.lookback,
            entry_z=ps.entry_z,
            exit_z=ps.exit_z,
            stop_z=ps.stop_z,
            max_holding=ps.max_holding,
            hedge=ps.hedge,  # type: ignore[arg-type]
        )
    except ValueError as exc:
        raise MonitorConfigError(
            f"Parameter set {ps.pk}: {exc}", errors={"parameter_set": [str(exc)]}
        ) from exc
    if params.hedge != "static":
        raise MonitorConfigError(
            "Live monitors use the pair's static hedge ratio; this parameter set asks for a "
            "dynamic hedge.",
            errors={"parameter_set": ["hedge must be 'static' for a live monitor"]},
        )
    return params.to_dict()


async def monitor_config(*, monitor: Monitor) -> dict[str, Any]:
    """The strategy configuration of a monitor, from the pair and its parameter sets."""
    pair: TradingPair = monitor.pair
    if pair.hedge_ratio is None or not np.isfinite(pair.hedge_ratio):
        raise MonitorConfigError(
            "The pair has no hedge ratio; analyze it first.",
            errors={"pair": ["no hedge ratio"]},
        )
    base = {"beta": float(pair.hedge_ratio), "alpha": float(pair.intercept or 0.0)}
    if not monitor.adaptive:
        ps = monitor.parameter_set
        assert ps is not None
        return {"mode": "static", "params": _strategy_params(ps), "params_id": ps.pk, **base}
    rows = [
        ps
        async for ps in ParameterSet.objects.filter(
            owner_id=monitor.owner_id, pair_id=pair.pk, regime_label__isnull=False
        ).order_by("regime_label", "-created_at", "-id")
    ]
    per_label: dict[int, ParameterSet] = {}
    for ps in rows:
        assert ps.regime_label is not None
        per_label.setdefault(ps.regime_label, ps)
    fallback = monitor.parameter_set
    if fallback is None:
        fallback = (
            await ParameterSet.objects.filter(
                owner_id=monitor.owner_id, pair_id=pair.pk, regime_label__isnull=True
            )
            .order_by("-created_at", "-id")
            .afirst()
        )
    if fallback is None and not per_label:
        raise MonitorConfigError(
            "An adaptive monitor needs parameter sets of the pair per regime "
            "(or a fallback parameter_set).",
            errors={"parameter_set": ["no parameter sets for this pair"]},
        )
    method = next((ps.regime_method for ps in per_label.values() if ps.regime_method), "")
    fb = (
        {"params": _strategy_params(fallback), "params_id": fallback.pk}
        if fallback is not None
        else {"params": StrategyParams().to_dict(), "params_id": None}
    )
    regimes = [
        {"label": label, "params": _strategy_params(ps), "params_id": ps.pk}
        for label, ps in sorted(per_label.items())
        if label >= 0
    ]
    return {"mode": "adaptive", "fallback": fb, "regimes": regimes, "method": method, **base}


async def _labels(monitor: Monitor, config: dict[str, Any], ts_ns: np.ndarray) -> list[int] | None:
    if config["mode"] != "adaptive":
        return None
    qs = Regime.objects.filter(pair_id=monitor.pair_id)
    if config["method"]:
        qs = qs.filter(method=config["method"])
    spans = [
        (
            _ns(r.start),
            None if r.end is None else _ns(r.end),
            r.label,
        )
        async for r in qs.order_by("start", "id")
    ]
    return live.labels_at(ts_ns, spans)


# -- bars --------------------------------------------------------------------------------


def _ns(value: dt.datetime) -> int:
    return int(np.datetime64(value.astimezone(dt.UTC).replace(tzinfo=None), "ns").astype(np.int64))


def _iso(ts_ns: np.ndarray) -> list[str]:
    stamps = ts_ns.astype(np.int64).astype("datetime64[ns]").astype("datetime64[us]")
    return [s + "Z" for s in np.datetime_as_string(stamps, unit="us")]


def _parse(iso: str) -> dt.datetime:
    return dt.datetime.fromisoformat(iso.replace("Z", "+00:00"))


async def _closes(pair: TradingPair, *, after: str | None) -> tuple[np.ndarray, np.ndarray]:
    """Timestamps (ns ints) and closes (T, 2) of the bars where both legs have a close."""
    start = _parse(after) if after else None
    matrix = await store.aclose_matrix(
        [pair.symbol_1.ticker, pair.symbol_2.ticker], timeframe=pair.timeframe, start=start
    )
    complete = ~np.isnan(matrix.close).any(axis=1)
    ts = matrix.ts[complete].astype("datetime64[ns]").astype(np.int64)
    closes = matrix.close[complete]
    if start is not None:
        keep = ts > _ns(start)
        ts, closes = ts[keep], closes[keep]
    return ts, closes


async def _run(fn: Any, *args: Any, n: int, **kwargs: Any) -> Any:
    if n <= live.INLINE_BARS:
        return fn(*args, **kwargs)
    return await engine.compute.run(fn, *args, **kwargs)


async def _strategy_over(
    config: dict[str, Any],
    strategy: dict[str, Any] | None,
    ts: np.ndarray,
    closes: np.ndarray,
    labels: list[int] | None,
    *,
    emit: bool = True,
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The live strategy stepped over the bars ``ts``/``closes`` from ``strategy`` (None: a
    fresh one), in the compute executor: its new state and its decisions."""
    result: tuple[dict[str, Any], list[dict[str, Any]]] = await _run(
        live.evaluate,
        config,
        strategy,
        _iso(ts),
        closes[:, 0].tolist(),
        closes[:, 1].tolist(),
        labels,
        emit=emit,
        n=len(ts),
    )
    return result


# -- monitors ----------------------------------------------------------------------------


async def monitor_create(
    *,
    user: Any,
    pair_id: int,
    parameter_set_id: int | None = None,
    adaptive: bool = False,
    active: bool = True,
) -> Monitor:
    """Create a monitor on one of the user's pairs, warmed up on the stored history
    (``LiveStrategy.from_history``): its first signal is the decision at the next new bar."""
    pair = await research_selectors.pair_get(user=user, pair_id=pair_id)
    ps = None
    if parameter_set_id is not None:
        try:
            ps = await aget_visible(ParameterSet.objects.all(), user, pk=parameter_set_id)
        except NotFoundError as exc:
            raise ApplicationError(
                "Unknown parameter set.", errors={"parameter_set": ["not found"]}
            ) from exc
    if ps is None and not adaptive:
        raise ApplicationError(
            "A monitor needs a parameter_set unless it is adaptive.",
            errors={"parameter_set": ["required unless adaptive"]},
        )
    monitor = Monitor(owner=user, pair=pair, parameter_set=ps, adaptive=adaptive, active=active)
    monitor.state = await _warm_state(monitor, until=None)
    await monitor.asave()
    if active:
        # Bars ingested while warming up (after the history was read) are evaluated now.
        await monitor_evaluate(monitor_id=monitor.pk)
    return monitor


async def _warm_state(monitor: Monitor, *, until: str | None) -> dict[str, Any]:
    config = await monitor_config(monitor=monitor)
    ts, closes = await _closes(monitor.pair, after=None)
    if until is not None:
        keep = ts <= _ns(_parse(until))
        ts, closes = ts[keep], closes[keep]
    labels = await _labels(monitor, config, ts)
    strategy, _ = await _strategy_over(config, None, ts, closes, labels, emit=False)
    return {
        "version": live.STATE_VERSION,
        "config": config,
        "strategy": strategy,
        "last_ts": _iso(ts[-1:])[0] if len(ts) else None,
        "bars": len(ts),
    }


async def monitor_rewarm(*, monitor_id: int, until: str | None) -> None:
    """Rebuild a monitor's state from the bars up to ``until`` (the replay feed uses it)."""
    monitor = await Monitor.objects.select_related(
        "pair__symbol_1", "pair__symbol_2", "parameter_set"
    ).aget(pk=monitor_id)
    async with _pair_lock(monitor.pair_id):
        monitor.state = await _warm_state(monitor, until=until)
        await monitor.asave(update_fields=["state"])


async def monitor_set_active(*, monitor: Monitor, active: bool) -> None:
    """Pause or resume a monitor; on resume it is warmed up again up to the latest bar."""
    if monitor.active == active:
        return
    async with _pair_lock(monitor.pair_id):
        if active:
            monitor.state = await _warm_state(monitor, until=None)
        monitor.active = active
        await monitor.asave(update_fields=["state", "active"])
    if active:
        await monitor_evaluate(monitor_id=monitor.pk)


async def monitor_delete(*, monitor: Monitor) -> None:
    """Delete a monitor; the signals it stored stay (their pair's seq history)."""
    await monitor.adelete()


async def monitor_evaluate(*, monitor_id: int) -> list[Signal]:
    """Evaluate the bars a monitor has not seen; store, then publish, its decisions."""
    return await _locked_attempts(monitor_id, _evaluate_once, "evaluation")


async def _locked_attempts(
    monitor_id: int,
    once: Callable[[Monitor], Awaitable[list[Signal] | None]],
    what: str,
) -> list[Signal]:
    """Run ``once`` on the monitor under its pair's lock until it commits (``None`` means the
    state moved on meanwhile), then publish what it stored."""
    for _ in range(MAX_ATTEMPTS):
        monitor = await (
            Monitor.objects.select_related("pair__symbol_1", "pair__symbol_2", "parameter_set")
            .filter(pk=monitor_id)
            .afirst()
        )
        if monitor is None or not monitor.active:
            return []
        async with _pair_lock(monitor.pair_id):
            outcome = await once(monitor)
        if outcome is not None:
            await _publish(monitor, outcome)
            return outcome
    logger.warning("monitor %s: state kept changing under %s; gave up", monitor_id, what)
    return []


async def _evaluate_once(monitor: Monitor) -> list[Signal] | None:
    config = await monitor_config(monitor=monitor)
    state = monitor.state or {}
    last_ts: str | None = state.get("last_ts")
    fresh = state.get("version") == live.STATE_VERSION and state.get("config") == config
    ts, closes = await _closes(monitor.pair, after=last_ts if fresh else None)
    strategy = state.get("strategy") if fresh else None
    last_seen = last_ts
    if not fresh:
        # No state yet, or the configuration changed: rebuild the state over the bars seen
        # so far (all of them for a monitor never warmed up), silently.
        seen = ts <= _ns(_parse(last_ts)) if last_ts else np.ones(len(ts), dtype=bool)
        labels = await _labels(monitor, config, ts[seen])
        strategy, _ = await _strategy_over(config, None, ts[seen], closes[seen], labels, emit=False)
        if seen.any():
            last_seen = _iso(ts[seen][-1:])[0]
        ts, closes = ts[~seen], closes[~seen]
    if len(ts) == 0 and fresh:
        return []
    labels = await _labels(monitor, config, ts)
    strategy, decisions = await _strategy_over(config, strategy, ts, closes, labels)
    new_state = {
        "version": live.STATE_VERSION,
        "config": config,
        "strategy": strategy,
        "last_ts": _iso(ts[-1:])[0] if len(ts) else last_seen,
        "bars": int(state.get("bars") or 0) + len(ts),
    }
    return await _acommit(
        monitor_id=monitor.pk,
        pair_id=monitor.pair_id,
        expected_last_ts=last_ts,
        state=new_state,
        decisions=decisions,
    )


async def monitor_correct(*, monitor_id: int, changed_from: dt.datetime) -> list[Signal]:
    """A bar at or after ``changed_from`` that the monitor had evaluated changed: replay the
    strategy over the corrected bars up to the monitor's last bar, store its new state and,
    when signals rested on the old bars or the corrected ones give other decisions, a
    ``correction`` signal (next seq of the pair), then publish it."""

    async def once(monitor: Monitor) -> list[Signal] | None:
        return await _correct_once(monitor, changed_from)

    return await _locked_attempts(monitor_id, once, "correction")


async def _correct_once(monitor: Monitor, changed_from: dt.datetime) -> list[Signal] | None:
    state = monitor.state or {}
    last_ts: str | None = state.get("last_ts")
    if last_ts is None or _parse(last_ts) < changed_from:
        return []  # the monitor has not evaluated the changed bars yet: nothing to correct
    config = await monitor_config(monitor=monitor)
    ts, closes = await _closes(monitor.pair, after=None)
    keep = ts <= _ns(_parse(last_ts))
    ts, closes = ts[keep], closes[keep]
    labels = await _labels(monitor, config, ts)
    strategy, decisions = await _strategy_over(config, None, ts, closes, labels)
    since = _ns(changed_from)
    after = [d for d in decisions if _ns(_parse(d["ts"])) >= since]
    earlier = [
        s
        async for s in Signal.objects.filter(
            pair_id=monitor.pair_id, monitor_id=monitor.pk, ts__gte=changed_from
        )
        .exclude(kind=CORRECTION)
        .order_by("seq")
    ]
    new_state = {**state, "version": live.STATE_VERSION, "config": config, "strategy": strategy}
    out: list[dict[str, Any]] = []
    if earlier or after:
        at = int(np.searchsorted(ts, since, "left"))
        at = min(at, len(ts) - 1)
        out.append(
            {
                "ts": _iso(ts[at : at + 1])[0],
                "kind": CORRECTION,
                "zscore": None,
                "spread": None,
                "price_1": float(closes[at, 0]),
                "price_2": float(closes[at, 1]),
                "regime": None,
                "params_id": config.get("params_id"),
                "detail": {
                    "changed_from": _iso(np.array([since]))[0],
                    "corrects": [s.seq for s in earlier],
                    "decisions": after,
                },
            }
        )
    return await _acommit(
        monitor_id=monitor.pk,
        pair_id=monitor.pair_id,
        expected_last_ts=last_ts,
        state=new_state,
        decisions=out,
    )


def _commit(
    *,
    monitor_id: int,
    pair_id: int,
    expected_last_ts: str | None,
    state: dict[str, Any],
    decisions: list[dict[str, Any]],
) -> list[Signal] | None:
    """Store the decisions with the pair's next seqs and advance the monitor's state.

    None: the state moved on meanwhile (another evaluation won); the caller starts over.
    """
    default_alias = router.db_for_write(Monitor)
    ts_alias = router.db_for_write(Signal)
    with transaction.atomic(using=default_alias):
        monitor = (
            Monitor.objects.using(default_alias).select_for_update().filter(pk=monitor_id).first()
        )
        if monitor is None or not monitor.active:
            return []
        if (monitor.state or {}).get("last_ts") != expected_last_ts:
            return None
        created: list[Signal] = []
        if decisions:
            with transaction.atomic(using=ts_alias):
                conn = connections[ts_alias]
                if conn.vendor == "postgresql":
                    with conn.cursor() as cur:
                        cur.execute("SELECT pg_advisory_xact_lock(%s)", [SEQ_LOCK_BASE + pair_id])
                stamps = [_parse(d["ts"]) for d in decisions]
                signals = Signal.objects.using(ts_alias).filter(pair_id=pair_id)
                done = set(
                    signals.filter(monitor_id=monitor_id, ts__in=stamps, source=LIVE)
                    .exclude(kind=CORRECTION)
                    .values_list("ts", flat=True)
                )
                top = signals.aggregate(top=Max("seq"))["top"] or 0
                for d, stamp in zip(decisions, stamps, strict=True):
                    if stamp in done and d["kind"] != CORRECTION:
                        continue
                    top += 1
                    created.append(
                        Signal(
                            pair_id=pair_id,
                            seq=top,
                            ts=stamp,
                            monitor_id=monitor_id,
                            kind=d["kind"],
                            zscore=d["zscore"],
                            spread=d["spread"],
                            price_1=d["price_1"],
                            price_2=d["price_2"],
                            regime=d["regime"],
                            params_id=d["params_id"],
                            detail=d.get("detail"),
                        )
                    )
                Signal.objects.using(ts_alias).bulk_create(created)
        monitor.state = state
        monitor.save(update_fields=["state"])
    return created


_acommit = sync_to_async(_commit)


async def _publish(monitor: Monitor, signals: list[Signal]) -> None:
    # Through the relay's ordered path when it runs (relay.py), else straight to the layer.
    await relay.publish_stored(signals, owner_id=monitor.owner_id)
