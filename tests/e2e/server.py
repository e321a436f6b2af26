"""A real TITAN server in a subprocess (uvicorn, embedded SQLite in a temporary var dir).

Used by the end-to-end tests and by ``tests/benchmarks/loop_lag.py``.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

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
