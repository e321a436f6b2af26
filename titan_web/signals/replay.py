"""The replay feed (``POST /api/replay/``): stored history played forward as live, for the
monitors of ONE user, without touching the shared bar store.

``manage.py replay`` takes bars out of the store and ingests them again, which every user
sees. The feed here reads the stored bars instead and steps each of the user's monitors
through them one timestamp at a time, in memory:

- warm-up: the monitor's strategy (same code as live and the backtester,
  :func:`titan_web.signals.live.evaluate`) is built silently from the bars before ``start``;
- then, for each timestamp in ``[start, end]`` (one chunk), the bar of that timestamp is
  evaluated from the state as of the previous one: the decision is what the live service
  would have decided had that bar just arrived, which is what a backtest decides there;
- each decision is stored as a :class:`~titan_web.signals.models.Signal` with
  ``source="replay"`` and the pair's next ``seq`` (the same lock as live signals), then
  published to ``pair:<id>`` and the owner's ``signals`` topic (through the signal relay's
  ordered path when it runs: ``relay.publish_stored``). Stored before published, so
  a client that lost its socket catches up with ``since_seq`` like for live signals; the
  ``source`` field keeps them apart from live history (``GET signals/?source=live``);
- ``Monitor.state`` is not read for the decisions nor written: the live service goes on
  from the latest bar as before.

The feed is a task (kind ``replay``) of the registry: progress per timestamp; cancelling it
stops it at the end of the current timestamp.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from asgiref.sync import sync_to_async
from django.db import connections, router, transaction
from django.db.models import Max, Q

from titan_web.common.errors import ApplicationError
from titan_web.signals import live, relay, services
from titan_web.signals.models import Monitor, Signal

REPLAY = "replay"
MAX_SPEED = 1_000.0


@dataclass
class _Feed:
    monitor: Monitor
    config: dict[str, Any]
    strategy: dict[str, Any] | None
    ts: np.ndarray  # ns ints of the bars in the window
    y: np.ndarray
    x: np.ndarray
    labels: list[int] | None
    iso: list[str] = field(default_factory=list)


async def replay_monitors(
    *, user: Any, pair_id: int | None = None, symbols: list[str] | None = None
) -> list[Monitor]:
    """The user's active monitors on ``pair_id``, or on pairs with a leg in ``symbols``."""
    qs = Monitor.objects.select_related("pair__symbol_1", "pair__symbol_2", "parameter_set").filter(
        owner=user, active=True
    )
    if pair_id is not None:
        qs = qs.filter(pair_id=pair_id)
    if symbols:
        qs = qs.filter(
            Q(pair__symbol_1__ticker__in=symbols) | Q(pair__symbol_2__ticker__in=symbols)
        )
    return [m async for m in qs.order_by("pair_id", "id")]


async def _feed(monitor: Monitor, start: dt.datetime, end: dt.datetime | None) -> _Feed:
    config = await services.monitor_config(monitor=monitor)
    ts, closes = await services._closes(monitor.pair, after=None)
    start_ns = services._ns(start)
    warm = ts < start_ns
    window = ~warm if end is None else (~warm & (ts <= services._ns(end)))
    labels = await services._labels(monitor, config, ts)
    strategy, _ = await services._run(
        live.evaluate,
        config,
        None,
        services._iso(ts[warm]),
        closes[warm, 0].tolist(),
        closes[warm, 1].tolist(),
        None if labels is None else [labels[i] for i in np.flatnonzero(warm)],
        emit=False,
        n=int(warm.sum()),
    )
    idx = np.flatnonzero(window)
    return _Feed(
        monitor=monitor,
        config=config,
        strategy=strategy,
        ts=ts[idx],
        y=closes[idx, 0],
        x=closes[idx, 1],
        labels=None if labels is None else [labels[i] for i in idx],
        iso=services._iso(ts[idx]),
    )


