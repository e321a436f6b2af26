"""Revocation across workers: two real uvicorn processes sharing PostgreSQL and Redis. A
logout or a refresh reuse on worker A is refused by worker B on the very next
request after A answered (B's cache had the token as valid), and B's open WebSocket of that
session closes with 4401 within a second (authcache.py, docs/decisions.md).

The socket test failed while the test process's per-test cache clean-up was a FLUSHDB of
the Redis database the servers use: it wiped the ``titan.auth`` group membership both
servers took at start-up, so A's ``auth.revoke`` reached nobody. The clean-up now deletes
only the test process's keys (tests/conftest.py), and the servers' keys have a prefix of
their own (tests/e2e/server.py, ``services_env``)."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
import websockets
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from tests.e2e.server import (
    SETUP,
    Server,
    manage,
    postgres_database,
    require_services,
    services_env,
)

# Two servers start in the module fixture: allow for a busy machine.
pytestmark = [pytest.mark.e2e, pytest.mark.services, pytest.mark.timeout(900)]

USER, PASSWORD = "carol-rev", "rev-password-0123456789"


@pytest.fixture(scope="module")
def workers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Server, Any]]:
    _, redis_url = require_services("the two-worker test")
    var_dir = tmp_path_factory.mktemp("titan-rev-2w")
    with postgres_database("titan_rspeed_rev") as url:
        env = services_env(var_dir, url, redis_url)
        setup = SETUP + f'User.objects.create_user("{USER}", password="{PASSWORD}")\n'
        manage(env, "shell", "--no-imports", "-c", setup, timeout=600)
        with Server(env, var_dir / "a.log") as a, Server(env, var_dir / "b.log") as b:
            with ThreadPoolExecutor(2) as pool:  # both start at once
                for started in [pool.submit(s.start, 600) for s in (a, b)]:
                    started.result()
            yield a, b, env


def login(server: Server) -> dict[str, Any]:
    r = httpx.post(
        server.url + "/api/auth/token",
        json={"username": USER, "password": PASSWORD},
        timeout=60,
    )
    r.raise_for_status()
    return dict(r.json())


def me(server: Server, access: str) -> int:
    r = httpx.get(
        server.url + "/api/auth/me", headers={"Authorization": f"Bearer {access}"}, timeout=60
    )
    return r.status_code


def test_logout_on_a_is_refused_on_b_at_once(workers: tuple[Server, Server, Any]) -> None:
    a, b, _ = workers
    for _ in range(5):
        pair = login(a)
        assert me(b, pair["access"]) == 200 and me(b, pair["access"]) == 200  # cached on B
        r = httpx.post(a.url + "/api/auth/logout", json={"refresh": pair["refresh"]}, timeout=60)
        assert r.status_code == 204
        assert me(b, pair["access"]) == 401  # the very next request, on the other worker
        assert me(a, pair["access"]) == 401


def test_refresh_reuse_on_a_revokes_the_family_on_b(workers: tuple[Server, Server, Any]) -> None:
    a, b, _ = workers
    first = login(a)
    r = httpx.post(a.url + "/api/auth/refresh", json={"refresh": first["refresh"]}, timeout=60)
    second = r.json()
    assert me(b, second["access"]) == 200 and me(b, second["access"]) == 200
    r = httpx.post(a.url + "/api/auth/refresh", json={"refresh": first["refresh"]}, timeout=60)
    assert r.status_code == 401  # reuse: the family is revoked
    assert me(b, second["access"]) == 401


async def test_logout_on_a_closes_the_socket_on_b_4401(
    workers: tuple[Server, Server, Any],
) -> None:
    a, b, _ = workers
    pair = login(a)
    ws_url = b.url.replace("http://", "ws://") + "/ws/stream/"
    async with connect(ws_url, origin=websockets.Origin(b.url)) as ws:
        await ws.send(json.dumps({"type": "auth", "token": pair["access"]}))
        assert json.loads(await ws.recv())["type"] == "authenticated"
        async with httpx.AsyncClient(timeout=60) as client:
            r = await client.post(a.url + "/api/auth/logout", json={"refresh": pair["refresh"]})
        assert r.status_code == 204
        answered = time.monotonic()

        async def until_closed() -> None:
            while True:
                await asyncio.wait_for(ws.recv(), 1.0)

        with pytest.raises(ConnectionClosed) as closed:
            await until_closed()
        assert time.monotonic() - answered < 1.0
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 4401
