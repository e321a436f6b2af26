"""A real server, really killed: no task is left ``running`` after a crash or a shutdown.

Each test starts ``uvicorn titan_web.asgi:application --lifespan on`` in a subprocess on an
embedded SQLite database in a temporary var dir, submits a long task over HTTP, then kills
the server (``kill -9``) or stops it (SIGTERM) and checks the task's final state.
"""

from __future__ import annotations

import contextlib
import sqlite3
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e.server import Server, prepare, server_env

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def var_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("titan-e2e-var")
    prepare(path, server_env(path))
    return path


@pytest.fixture
def env(var_dir: Path) -> dict[str, str]:
    # One selftest at a time, so that a second one waits queued; quick heartbeats.
    return server_env(var_dir, TITAN_TASK_LIMITS="selftest=1", TITAN_TASK_HEARTBEAT_SECONDS="1")


@pytest.fixture
def server(env: dict[str, str], var_dir: Path) -> Iterator[Server]:
    with Server(env, var_dir / "uvicorn.log") as srv:
        yield srv


def row(var_dir: Path, task_id: str) -> dict[str, Any]:
    """The task's row read straight from the SQLite file (no server involved)."""
    with sqlite3.connect(var_dir / "titan.sqlite3") as db:
        db.row_factory = sqlite3.Row
        found = db.execute(
            "SELECT status, error, progress, finished_at FROM tasks_taskrun WHERE id = ?",
            (uuid.UUID(task_id).hex,),
        ).fetchone()
    assert found is not None, task_id
    return dict(found)


def submit(client: httpx.Client, server: Server, **params: Any) -> str:
    r = client.post(server.url + "/api/tasks/selftest", json=params)
    assert r.status_code == 202, r.text
    assert r.headers["Location"] == f"/api/tasks/{r.json()['id']}/"
    return str(r.json()["id"])


def wait_for(
    client: httpx.Client, server: Server, task_id: str, check: Any, timeout: float = 10
) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        body = client.get(f"{server.url}/api/tasks/{task_id}/").json()
        if check(body):
            return dict(body)
        if time.monotonic() > deadline:
            raise AssertionError(f"task never reached the expected state: {body}\n{server.log()}")
        time.sleep(0.1)


@contextlib.contextmanager
def client_for(server: Server) -> Iterator[httpx.Client]:
    with httpx.Client(timeout=10) as client:
        client.headers["Authorization"] = f"Bearer {server.token(client)}"
        yield client


def test_kill_9_then_restart_marks_the_running_task_interrupted(
    server: Server, var_dir: Path
) -> None:
    server.start()
    with client_for(server) as client:
        long_id = submit(client, server, chunks=600, sleep_ms=100)
        queued_id = submit(client, server, chunks=5, sleep_ms=10)
        wait_for(client, server, long_id, lambda t: t["status"] == "running" and t["progress"] > 0)
        assert client.get(f"{server.url}/api/tasks/{queued_id}/").json()["status"] == "queued"

    server.kill()
    # The crash left the rows exactly as they were: the long one stuck "running".
    assert row(var_dir, long_id)["status"] == "running"
    assert row(var_dir, queued_id)["status"] == "queued"

    server.start()
    with client_for(server) as client:
        long_task = client.get(f"{server.url}/api/tasks/{long_id}/").json()
        assert long_task["status"] == "interrupted", long_task
        assert long_task["error"].startswith("Interrupted: the task was running when its process")
        assert "is gone" in long_task["error"] and long_task["finished_at"]
        assert 0 < long_task["progress"] < 1
        queued = client.get(f"{server.url}/api/tasks/{queued_id}/").json()
        assert queued["status"] == "interrupted" and "waiting to start" in queued["error"]
        # The restarted server runs new work normally.
        fresh = submit(client, server, chunks=3, sleep_ms=10)
        done = wait_for(client, server, fresh, lambda t: t["status"] not in ("queued", "running"))
        assert done["status"] == "succeeded" and done["progress"] == 1.0
    assert server.stop() in (0, -15)


def test_graceful_shutdown_marks_running_and_queued_tasks_interrupted(
    server: Server, var_dir: Path
) -> None:
    server.start()
    with client_for(server) as client:
        running_id = submit(client, server, chunks=600, sleep_ms=100)
        queued_id = submit(client, server, chunks=5, sleep_ms=10)
        wait_for(client, server, running_id, lambda t: t["status"] == "running")
    started = time.monotonic()
    assert server.stop() in (0, -15), server.log()
    assert time.monotonic() - started < 15
    running, queued = row(var_dir, running_id), row(var_dir, queued_id)
    assert running["status"] == "interrupted" and running["finished_at"], running
    assert running["error"] == "server shut down while the task was running"
    assert queued["status"] == "interrupted"
    assert queued["error"] == "server shut down before the task started"
