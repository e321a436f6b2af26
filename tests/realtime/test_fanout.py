"""Per-process fan-out: one layer subscription per topic, replay then live with no gap and
no duplicate, bounded outboxes that answer overflow with a resync frame."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator

from realtime import hooks
from realtime.fanout import Outbox, Subscription, hub
from realtime.publish import publish, signals_group
from tests import factories
from tests.conftest import aissue_tokens
from titan_web.asgi import application
from titan_web.signals.models import Signal
from titan_web.signals.streams import signal_event


async def authed(user: Any) -> WebsocketCommunicator:
    comm = WebsocketCommunicator(application, "/ws/stream/")
    assert (await comm.connect(timeout=3))[0]
    await comm.send_json_to({"type": "auth", "token": (await aissue_tokens(user))["access"]})
    assert (await comm.receive_json_from(timeout=3))["type"] == "authenticated"
    return comm


async def store(pair_id: int, seq: int) -> Signal:
    return await Signal.objects.acreate(
        pair_id=pair_id,
        seq=seq,
        ts=dt.datetime(2024, 1, 1, tzinfo=dt.UTC) + dt.timedelta(minutes=seq),
        monitor_id=1,
        kind="enter_long",
        zscore=-2.0,
        spread=0.0,
        price_1=1.0,
        price_2=2.0,
    )


async def store_and_publish(pair_id: int, seq: int) -> None:
    event = signal_event(await store(pair_id, seq))
    await publish(event["topic"], event)


async def test_one_layer_subscription_per_topic_per_process(user: Any) -> None:
    pair = await sync_to_async(factories.make_pair)(owner=user)
    topic = f"pair:{pair.pk}"
    comms = [await authed(user) for _ in range(3)]
    for comm in comms:
        await comm.send_json_to({"type": "subscribe", "topic": topic})
        assert (await comm.receive_json_from(timeout=3))["type"] == "subscribed"
    group = f"titan.pair.{pair.pk}"
    assert hub.subscribers(group) == 3
    layer = get_channel_layer()
    if hasattr(layer, "groups"):  # in-memory layer: one member, the process channel
        assert list(layer.groups[group]) == [hub.channel]
    await store_and_publish(pair.pk, 1)
    for comm in comms:
        assert (await comm.receive_json_from(timeout=3))["seq"] == 1
    for comm in comms[:2]:
        await comm.disconnect()
    assert hub.subscribers(group) == 1
    await comms[2].send_json_to({"type": "unsubscribe", "topic": topic})
    assert (await comms[2].receive_json_from(timeout=3))["type"] == "unsubscribed"
    assert hub.subscribers(group) == 0
    if hasattr(layer, "groups"):
        assert group not in layer.groups or not layer.groups[group]
    await comms[2].disconnect()


async def test_replay_then_live_has_no_gap_and_no_duplicate(user: Any) -> None:
    pair = await sync_to_async(factories.make_pair)(owner=user)
    for seq in range(1, 6):
        await store(pair.pk, seq)
    original = hooks.registry.replay
    assert original is not None

    async def racing_replay(u: Any, topic: Any, since: int) -> list[dict[str, Any]]:
        # Seq 6 is stored and published after the live subscription, before the replay
        # query: it is in both. Seq 7 comes after the query: only live has it.
        await store_and_publish(pair.pk, 6)
        events = await original(u, topic, since)
        await store_and_publish(pair.pk, 7)
        return events

    hooks.registry.replay = racing_replay
    try:
        comm = await authed(user)
        await comm.send_json_to({"type": "subscribe", "topic": f"pair:{pair.pk}", "since_seq": 2})
        assert (await comm.receive_json_from(timeout=3))["type"] == "subscribed"
        got = [(await comm.receive_json_from(timeout=3))["seq"] for _ in range(5)]
        assert got == [3, 4, 5, 6, 7]
        assert await comm.receive_nothing(timeout=0.2)
        await store_and_publish(pair.pk, 8)
        assert (await comm.receive_json_from(timeout=3))["seq"] == 8
        await comm.disconnect()
    finally:
        hooks.registry.replay = original


async def test_signals_topic_carries_only_the_subscribers_own_signals(
    user: Any, other_user: Any
) -> None:
    mine, theirs = await authed(user), await authed(other_user)
    for comm in (mine, theirs):
        await comm.send_json_to({"type": "subscribe", "topic": "signals"})
        assert (await comm.receive_json_from(timeout=3))["type"] == "subscribed"
    event = {"type": "signal", "topic": "signals", "seq": 1, "data": {"pair_id": 3}}
    before = dt.datetime.now(dt.UTC)
    await publish("signals", event, user_id=user.pk)
    got = await mine.receive_json_from(timeout=3)
    # A signal frame is the published event plus when it was published (ISO 8601, Z).
    stamp = got.pop("published_at")
    assert got == event
    assert stamp.endswith("Z") and "." in stamp
    published = dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    assert before <= published <= dt.datetime.now(dt.UTC)
    assert await theirs.receive_nothing(timeout=0.3)
    assert hub.subscribers(signals_group(user.pk)) == 1
    await mine.disconnect()
    await theirs.disconnect()


class SlowSocket:
    """A client that reads nothing until ``release`` is set."""

    def __init__(self) -> None:
        self.release = asyncio.Event()
        self.frames: list[str] = []

    async def send(self, text: str) -> None:
        await self.release.wait()
        self.frames.append(text)


async def test_overflow_of_a_pair_topic_sends_resync_with_since_seq() -> None:
    import json

    sock = SlowSocket()
    outbox = Outbox(sock.send, maxsize=5)
    outbox.start()
    dropped: list[Subscription] = []
    sub = Subscription("pair:7", "titan.pair.7", outbox, on_overflow=dropped.append)
    for seq in range(1, 21):
        sub.deliver(seq, json.dumps({"seq": seq}), 7)
    assert dropped == [sub] and sub.overflowed
    sock.release.set()
    for _ in range(50):
        await asyncio.sleep(0.01)
        if sock.frames and "resync" in sock.frames[-1]:
            break
    frames = [json.loads(f) for f in sock.frames]
    # The first frames fit (one is being sent, five queued); then the resync names the last
    # seq the client got, so a resubscribe with since_seq replays the rest from the database.
    seqs = [f["seq"] for f in frames[:-1]]
    assert seqs == list(range(1, len(seqs) + 1)) and 5 <= len(seqs) <= 6
    assert frames[-1] == {
        "type": "resync",
        "topic": "pair:7",
        "since_seq": seqs[-1],
        "reason": "slow_consumer",
    }
    sub.deliver(99, "{}", 7)  # dropped: the client must resubscribe
    await asyncio.sleep(0.02)
    assert len(sock.frames) == len(frames)
    await outbox.stop()


async def test_overflow_of_the_signals_topic_lists_missed_ranges_and_resumes() -> None:
    import json

    sock = SlowSocket()
    outbox = Outbox(sock.send, maxsize=3)
    outbox.start()
    sub = Subscription("signals", "titan.signals.1", outbox, per_pair=True)
    for seq in range(1, 11):
        sub.deliver(seq, json.dumps({"pair": 1, "seq": seq}), 1)
    sub.deliver(4, json.dumps({"pair": 2, "seq": 4}), 2)
    sock.release.set()
    await asyncio.sleep(0.05)
    sub.deliver(11, json.dumps({"pair": 1, "seq": 11}), 1)
    await asyncio.sleep(0.05)
    frames = [json.loads(f) for f in sock.frames]
    delivered = [f["seq"] for f in frames if "seq" in f and f.get("pair") == 1]
    resync = next(f for f in frames if f.get("type") == "resync")
    first_missed = resync["missed"]["1"][0]
    assert delivered[:-1] == list(range(1, first_missed))
    assert resync["missed"] == {"1": [first_missed, 10], "2": [4, 4]}
    assert frames[-1] == {"pair": 1, "seq": 11}  # delivery resumed after the resync frame
    await outbox.stop()


async def test_an_event_delivered_twice_in_a_row_is_sent_once() -> None:
    """A retried publish (realtime/publish.py) whose first send reached Redis after all."""
    sent: list[str] = []

    async def send(text: str) -> None:
        sent.append(text)

    outbox = Outbox(send, maxsize=10)
    outbox.start()
    sub = Subscription(topic="pair:7", group="titan.pair.7", outbox=outbox)
    first = '{"type":"signal","topic":"pair:7","seq":1}'
    second = '{"type":"signal","topic":"pair:7","seq":2}'
    for text, seq in ((first, 1), (first, 1), (second, 2), (second, 2)):
        sub.deliver(seq, text, 7)
    for _ in range(100):
        if len(sent) >= 2:
            break
        await asyncio.sleep(0.01)
    await asyncio.sleep(0.05)
    assert sent == [first, second]
    await outbox.stop()
