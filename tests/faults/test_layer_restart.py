"""The first publishes after a Redis restart: delivered, or the subscriber is told to resync.

The server's channel layer (its CHANNEL_LAYERS config, pointed at a private Redis that the
test kills and restarts, tests/faults/instances.py) with the process's hub and one
subscription, no server: a deterministic form of the faults test
``test_redis_restart_during_streaming_resyncs_without_loss``, whose seq 5 (the first signal
published after the restart) never arrived. Every connection the old server closed stayed
in the pool and failed its next command (redis-py 8's maintenance notifications, on by
default, skip the pool's check of a pooled connection), and ``publish()`` swallowed the
failed ``group_send``: the event was lost and nobody was told.
"""

from __future__ import annotations

import asyncio
import copy
import json
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from channels_redis.core import RedisChannelLayer
from django.conf import settings
from django.test import override_settings

from realtime import publish as publish_mod
from realtime.fanout import Outbox, Subscription, hub
from realtime.publish import publish
from tests.faults.instances import PrivateRedis, private_redis

pytestmark = [pytest.mark.services, pytest.mark.timeout(300)]

GROUP, TOPIC = "titan.pair.77", "pair:77"


@pytest.fixture
def redis(tmp_path: Path) -> Iterator[PrivateRedis]:
    default = settings.CHANNEL_LAYERS["default"]
    if default["BACKEND"] != "channels_redis.core.RedisChannelLayer":
        if os.environ.get("CI", "").lower() in {"1", "true"}:
            pytest.fail("CI: needs the Redis channel layer (REDIS_URL)")
        pytest.skip("needs the Redis channel layer (REDIS_URL)")
    with private_redis(tmp_path) as server:
        config = copy.deepcopy(default)
        config["CONFIG"]["hosts"][0]["address"] = server.url
        config["CONFIG"]["prefix"] = "faults-layer"
        with override_settings(CHANNEL_LAYERS={"default": config}):
            yield server


def signal(seq: int) -> dict[str, Any]:
    return {"type": "signal", "topic": TOPIC, "seq": seq, "data": {"pair_id": 77}}


class Client:
    """One connection's outbox, with the frames it was sent."""

    def __init__(self) -> None:
        self.frames: list[dict[str, Any]] = []
        self.outbox = Outbox(self._send, 1000)
        self.outbox.start()
        self.sub: Subscription | None = None

    async def _send(self, text: str) -> None:
        self.frames.append(json.loads(text))

    def seqs(self) -> list[int]:
        return [f["seq"] for f in self.frames if f["type"] == "signal"]

    def resyncs(self) -> list[dict[str, Any]]:
        return [f for f in self.frames if f["type"] == "resync"]

    async def subscribe(self, timeout: float = 30) -> Subscription:
        """(Re)subscribe as a client does after a resync: retry while the layer fails."""
        if self.sub is not None:
            await hub.remove(self.sub)
        deadline = time.monotonic() + timeout
        while True:
            sub = Subscription(topic=TOPIC, group=GROUP, outbox=self.outbox)
            try:
                await hub.add(sub)
                self.sub = sub
                return sub
            except Exception:
                assert time.monotonic() < deadline, "the layer did not come back"
                await asyncio.sleep(0.1)


async def until(check: Callable[[], bool], what: str, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, what
        await asyncio.sleep(0.02)


async def test_first_publishes_after_a_redis_restart_are_delivered_or_resynced(
    redis: PrivateRedis,
) -> None:
    client = Client()
    await client.subscribe()
    # A busy server: several publishes at once, so the pool holds several connections.
    await asyncio.gather(*(publish(TOPIC, signal(seq)) for seq in range(1, 7)))
    await until(lambda: sorted(client.seqs()) == [1, 2, 3, 4, 5, 6], "live before the kill")

    redis.stop()
    await until(lambda: bool(client.resyncs()), "no resync when Redis went away")
    assert client.resyncs()[-1]["reason"] == "stream_unavailable"
    redis.start()

    for _ in range(10):  # subscribed, and the hub's receive back (waiting on Redis)
        client.frames.clear()
        await client.subscribe()  # with since_seq in real life; nothing was missed here
        await asyncio.sleep(1.0)
        if not client.resyncs():
            break
    # Now each command of the others takes a pooled connection: the old server closed the
    # ones the busy phase opened (each fails its next command).
    for seq in range(10, 16):
        await publish(TOPIC, signal(seq))
        await until(
            lambda seq=seq: seq in client.seqs() or bool(client.resyncs()),
            f"seq {seq}, published after the restart, was lost silently: {client.frames}",
        )
        if client.resyncs():  # told: the client resubscribes and replays from storage
            assert client.resyncs() == [
                {
                    "type": "resync",
                    "topic": TOPIC,
                    "since_seq": None,
                    "reason": "stream_unavailable",
                }
            ]
            client.frames.clear()
            await client.subscribe()
        else:
            assert client.seqs() == [seq]
            client.frames.clear()
    await client.outbox.stop()


async def test_a_publish_that_fails_twice_resyncs_here_and_tells_the_other_processes(
    redis: PrivateRedis, monkeypatch: pytest.MonkeyPatch
) -> None:
    from channels.layers import get_channel_layer

    client = Client()
    sub = await client.subscribe()
    await publish(TOPIC, signal(1))
    await until(lambda: client.seqs() == [1], "live")
    # Another process on the same group (a layer of its own: its own client prefix).
    layer = get_channel_layer()
    elsewhere = RedisChannelLayer(**settings.CHANNEL_LAYERS["default"]["CONFIG"])
    other = await elsewhere.new_channel()
    await elsewhere.group_add(GROUP, other)

    real_send, calls = layer.group_send, []

    async def failing(group: str, message: dict[str, Any]) -> None:
        calls.append(message["type"])
        if len(calls) <= 2:
            raise ConnectionError("Connection closed by server.")
        await real_send(group, message)

    monkeypatch.setattr(layer, "group_send", failing)
    await publish(TOPIC, signal(2))  # fails, and fails again on fresh connections
    assert calls == ["stream.event", "stream.event"]
    await until(lambda: bool(client.resyncs()), "the local subscriber was not told")
    assert client.resyncs() == [
        {"type": "resync", "topic": TOPIC, "since_seq": 1, "reason": "stream_unavailable"}
    ]
    assert not sub.active and hub.subscribers(GROUP) == 0
    # The next publish sends the notice to the group first, then its event.
    await publish(TOPIC, signal(3))
    assert calls[2:] == ["stream.resync", "stream.event"]
    notice = await asyncio.wait_for(elsewhere.receive(other), 10)
    assert notice == {"type": "stream.resync", "group": GROUP, "origin": hub.channel}
    assert (await asyncio.wait_for(elsewhere.receive(other), 10))["seq"] == 3
    assert not publish_mod._unsent
    await elsewhere.close_pools()
    await client.outbox.stop()
