"""WebSocket fan-out: TITAN's /ws/stream/ against a raw ``websockets`` broadcast server.

Loopback only, bounded: N subscribers (default 1,000) on one topic; a steady phase (10
signals/s for 5 s) and a burst (500 signals as fast as the publisher can send). Each event
carries its publish time; every client records the receipt time. Reported per server and
phase: deliveries/s, p50/p99 latency publish -> receipt, loss (and resync frames), the
slowest events, and how the frames left the server (direct or queued). Ends with
ONE JSON line.

* ``raw``: a ``websockets`` server in a subprocess that broadcasts (``websockets.broadcast``):
  the ceiling.
* ``titan``: ``uvicorn titan_web.asgi:application`` (one worker) in a subprocess with
  ``REDIS_URL`` (default ``redis://127.0.0.1:6379/6``); this process publishes with
  :func:`realtime.publish.publish` through the same Redis, as the live signal service does.

Usage: ``python tests/benchmarks/fanout.py [--subscribers 1000] [--layer core|pubsub]``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.e2e.server import Server, free_port, manage, prepare, server_env  # noqa: E402

STEADY_RATE, STEADY_SECONDS, BURST = 10, 5, 500
CONNECT_BATCH = 100
PROCESSES = 2  # client processes

RAW_SERVER = """
import asyncio, json, sys, time
import websockets
from websockets.asyncio.server import serve, broadcast
clients = set()
async def handler(ws):
    clients.add(ws)
    try:
        async for msg in ws:
            cmd = json.loads(msg)
            if cmd.get("cmd") == "run":
                asyncio.get_running_loop().create_task(run(cmd["rate"], cmd["n"], cmd["start"]))
    finally:
        clients.discard(ws)
async def run(rate, n, start):
    subs = [c for c in clients if c.request.path == "/sub"]
    for i in range(n):
        frame = {"type": "signal", "topic": "pair:1", "seq": start + i,
                 "data": {"pair_id": 1, "sent": time.time()}}
        broadcast(subs, json.dumps(frame, separators=(",", ":")))
        if rate:
            await asyncio.sleep(1 / rate)
        elif i % 50 == 49:
            await asyncio.sleep(0)
async def main():
    async with serve(handler, "127.0.0.1", int(sys.argv[1]), max_queue=None):
        await asyncio.Future()
asyncio.run(main())
"""

SETUP = """
from tests import factories
from titan_web.accounts.models import User
admin = User.objects.get(username="e2e-admin")
pair = factories.make_pair(owner=admin)
print("PAIR=%d" % pair.pk)
"""


PUBSUB_SETTINGS = """
from titan_web.settings import *  # noqa: F403
from titan_web.settings import CHANNEL_LAYERS
import copy
CHANNEL_LAYERS = copy.deepcopy(CHANNEL_LAYERS)
CHANNEL_LAYERS["default"]["BACKEND"] = "channels_redis.pubsub.RedisPubSubChannelLayer"
for _key in ("capacity", "expiry"):
    CHANNEL_LAYERS["default"]["CONFIG"].pop(_key, None)
