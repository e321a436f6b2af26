"""``/readyz`` on a real uvicorn with PostgreSQL and Redis while WebSocket clients are
subscribed, so the fan-out hub is receiving on the channel layer.

With subscribers the hub holds channels-redis' receive lock while it waits on its channel's
list; the readiness round trip used a channel of another prefix, whose messages land in a list
nobody reads while that lock is held, and answered 503 on every call.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest
import websockets
from websockets.asyncio.client import connect

from tests.e2e.server import Server, postgres_database, prepare, require_services, services_env

pytestmark = [pytest.mark.e2e, pytest.mark.services]


@pytest.fixture(scope="module")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    _, redis_url = require_services("the readiness test")
    var_dir = tmp_path_factory.mktemp("titan-readyz")
    with postgres_database("titan_readyz") as url:
        env = services_env(var_dir, url, redis_url)
        prepare(var_dir, env)
        with Server(env, var_dir / "uvicorn.log") as server:
            yield server.start(timeout=400)  # a busy machine: the start-up can take minutes


async def test_readyz_is_ready_while_the_hub_receives_on_redis(redis_server: Server) -> None:
    server = redis_server
    ws_url = server.url.replace("http://", "ws://") + "/ws/stream/"
    access = server.token()
    sockets = []
    for _ in range(3):
        ws = await connect(ws_url, origin=websockets.Origin(server.url))
        await ws.send(json.dumps({"type": "auth", "token": access}))
        assert json.loads(await ws.recv())["type"] == "authenticated"
        await ws.send(json.dumps({"type": "subscribe", "topic": "signals"}))
        assert json.loads(await ws.recv())["type"] == "subscribed"
        sockets.append(ws)
    try:
        async with httpx.AsyncClient(timeout=15) as client:
            for _ in range(3):
                r = await client.get(server.url + "/readyz")
                assert r.status_code == 200, r.text
                layer = r.json()["checks"]["channel_layer"]
                assert layer["ok"] is True and layer["backend"] == "RedisChannelLayer"
    finally:
        for ws in sockets:
            await ws.close()
