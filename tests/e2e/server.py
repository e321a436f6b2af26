"""A real TITAN server in a subprocess (uvicorn, embedded SQLite in a temporary var dir, or
PostgreSQL and Redis through :func:`postgres_database` and :func:`services_env`).

Used by the end-to-end tests and by ``tests/benchmarks/loop_lag.py``.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PASSWORD = "e2e-password-0123456789"
USERNAME = "e2e-admin"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_env(var_dir: Path, **extra: str) -> dict[str, str]:
    """Environment of an embedded server in ``var_dir`` (service URLs removed)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "TIMESCALE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
        and not k.startswith("PYTEST_")
    }
    env.update(
        {
            "TITAN_VAR_DIR": str(var_dir),
            "DJANGO_SETTINGS_MODULE": "titan_web.settings",
            "PYTHONUNBUFFERED": "1",
            "TITAN_LOG_LEVEL": "WARNING",
            # Test servers sign the same account in many times a minute; the throttles
            # themselves are tested in tests/web/security/test_throttling.py.
            "TITAN_AUTH_THROTTLE": "10000/min",
            "TITAN_AUTH_ACCOUNT_THROTTLE": "10000/min",
            # No compute warm-up at start-up (a test starts many servers; each warm-up costs
            # seconds of CPU): tests that measure it pass TITAN_WARM_START=block.
            "TITAN_WARM_START": "off",
        }
    )
    env.update(extra)
    return env


def require_services(what: str = "this test") -> tuple[str, str]:
    """``(DATABASE_URL, REDIS_URL)`` of the services half; skips without them, except under
    ``CI=true``, where a test that cannot run is a failure."""
    database, redis = os.environ.get("DATABASE_URL", ""), os.environ.get("REDIS_URL", "")
    if not database.startswith("postgres") or not redis:
        if os.environ.get("CI", "").lower() in {"1", "true"}:
            pytest.fail(f"CI: {what} needs DATABASE_URL (PostgreSQL) and REDIS_URL")
        pytest.skip(f"{what} needs DATABASE_URL (PostgreSQL) and REDIS_URL (make test-services)")
    return database, redis


def _admin_dsn(server_url: str) -> str:
    """A libpq DSN for the ``postgres`` maintenance database of ``server_url``'s server."""
    u = urlparse(server_url)
    parts = [f"host={u.hostname or '127.0.0.1'}", f"port={u.port or 5432}", "dbname=postgres"]
    parts.append(f"user={u.username or 'postgres'}")
    if u.password:
        parts.append(f"password={u.password}")
    return " ".join(parts)


@contextlib.contextmanager
def postgres_database(prefix: str, server_url: str | None = None) -> Iterator[str]:
    """A throwaway database ``<prefix>_<random>`` on the PostgreSQL server of ``server_url``
    (default ``DATABASE_URL``); yields its URL; ends its sessions and drops it afterwards."""
    import psycopg

    server_url = server_url or os.environ["DATABASE_URL"]
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    admin = _admin_dsn(server_url)
    with psycopg.connect(admin, autocommit=True) as db:
        db.execute(f'CREATE DATABASE "{name}"')
    u = urlparse(server_url)
    try:
        yield u._replace(path=f"/{name}", query="").geturl()
    finally:
        with (
            contextlib.suppress(psycopg.OperationalError),
            psycopg.connect(admin, autocommit=True, connect_timeout=10) as db,
        ):
            db.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                [name],
            )
            db.execute(f'DROP DATABASE IF EXISTS "{name}"')


def services_env(var_dir: Path, database_url: str, redis_url: str, **extra: str) -> dict[str, str]:
    """Environment of a server on PostgreSQL (both aliases on ``database_url``) and Redis,
    with a channel prefix of its own (``e2e-`` and the database's name), so servers of other
    tests that share the Redis database never see its messages, and the test process's own
    clean-ups (keys starting with ``titan``, tests/conftest.py) leave its keys alone."""
    name = urlparse(database_url).path.lstrip("/")
    return server_env(
        var_dir,
        DATABASE_URL=database_url,
        TIMESCALE_URL=database_url,
        REDIS_URL=redis_url,
        TITAN_CHANNEL_PREFIX=f"e2e-{name}",
        **extra,
    )


def manage(env: dict[str, str], *args: str, timeout: float = 120) -> str:
    proc = subprocess.run(
        [str(BIN / "python"), "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}")
    return proc.stdout


SETUP = f"""
from django.core.management import call_command
from titan_web.accounts.models import User
call_command("migrate", interactive=False, verbosity=0)
call_command("migrate", database="timescale", interactive=False, verbosity=0)
User.objects.create_superuser("{USERNAME}", "e2e@titan.local", "{PASSWORD}")
"""


def prepare(var_dir: Path, env: dict[str, str]) -> None:
    """Migrate both database aliases and create a staff user (``USERNAME``/``PASSWORD``),
    in one ``manage.py shell`` (one Django start-up instead of three)."""
    var_dir.mkdir(parents=True, exist_ok=True)
    manage(env, "shell", "--no-imports", "-c", SETUP)


# The options `make run` starts uvicorn with (Makefile UVICORN_OPTIONS, minus --ws).
UVICORN_OPTIONS = ("--lifespan", "on", "--no-access-log", "--ws-per-message-deflate", "false")


class Server:
    """``uvicorn titan_web.asgi:application --lifespan on`` on a free loopback port."""

    def __init__(
        self, env: dict[str, str], log_path: Path, app: str = "titan_web.asgi:application"
    ) -> None:
        self.env = env
        self.app = app
        self.log_path = log_path
        self.port = 0
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(
        self, timeout: float = 90.0, probe: str = "/healthz", port: int | None = None
    ) -> Server:
        """Start on ``port`` (default: a free one). After :meth:`stop`, ``start(port=self.port)``
        serves again where the clients were connected, as a restarted server does."""
        self.port = port or free_port()
        log = self.log_path.open("ab")
        self.proc = subprocess.Popen(
            [
                str(BIN / "uvicorn"),
                self.app,
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                *UVICORN_OPTIONS,
                # The benchmarks compare WebSocket implementations through UVICORN_WS.
                "--ws",
                self.env.get("UVICORN_WS", "websockets-sansio"),
            ],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}:\n{self.log()}")
            try:
                if httpx.get(self.url + probe, timeout=1.0).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"server did not answer {probe} within {timeout} s:\n{self.log()}")

    def kill(self) -> None:
        """``kill -9``: no shutdown hooks run."""
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)

    def stop(self, timeout: float = 20.0) -> int:
        """SIGTERM (graceful: the ASGI lifespan shutdown runs); returns the exit status."""
        if self.proc is None or self.proc.poll() is not None:
            return self.proc.returncode if self.proc else 0
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)
            raise

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-5000:]
        except OSError:
            return ""

    def token(self, client: httpx.Client | None = None) -> str:
        c = client or httpx.Client(timeout=120)
        r = c.post(self.url + "/api/auth/token", json={"username": USERNAME, "password": PASSWORD})
        r.raise_for_status()
        return str(r.json()["access"])

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc: Any) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)
