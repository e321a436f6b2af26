"""Faults with real services: one uvicorn on a private PostgreSQL cluster and a private Redis
(tests/faults/instances.py), which these tests stop, restart, starve and kill.

- Redis killed and restarted while a client streams: HTTP keeps serving, the client gets a
  ``resync`` frame, resubscribes with ``since_seq`` and has every signal, once.
- PostgreSQL restarted: requests fail fast with 503 problem+json, then recover; the server
  holds no more sessions afterwards than before.
- PostgreSQL out of connections: 503 within the pool timeout, no hang; recovery after.
- A compute worker SIGKILLed mid-task: the task fails with the worker's death, the pool is
  replaced and the next task succeeds; the server stays up.
- The server SIGKILLed during an ingest (no partial batch after the restart) and during a
  task (``interrupted`` after the restart).

Figures (latencies, recovery times, session counts) are printed as ``FAULTS {...}`` lines
(``-s`` shows them) and published in docs/reliability.md, "Faults".
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
import websockets
from websockets.asyncio.client import connect

from tests.e2e.server import Server, postgres_database, prepare, services_env
from tests.faults.instances import PrivatePostgres, PrivateRedis, private_postgres, private_redis
from tests.realtime.test_real_server import ALICE, PASSWORD, Feed, setup_data

pytestmark = [pytest.mark.e2e, pytest.mark.services, pytest.mark.timeout(1200)]

MAX_CONNECTIONS = 40


def report(name: str, **figures: Any) -> None:
    print("FAULTS " + json.dumps({"test": name, **figures}), flush=True)


@dataclass
class Stack:
    server: Server
    pg: PrivatePostgres
    redis: PrivateRedis
    dbname: str
    ids: dict[str, Any]
    var_dir: Path


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    var_dir = tmp_path_factory.mktemp("titan-faults")
    with (
        private_postgres(max_connections=MAX_CONNECTIONS) as pg,
        private_redis(var_dir) as redis,
        postgres_database("titan_faults", server_url=pg.url) as url,
    ):
        env = services_env(
            var_dir,
            url,
            redis.url,
            TITAN_TASK_HEARTBEAT_SECONDS="1",
            TITAN_COMPUTE_WORKERS="2",
        )
        prepare(var_dir, env)
        ids = setup_data(env)
        with Server(env, var_dir / "uvicorn.log") as server:
            server.start(timeout=600)
            create_monitor(server, ids)
            yield Stack(server, pg, redis, url.rsplit("/", 1)[1], ids, var_dir)


def auth(tok: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {tok}"}


def token(server: Server, username: str = ALICE) -> str:
    """An access token (generous timeout: sign-ins hash a password on a loaded machine)."""
    r = httpx.post(
        server.url + "/api/auth/token",
        json={"username": username, "password": PASSWORD},
        timeout=120,
    )
    r.raise_for_status()
    return str(r.json()["access"])


def create_monitor(server: Server, ids: dict[str, Any]) -> None:
    r = httpx.post(
        server.url + "/api/monitors/",
        json={"pair": ids["pair"], "parameter_set": ids["ps"]},
        headers=auth(token(server)),
        timeout=120,
    )
    assert r.status_code == 201, r.text


async def call(ws: Any, frame: dict[str, Any]) -> dict[str, Any]:
    await ws.send(json.dumps(frame))
    return dict(json.loads(await asyncio.wait_for(ws.recv(), 30)))


async def authed(server: Server, tok: str) -> Any:
    ws = await connect(
        server.url.replace("http://", "ws://") + "/ws/stream/", origin=websockets.Origin(server.url)
    )
    await ws.send(json.dumps({"type": "auth", "token": tok}))
    assert json.loads(await asyncio.wait_for(ws.recv(), 30))["type"] == "authenticated"
    return ws


def timed_get(url: str, tok: str, timeout: float = 30) -> tuple[int, float, httpx.Response]:
    started = time.monotonic()
    r = httpx.get(url, headers=auth(tok), timeout=timeout)
    return r.status_code, time.monotonic() - started, r


def assert_problem_503(r: httpx.Response) -> None:
    assert r.status_code == 503, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.headers["Retry-After"] == "1"
    body = r.json()
    assert body["status"] == 503 and body["service"] == "database", body


def until_ok(url: str, tok: str, timeout: float = 60) -> float:
    """Seconds until ``url`` answers 200 again."""
    started = time.monotonic()
    while True:
        status, _, r = timed_get(url, tok)
        if status == 200:
            return time.monotonic() - started
        assert status == 503, r.text
        assert time.monotonic() - started < timeout, "no recovery"
        time.sleep(0.1)


def warm(url: str, tok: str, n: int = 20) -> None:
    for _ in range(n):
        status, _, r = timed_get(url, tok)
        assert status == 200, r.text


# -- PostgreSQL ------------------------------------------------------------------------------


def test_postgres_restart_fails_fast_with_503_and_recovers_without_leak(stack: Stack) -> None:
    server, pg = stack.server, stack.pg
    tok = token(server)
    url = server.url + "/api/pairs/"
    warm(url, tok)
    before = pg.sessions(stack.dbname)
    figures: dict[str, Any] = {"sessions_before": before, "latency_503_s": []}
    for _ in range(2):  # twice: a leak would grow with each restart
        pg.stop("fast")  # ends every session, as a restart or a failover does
        for _ in range(5):
            _, took, r = timed_get(url, tok)
            assert_problem_503(r)
            figures["latency_503_s"].append(round(took, 3))
        pg.start()
        figures.setdefault("recovery_s", []).append(round(until_ok(url, tok), 3))
        warm(url, tok)
    figures["sessions_after"] = after = pg.sessions(stack.dbname)
    report("postgres_restart", **figures)
    assert max(figures["latency_503_s"]) < 6.0  # the pool timeout (3 s) plus a loaded machine
    assert after <= before + 2, figures  # no connection leaks across restarts
    assert httpx.get(server.url + "/healthz").status_code == 200


def test_postgres_connection_limit_gives_503_fast_then_recovers(stack: Stack) -> None:
    server, pg = stack.server, stack.pg
    tok = token(server)
    url = server.url + "/api/pairs/"
    warm(url, tok)
    held: list[psycopg.Connection[Any]] = []
    try:
        # End the server's sessions, then take every free slot: its pools must reconnect
        # and are refused ("too many clients").
        with psycopg.connect(pg.dsn(), autocommit=True) as admin:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                [stack.dbname],
            )
        refused = ""
        while not refused:
            try:
                held.append(psycopg.connect(pg.dsn(), autocommit=True, connect_timeout=5))
            except psycopg.OperationalError as exc:
                refused = str(exc)
            assert len(held) <= MAX_CONNECTIONS
        assert "too many clients" in refused or "reserved" in refused, refused
        latencies = []
        for _ in range(4):
            _, took, r = timed_get(url, tok)
            assert_problem_503(r)
            latencies.append(round(took, 3))
        assert httpx.get(server.url + "/healthz", timeout=5).status_code == 200
    finally:
        for conn in held:
            conn.close()
    recovery = until_ok(url, tok)
    report(
        "postgres_connection_limit", held=len(held), latency_503_s=latencies, recovery_s=recovery
    )
    assert max(latencies) < 6.0, latencies


# -- Redis -----------------------------------------------------------------------------------


async def seqs_until(ws: Any, last: int, *, timeout: float = 20) -> list[int]:
    """Seqs of the signal frames received until seq ``last`` (the frames seen, on timeout)."""
    seqs: list[int] = []
    frames: list[Any] = []
    deadline = time.monotonic() + timeout
    while not seqs or seqs[-1] < last:
        try:
            frame = json.loads(await asyncio.wait_for(ws.recv(), deadline - time.monotonic()))
        except TimeoutError:
            raise AssertionError(f"no seq {last} within {timeout} s; got {frames}") from None
        frames.append(frame)
        if frame["type"] == "signal":
            seqs.append(frame["seq"])
    return seqs


def stored_seqs(server: Server, pair: int, tok: str, since: int = 0) -> list[int]:
    """Stored seqs of ``pair`` with a token taken before the outage (a sign-in is throttled
    through the Redis cache, so it answers 503 while Redis is down)."""
    r = httpx.get(
        server.url + "/api/signals/",
        params={"pair": pair, "since_seq": since, "limit": 5000},
        headers=auth(tok),
        timeout=30,
    )
    r.raise_for_status()
    return [s["seq"] for s in r.json()["results"]]


async def test_redis_restart_during_streaming_resyncs_without_loss(stack: Stack) -> None:
    server, redis, ids = stack.server, stack.redis, stack.ids
    topic = f"pair:{ids['pair']}"
    admin, alice, feed = server.token(), token(server), Feed()
    feed.next = len(feed.days) // 2  # the other tests' feed starts at the beginning
    ws = await authed(server, alice)
    assert (await call(ws, {"type": "subscribe", "topic": topic}))["type"] == "subscribed"
    start = stored_seqs(server, ids["pair"], alice)
    base = start[-1] if start else 0
    while len(stored_seqs(server, ids["pair"], alice, base)) < 2:
        await feed.play(server, admin, 5)
    received = await seqs_until(ws, stored_seqs(server, ids["pair"], alice)[-1])
    last = received[-1]

    redis.stop()
    stopped = time.monotonic()
    while True:  # the client is told
        frame = json.loads(await asyncio.wait_for(ws.recv(), 15))
        if frame["type"] == "resync":
            break
    told = time.monotonic() - stopped
    assert frame == {
        "type": "resync",
        "topic": topic,
        "since_seq": last,
        "reason": "stream_unavailable",
    }
    # HTTP keeps serving: reads and ingests (their signals are stored, not delivered).
    async with httpx.AsyncClient(timeout=30) as client:
        t = time.monotonic()
        r = await client.get(server.url + "/api/pairs/", headers=auth(alice))
        read_during = time.monotonic() - t
        assert r.status_code == 200, r.text
    while len(stored_seqs(server, ids["pair"], alice, last)) < 2:
        await feed.play(server, admin, 5)
    reply = await call(ws, {"type": "subscribe", "topic": topic, "since_seq": last})
    assert reply == {
        "type": "error",
        "code": "unavailable",
        "message": "the stream is unavailable; retry",
    }

    redis.start()
    restarted = time.monotonic()
    while True:
        await ws.send(json.dumps({"type": "subscribe", "topic": topic, "since_seq": last}))
        reply = json.loads(await asyncio.wait_for(ws.recv(), 15))
        if reply["type"] == "subscribed":
            break
        assert reply["code"] == "unavailable", reply
        assert time.monotonic() - restarted < 30, "no recovery"
        await asyncio.sleep(0.2)
    recovered = time.monotonic() - restarted
    await feed.play(server, admin, 10)  # live again after the replay
    final = stored_seqs(server, ids["pair"], alice)[-1]
    after = await seqs_until(ws, final)
    assert after == list(range(last + 1, final + 1))  # no gap, no duplicate
    # A new client is served live as well (the hub re-joined the pair's group).
    other = await authed(server, token(server))
    assert (await call(other, {"type": "subscribe", "topic": topic}))["type"] == "subscribed"
    await feed.play(server, admin, 10)
    newest = stored_seqs(server, ids["pair"], alice)[-1]
    if newest > final:
        assert (await seqs_until(other, newest))[-1] == newest
        assert await seqs_until(ws, newest) == list(range(final + 1, newest + 1))
    for sock in (ws, other):
        await sock.close()
    report(
        "redis_restart",
        told_s=round(told, 3),
        read_during_outage_s=round(read_during, 3),
        resubscribed_after_restart_s=round(recovered, 3),
        signals_missed_during_outage=len(range(last + 1, final + 1)),
        lost=0,
        duplicated=0,
    )


# -- compute workers -------------------------------------------------------------------------


def children(pid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(entry.name))
    return out


def submit(server: Server, tok: str, **params: Any) -> str:
    r = httpx.post(server.url + "/api/tasks/selftest", json=params, headers=auth(tok), timeout=30)
    assert r.status_code == 202, r.text
    return str(r.json()["id"])


def wait_task(server: Server, tok: str, task_id: str, check: Any, timeout: float = 120) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        body = httpx.get(f"{server.url}/api/tasks/{task_id}/", headers=auth(tok), timeout=30).json()
        if check(body):
            return body
        assert time.monotonic() < deadline, f"{body}\n{server.log()}"
        time.sleep(0.1)


def test_killed_compute_worker_fails_the_task_and_the_pool_recovers(stack: Stack) -> None:
    server = stack.server
    tok = server.token()
    task_id = submit(server, tok, chunks=200, chunk_ms=100)
    wait_task(server, tok, task_id, lambda t: t["status"] == "running" and t["progress"] > 0)
    assert server.proc is not None
    workers = children(server.proc.pid)
    assert workers, "no compute worker processes"
    killed = time.monotonic()
    for pid in workers:
        os.kill(pid, signal.SIGKILL)
    done = wait_task(server, tok, task_id, lambda t: t["status"] not in ("queued", "running"))
    failed_after = time.monotonic() - killed
    assert done["status"] == "failed", done
    assert "worker" in done["error"].lower(), done
    t = time.monotonic()
    fresh = submit(server, tok, chunks=4, chunk_ms=10)
    ok = wait_task(server, tok, fresh, lambda t: t["status"] not in ("queued", "running"))
    assert ok["status"] == "succeeded", ok
    report(
        "compute_worker_killed",
        workers_killed=len(workers),
        task_failed_after_s=round(failed_after, 3),
        next_task_succeeded_after_s=round(time.monotonic() - t, 3),
        error=done["error"][:120],
    )
    assert httpx.get(server.url + "/healthz").status_code == 200


# -- the server killed -----------------------------------------------------------------------


def bars_of(stack: Stack, symbol: str) -> int:
    """Stored bars of ``symbol`` (any timeframe), read straight from the database."""
    with psycopg.connect(stack.pg.dsn(stack.dbname), autocommit=True) as db:
        row = db.execute(
            "SELECT count(*) FROM market_bar b JOIN market_series s ON s.id = b.series_id "
            "WHERE s.symbol = %s",
            [symbol],
        ).fetchone()
    assert row is not None
    return int(row[0])


def test_kill_9_during_ingest_leaves_no_partial_batch(stack: Stack) -> None:
    server = stack.server
    tok = server.token()
    symbol, n = "FLTKILL", 60_000
    first = datetime(2021, 1, 4, tzinfo=UTC)
    rows = [
        {
            "ts": (first + timedelta(minutes=i)).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "symbol": symbol,
            "open": 1.0,
            "high": 1.1,
            "low": 0.9,
            "close": 1.0 + (i % 7) / 100,
            "volume": 10,
        }
        for i in range(n)
    ]
    body = json.dumps({"rows": rows, "timeframe": "1m"}).encode()
    outcome: dict[str, Any] = {}

    def post() -> None:
        try:
            r = httpx.post(
                server.url + "/api/bars/ingest",
                content=body,
                headers={**auth(tok), "Content-Type": "application/json"},
                timeout=120,
            )
            outcome["status"] = r.status_code
        except httpx.HTTPError as exc:
            outcome["error"] = repr(exc)

    sender = threading.Thread(target=post)
    sender.start()
    # Kill while the batch is being parsed or written (the whole request takes seconds).
    deadline = time.monotonic() + 1.5
    while time.monotonic() < deadline and "status" not in outcome:
        time.sleep(0.05)
    server.kill()
    sender.join(60)
    assert "status" not in outcome, f"the ingest finished before the kill: {outcome}"
    count = bars_of(stack, symbol)
    assert count in (0, n), count  # all or nothing
    server.start(timeout=600)
    after = bars_of(stack, symbol)
    assert after == count
    report("kill_9_during_ingest", rows=n, bars_after_restart=after, client=outcome)


def test_kill_9_during_a_task_marks_it_interrupted_after_restart(stack: Stack) -> None:
    server = stack.server
    tok = server.token()
    task_id = submit(server, tok, chunks=600, sleep_ms=100)
    wait_task(server, tok, task_id, lambda t: t["status"] == "running" and t["progress"] > 0)
    server.kill()
    with psycopg.connect(stack.pg.dsn(stack.dbname), autocommit=True) as db:
        row = db.execute("SELECT status FROM tasks_taskrun WHERE id = %s", [task_id]).fetchone()
    assert row is not None and row[0] == "running"
    started = time.monotonic()
    server.start(timeout=600)
    tok = server.token()
    body = wait_task(server, tok, task_id, lambda t: t["status"] != "running", timeout=60)
    assert body["status"] == "interrupted", body
    assert "is gone" in body["error"], body
    report("kill_9_during_task", interrupted_after_restart_s=round(time.monotonic() - started, 3))
