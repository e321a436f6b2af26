"""Benchmark: does a CPU-heavy task stall the server's event loop?

Run: ``.venv/bin/python tests/benchmarks/loop_lag.py [--workload scan|burn] [--clients 32]``

For each compute mode (``process``: the default process pool; ``inline``: the same work
forced onto the event loop with ``TITAN_COMPUTE=inline``) the script starts the real server
(``uvicorn titan_web.asgi:application --lifespan on``, embedded SQLite in a temporary var
dir), warms the compute workers up, then:

1. *idle*: ``--clients`` concurrent httpx clients call ``/healthz`` for ``--idle-seconds``;
2. *heavy*: a staff ``selftest`` task runs through the task registry and ``engine.compute``
   (``workload="scan"``: each chunk is an Engle-Granger scan of a 100-symbol random-walk
   universe by ``engine.pairs.scan_universe``; ``"burn"``: pure-Python spinning) while the
   same clients call ``/healthz``, until the task ends (bounded by ``--max-seconds`` and
   ``--max-requests``).

The loop lag is measured *inside the server* by its ``LoopLagMonitor`` (a 10 ms ticker's
overshoot; staff endpoint ``/api/tasks/loop-lag``, reset right before each phase). Client
latency is measured by the load generator (loopback only). Goal while the heavy task runs in
process mode: loop lag p99 < 20 ms and ``/healthz`` p99 < 50 ms.

The load generator runs on the same machine and competes for its cores, so it is paced: each
client waits ``--think-ms`` between requests (default 100 ms: 32 clients make ~290 requests/s),
and it is a minimal keep-alive HTTP/1.1 client on asyncio streams (httpx's pool alone added
~70 ms at p99 here). Each client's first request opens its connection and is reported apart
(``first_request_max_ms``). The last line printed is one
JSON object of headline figures.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from engine.compute import LoopLagMonitor  # noqa: E402
from tests.benchmarks.keepalive import KeepAliveClient, percentile  # noqa: E402
from tests.e2e.server import Server, prepare, server_env  # noqa: E402

GOAL_LAG_P99_MS = 20.0
GOAL_HEALTHZ_P99_MS = 50.0


PATH = "/healthz"  # what the clients call (--path)


async def healthz_load(
    url: str,
    *,
    clients: int,
    think: float,
    stop: asyncio.Event,
    max_seconds: float,
    max_requests: int,
) -> dict[str, Any]:
    """``clients`` concurrent loops of GET /healthz until ``stop`` (or the bounds)."""
    latencies: list[float] = []
    connect: list[float] = []
    errors = 0
    deadline = time.monotonic() + max_seconds
    host, port = httpx.URL(url).host, httpx.URL(url).port or 80

    async def one_client() -> None:
        nonlocal errors
        client = KeepAliveClient(host, port)
        # Each client's first request also opens its connection (all at once): reported
        # apart, so the percentiles describe requests on open keep-alive connections.
        start = time.perf_counter()
        await client.get(PATH)
        connect.append(time.perf_counter() - start)
        try:
            while not stop.is_set() and time.monotonic() < deadline:
                if len(latencies) + errors >= max_requests:
                    return
                start = time.perf_counter()
                try:
                    ok = await client.get(PATH) == 200
                except (OSError, ValueError, asyncio.IncompleteReadError):
                    ok = False
                    await client.close()
                if ok:
                    latencies.append(time.perf_counter() - start)
                else:
                    errors += 1
                if think > 0:
                    await asyncio.sleep(think)
        finally:
            await client.close()

    started = time.monotonic()
    async with LoopLagMonitor() as own_lag:
        await asyncio.gather(*(one_client() for _ in range(clients)))
    elapsed = time.monotonic() - started
    ms = [v * 1e3 for v in latencies]
    return {
        "requests": len(latencies),
        "errors": errors,
        "seconds": round(elapsed, 2),
        "rps": round(len(latencies) / elapsed, 1) if elapsed > 0 else 0.0,
        "p50_ms": round(percentile(ms, 50), 2),
        "p99_ms": round(percentile(ms, 99), 2),
        "max_ms": round(max(ms), 2) if ms else math.nan,
        "first_request_max_ms": round(max(connect) * 1e3, 2) if connect else math.nan,
        # The load generator's own loop lag: when high, latencies include its own stalls.
        "client_lag_p99_ms": round(own_lag.stats().p99 * 1e3, 2),
    }


async def wait_task(client: httpx.AsyncClient, task_id: str, timeout: float) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        body: dict[str, Any] = (await client.get(f"/api/tasks/{task_id}/")).json()
        if body["status"] not in ("queued", "running"):
            return body
        if time.monotonic() > deadline:
            raise RuntimeError(f"task {task_id} still {body['status']} after {timeout} s")
        await asyncio.sleep(0.2)


async def lag(client: httpx.AsyncClient, *, reset: bool) -> dict[str, Any]:
    r = await client.post("/api/tasks/loop-lag", json={"reset": reset})
    r.raise_for_status()
    body: dict[str, Any] = r.json()
    for key in ("p50", "p99", "max", "mean"):
        value = body.get(key)
        body[f"{key}_ms"] = round(value * 1e3, 2) if isinstance(value, float) else math.nan
    return body


async def run_mode(server: Server, args: argparse.Namespace, mode: str) -> dict[str, Any]:
    token = server.token()
    headers = {"Authorization": f"Bearer {token}"}
    task_params: dict[str, Any] = {"chunks": args.chunks, "workload": args.workload}
    if args.workload == "burn":
        task_params["chunk_ms"] = args.chunk_ms
    else:
        task_params["symbols"] = args.symbols
    async with httpx.AsyncClient(base_url=server.url, headers=headers, timeout=120.0) as api:
        # Warm-up: start every compute worker and compile/import what the work needs.
        capacity = (await lag(api, reset=False))["compute"]["capacity"]
        warm = {**task_params, "chunks": max(1, int(capacity))}
        r = await api.post("/api/tasks/selftest", json=warm)
        r.raise_for_status()
        await wait_task(api, r.json()["id"], timeout=600)

        # Idle phase.
        await lag(api, reset=True)
        stop = asyncio.Event()
        idle_http = await healthz_load(
            server.url,
            clients=args.clients,
            think=args.think_ms / 1e3,
            stop=stop,
            max_seconds=args.idle_seconds,
            max_requests=args.max_requests,
        )
        idle_lag = await lag(api, reset=True)

        # Heavy phase: the task runs while the clients call /healthz.
        stop = asyncio.Event()
        r = await api.post("/api/tasks/selftest", json=task_params)
        r.raise_for_status()
        task_id = r.json()["id"]
        started = time.monotonic()
        load = asyncio.create_task(
            healthz_load(
                server.url,
                clients=args.clients,
                think=args.think_ms / 1e3,
                stop=stop,
                max_seconds=args.max_seconds,
                max_requests=args.max_requests,
            )
        )
        task = await wait_task(api, task_id, timeout=args.max_seconds + 600)
        task_seconds = time.monotonic() - started
        stop.set()
        heavy_http = await load
        heavy_lag = await lag(api, reset=True)
    return {
        "mode": mode,
        "compute": heavy_lag["compute"],
        "task": {
            "status": task["status"],
            "seconds": round(task_seconds, 2),
            "error": task["error"],
        },
        "idle": {"lag": idle_lag, "http": idle_http},
        "heavy": {"lag": heavy_lag, "http": heavy_http},
    }


def print_table(results: list[dict[str, Any]]) -> None:
    head = (
        f"{'mode':<8} {'phase':<6} {'lag p50':>8} {'lag p99':>8} {'lag max':>8} "
        f"{'ticks':>6} {'req':>6} {'req/s':>7} {'hz p50':>7} {'hz p99':>7} {'hz max':>8} {'err':>4}"
    )
    print(head)
    print("-" * len(head))
    for res in results:
        for phase in ("idle", "heavy"):
            lag_, http = res[phase]["lag"], res[phase]["http"]
            print(
                f"{res['mode']:<8} {phase:<6} {lag_['p50_ms']:>8.2f} {lag_['p99_ms']:>8.2f} "
                f"{lag_['max_ms']:>8.2f} {lag_['samples']:>6} {http['requests']:>6} "
                f"{http['rps']:>7.1f} {http['p50_ms']:>7.2f} {http['p99_ms']:>7.2f} "
                f"{http['max_ms']:>8.2f} {http['errors']:>4} {http['client_lag_p99_ms']:>8.2f}"
            )
    print(
        "(milliseconds; lag = overshoot of the server's 10 ms ticker; hz = /healthz latency "
        "seen by the clients; cli lag = the load generator's own loop-lag p99)"
    )
    for res in results:
        c, t = res["compute"], res["task"]
        print(
            f"{res['mode']}: compute {c['mode']} x{c['capacity']}, heavy task {t['status']} "
            f"in {t['seconds']} s {t['error']}"
        )


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workload", choices=["scan", "burn"], default="scan")
    parser.add_argument("--chunks", type=int, default=24)
    parser.add_argument("--symbols", type=int, default=250, help="universe size per scan chunk")
    parser.add_argument("--chunk-ms", type=float, default=500.0, help="CPU per burn chunk")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--think-ms", type=float, default=100.0)
    parser.add_argument(
        "--path",
        default="/healthz",
        help="endpoint the clients call (/metrics: a Django view, for comparison)",
    )
    parser.add_argument("--idle-seconds", type=float, default=3.0)
    parser.add_argument("--max-seconds", type=float, default=60.0)
    parser.add_argument("--max-requests", type=int, default=50_000)
    parser.add_argument(
        "--workers",
        type=int,
        default=max(1, (len(os.sched_getaffinity(0)) or 1) - 1),
        help="compute processes (default: CPUs - 1, leaving one for the loop)",
    )
    parser.add_argument("--modes", default="process,inline")
    args = parser.parse_args()
    globals()["PATH"] = args.path

    results = []
    with tempfile.TemporaryDirectory(prefix="titan-looplag-") as tmp:
        var_dir = Path(tmp)
        prepare(var_dir, server_env(var_dir))
        for mode in args.modes.split(","):
            env = server_env(
                var_dir,
                TITAN_COMPUTE=mode,
                TITAN_COMPUTE_WORKERS=str(args.workers),
                TITAN_TASK_TIME_LIMITS="selftest=3600",
            )
            with Server(env, var_dir / f"uvicorn-{mode}.log") as server:
                server.start(timeout=120)
                try:
                    results.append(await run_mode(server, args, mode))
                finally:
                    server.stop()
    print(
        f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs; "
        f"{args.clients} clients, think {args.think_ms} ms; workload {args.workload}"
    )
    print_table(results)
    by_mode = {r["mode"]: r for r in results}
    headline: dict[str, Any] = {
        "benchmark": "loop_lag",
        "workload": args.workload,
        "clients": args.clients,
        "cpus": os.cpu_count(),
        "compute_workers": args.workers,
    }
    for mode, res in by_mode.items():
        headline[f"{mode}_task_seconds"] = res["task"]["seconds"]
        headline[f"{mode}_loop_lag_p50_ms"] = res["heavy"]["lag"]["p50_ms"]
        headline[f"{mode}_loop_lag_p99_ms"] = res["heavy"]["lag"]["p99_ms"]
        headline[f"{mode}_loop_lag_max_ms"] = res["heavy"]["lag"]["max_ms"]
        headline[f"{mode}_healthz_p99_ms"] = res["heavy"]["http"]["p99_ms"]
        headline[f"{mode}_healthz_rps"] = res["heavy"]["http"]["rps"]
    if "process" in by_mode:
        heavy = by_mode["process"]["heavy"]
        headline["goal_met"] = bool(
            heavy["lag"]["p99_ms"] < GOAL_LAG_P99_MS
            and heavy["http"]["p99_ms"] < GOAL_HEALTHZ_P99_MS
        )
    print(json.dumps(headline))
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
