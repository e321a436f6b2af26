"""/ws/stream/: origin check, first-message JWT handshake (4401), ping/pong, malformed frames,
topic authorization and replay. Uses Channels' WebsocketCommunicator on the real ASGI app."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator

from realtime.publish import publish
from tests import factories
from tests.conftest import aissue_tokens
from titan_web.asgi import application

ORIGIN = (b"origin", b"http://127.0.0.1:8000")


async def connect(headers: list[tuple[bytes, bytes]] | None = None) -> WebsocketCommunicator:
    comm = WebsocketCommunicator(application, "/ws/stream/", headers=headers or [ORIGIN])
    connected, _ = await comm.connect(timeout=3)
    assert connected
    return comm


async def authed(user: Any) -> WebsocketCommunicator:
    comm = await connect()
    token = (await aissue_tokens(user))["access"]
    await comm.send_json_to({"type": "auth", "token": token})
    reply = await comm.receive_json_from(timeout=3)
    assert reply == {"type": "authenticated", "user": user.username}
    return comm


async def expect_close(comm: WebsocketCommunicator, code: int) -> None:
    while True:
        out = await comm.receive_output(timeout=3)
        if out["type"] == "websocket.close":
            assert out["code"] == code
            return


async def test_auth_success_ping_pong(user: Any) -> None:
    comm = await authed(user)
    await comm.send_json_to({"type": "ping", "ts": 123})
    assert await comm.receive_json_from(timeout=3) == {"type": "pong", "ts": 123}
    await comm.disconnect()


async def test_bad_token_closes_4401(user: Any) -> None:
    comm = await connect()
    await comm.send_json_to({"type": "auth", "token": "not-a-token"})
    error = await comm.receive_json_from(timeout=3)
    assert error["type"] == "error" and error["code"] == "unauthenticated"
    await expect_close(comm, 4401)


async def test_refresh_token_is_not_accepted(user: Any) -> None:
    comm = await connect()
    await comm.send_json_to({"type": "auth", "token": (await aissue_tokens(user))["refresh"]})
    await expect_close(comm, 4401)


async def test_any_frame_before_auth_closes_4401(user: Any) -> None:
    comm = await connect()
    await comm.send_json_to({"type": "subscribe", "topic": "signals"})
    await expect_close(comm, 4401)


async def test_no_auth_within_timeout_closes_4401(settings: Any) -> None:
    settings.TITAN = {**settings.TITAN, "WS_AUTH_TIMEOUT": 0.3}
    comm = await connect()
    start = asyncio.get_running_loop().time()
    await expect_close(comm, 4401)
    assert 0.25 <= asyncio.get_running_loop().time() - start < 2.5


async def test_default_auth_timeout_is_five_seconds() -> None:
    from django.conf import settings

    assert settings.TITAN["WS_AUTH_TIMEOUT"] == 5


async def test_foreign_origin_is_refused() -> None:
    comm = WebsocketCommunicator(
        application, "/ws/stream/", headers=[(b"origin", b"https://evil.example")]
    )
    connected, _ = await comm.connect(timeout=3)
    assert not connected


async def test_missing_origin_is_allowed_for_non_browser_clients(user: Any) -> None:
    comm = WebsocketCommunicator(application, "/ws/stream/", headers=[])
    connected, _ = await comm.connect(timeout=3)
    assert connected
    await comm.disconnect()


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        ({"type": "subscribe"}, "bad_request"),
        ({"type": "subscribe", "topic": "weather:1"}, "bad_request"),
        ({"type": "subscribe", "topic": "signals", "since_seq": -1}, "bad_request"),
        ({"type": "subscribe", "topic": "signals", "since_seq": "x"}, "bad_request"),
        ({"type": "launch-missiles"}, "bad_request"),
        ({"no": "type"}, "bad_request"),
        ([1, 2, 3], "bad_request"),
        ({"type": "auth", "token": "again"}, "bad_request"),
    ],
)
async def test_malformed_frames_get_error_and_connection_stays(
    user: Any, frame: Any, code: str
) -> None:
    comm = await authed(user)
    await comm.send_json_to(frame)
    reply = await comm.receive_json_from(timeout=3)
    assert reply["type"] == "error" and reply["code"] == code and reply["message"]
    await comm.send_json_to({"type": "ping"})
    assert (await comm.receive_json_from(timeout=3))["type"] == "pong"
    await comm.disconnect()


async def test_invalid_json_and_binary_frames(user: Any) -> None:
    comm = await authed(user)
    await comm.send_to(text_data="{not json")
    assert (await comm.receive_json_from(timeout=3))["code"] == "bad_request"
    await comm.send_to(bytes_data=b"\x00\x01")
    assert (await comm.receive_json_from(timeout=3))["code"] == "bad_request"
    await comm.send_json_to({"type": "ping"})
    assert (await comm.receive_json_from(timeout=3))["type"] == "pong"
    await comm.disconnect()


async def test_task_topic_authorization_and_events(user: Any, other_user: Any) -> None:
    mine = await sync_to_async(factories.make_task)(owner=user)
    theirs = await sync_to_async(factories.make_task)(owner=other_user)
    comm = await authed(user)
    await comm.send_json_to({"type": "subscribe", "topic": f"task:{theirs.pk}"})
    assert await comm.receive_json_from(timeout=3) == {
        "type": "error",
        "code": "forbidden",
        "message": f"not allowed to subscribe to task:{theirs.pk}",
    }
    await comm.send_json_to({"type": "subscribe", "topic": f"task:{mine.pk}"})
    assert await comm.receive_json_from(timeout=3) == {
        "type": "subscribed",
        "topic": f"task:{mine.pk}",
    }

    event = {
        "type": "task.progress",
        "topic": f"task:{mine.pk}",
        "data": {"status": "running", "progress": 0.5, "message": "half"},
    }
    await publish(f"task:{mine.pk}", event)
    assert await comm.receive_json_from(timeout=3) == event

    await comm.send_json_to({"type": "unsubscribe", "topic": f"task:{mine.pk}"})
    assert (await comm.receive_json_from(timeout=3))["type"] == "unsubscribed"
    await publish(f"task:{mine.pk}", event)
    assert await comm.receive_nothing(timeout=0.3)
    await comm.disconnect()


async def test_pair_topic_forbidden_for_other_user_and_replay(user: Any, other_user: Any) -> None:
    from titan_web.signals.models import Signal

    pair = await sync_to_async(factories.make_pair)(owner=user)
    for seq in range(1, 6):
        await Signal.objects.acreate(
            pair_id=pair.pk,
            seq=seq,
            ts=f"2024-01-0{seq}T00:00:00Z",
            monitor_id=1,
            kind="hold",
            zscore=0.1 * seq,
            spread=0.0,
            price_1=10.0,
            price_2=20.0,
        )
    intruder = await authed(other_user)
    await intruder.send_json_to({"type": "subscribe", "topic": f"pair:{pair.pk}"})
    assert (await intruder.receive_json_from(timeout=3))["code"] == "forbidden"
    await intruder.disconnect()

    comm = await authed(user)
    await comm.send_json_to({"type": "subscribe", "topic": f"pair:{pair.pk}", "since_seq": 2})
    assert (await comm.receive_json_from(timeout=3))["type"] == "subscribed"
    replayed = [await comm.receive_json_from(timeout=3) for _ in range(3)]
    assert [m["seq"] for m in replayed] == [3, 4, 5]
    assert replayed[0]["data"]["pair_id"] == pair.pk and replayed[0]["topic"] == f"pair:{pair.pk}"
    assert await comm.receive_nothing(timeout=0.2)
    await comm.disconnect()


async def test_staff_may_follow_any_task(user: Any, staff_user: Any) -> None:
    task = await sync_to_async(factories.make_task)(owner=user)
    comm = await authed(staff_user)
    await comm.send_json_to({"type": "subscribe", "topic": f"task:{task.pk}"})
    assert (await comm.receive_json_from(timeout=3))["type"] == "subscribed"
    await comm.disconnect()
