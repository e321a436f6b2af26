"""The soak's REST clients: a realistic mix of authenticated reads on lean keep-alive
connections (``tests/benchmarks/keepalive.py``: httpx's pool alone added ~70 ms at p99 on
this machine).

Each client is a closed loop with think time: pick an operation by weight, send it, wait for
the answer, think (uniform 0.5x-1.5x ``think``), again. Any answer but 200, a timeout or a
dropped connection is an error, kept with its operation and status.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from tests.benchmarks.keepalive import KeepAliveClient, percentile

TIMEOUT = 60.0  # seconds for one answer before it counts as an error
KEEP_ERRORS = 20


@dataclass
class Mix:
    """What the clients ask for: the operations of a trader's dashboard, with weights."""

    pair_ids: list[int]
    symbols: list[str]

    def pick(self, rng: random.Random) -> tuple[str, str]:
        ops = [
            (15, "auth/me", lambda: "/api/auth/me"),
            (20, "pairs list", lambda: "/api/pairs/?limit=20"),
            (20, "pair detail", lambda: f"/api/pairs/{rng.choice(self.pair_ids)}/"),
            (15, "backtests list", lambda: "/api/backtests/?limit=20"),
            (
                15,
                "bars",
                lambda: (
                    f"/api/bars/?symbols={rng.choice(self.symbols)}&timeframe=1d"
                    f"&start={rng.randint(2000, 2020)}-01-01T00:00:00Z&limit=260"
                ),
            ),
            (15, "signals list", lambda: f"/api/signals/?pair={rng.choice(self.pair_ids)}"),
        ]
        weights = [w for w, _, _ in ops]
        _, name, make = rng.choices(ops, weights=weights)[0]
        return name, make()


@dataclass
class RestStats:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: int = 0
    first_errors: list[str] = field(default_factory=list)

    def error(self, text: str) -> None:
        self.errors += 1
        if len(self.first_errors) < KEEP_ERRORS:
            self.first_errors.append(text)

    @property
    def requests(self) -> int:
        return sum(len(v) for v in self.latencies.values())

    def summary(self, seconds: float) -> dict[str, Any]:
        every = [v for values in self.latencies.values() for v in values]
        per_op = {
            op: {
                "requests": len(v),
                "p50_ms": round(percentile(v, 50), 1),
                "p99_ms": round(percentile(v, 99), 1),
            }
            for op, v in sorted(self.latencies.items())
        }
        return {
            "requests": len(every),
            "rps": round(len(every) / seconds, 1) if seconds > 0 else 0.0,
            "errors": self.errors,
            "p50_ms": round(percentile(every, 50), 1),
            "p99_ms": round(percentile(every, 99), 1),
            "max_ms": round(max(every), 1) if every else None,
            "per_operation": per_op,
            "first_errors": self.first_errors,
        }


class Headers:
    """The bearer header every client sends; replaced when the token is refreshed."""

    def __init__(self, access: str) -> None:
        self.value = {"Authorization": f"Bearer {access}"}
        self.version = 0

    def set(self, access: str) -> None:
        self.value = {"Authorization": f"Bearer {access}"}
        self.version += 1


async def client(
    host: str,
    port: int,
    headers: Headers,
    mix: Mix,
    stats: RestStats,
    *,
    think: float,
    stop: asyncio.Event,
    seed: int,
) -> None:
    rng = random.Random(seed)
    conn = KeepAliveClient(host, port, headers.value)
    version = headers.version
    # Spread the first requests over one think time, as users arriving.
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), rng.uniform(0, think))
    try:
        while not stop.is_set():
            if headers.version != version:
                conn.set_headers(headers.value)
                version = headers.version
            name, path = mix.pick(rng)
            start = time.perf_counter()
            try:
                status = await asyncio.wait_for(conn.get(path), TIMEOUT)
            except (TimeoutError, OSError, ValueError, asyncio.IncompleteReadError) as exc:
                stats.error(f"{name} {path}: {type(exc).__name__} {exc}")
                await conn.close()
            else:
                if status == 200:
                    stats.latencies[name].append((time.perf_counter() - start) * 1e3)
                else:
                    body = conn.last_body[:200].decode(errors="replace")
                    stats.error(f"{name} {path}: {status} {body}")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), think * rng.uniform(0.5, 1.5))
    finally:
        await conn.close()
