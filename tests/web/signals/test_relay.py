"""Signals stored by another process (``manage.py ingest`` / ``replay`` beside ``make run``)
reach this server's WebSocket subscribers through the signal relay, once each, with the
same ``Z`` timestamps as REST (issue 12)."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator
from typing import Any

import pytest
from asgiref.sync import sync_to_async

from tests import factories
from tests.conftest import Api
from tests.web.signals.test_live import subscribe, ws
from tests.web.signals.test_replay import setup as replay_setup
from titan_web.signals import relay, services
from titan_web.signals.models import Monitor, Signal
from titan_web.tasks.services import atask_wait


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


async def test_a_replay_beside_the_relay_publishes_each_signal_once_in_order(
    user: Any, api: Api, active_relay: None
) -> None:
    """The soak (tests/soak) found every replayed signal delivered twice in the embedded
    default: the replay feed published it and the relay's next poll published it again."""
    pair, ps, _ = await replay_setup(user)
    await services.monitor_create(user=user, pair_id=pair.pk, parameter_set_id=ps.pk)
    pair_ws, mine = await ws(user), await ws(user)
    await subscribe(pair_ws, f"pair:{pair.pk}")
    await subscribe(mine, "signals")
    r = await api.post(
        "/api/replay/", {"pair": pair.pk, "start": "2019-01-01T00:00:00Z", "speed": 0}
    )
    assert r.status_code == 202, r.content
    task_id = r.json()["id"]

    async def polls() -> None:  # the relay's timer, much faster than its 1 s
        while True:
            await relay.poll_once()
            await asyncio.sleep(0.005)

    poller = asyncio.create_task(polls())
    try:
        task = await atask_wait(task_id=task_id, timeout=60)
        await asyncio.sleep(0.1)
    finally:
        poller.cancel()
    assert task.status == "succeeded", task.error
    stored = [s.seq async for s in Signal.objects.filter(pair_id=pair.pk).order_by("seq")]
    assert len(stored) >= 6
    for comm in (pair_ws, mine):
        got = [await comm.receive_json_from(timeout=3) for _ in stored]
        assert [m["seq"] for m in got] == stored
        assert {m["data"]["replay"] for m in got} == {task_id}  # whichever path sent it
        assert all(m["published_at"].endswith("Z") for m in got)
        assert await comm.receive_nothing(timeout=0.3)  # nothing twice
        await comm.disconnect()


async def test_a_signal_stored_elsewhere_is_not_skipped_by_a_later_local_one(
    user: Any, active_relay: None
) -> None:
    """Another process stored seq 1; this one stores seq 2 and publishes it before the
    relay's next poll: both reach the subscriber, in order (before: seq 2 only, since the
    relay then took 1 as published)."""
    monitor = await sync_to_async(_monitor)(user)
    pair_ws = await ws(user)
    await subscribe(pair_ws, f"pair:{monitor.pair_id}")
    await sync_to_async(_stored)(monitor, 1, 2)
    local = await sync_to_async(_stored)(monitor, 2, 3)
    await services._publish(monitor, [local])
    got = [await pair_ws.receive_json_from(timeout=3) for _ in range(2)]
    assert [m["seq"] for m in got] == [1, 2]
    assert await relay.poll_once() == 0
    assert await pair_ws.receive_nothing(timeout=0.3)
    await pair_ws.disconnect()


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
