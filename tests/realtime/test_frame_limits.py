"""WebSocket frame limits: a frame nested too deep gets an error frame and the connection
stays usable (it used to die with RecursionError and no close frame); a frame far larger than
any protocol message gets an error frame and a close with 1009 (message too big)."""

from __future__ import annotations

from typing import Any

from realtime.consumers import WS_MAX_FRAME
from tests.realtime.test_handshake import authed, connect, expect_close


async def test_a_deeply_nested_frame_gets_an_error_frame(user: Any) -> None:
    comm = await authed(user)
    await comm.send_to(text_data="[" * 10_000 + "]" * 10_000)
    error = await comm.receive_json_from(timeout=3)
    assert error["type"] == "error" and error["code"] == "bad_request"
    assert "nested 10000 levels" in error["message"]
    await comm.send_json_to({"type": "ping", "ts": 1})  # the connection is still fine
    assert await comm.receive_json_from(timeout=3) == {"type": "pong", "ts": 1}
    await comm.disconnect()


async def test_a_deep_frame_before_auth_is_refused_with_4401(user: Any) -> None:
    comm = await connect()
    await comm.send_to(text_data='{"type":"auth","token":' + "[" * 5000 + "]" * 5000 + "}")
    error = await comm.receive_json_from(timeout=3)
    assert error["code"] == "unauthenticated"
    await expect_close(comm, 4401)


async def test_an_oversized_frame_is_closed_with_1009(user: Any) -> None:
    comm = await authed(user)
    await comm.send_to(text_data='{"type":"ping","ts":"' + "x" * WS_MAX_FRAME + '"}')
    error = await comm.receive_json_from(timeout=3)
    assert error["code"] == "too_big" and str(WS_MAX_FRAME) in error["message"]
    await expect_close(comm, 1009)
