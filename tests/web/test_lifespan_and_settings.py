"""ASGI lifespan hooks, and settings read from the environment."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from titan_web.common import lifespan
from titan_web.env import ConfigError, database_from_url

ROOT = Path(__file__).resolve().parents[2]


async def _drive(app: Any, messages: list[str]) -> list[dict[str, Any]]:
    inbox = [{"type": m} for m in messages]
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return inbox.pop(0)

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await app({"type": "lifespan"}, receive, send)
    return sent


async def test_lifespan_runs_startup_then_shutdown_hooks_in_reverse(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[str] = []
    monkeypatch.setattr(lifespan, "_startup", [])
    monkeypatch.setattr(lifespan, "_shutdown", [])

    async def a_start() -> None:
        calls.append("a-start")

    async def b_start() -> None:
        calls.append("b-start")

    async def a_stop() -> None:
        calls.append("a-stop")

    async def b_stop() -> None:
        raise RuntimeError("b failed")  # a failing shutdown hook must not stop the others

    for hook in (a_start, b_start, a_start):
        lifespan.on_startup(hook)
    lifespan.on_shutdown(a_stop)
    lifespan.on_shutdown(b_stop)
    sent = await _drive(lifespan.LifespanApp(), ["lifespan.startup", "lifespan.shutdown"])
    assert [m["type"] for m in sent] == ["lifespan.startup.complete", "lifespan.shutdown.complete"]
    assert calls == ["a-start", "b-start", "a-stop"]


async def test_failing_startup_reports_failed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lifespan, "_startup", [])

    async def broken() -> None:
        raise RuntimeError("database unreachable")

    lifespan.on_startup(broken)
    sent = await _drive(lifespan.LifespanApp(), ["lifespan.startup"])
    assert (
        sent[0]["type"] == "lifespan.startup.failed"
        and "database unreachable" in sent[0]["message"]
    )


async def test_asgi_application_routes_lifespan() -> None:
    from titan_web.asgi import application

    sent = await _drive(application, ["lifespan.startup", "lifespan.shutdown"])
    assert [m["type"] for m in sent] == ["lifespan.startup.complete", "lifespan.shutdown.complete"]


def test_database_urls() -> None:
    pg = database_from_url("postgres://u:p%40ss@db.example:6543/titan?pool_max=7&sslmode=require")
    assert pg["ENGINE"] == "django.db.backends.postgresql" and pg["NAME"] == "titan"
    assert (pg["USER"], pg["PASSWORD"], pg["HOST"], pg["PORT"]) == (
        "u",
        "p@ss",
        "db.example",
        "6543",
    )
    assert pg["CONN_MAX_AGE"] == 0 and pg["OPTIONS"]["pool"]["max_size"] == 7
    assert pg["OPTIONS"]["sslmode"] == "require"
    lite = database_from_url("sqlite:////tmp/x.sqlite3")
    assert lite["ENGINE"].endswith("sqlite3") and lite["NAME"] == "/tmp/x.sqlite3"
    with pytest.raises(ConfigError):
        database_from_url("mysql://x/y")


def _settings_in_subprocess(
    env: dict[str, str], tmp_path: Path
) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TITAN_", "DJANGO_", "DATABASE_URL", "TIMESCALE_URL", "REDIS_URL"))
    }
    clean |= {"TITAN_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "titan_web.settings", **env}
    code = "import django; django.setup(); from django.conf import settings; print(settings.JWT['ALGORITHM'])"
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_embedded_mode_generates_secrets(tmp_path: Path) -> None:
    r = _settings_in_subprocess({}, tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "HS256"
    key = (tmp_path / "jwt_signing_key").read_text().strip()
    assert len(key.encode()) >= 32 and (tmp_path / "django_secret_key").exists()
    assert oct((tmp_path / "jwt_signing_key").stat().st_mode)[-3:] == "600"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"TITAN_ENV": "production"}, "DJANGO_SECRET_KEY"),
        ({"TITAN_ENV": "production", "DJANGO_SECRET_KEY": "x" * 50}, "TITAN_JWT_SIGNING_KEY"),
        ({"TITAN_JWT_SIGNING_KEY": "short"}, "at least 32 bytes"),
    ],
)
def test_refuses_to_start_without_safe_secrets(
    tmp_path: Path, env: dict[str, str], message: str
) -> None:
    r = _settings_in_subprocess(env, tmp_path)
    assert r.returncode != 0 and "ConfigError" in r.stderr and message in r.stderr


def test_production_starts_with_explicit_secrets(tmp_path: Path) -> None:
    r = _settings_in_subprocess(
        {
            "TITAN_ENV": "production",
            "DJANGO_SECRET_KEY": "x" * 50,
            "TITAN_JWT_SIGNING_KEY": "k" * 40,
        },
        tmp_path,
    )
    assert r.returncode == 0, r.stderr
    assert not (tmp_path / "jwt_signing_key").exists(), "production never generates secrets"
