"""Signals stored by another process (``manage.py ingest`` / ``replay`` beside ``make run``)
reach this server's WebSocket subscribers through the signal relay, once each, with the
same ``Z`` timestamps as REST (issue 12)."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from typing import Any

import pytest
from asgiref.sync import sync_to_async

from tests import factories
from tests.conftest import Api
from tests.web.signals.test_live import subscribe, ws
from titan_web.signals import relay, replay, services
from titan_web.signals.models import Monitor, Signal


@pytest.fixture
async def active_relay() -> AsyncIterator[None]:
    await relay.activate()
    yield
    relay.deactivate()


def _monitor(owner: Any) -> Monitor:
    from titan_web.research.models import ParameterSet

    pair = factories.make_pair(owner=owner, hedge_ratio=1.0)
    pset = ParameterSet.objects.create(owner=owner, pair=pair)
    return Monitor.objects.create(owner=owner, pair=pair, parameter_set=pset)


def _stored(monitor: Monitor, seq: int, day: int) -> Signal:
    """A signal row as another process stores it (and publishes only to its own layer)."""
    return Signal.objects.create(
        pair_id=monitor.pair_id, seq=seq, ts=dt.datetime(2024, 1, day, tzinfo=dt.UTC),
        monitor_id=monitor.pk, kind="enter_long", zscore=-2.1, spread=0.01, price_1=60.0,
        price_2=170.0,
    )  # fmt: skip


async def test_signals_stored_elsewhere_reach_subscribers_once(
    user: Any, api: Api, active_relay: None
) -> None:
    monitor = await sync_to_async(_monitor)(user)
    pair_ws, mine = await ws(user), await ws(user)
    await subscribe(pair_ws, f"pair:{monitor.pair_id}")
    await subscribe(mine, "signals")

    await sync_to_async(_stored)(monitor, 1, 2)
    await sync_to_async(_stored)(monitor, 2, 3)
    assert await relay.poll_once() == 2
    got = [await pair_ws.receive_json_from(timeout=3) for _ in range(2)]
    assert [(m["seq"], m["data"]["ts"]) for m in got] == [
        (1, "2024-01-02T00:00:00Z"),
        (2, "2024-01-03T00:00:00Z"),
    ]
    own = [await mine.receive_json_from(timeout=3) for _ in range(2)]
    assert [(m["topic"], m["seq"]) for m in own] == [("signals", 1), ("signals", 2)]
    # The WebSocket timestamp is the REST one.
    rest = (await api.get("/api/signals/", {"pair": monitor.pair_id})).json()["results"]
    assert [r["ts"] for r in rest] == [m["data"]["ts"] for m in got]

    # Nothing is published twice: not by the next poll, nor by this process's own publish.
    assert await relay.poll_once() == 0
    signals = [s async for s in Signal.objects.filter(pair_id=monitor.pair_id).order_by("seq")]
    await services._publish(monitor, signals)
    assert await pair_ws.receive_nothing(timeout=0.3)
    for comm in (pair_ws, mine):
        await comm.disconnect()


async def test_replay_feed_signals_are_published_once_with_the_relay(
    user: Any, active_relay: None
) -> None:
    """The replay feed (POST replay/) stores, then publishes; the relay polling the same
    table must not publish those signals a second time (the browser saw 92 frames for 56
    signals before)."""
    monitor = await sync_to_async(_monitor)(user)
    mine = await ws(user)
    await subscribe(mine, "signals")
    first = [await sync_to_async(_stored)(monitor, seq, seq + 1) for seq in (1, 2)]
    await replay._publish(monitor, first, "task-1")
    assert await relay.poll_once() == 0
    # And the other way round: what the relay published first, the feed does not repeat.
    second = [await sync_to_async(_stored)(monitor, seq, seq + 1) for seq in (3, 4)]
    assert await relay.poll_once() == 2
    await replay._publish(monitor, second, "task-1")
    got = [await mine.receive_json_from(timeout=3) for _ in range(4)]
    assert [m["seq"] for m in got] == [1, 2, 3, 4]
    assert await mine.receive_nothing(timeout=0.3)
    await mine.disconnect()


async def test_signals_stored_before_the_relay_started_are_not_replayed(user: Any) -> None:
    monitor = await sync_to_async(_monitor)(user)
    await sync_to_async(_stored)(monitor, 1, 2)
    await relay.activate()
    try:
        assert await relay.poll_once() == 0
        await sync_to_async(_stored)(monitor, 2, 3)
        assert await relay.poll_once() == 1
    finally:
        relay.deactivate()


async def test_the_relay_runs_only_with_the_in_memory_layer() -> None:
    await relay.start()
    try:
        assert bool(relay._state["task"]) == relay.in_memory_layer()
    finally:
        await relay.stop()


def test_commands_say_where_their_signals_went() -> None:
    assert relay.note_for(0) is None
    note = relay.note_for(3)
    assert note is not None and note.startswith("3 signal(s) stored") and "/api/signals/" in note
    if relay.in_memory_layer():
        assert "a running server" in note and "relay" in note
    else:
        assert "published" in note