"""


def pubsub_layers(layers: dict[str, Any]) -> dict[str, Any]:
    import copy

    out = copy.deepcopy(layers)
    out["default"]["BACKEND"] = "channels_redis.pubsub.RedisPubSubChannelLayer"
    for key in ("capacity", "expiry"):
        out["default"]["CONFIG"].pop(key, None)
    return out


class Client:
    def __init__(self) -> None:
        self.received: list[tuple[int, float, float]] = []  # seq, sent, received
        self.resyncs = 0
        self.ws: Any = None
        self.task: asyncio.Task[None] | None = None

    async def reader(self) -> None:
        try:
            async for text in self.ws:
                now = time.time()
                frame = json.loads(text)
                if frame.get("type") == "signal":
                    self.received.append((frame["seq"], frame["data"]["sent"], now))
                elif frame.get("type") == "resync":
                    self.resyncs += 1
        except Exception:
            pass


async def _worker_main(url: str, n: int, first: list[str], conn: Any) -> None:
    from websockets.asyncio.client import connect

    clients = [Client() for _ in range(n)]

    async def one(c: Client) -> None:
        c.ws = await connect(url, max_queue=None, open_timeout=60)
        for frame in first:
            await c.ws.send(frame)
            await c.ws.recv()
        c.task = asyncio.create_task(c.reader())

    for i in range(0, n, CONNECT_BATCH):
        await asyncio.gather(*(one(c) for c in clients[i : i + CONNECT_BATCH]))
    loop = asyncio.get_running_loop()
    conn.send("ready")
    while True:
        cmd = await loop.run_in_executor(None, conn.recv)
        if cmd == "status":
            conn.send(min((c.received[-1][0] if c.received else 0) for c in clients))
        elif cmd == "collect":
            conn.send(
                (
                    [np.array(c.received, dtype=np.float64).reshape(-1, 3) for c in clients],
                    sum(c.resyncs for c in clients),
                )
            )
        elif cmd == "close":
            for c in clients:
                await c.ws.close()
            conn.send("closed")
            return


def _worker(url: str, n: int, first: list[str], conn: Any) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, 2 * n + 256)), hard))
    asyncio.run(_worker_main(url, n, first, conn))


class Clients:
    """Subscribers spread over a few processes (one process cannot decode 10k frames/s and
    still measure latency honestly)."""

    def __init__(self, url: str, n: int, first: list[str], processes: int) -> None:
        import multiprocessing as mp

        ctx = mp.get_context("spawn")
        self.conns = []
        self.procs = []
        share = [n // processes + (1 if i < n % processes else 0) for i in range(processes)]
        for k in share:
            parent, child = ctx.Pipe()
            proc = ctx.Process(target=_worker, args=(url, k, first, child), daemon=True)
            proc.start()
            self.conns.append(parent)
            self.procs.append(proc)

    def _ask(self, cmd: str) -> list[Any]:
        for c in self.conns:
            c.send(cmd)
        return [c.recv() for c in self.conns]

    async def ready(self) -> None:
        await asyncio.to_thread(lambda: [c.recv() for c in self.conns])

    async def wait_delivered(self, last: int, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if min(await asyncio.to_thread(self._ask, "status")) >= last:
                return
            await asyncio.sleep(0.1)

    async def collect(self) -> tuple[list[np.ndarray], int]:
        out = await asyncio.to_thread(self._ask, "collect")
        return [a for arrays, _ in out for a in arrays], sum(r for _, r in out)

    async def close(self) -> None:
        await asyncio.to_thread(self._ask, "close")
        for p in self.procs:
            p.join(10)


def phase_stats(received: list[np.ndarray], seqs: range, t0: float) -> dict[str, Any]:
    lo, hi = seqs[0], seqs[-1]
    lat, last_rx, delivered, lost = [], t0, 0, 0
    for arr in received:
        sel = arr[(arr[:, 0] >= lo) & (arr[:, 0] <= hi)]
        lost += len(seqs) - len(np.unique(sel[:, 0]))
        delivered += len(sel)
        if len(sel):
            lat.append(sel[:, 2] - sel[:, 1])
            last_rx = max(last_rx, float(sel[:, 2].max()))
    all_lat = np.concatenate(lat) * 1000 if lat else np.array([np.nan])
    span = max(last_rx - t0, 1e-9)
    # The events whose slowest delivery was latest: a p99 over 50 events x 1,000 subscribers
    # is decided by a single slow event, so name it.
    rows = np.concatenate([a[(a[:, 0] >= lo) & (a[:, 0] <= hi)] for a in received])
    worst = []
    if len(rows):
        per_seq = {}
        for seq in np.unique(rows[:, 0]):
            x = (rows[rows[:, 0] == seq, 2] - rows[rows[:, 0] == seq, 1]) * 1000
            per_seq[int(seq)] = (float(np.median(x)), float(x.max()))
        worst = [
            {"seq": k, "p50_ms": round(v[0], 1), "max_ms": round(v[1], 1)}
            for k, v in sorted(per_seq.items(), key=lambda kv: -kv[1][1])[:3]
        ]
    return {
        "deliveries": delivered,
        "deliveries_per_s": round(delivered / span),
        "p50_ms": round(float(np.percentile(all_lat, 50)), 2),
        "p99_ms": round(float(np.percentile(all_lat, 99)), 2),
        "max_ms": round(float(np.max(all_lat)), 2),
        "lost": lost,
        "seconds": round(span, 3),
        "slowest_events": worst,
    }


async def bench_raw(n: int) -> dict[str, Any]:
    from websockets.asyncio.client import connect

    port = free_port()
    proc = subprocess.Popen([sys.executable, "-c", RAW_SERVER, str(port)])  # noqa: ASYNC220
    try:
        url = f"ws://127.0.0.1:{port}"
        for _ in range(100):
            try:
                ctl = await connect(url + "/ctl")
                break
            except OSError:
                await asyncio.sleep(0.1)
        clients = Clients(url + "/sub", n, [], PROCESSES)
        await clients.ready()
        out = {}
        steady = range(1, 1 + STEADY_RATE * STEADY_SECONDS)
        t0 = time.time()
        await ctl.send(
            json.dumps({"cmd": "run", "rate": STEADY_RATE, "n": len(steady), "start": 1})
        )
        await asyncio.sleep(STEADY_SECONDS)
        await clients.wait_delivered(steady[-1], 20)
        t_burst = time.time()
        burst = range(steady[-1] + 1, steady[-1] + 1 + BURST)
        await ctl.send(json.dumps({"cmd": "run", "rate": 0, "n": BURST, "start": burst[0]}))
        await clients.wait_delivered(burst[-1], 60)
        received, _ = await clients.collect()
        out["steady"] = phase_stats(received, steady, t0)
        out["burst"] = phase_stats(received, burst, t_burst)
        await clients.close()
        await ctl.close()
        return out
    finally:
        proc.kill()
        proc.wait(10)


async def bench_titan(n: int, redis_url: str, layer: str) -> dict[str, Any]:
    os.environ["REDIS_URL"] = redis_url
    prefix = f"titan-bench-{os.getpid()}"
    os.environ["TITAN_CHANNEL_PREFIX"] = prefix
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "titan_web.settings")
    var_dir = Path(tempfile.mkdtemp(prefix="titan-fanout-"))
    extra = {"REDIS_URL": redis_url, "TITAN_CHANNEL_PREFIX": prefix}
    env = server_env(var_dir, **extra)
    if layer == "pubsub":
        # Settings are not the benchmark's to change: a settings module in the temp dir.
        (var_dir / "bench_pubsub_settings.py").write_text(PUBSUB_SETTINGS)
        env["PYTHONPATH"] = f"{var_dir}{os.pathsep}{env.get('PYTHONPATH', '')}"
        env["DJANGO_SETTINGS_MODULE"] = "bench_pubsub_settings"
    prepare(var_dir, env)
    out = manage(env, "shell", "--no-imports", "-c", SETUP)
    pair = int(next(x for x in out.splitlines() if x.startswith("PAIR="))[5:])

    import django
    from django.conf import settings

    django.setup()
    if layer == "pubsub":
        settings.CHANNEL_LAYERS = pubsub_layers(settings.CHANNEL_LAYERS)
    from realtime.publish import publish

    with Server(env, var_dir / "uvicorn.log") as server:
        server.start()
        token = server.token()
        url = server.url.replace("http://", "ws://") + "/ws/stream/"
        first = [
            json.dumps({"type": "auth", "token": token}),
            json.dumps({"type": "subscribe", "topic": f"pair:{pair}"}),
        ]
        clients = Clients(url, n, first, PROCESSES)
        await clients.ready()
        await asyncio.sleep(0.5)

        # The publisher stands for the live signal service of a running server, whose channel
        # layer is built at start-up: build this process's now (importing channels-redis and
        # redis takes ~0.35 s) and send one untimed event, so the first timed event does not
        # carry this process's start-up.
        warm = {"pair_id": pair, "sent": time.time()}
        await publish(
            f"pair:{pair}", {"type": "signal", "topic": f"pair:{pair}", "seq": 0, "data": warm}
        )
        await asyncio.sleep(1.0)

        async def send(seq: int) -> None:
            event = {
                "type": "signal",
                "topic": f"pair:{pair}",
                "seq": seq,
                "data": {"pair_id": pair, "sent": time.time()},
            }
            await publish(f"pair:{pair}", event)

        result = {}
        steady = range(1, 1 + STEADY_RATE * STEADY_SECONDS)
        t0 = time.time()
        for seq in steady:
            await send(seq)
            await asyncio.sleep(1 / STEADY_RATE)
        await clients.wait_delivered(steady[-1], 20)
        burst = range(steady[-1] + 1, steady[-1] + 1 + BURST)
        t_burst = time.time()
        for seq in burst:
            await send(seq)
        await clients.wait_delivered(burst[-1], 60)
        received, resyncs = await clients.collect()
        result["steady"] = phase_stats(received, steady, t0)
        result["burst"] = phase_stats(received, burst, t_burst)
        result["resyncs"] = resyncs
        # How the frames left the server: straight to the socket, or through a writer task.
        import httpx

        metrics = await asyncio.to_thread(httpx.get, server.url + "/metrics")
        for line in metrics.text.splitlines():
            for kind in ("direct", "queued"):
                if line.startswith(f"titan_ws_frames_{kind}_total"):
                    result[f"frames_{kind}"] = int(float(line.split()[-1]))
        await clients.close()
        server.stop()
    return result


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--subscribers", type=int, default=1000)
    parser.add_argument("--layer", choices=["core", "pubsub"], default="core")
    parser.add_argument("--skip-raw", action="store_true")
    parser.add_argument(
        "--ws", default="websockets-sansio", help="uvicorn's WebSocket implementation (--ws)"
    )
    parser.add_argument("--processes", type=int, default=PROCESSES, help="client processes")
    args = parser.parse_args()
    globals()["PROCESSES"] = args.processes
    os.environ["UVICORN_WS"] = args.ws  # read by the uvicorn CLI (auto_envvar_prefix)
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = min(hard, max(soft, 4 * args.subscribers + 1024))
    resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
    redis_url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/6"
    report: dict[str, Any] = {
        "benchmark": "fanout",
        "subscribers": args.subscribers,
        "layer": args.layer,
        "uvicorn_ws": args.ws,
        "cpus": os.cpu_count(),
    }
    if not args.skip_raw:
        report["raw"] = await bench_raw(args.subscribers)
        print("raw", json.dumps(report["raw"]), file=sys.stderr)
    report["titan"] = await bench_titan(args.subscribers, redis_url, args.layer)
    print("titan", json.dumps(report["titan"]), file=sys.stderr)
    if "raw" in report:
        report["burst_vs_ceiling"] = round(
            report["titan"]["burst"]["deliveries_per_s"]
            / max(report["raw"]["burst"]["deliveries_per_s"], 1),
            3,
        )
    t = report["titan"]
    report["ok"] = (
        t["steady"]["lost"] == 0 and t["burst"]["lost"] == 0 and t["steady"]["p99_ms"] < 250
    )
    print(json.dumps(report))


if __name__ == "__main__":
    asyncio.run(main())
