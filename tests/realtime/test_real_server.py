"""/ws/stream/ against real uvicorn servers in subprocesses, with a real WebSocket client.

The embedded half runs one server on SQLite and the in-memory layer: the handshake and its
failures, authorization, malformed frames, and replay after a reconnect while bars keep
arriving. The services half runs TWO servers (two processes, two ports) sharing PostgreSQL
and Redis: signals caused by an ingest on one reach subscribers connected to the other.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import websockets
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

from tests.e2e.server import (
    Server,
    manage,
    postgres_database,
    prepare,
    require_services,
    server_env,
    services_env,
)
from tests.web.signals import _data

pytestmark = pytest.mark.e2e

ALICE, BOB, PASSWORD = "alice-rt", "bob-rt", "rt-password-0123456789"

SETUP = """
import json
from tests.web.signals import _data
from titan_web.accounts.models import User
from titan_web.market import services
from titan_web.tasks.models import TaskRun
from asgiref.sync import async_to_sync
alice = User.objects.create_user("{alice}", password="{password}")
bob = User.objects.create_user("{bob}", password="{password}")
history = _data.closes("2017-01-01", "2018-12-31")
async_to_sync(services.abars_ingest_rows)(rows=_data.rows(history))
pair, ps = _data.make_pair_and_params(alice, history)
task = TaskRun.objects.create(owner=bob, kind="scan")
print("IDS=" + json.dumps({{"pair": pair.pk, "ps": ps.pk, "bob_task": str(task.pk)}}))
"""


def setup_data(env: dict[str, str]) -> dict[str, Any]:
    out = manage(
        env, "shell", "--no-imports", "-c", SETUP.format(alice=ALICE, bob=BOB, password=PASSWORD)
    )
    line = next(x for x in out.splitlines() if x.startswith("IDS="))
    return dict(json.loads(line[4:]))


def token(server: Server, username: str = ALICE) -> str:
    r = httpx.post(
        server.url + "/api/auth/token",
        json={"username": username, "password": PASSWORD},
        timeout=60,  # a password hash and a cold server on a loaded machine: seconds
    )
    r.raise_for_status()
    return str(r.json()["access"])


def ws_url(server: Server) -> str:
    return server.url.replace("http://", "ws://") + "/ws/stream/"


async def authed(server: Server, username: str = ALICE) -> ClientConnection:
    ws = await connect(ws_url(server), origin=websockets.Origin(server.url))
    await ws.send(json.dumps({"type": "auth", "token": token(server, username)}))
    assert json.loads(await ws.recv())["type"] == "authenticated"
    return ws


async def call(ws: ClientConnection, frame: Any) -> dict[str, Any]:
    await ws.send(frame if isinstance(frame, str) else json.dumps(frame))
    return dict(json.loads(await asyncio.wait_for(ws.recv(), 5)))


async def closed_with(ws: ClientConnection) -> int | None:
    try:
        while True:
            await asyncio.wait_for(ws.recv(), 10)
    except ConnectionClosed:
        return ws.close_code


class Feed:
    """Plays 2019 KO/PEP bars into a server through ``POST /api/bars/ingest``, a day a call."""

    def __init__(self) -> None:
        self.days = _data.closes("2019-01-01", "2019-12-31")
        self.next = 0

    async def play(self, server: Server, admin_token: str, n: int) -> None:
        async with httpx.AsyncClient(timeout=30) as client:
            for _ in range(n):
                day = self.days.iloc[self.next : self.next + 1]
                self.next += 1
                r = await client.post(
                    server.url + "/api/bars/ingest",
                    json={"rows": _data.rows(day)},
                    headers={"Authorization": f"Bearer {admin_token}"},
                )
                assert r.status_code in (200, 201), r.text


def stored_seqs(server: Server, pair: int, since: int = 0) -> list[int]:
    r = httpx.get(
        server.url + "/api/signals/",
        params={"pair": pair, "since_seq": since, "limit": 5000},
        headers={"Authorization": f"Bearer {token(server)}"},
    )
    r.raise_for_status()
    return [s["seq"] for s in r.json()["results"]]


def create_monitor(server: Server, ids: dict[str, Any]) -> None:
    r = httpx.post(
        server.url + "/api/monitors/",
        json={"pair": ids["pair"], "parameter_set": ids["ps"]},
        headers={"Authorization": f"Bearer {token(server)}"},
        timeout=60,
    )
    assert r.status_code == 201, r.text


async def signals_until(ws: ClientConnection, last: int, *, timeout: float = 10) -> list[int]:
    """Seqs of signal frames received until seq ``last`` arrives."""
    seqs: list[int] = []
    while not seqs or seqs[-1] < last:
        frame = json.loads(await asyncio.wait_for(ws.recv(), timeout))
        if frame["type"] == "signal":
            seqs.append(frame["seq"])
    return seqs


# -- embedded: one server, SQLite, in-memory layer ------------------------------------------


@pytest.fixture(scope="module")
def embedded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, dict[str, Any]]]:
    var_dir = tmp_path_factory.mktemp("titan-rt-var")
    env = server_env(var_dir)
    prepare(var_dir, env)
    ids = setup_data(env)
    with Server(env, var_dir / "uvicorn.log") as server:
        server.start()
        create_monitor(server, ids)
        yield server, ids


async def test_handshake_success_and_ping(embedded: tuple[Server, dict[str, Any]]) -> None:
    server, _ = embedded
    ws = await authed(server)
    assert await call(ws, {"type": "ping", "ts": 7}) == {"type": "pong", "ts": 7}
    await ws.close()


def direct_frames(server: Server) -> float:
    for line in httpx.get(server.url + "/metrics").text.splitlines():
        if line.startswith("titan_ws_frames_direct_total"):
            return float(line.split()[-1])
    raise AssertionError("no titan_ws_frames_direct_total in /metrics")


async def test_frames_go_straight_to_the_socket_even_when_the_client_asks_for_deflate(
    embedded: tuple[Server, dict[str, Any]],
) -> None:
    server, _ = embedded
    before = direct_frames(server)
    # websockets' client offers permessage-deflate; the server (--ws-per-message-deflate
    # false) declines, so the connection has no extension and takes the direct path.
    ws = await authed(server)
    assert ws.protocol.extensions == []
    for ts in range(20):
        assert await call(ws, {"type": "ping", "ts": ts}) == {"type": "pong", "ts": ts}
    await ws.close()
    assert direct_frames(server) >= before + 20


async def test_bad_token_closes_4401(embedded: tuple[Server, dict[str, Any]]) -> None:
    server, _ = embedded
    async with connect(ws_url(server)) as ws:
        reply = await call(ws, {"type": "auth", "token": "forged"})
        assert reply["code"] == "unauthenticated"
        assert await closed_with(ws) == 4401


async def test_no_auth_within_five_seconds_closes_4401(
    embedded: tuple[Server, dict[str, Any]],
) -> None:
    server, _ = embedded
    async with connect(ws_url(server)) as ws:
        start = asyncio.get_running_loop().time()
        assert await closed_with(ws) == 4401
        assert 4.8 <= asyncio.get_running_loop().time() - start < 8


async def test_foreign_origin_is_refused(embedded: tuple[Server, dict[str, Any]]) -> None:
    server, _ = embedded
    with pytest.raises(InvalidStatus) as info:
        await connect(ws_url(server), origin=websockets.Origin("https://evil.example"))
    assert info.value.response.status_code == 403


async def test_authorization_and_malformed_frames(
    embedded: tuple[Server, dict[str, Any]],
) -> None:
    server, ids = embedded
    ws = await authed(server)
    reply = await call(ws, {"type": "subscribe", "topic": f"task:{ids['bob_task']}"})
    assert reply["type"] == "error" and reply["code"] == "forbidden"
    for frame in ("{nope", "[1]", {"type": "subscribe", "topic": "pair:x y"}, {"type": "?"}):
        reply = await call(ws, frame)
        assert reply["type"] == "error" and reply["code"] == "bad_request"
    await ws.send(b"\x00")
    assert json.loads(await ws.recv())["code"] == "bad_request"
    assert (await call(ws, {"type": "subscribe", "topic": "signals"}))["type"] == "subscribed"
    assert (await call(ws, {"type": "ping"}))["type"] == "pong"
    await ws.close()
    bob = await authed(server, BOB)
    reply = await call(bob, {"type": "subscribe", "topic": f"pair:{ids['pair']}"})
    assert reply["code"] == "forbidden"
    await bob.close()


async def test_replay_after_reconnect_has_no_gap_and_no_duplicate(
    embedded: tuple[Server, dict[str, Any]],
) -> None:
    server, ids = embedded
    admin, feed, topic = server.token(), Feed(), f"pair:{ids['pair']}"
    ws = await authed(server)
    assert (await call(ws, {"type": "subscribe", "topic": topic}))["type"] == "subscribed"
    while len(stored_seqs(server, ids["pair"])) < 2:
        await feed.play(server, admin, 5)
    first = await signals_until(ws, stored_seqs(server, ids["pair"])[-1])
    await ws.close()
    last = first[-1]
    while len(stored_seqs(server, ids["pair"], last)) < 3:  # missed while disconnected
        await feed.play(server, admin, 5)

    ws = await authed(server)
    await ws.send(json.dumps({"type": "subscribe", "topic": topic, "since_seq": last}))
    # Bars keep arriving during the replay.
    playing = asyncio.create_task(feed.play(server, admin, 40))
    frame = json.loads(await asyncio.wait_for(ws.recv(), 5))
    assert frame == {"type": "subscribed", "topic": topic}
    await playing
    final = stored_seqs(server, ids["pair"])[-1]
    assert final > last + 3
    after = await signals_until(ws, final)
    assert first == list(range(first[0], last + 1))
    assert after == list(range(last + 1, final + 1))
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(ws.recv(), 0.5)
    await ws.close()


# -- services: two servers sharing PostgreSQL and Redis -------------------------------------


@pytest.fixture(scope="module")
def two_workers(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Server, Server, dict[str, Any]]]:
    _, redis_url = require_services("the two-worker test")
    var_dir = tmp_path_factory.mktemp("titan-rt-2w")
    with postgres_database("titan_rt_e2e") as url:
        env = services_env(var_dir, url, redis_url)
        prepare(var_dir, env)
        ids = setup_data(env)
        with (
            Server(env, var_dir / "a.log") as a,
            Server(env, var_dir / "b.log") as b,
        ):
            a.start()
            b.start()
            create_monitor(a, ids)
            yield a, b, ids


@pytest.mark.services
async def test_signals_cross_workers_through_redis(
    two_workers: tuple[Server, Server, dict[str, Any]],
) -> None:
    a, b, ids = two_workers
    topic = f"pair:{ids['pair']}"
    on_a, on_b = await authed(a), await authed(b)
    for ws in (on_a, on_b):
        assert (await call(ws, {"type": "subscribe", "topic": topic}))["type"] == "subscribed"
    mine = await authed(a)
    assert (await call(mine, {"type": "subscribe", "topic": "signals"}))["type"] == "subscribed"
    feed, admin = Feed(), b.token()
    while len(stored_seqs(b, ids["pair"])) < 3:
        await feed.play(b, admin, 10)  # ingested on B only
    final = stored_seqs(b, ids["pair"])[-1]
    expected = list(range(1, final + 1))
    assert await signals_until(on_a, final) == expected  # crossed from B to A
    assert await signals_until(on_b, final) == expected
    assert await signals_until(mine, final) == expected
    for ws in (on_a, on_b, mine):
        await ws.close()


async def test_no_query_string_reaches_the_server_log(
    embedded: tuple[Server, dict[str, Any]],
) -> None:
    """uvicorn logs each WebSocket handshake with its path and query string (on its error
    logger, despite --no-access-log): the token a client put there must not reach the log."""
    server, _ = embedded
    secret = "eyJhbGciOiJIUzI1NiJ9.leaked-" + uuid.uuid4().hex
    async with connect(
        ws_url(server) + f"?token={secret}&x=1", origin=websockets.Origin(server.url)
    ) as ws:
        await ws.send(json.dumps({"type": "auth", "token": token(server)}))
        assert json.loads(await ws.recv())["type"] == "authenticated"
    async with httpx.AsyncClient() as client:
        await client.get(server.url + f"/api/pairs/?token={secret}")
    for _ in range(50):
        log = server.log_path.read_text(errors="replace")
        if '"WebSocket /ws/stream/"' in log:
            break
        await asyncio.sleep(0.1)
    assert '"WebSocket /ws/stream/" [accepted]' in log  # the handshake line is there...
    assert secret not in log and "token=" not in log  # ...without its query string
