"""A revoked session closes its open WebSockets with 4401 within a second: logout, refresh
reuse and deactivation (in-process, on the embedded layer and, under make test-services, on
Redis). The cross-process case is in tests/web/accounts/test_revocation_workers.py."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from channels.testing import WebsocketCommunicator

from tests.conftest import Api
from tests.factories import PASSWORD
from titan_web.asgi import application

ORIGIN = (b"origin", b"http://127.0.0.1:8000")


async def socket_for(access: str) -> WebsocketCommunicator:
    comm = WebsocketCommunicator(application, "/ws/stream/", headers=[ORIGIN])
    connected, _ = await comm.connect(timeout=3)
    assert connected
    await comm.send_json_to({"type": "auth", "token": access})
    assert (await comm.receive_json_from(timeout=3))["type"] == "authenticated"
    return comm


async def closed_within(comm: WebsocketCommunicator, seconds: float) -> tuple[int, float]:
    started = time.monotonic()
    while True:
        out = await comm.receive_output(timeout=seconds)
        if out["type"] == "websocket.close":
            return int(out["code"]), time.monotonic() - started


async def login(anon_api: Api) -> dict[str, Any]:
    r = await anon_api.post("/api/auth/token", {"username": "alice", "password": PASSWORD})
    return dict(r.json())


async def test_logout_closes_the_sessions_sockets_4401(user: Any, anon_api: Api) -> None:
    pair, other = await login(anon_api), await login(anon_api)
    comm, untouched = await socket_for(pair["access"]), await socket_for(other["access"])
    started = time.monotonic()
    assert (
        await anon_api.post("/api/auth/logout", {"refresh": pair["refresh"]})
    ).status_code == 204
    code, _ = await closed_within(comm, 1.0)
    assert code == 4401 and time.monotonic() - started < 1.0
    # Another login of the same user (another family) keeps its socket.
    await untouched.send_json_to({"type": "ping", "ts": 1})
    assert await untouched.receive_json_from(timeout=3) == {"type": "pong", "ts": 1}
    await untouched.disconnect()


async def test_refresh_reuse_closes_the_familys_sockets(user: Any, anon_api: Api) -> None:
    first = await login(anon_api)
    second = (await anon_api.post("/api/auth/refresh", {"refresh": first["refresh"]})).json()
    comm = await socket_for(second["access"])
    assert (
        await anon_api.post("/api/auth/refresh", {"refresh": first["refresh"]})
    ).status_code == 401
    code, took = await closed_within(comm, 1.0)
    assert code == 4401 and took < 1.0


async def test_deactivation_closes_every_socket_of_the_user(user: Any, anon_api: Api) -> None:
    a, b = await socket_for((await login(anon_api))["access"]), None
    b = await socket_for((await login(anon_api))["access"])
    user.is_active = False
    await user.asave(update_fields=["is_active"])
    results = await asyncio.gather(closed_within(a, 1.0), closed_within(b, 1.0))
    assert [code for code, _ in results] == [4401, 4401]
