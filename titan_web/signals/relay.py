"""The signal relay: signals stored by other processes reach this server's subscribers.

The in-memory channel layer of the embedded default is per process, so a signal that
``manage.py ingest`` or ``manage.py replay`` stores while ``make run`` serves would never
reach the server's WebSocket subscribers. With that layer, the server runs this relay (a
start-up hook): every ``TITAN_SIGNAL_RELAY_SECONDS`` (1 s; 0 turns it off) it reads, for the
pairs of active monitors, the stored signals above the highest ``seq`` it has published for
each pair (one indexed range read per pair on the signals' ``(pair_id, seq)`` key) and
publishes them like the live service does. With Redis every process publishes to the
shared layer and the relay does not run.

While the relay runs it is the ONLY path by which this process publishes signals: the live
service and the replay feed hand their stored signals to :func:`publish_stored`, which
publishes, per pair and under one lock, every stored signal above the last one published,
in seq order. Two publishers of one signal (the relay's poll and the replay feed, which
published each replayed signal twice before: the soak counted every one duplicated), a
publisher overtaking another on the ``signals`` topic, or a signal of another process
skipped because this one published a higher seq first: none of these can happen on one
ordered path. Without the relay, :func:`publish_stored` publishes the given signals
directly.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from typing import Any

from django.db.models import Max

logger = logging.getLogger("titan.signals")

_published: dict[int, int] = {}  # pair id -> highest seq this process has published
_state: dict[str, Any] = {"active": False, "task": None}


def interval() -> float:
    from django.conf import settings

    value = getattr(settings, "TITAN_SIGNAL_RELAY_SECONDS", None)
    return float(value if value is not None else os.environ.get("TITAN_SIGNAL_RELAY_SECONDS", 1.0))


def claim(pair_id: int, seq: int) -> bool:
    """True the first time this process may publish ``(pair_id, seq)``; always True when the
    relay is not active (each process then publishes its own signals, and only them)."""
    if not _state["active"]:
        return True
    if seq <= _published.get(pair_id, 0):
        return False
    _published[pair_id] = seq
    return True


def _lock() -> asyncio.Lock:
    """The lock of the publishing path (one per event loop: tests run many loops)."""
    loop = asyncio.get_running_loop()
    lock = _state.get("lock")
    if lock is None or _state.get("lock_loop") is not loop:
        lock = _state["lock"] = asyncio.Lock()
        _state["lock_loop"] = loop
    return lock


async def publish_stored(signals: list[Any], *, owner_id: Any) -> None:
    """Publish signals this process has just stored (and committed) to ``pair:<id>`` and
    the owner's ``signals`` topic: through the relay's ordered path when it runs, else
    directly. A failure is logged: the signals are stored, subscribers catch up with
    ``since_seq``."""
    if _state["active"]:
        for pair_id in sorted({int(s.pair_id) for s in signals}):
            await relay_pair(pair_id)
        return
    from realtime.publish import publish
    from titan_web.signals.streams import signal_event

    for signal in signals:
        event = signal_event(signal)
        try:
            await publish(event["topic"], event)
            await publish("signals", {**event, "topic": "signals"}, user_id=owner_id)
        except Exception:
            logger.exception("publishing signal %s #%s failed", signal.pair_id, signal.seq)


async def relay_pair(pair_id: int, owners: dict[int, Any] | None = None) -> int:
    """Publish, in order, the stored signals of ``pair_id`` above the last one published
    (at most 1,000 per call); returns how many. ``owners``: monitor id -> owner id."""
    from realtime.publish import publish
    from titan_web.signals.models import Monitor, Signal
    from titan_web.signals.streams import signal_event

    sent = 0
    async with _lock():
        rows = Signal.objects.filter(pair_id=pair_id, seq__gt=_published.get(pair_id, 0))
        async for signal in rows.order_by("seq")[:1000]:
            if not claim(signal.pair_id, signal.seq):
                continue
            owner = (owners or {}).get(signal.monitor_id)
            if owner is None:
                owner = (
                    await Monitor.objects.filter(pk=signal.monitor_id)
                    .values_list("owner_id", flat=True)
                    .afirst()
                )
            event = signal_event(signal)
            try:
                await publish(event["topic"], event)
                if owner is not None:
                    await publish("signals", {**event, "topic": "signals"}, user_id=owner)
            except Exception:
                logger.exception("publishing signal %s #%s failed", signal.pair_id, signal.seq)
            sent += 1
    return sent


def in_memory_layer() -> bool:
    from channels.layers import InMemoryChannelLayer, get_channel_layer

    return isinstance(get_channel_layer(), InMemoryChannelLayer)


async def activate() -> None:
    """Take every pair's current highest seq as published: only signals stored from now on
    are relayed."""
    from titan_web.signals.models import Signal

    _published.clear()
    async for row in Signal.objects.values("pair_id").annotate(top=Max("seq")).order_by():
        _published[int(row["pair_id"])] = int(row["top"])
    _state["active"] = True


def deactivate() -> None:
    _state["active"] = False
    _published.clear()


async def poll_once() -> int:
    """Publish the signals stored since the last poll (by any process); returns how many."""
    from titan_web.signals.models import Monitor

    owners = {m_id: owner async for m_id, owner in Monitor.objects.values_list("id", "owner_id")}
    pairs = {p async for p in Monitor.objects.filter(active=True).values_list("pair_id", flat=True)}
    sent = 0
    for pair_id in sorted(pairs):
        sent += await relay_pair(pair_id, owners)
    return sent


async def _run(every: float) -> None:
    while True:
        await asyncio.sleep(every)
        try:
            await poll_once()
        except asyncio.CancelledError:
            raise
        except Exception:
            logger.exception("signal relay poll failed")


async def start() -> None:
    """Start-up hook: run the relay when the channel layer is the in-memory one."""
    every = interval()
    if every <= 0 or not in_memory_layer():
        return
    await activate()
    _state["task"] = asyncio.get_running_loop().create_task(_run(every), name="signal-relay")
    logger.info("signal relay: polling stored signals every %.1f s", every)


async def stop() -> None:
    task = _state.get("task")
    _state["task"] = None
    deactivate()
    if task is not None:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def signal_count() -> int:
    from titan_web.signals.models import Signal

    return await Signal.objects.acount()


async def stored_note(*, before: int) -> str | None:
    """What a command tells its user about the signals it stored (``before``: the count of
    :func:`signal_count` when it started), or None when it stored none."""
    return note_for(await signal_count() - before)


def note_for(new: int) -> str | None:
    """The note of :func:`stored_note` for ``new`` stored signals."""
    if new <= 0:
        return None
    if in_memory_layer():
        return (
            f"{new} signal(s) stored. This process's channel layer is in memory, so it cannot "
            "reach a server's WebSocket subscribers itself: a running server (make run) "
            "publishes them within about a second (its signal relay polls the signals "
            "table). Stored signals: GET /api/signals/."
        )
    return f"{new} signal(s) stored and published. Stored signals: GET /api/signals/."