def _store(*, monitor: Monitor, decisions: list[dict[str, Any]], task_id: str) -> list[Signal]:
    """Store replay decisions with the pair's next seqs (same lock as live signals). The
    task's id goes in ``detail`` (``data.replay`` of the frame), so the frame is the same
    whichever path publishes it (the signal relay builds frames from stored rows)."""
    alias = router.db_for_write(Signal)
    with transaction.atomic(using=alias):
        conn = connections[alias]
        if conn.vendor == "postgresql":
            with conn.cursor() as cur:
                cur.execute(
                    "SELECT pg_advisory_xact_lock(%s)", [services.SEQ_LOCK_BASE + monitor.pair_id]
                )
        top = (
            Signal.objects.using(alias)
            .filter(pair_id=monitor.pair_id)
            .aggregate(top=Max("seq"))["top"]
            or 0
        )
        created = []
        for d in decisions:
            top += 1
            created.append(
                Signal(
                    pair_id=monitor.pair_id,
                    seq=top,
                    ts=services._parse(d["ts"]),
                    monitor_id=monitor.pk,
                    kind=d["kind"],
                    zscore=d["zscore"],
                    spread=d["spread"],
                    price_1=d["price_1"],
                    price_2=d["price_2"],
                    regime=d["regime"],
                    params_id=d["params_id"],
                    source=REPLAY,
                    detail={"replay": task_id},
                )
            )
        Signal.objects.using(alias).bulk_create(created)
    return created


_astore = sync_to_async(_store)


async def areplay_run(
    ctx: Any,
    *,
    user: Any,
    pair_id: int | None,
    symbols: list[str] | None,
    start: dt.datetime,
    end: dt.datetime | None,
    speed: float,
) -> dict[str, Any]:
    """The work of a replay task (see the module docstring)."""
    monitors = await replay_monitors(user=user, pair_id=pair_id, symbols=symbols)
    await ctx.progress(0.0, f"warming up {len(monitors)} monitors")
    feeds = [await _feed(m, start, end) for m in monitors]
    stamps = np.unique(np.concatenate([f.ts for f in feeds])) if feeds else np.array([])
    cursor = [0] * len(feeds)
    delay = 1.0 / speed if speed > 0 else 0.0
    emitted = 0
    done = 0
    for n, stamp in enumerate(stamps):
        ctx.raise_if_cancelled()  # a cancel stops the feed before the next timestamp
        for k, f in enumerate(feeds):
            i = cursor[k]
            if i >= len(f.ts) or f.ts[i] != stamp:
                continue
            cursor[k] = i + 1
            f.strategy, decisions = live.evaluate(
                f.config,
                f.strategy,
                [f.iso[i]],
                [float(f.y[i])],
                [float(f.x[i])],
                None if f.labels is None else [f.labels[i]],
            )
            if decisions:
                signals = await _astore(
                    monitor=f.monitor, decisions=decisions, task_id=str(ctx.task_id)
                )
                await relay.publish_stored(signals, owner_id=f.monitor.owner_id)
                emitted += len(signals)
        done = n + 1
        await ctx.progress(done / len(stamps), f"{done}/{len(stamps)} bars · {emitted} signals")
        if delay:
            await asyncio.sleep(delay)
        elif n % 50 == 49:
            await asyncio.sleep(0)
    return {
        "timestamps": len(stamps),
        "replayed": done,
        "monitors": len(monitors),
        "signals": emitted,
    }


async def replay_submit(
    *,
    user: Any,
    pair_id: int | None = None,
    symbols: list[str] | None = None,
    start: dt.datetime,
    end: dt.datetime | None = None,
    speed: float = 10.0,
) -> Any:
    """Check there is something to replay, then submit the feed as a task (kind ``replay``)."""
    from titan_web.tasks.services import atask_submit

    if pair_id is None and not symbols:
        raise ApplicationError(
            "Give a pair or symbols to replay.", errors={"pair": ["pair or symbols required"]}
        )
    if end is not None and end < start:
        raise ApplicationError("end is before start.", errors={"end": ["before start"]})
    monitors = await replay_monitors(user=user, pair_id=pair_id, symbols=symbols)
    if not monitors:
        field_name = "pair" if pair_id is not None else "symbols"
        raise ApplicationError(
            "You have no active monitor there: create one on the Live page first.",
            errors={field_name: ["no active monitor of yours"]},
        )
    params = {
        "pair": pair_id,
        "symbols": symbols,
        "start": start.isoformat(),
        "end": end.isoformat() if end else None,
        "speed": speed,
    }

    async def work(ctx: Any) -> dict[str, Any]:
        return await areplay_run(
            ctx, user=user, pair_id=pair_id, symbols=symbols, start=start, end=end, speed=speed
        )

    return await atask_submit(owner=user, kind=REPLAY, params=params, run=work)
