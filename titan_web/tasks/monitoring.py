"""/metrics gauges of the task registry and of this process's event-loop lag.

Each uvicorn worker reports its own numbers (``titan_web.common.metrics`` labels them with the
pid). The loop-lag probe is :class:`engine.compute.LoopLagMonitor` (a 10 ms ticker): its
p50/p99/max overshoot over the last minute is what tells whether CPU work leaked onto the
loop. ``TITAN_LOOP_LAG_MONITOR=0`` disables the probe.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable

from engine.compute import LagStats, LoopLagMonitor
from titan_web.common.metrics import register_gauge
from titan_web.tasks import conf
from titan_web.tasks.registry import registry

_monitor = LoopLagMonitor(0.01, window=6000)
_registered: set[str] = set()


def lag_monitor() -> LoopLagMonitor:
    return _monitor


def lag_monitor_enabled() -> bool:
    return os.environ.get("TITAN_LOOP_LAG_MONITOR", "1").strip().lower() not in {"0", "false", "no"}


async def start_lag_monitor() -> None:
    """Start the probe on the running loop (ASGI start-up)."""
    if lag_monitor_enabled():
        _monitor.start()


async def stop_lag_monitor() -> None:
    if _monitor.running:
        await _monitor.stop()


def lag_stats() -> LagStats:
    return _monitor.stats()


def _metric_name(kind: str) -> str:
    return re.sub(r"[^a-zA-Z0-9_]", "_", kind)


def _count(kind: str | None, which: int) -> Callable[[], float]:
    def read() -> float:
        counts = registry.counts()
        if kind is None:
            return float(sum(pair[which] for pair in counts.values()))
        return float(counts.get(kind, (0, 0))[which])

    return read


def register_kind_gauges(kind: str) -> None:
    """Gauges ``titan_tasks_{running,queued}_<kind>`` (registered once per kind)."""
    if kind in _registered:
        return
    _registered.add(kind)
    name = _metric_name(kind)
    register_gauge(f"titan_tasks_running_{name}", _count(kind, 0))
    register_gauge(f"titan_tasks_queued_{name}", _count(kind, 1))


def register_gauges() -> None:
    register_gauge("titan_tasks_running", _count(None, 0))
    register_gauge("titan_tasks_queued", _count(None, 1))
    for kind in conf.known_kinds():
        register_kind_gauges(kind)
    register_gauge("titan_event_loop_lag_p50_seconds", lambda: lag_stats().p50)
    register_gauge("titan_event_loop_lag_p99_seconds", lambda: lag_stats().p99)
    register_gauge("titan_event_loop_lag_max_seconds", lambda: lag_stats().max)
