"""Settings of the task registry: Django settings first, then the environment, then defaults.

Every value is read when it is needed (not cached at import), so tests can override them with
pytest-django's ``settings`` fixture.

``TITAN_TASK_LIMITS``
    Concurrent runs per kind *in one process*, e.g. ``{"scan": 1, "backtest": 2, "default": 2}``
    in settings or ``scan=1,backtest=2,default=2`` in the environment. Runs beyond the limit
    wait in FIFO order (status ``queued``).
``TITAN_TASK_TIME_LIMITS``
    Seconds a run of each kind may take once started, same forms (``default`` for the rest).
    A run over its limit is cancelled and marked ``failed``.
``TITAN_TASK_HEARTBEAT_SECONDS`` (5)
    How often a process stamps ``heartbeat_at`` on its queued and running rows.
``TITAN_TASK_STALE_SECONDS`` (30)
    A row of another process whose heartbeat is older than this is orphaned (unless that
    process is known alive on this host).
``TITAN_TASK_PROGRESS_PUBLISH_SECONDS`` (0.1) / ``TITAN_TASK_PROGRESS_SAVE_SECONDS`` (1.0)
    Least time between two progress events published / two progress writes to the database.
``TITAN_TASK_CANCEL_GRACE_SECONDS`` (60)
    After a cancel request, work that has not stopped by itself within this time is cancelled
    at its next ``await`` (0 disables the escalation).
``TITAN_TASK_SHUTDOWN_GRACE_SECONDS`` (10)
    At shutdown, how long cancelled runs get to record their end.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from django.conf import settings

DEFAULT_LIMITS: dict[str, int] = {
    "scan": 1,
    "backtest": 2,
    "walkforward": 1,
    "optimize": 1,
    "fetch": 2,
    "ingest": 1,
    "selftest": 2,
    "default": 2,
}
DEFAULT_TIME_LIMITS: dict[str, float] = {
    "scan": 2 * 3600,
    "backtest": 3600,
    "walkforward": 4 * 3600,
    "optimize": 4 * 3600,
    "fetch": 1800,
    "ingest": 1800,
    "selftest": 600,
    "default": 3600,
}


def _mapping(name: str) -> dict[str, float]:
    value: Any = getattr(settings, name, None)
    if value is None:
        raw = os.environ.get(name, "").strip()
        if not raw:
            return {}
        value = {}
        for part in raw.split(","):
            key, sep, number = part.partition("=")
            if not sep:
                raise ValueError(f"{name}: expected kind=value pairs, got {part!r}")
            value[key.strip()] = float(number)
    if not isinstance(value, Mapping):
        raise ValueError(f"{name} must be a mapping of kind to number")
    return {str(k): float(v) for k, v in value.items()}


def _number(name: str, default: float) -> float:
    value: Any = getattr(settings, name, None)
    if value is None:
        raw = os.environ.get(name, "").strip()
        return float(raw) if raw else default
    return float(value)


def concurrency_limit(kind: str) -> int:
    limits = {**DEFAULT_LIMITS, **_mapping("TITAN_TASK_LIMITS")}
    return max(1, int(limits.get(kind, limits["default"])))


DEFAULT_USER_LIMITS: dict[str, float] = {"default": 20}


def user_limit(kind: str) -> int:
    """Queued plus running tasks of one kind one user may have (``TITAN_TASK_USER_LIMITS``,
    ``kind=n`` pairs, default 20 for every kind); a submission past it answers 429."""
    limits = {**DEFAULT_USER_LIMITS, **_mapping("TITAN_TASK_USER_LIMITS")}
    return max(1, int(limits.get(kind, limits["default"])))


def time_limit(kind: str) -> float:
    limits = {**DEFAULT_TIME_LIMITS, **_mapping("TITAN_TASK_TIME_LIMITS")}
    return float(limits.get(kind, limits["default"]))


def known_kinds() -> list[str]:
    kinds = set(DEFAULT_LIMITS) | set(_mapping("TITAN_TASK_LIMITS"))
    return sorted(kinds - {"default"})


def heartbeat_seconds() -> float:
    return _number("TITAN_TASK_HEARTBEAT_SECONDS", 5.0)


def stale_seconds() -> float:
    return _number("TITAN_TASK_STALE_SECONDS", 30.0)


def publish_interval() -> float:
    return _number("TITAN_TASK_PROGRESS_PUBLISH_SECONDS", 0.1)


def save_interval() -> float:
    return _number("TITAN_TASK_PROGRESS_SAVE_SECONDS", 1.0)


def cancel_grace_seconds() -> float:
    return _number("TITAN_TASK_CANCEL_GRACE_SECONDS", 60.0)


def shutdown_grace_seconds() -> float:
    return _number("TITAN_TASK_SHUTDOWN_GRACE_SECONDS", 10.0)
