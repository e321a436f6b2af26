"""Reading configuration from the environment (no Django imports: settings uses this)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlparse

BASE_DIR = Path(__file__).resolve().parent.parent


class ConfigError(RuntimeError):
    """The environment does not describe a configuration TITAN can start with."""


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be an integer, got {raw!r}") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name, "").strip()
    return [p.strip() for p in raw.split(",") if p.strip()] if raw else list(default)


def var_dir() -> Path:
    path = Path(env_str("TITAN_VAR_DIR") or BASE_DIR / "var")
    path.mkdir(parents=True, exist_ok=True)
    return path


def generated_secret(filename: str, *, nbytes: int = 48) -> str:
    """Return a secret kept in ``var/<filename>``, generating it on first use (embedded mode)."""
    path = var_dir() / filename
    if path.exists():
        value = path.read_text().strip()
        if value:
            return value
    value = secrets.token_urlsafe(nbytes)
    path.write_text(value + "\n")
    path.chmod(0o600)
    return value


def database_from_url(url: str, *, pool: bool = True) -> dict[str, Any]:
    """Django DATABASES entry from a ``postgres://`` or ``sqlite:///path`` URL.

    PostgreSQL uses psycopg 3 with its connection pool and ``CONN_MAX_AGE = 0``: under ASGI
    persistent connections leak (one per thread), the pool does not (docs/decisions.md).
    """
    parsed = urlparse(url)
    scheme = parsed.scheme.split("+")[0]
    if scheme == "sqlite":
        name = (
            unquote(parsed.path[1:] if parsed.path.startswith("//") else parsed.path) or ":memory:"
        )
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": name, "CONN_MAX_AGE": 0}
    if scheme not in {"postgres", "postgresql"}:
        raise ConfigError(f"unsupported database URL scheme {parsed.scheme!r}")
    query = {k: v[-1] for k, v in parse_qs(parsed.query).items()}
    options: dict[str, Any] = {}
    if pool:
        options["pool"] = {
            "min_size": int(query.pop("pool_min", "1")),
            "max_size": int(query.pop("pool_max", "20")),
            "timeout": float(query.pop("pool_timeout", "3")),
        }
    options.update(query)
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parsed.path.lstrip("/")) or "postgres",
        "USER": unquote(parsed.username or ""),
        "PASSWORD": unquote(parsed.password or ""),
        "HOST": parsed.hostname or "",
        "PORT": str(parsed.port or ""),
        "CONN_MAX_AGE": 0,
        # With the pool, health checks mean psycopg_pool's check of each connection (an empty
        # query) as it leaves the pool: after a PostgreSQL restart the pool's idle
        # connections are dead, and without the check the first request to draw each one
        # failed (tests/faults).
        "CONN_HEALTH_CHECKS": pool,
        "OPTIONS": options,
    }


def sqlite_database(path: Path) -> dict[str, Any]:
    """The embedded default: a SQLite file with WAL so readers do not block the writer."""
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        "CONN_MAX_AGE": 0,
        "OPTIONS": {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
    }
