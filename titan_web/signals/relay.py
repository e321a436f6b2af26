"""The signal relay: signals stored by other processes reach this server's subscribers.

The in-memory channel layer of the embedded default is per process, so a signal that
``manage.py ingest`` or ``manage.py replay`` stores while ``make run`` serves would never
reach the server's WebSocket subscribers. With that layer, the server runs this relay (a
start-up hook): every ``TITAN_SIGNAL_RELAY_SECONDS`` (1 s; 0 turns it off) it reads, for the
pairs of active monitors, the stored signals above the highest ``seq`` it has published for
each pair (one indexed range read per pair on the signals' ``(pair_id, seq)`` key) and
publishes them like the live service does. Signals this process publishes itself pass
through :func:`claim` too, so no signal is published twice by one process. With Redis every
process publishes to the shared layer and the relay does not run.
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
    from realtime.publish import publish
    from titan_web.signals.models import Monitor, Signal
    from titan_web.signals.streams import signal_event

    owners = {m_id: owner async for m_id, owner in Monitor.objects.values_list("id", "owner_id")}
    pairs = {p async for p in Monitor.objects.filter(active=True).values_list("pair_id", flat=True)}
    sent = 0
    for pair_id in sorted(pairs):
        rows = Signal.objects.filter(pair_id=pair_id, seq__gt=_published.get(pair_id, 0))
        async for signal in rows.order_by("seq")[:1000]:
            if not claim(signal.pair_id, signal.seq):
                continue
            event = signal_event(signal)
            await publish(event["topic"], event)
            owner = owners.get(signal.monitor_id)
            if owner is not None:
                await publish("signals", {**event, "topic": "signals"}, user_id=owner)
            sent += 1
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
