"""The soak (`make soak`): a real server under REST, WebSocket, replay and scan load at once.

Run: ``make soak`` or ``.venv/bin/python tests/soak/soak.py [--seconds 60] [--backend
embedded|postgres] [--subscribers 500] [--rest-clients 100]`` (``SOAK_SECONDS``,
``SOAK_BACKEND`` likewise). Loopback only.

The server is started as ``make run`` starts it: a fresh var dir, both databases migrated,
``seed_demo`` (the demo user and the 20 demo stocks, daily since 1990), then ``uvicorn
titan_web.asgi:application`` with the Makefile's options (one worker, ``websockets-sansio``,
no permessage-deflate). ``--backend embedded`` (the default) is SQLite and the in-memory
channel layer; ``postgres`` is PostgreSQL and Redis (``SOAK_PG_URL``, ``SOAK_PG_TS_URL``:
this machine's ``titan_soak`` and ``titan_soak_ts``, dropped and recreated;
``SOAK_REDIS_URL``: Redis db 8, flushed).

Set-up through the API as the demo user: pairs analysed and stored, a parameter set and a
monitor per pair, two backtests. Then, for ``--seconds``, all at once:

- ``--rest-clients`` REST clients (``rest.py``): auth/me, pairs list and detail, backtests
  list, bars of a symbol, signals of a pair, each a closed loop with think time;
- ``--subscribers`` WebSocket subscribers (``subscribers.py``, ``--ws-processes``
  processes): first-frame auth, subscribed to every replayed pair's ``pair:<id>`` topic
  (every ``--signals-every``-th one to ``signals`` too);
- the replay feed: ``POST /api/replay/`` for the monitors of the pairs (two tasks, the
  concurrency limit of the kind), resubmitted when one ends, cancelled at the end; the
  clock starts once both have warmed up and play bars;
- universe scans: ``POST /api/pairs/scan`` of the 20 demo stocks, one after the other.

Measured: errors (any REST answer but 200, any control call that fails, a failed task, a
WebSocket error or drop, an ERROR line in the server's log: must be 0); per subscriber, each
stream against the stored signals read back from ``GET /api/signals/`` at the end (every seq
exactly once, in order, same kind: lost and duplicated must be 0); REST p50/p99; signal
delivery latency (``published_at`` of each frame to its receipt); the server's event-loop
lag (its 10 ms probe, ``POST /api/tasks/loop-lag`` every 10 s: the worst window's p99) and
``/healthz`` at 10 per second; the server process's RSS (``/proc``, twice a second; the
median of the last third of the run against the second third must grow less than 10%).

A progress bar on stderr while it runs; a summary, then ONE JSON line of headline figures
on stdout; exit status 1 when a bound fails. The server's var dir (its log) is removed
afterwards, unless ``--keep`` or an error (then the summary names it).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import json
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
import numpy as np

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.benchmarks.keepalive import KeepAliveClient, percentile  # noqa: E402
from tests.e2e.server import Server, manage  # noqa: E402
from tests.soak import rest  # noqa: E402
from tests.soak.subscribers import Subscribers  # noqa: E402

PG_URL = "postgres://postgres@127.0.0.1:5432/titan_soak"
PG_TS_URL = "postgres://postgres@127.0.0.1:5432/titan_soak_ts"
REDIS_URL = "redis://127.0.0.1:6379/8"
STAFF, STAFF_PASSWORD = "soak-staff", "soak-staff-password-0123456789"
# Pairs of the demo stocks, no leg shared (a replay by symbols covers exactly its pairs).
PAIRS = [
    ("KO", "PEP"),
    ("JPM", "BAC"),
    ("MRK", "PFE"),
    ("HD", "BBY"),
    ("JNJ", "PG"),
    ("CVX", "RRC"),
]
PARAMS = {"lookback": 20, "entry_z": 1.0, "exit_z": 0.25, "stop_z": None}
REPLAYS = 2  # concurrent replay tasks (the task kind's default concurrency limit)
MAX_RSS_GROWTH = 10.0  # percent, second third to last third
LAG_EVERY = 10.0  # seconds between two reads of the server's loop-lag window
HEALTHZ_EVERY = 0.1
RSS_EVERY = 0.5
TOKEN_REFRESH_EVERY = 600.0  # access tokens live 15 minutes
LOG_ERROR = re.compile(r"\b(ERROR|CRITICAL)\b|Traceback \(most recent call last\)")

SETUP = f"""
from django.conf import settings
from django.core.management import call_command
from titan_web.accounts.models import User
call_command("migrate", interactive=False, verbosity=0)
call_command("migrate", database="timescale", interactive=False, verbosity=0)
call_command("seed_demo")
User.objects.create_superuser("{STAFF}", "soak@titan.local", "{STAFF_PASSWORD}")
print("DEMO=%s %s" % (settings.TITAN["DEMO_USERNAME"], settings.TITAN["DEMO_PASSWORD"]))
"""


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    env = os.environ.get
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--seconds", type=float, default=float(env("SOAK_SECONDS", "60")))
    p.add_argument(
        "--backend",
        choices=["embedded", "postgres"],
        default=env("SOAK_BACKEND", "embedded"),
    )
    p.add_argument("--subscribers", type=int, default=500)
    p.add_argument("--rest-clients", type=int, default=100)
    p.add_argument("--think-ms", type=float, default=1000.0, help="REST think time (mean)")
    p.add_argument("--pairs", type=int, default=4, choices=range(2, len(PAIRS) + 1))
    p.add_argument("--replay-speed", type=float, default=25.0, help="bars per second")
    p.add_argument("--replay-start", default="2004-01-01T00:00:00Z")
    p.add_argument("--ws-processes", type=int, default=2)
    p.add_argument("--signals-every", type=int, default=5, help="every k-th also on 'signals'")
    p.add_argument("--drain-seconds", type=float, default=90.0)
    p.add_argument("--pg-url", default=env("SOAK_PG_URL", PG_URL))
    p.add_argument("--pg-ts-url", default=env("SOAK_PG_TS_URL", PG_TS_URL))
    p.add_argument("--redis-url", default=env("SOAK_REDIS_URL", REDIS_URL))
    p.add_argument(
        "--max-rss-growth",
        type=float,
        default=MAX_RSS_GROWTH,
        help="percent, median RSS of the last third against the second third",
    )
    p.add_argument("--keep", action="store_true", help="keep the server's var dir and log")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    return p.parse_args(argv)


# -- the server -----------------------------------------------------------------------------


def server_env(args: argparse.Namespace, var_dir: Path) -> dict[str, str]:
    """The environment of ``make run`` (Makefile exports) in a var dir of its own."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "TIMESCALE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
        and not k.startswith(("PYTEST_", "TITAN_"))
    }
    env.update(
        {
            "TITAN_VAR_DIR": str(var_dir),
            "DJANGO_SETTINGS_MODULE": "titan_web.settings",
            "PYTHONUNBUFFERED": "1",
            "OPENBLAS_NUM_THREADS": "1",
            "OMP_NUM_THREADS": "1",
            "MKL_NUM_THREADS": "1",
        }
    )
    if args.backend == "postgres":
        env.update(
            {
                "DATABASE_URL": args.pg_url,
                "TIMESCALE_URL": args.pg_ts_url,
                "REDIS_URL": args.redis_url,
                "TITAN_CHANNEL_PREFIX": f"titan-soak-{os.getpid()}",
            }
        )
    return env


def reset_services(args: argparse.Namespace) -> None:
    """Fresh private databases and Redis db (only the soak's own)."""
    import psycopg
    import redis

    for url in dict.fromkeys([args.pg_url, args.pg_ts_url]):
        name = url.rsplit("/", 1)[1]
        with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
    client = redis.Redis.from_url(args.redis_url)
    client.flushdb()
    client.close()


def rss_kib(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def cpu_seconds(pid: int) -> float | None:
    """User plus system CPU time of ``pid`` so far (``/proc/<pid>/stat``)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def log_errors(server: Server) -> list[str]:
    try:
        text = server.log_path.read_text(errors="replace")
    except OSError:
        return []
    return [line for line in text.splitlines() if LOG_ERROR.search(line)]


# -- set-up through the API -----------------------------------------------------------------


async def sign_in(api: httpx.AsyncClient, username: str, password: str) -> dict[str, Any]:
    r = await api.post("/api/auth/token", json={"username": username, "password": password})
    r.raise_for_status()
    return dict(r.json())


async def wait_task(api: httpx.AsyncClient, task_id: str, timeout: float = 600) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        body: dict[str, Any] = (await api.get(f"/api/tasks/{task_id}/")).json()
        if body["status"] not in ("queued", "running"):
            return body
        if time.monotonic() > deadline:
            raise RuntimeError(f"task {task_id} still {body['status']} after {timeout} s")
        await asyncio.sleep(0.5)


async def create_research(api: httpx.AsyncClient, pairs: list[tuple[str, str]]) -> list[int]:
    """Pairs stored, a parameter set and a monitor each, two backtests (for the lists)."""
    ids = []
    for y, x in pairs:
        r = await api.post("/api/pairs/analyze", json={"symbol_1": y, "symbol_2": x, "store": True})
        if r.status_code != 201:
            raise RuntimeError(f"analyze {y}/{x}: {r.status_code} {r.text}")
        pair = int(r.json()["pair_id"])
        r = await api.post("/api/parameters/", json={"pair": pair, **PARAMS})
        if r.status_code != 201:
            raise RuntimeError(f"parameter set: {r.status_code} {r.text}")
        r = await api.post("/api/monitors/", json={"pair": pair, "parameter_set": r.json()["id"]})
        if r.status_code != 201:
            raise RuntimeError(f"monitor: {r.status_code} {r.text}")
        ids.append(pair)
    tasks = []
    for pair in ids[:2]:
        r = await api.post("/api/backtests/", json={"pair": pair})
        if r.status_code != 202:
            raise RuntimeError(f"backtest: {r.status_code} {r.text}")
        tasks.append(r.json()["id"])
    for task_id in tasks:
        done = await wait_task(api, task_id)
        if done["status"] != "succeeded":
            raise RuntimeError(f"backtest task {task_id}: {done['status']} {done['error']}")
    return ids


async def stored_signals(api: httpx.AsyncClient, pair: int) -> list[tuple[int, str]]:
    """Every stored signal of ``pair`` as (seq, kind), read back through the REST API."""
    out: list[tuple[int, str]] = []
    since = 0
    while True:
        r = await api.get("/api/signals/", params={"pair": pair, "since_seq": since, "limit": 5000})
        r.raise_for_status()
        body = r.json()
        out.extend((int(s["seq"]), str(s["kind"])) for s in body["results"])
        if not body["next"] or not body["results"]:
            return out
        since = out[-1][0]


# -- the load -------------------------------------------------------------------------------


class Soak:
    def __init__(self, args: argparse.Namespace, server: Server) -> None:
        self.args = args
        self.server = server
        self.stop = asyncio.Event()
        self.errors: list[str] = []
        self.error_count = 0
        self.rss: list[tuple[float, int]] = []
        self.healthz: list[float] = []
        self.lag_windows: list[dict[str, Any]] = []
        self.replays: dict[str, int] = {"submitted": 0, "succeeded": 0, "cancelled": 0}
        self.scans: dict[str, int] = {"submitted": 0, "succeeded": 0, "cancelled": 0}
        self.rest_stats = rest.RestStats()
        self.t0 = 0.0

    def error(self, text: str) -> None:
        self.error_count += 1
        if len(self.errors) < 20:
            self.errors.append(text)

    async def sleep(self, seconds: float) -> bool:
        """Sleep, or return True at once when the run is over."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.stop.wait(), seconds)
        return self.stop.is_set()

    async def sample_rss(self) -> None:
        assert self.server.proc is not None
        pid = self.server.proc.pid
        while True:
            value = rss_kib(pid)
            if value is not None:
                self.rss.append((time.monotonic() - self.t0, value))
            if await self.sleep(RSS_EVERY):
                return

    async def probe_healthz(self) -> None:
        conn = KeepAliveClient("127.0.0.1", self.server.port)
        try:
            while True:
                start = time.perf_counter()
                try:
                    status = await asyncio.wait_for(conn.get("/healthz"), rest.TIMEOUT)
                    if status != 200:
                        self.error(f"/healthz: {status}")
                    else:
                        self.healthz.append((time.perf_counter() - start) * 1e3)
                except (TimeoutError, OSError, ValueError, asyncio.IncompleteReadError) as exc:
                    self.error(f"/healthz: {type(exc).__name__} {exc}")
                    await conn.close()
                if await self.sleep(HEALTHZ_EVERY):
                    return
        finally:
            await conn.close()

    async def read_lag(self, staff: httpx.AsyncClient) -> None:
        while True:
            stopped = await self.sleep(LAG_EVERY)
            r = await staff.post("/api/tasks/loop-lag", json={"reset": True})
            if r.status_code != 200:
                self.error(f"loop-lag: {r.status_code} {r.text[:200]}")
            else:
                self.lag_windows.append(r.json())
            if stopped:
                return

    async def refresh_tokens(
        self, api: httpx.AsyncClient, tokens: dict[str, Any], headers: rest.Headers
    ) -> None:
        while not await self.sleep(TOKEN_REFRESH_EVERY):
            r = await api.post("/api/auth/refresh", json={"refresh": tokens["refresh"]})
            if r.status_code != 200:
                self.error(f"refresh: {r.status_code} {r.text[:200]}")
                continue
            tokens.update(r.json())
            headers.set(tokens["access"])
            api.headers["Authorization"] = f"Bearer {tokens['access']}"

    async def run_tasks(
        self,
        api: httpx.AsyncClient,
        path: str,
        body: dict[str, Any],
        counts: dict[str, int],
        started: asyncio.Event | None = None,
    ) -> None:
        """Submit ``body`` to ``path`` again each time the task ends, until the run is over;
        then cancel the running one. A task that fails, or a refused submission, is an error.
        ``started`` is set once the first task has made progress (a replay: its warm-up is
        done and it plays bars)."""
        while not self.stop.is_set():
            r = await api.post(path, json=body)
            if r.status_code != 202:
                self.error(f"POST {path}: {r.status_code} {r.text[:300]}")
                if await self.sleep(1.0):
                    return
                continue
            counts["submitted"] += 1
            task_id = r.json()["id"]
            cancelled = False
            while True:
                stopped = await self.sleep(0.5)
                if stopped and not cancelled:
                    c = await api.post(f"/api/tasks/{task_id}/cancel")
                    # 409: the task ended between the last poll and the cancel (the contract's
                    # answer to cancelling an ended task); the read below checks how it ended.
                    if c.status_code not in (200, 202, 409):
                        self.error(f"cancel {task_id}: {c.status_code} {c.text[:200]}")
                    cancelled = True
                t = await api.get(f"/api/tasks/{task_id}/")
                if t.status_code != 200:
                    self.error(f"GET task {task_id}: {t.status_code}")
                    continue
                task = t.json()
                if started is not None and (task["progress"] or 0) > 0:
                    started.set()
                if task["status"] in ("queued", "running"):
                    continue
                if task["status"] in counts:
                    counts[task["status"]] += 1
                if task["status"] not in ("succeeded", "cancelled"):
                    self.error(f"{path} task {task_id}: {task['status']} {task['error'][:300]}")
                break

    async def progress(self, subs: Subscribers) -> None:
        tty = sys.stderr.isatty() and not self.args.quiet
        width = 30
        last_line = -10.0
        while True:
            stopped = await self.sleep(1.0)
            elapsed = min(time.monotonic() - self.t0, self.args.seconds)
            ws = await subs.progress()
            done = int(width * elapsed / self.args.seconds)
            rss = self.rss[-1][1] / 1024 if self.rss else 0.0
            line = (
                f"[{'#' * done}{'.' * (width - done)}] {elapsed:4.0f}/{self.args.seconds:.0f} s"
                f"  rest {self.rest_stats.requests} ({self.rest_stats.errors} err)"
                f"  ws {ws['open']} open, {ws['received']} frames ({ws['errors']} err)"
                f"  replays {self.replays['submitted']} scans {self.scans['submitted']}"
                f"  rss {rss:.0f} MiB  load {os.getloadavg()[0]:.1f}"
            )
            if tty:
                print("\r" + line, end="", file=sys.stderr, flush=True)
            elif not self.args.quiet and (elapsed - last_line >= 10 or stopped):
                print(line, file=sys.stderr, flush=True)
                last_line = elapsed
            if stopped:
                if tty:
                    print(file=sys.stderr)
                return


def rss_growth(samples: list[tuple[float, int]], seconds: float) -> dict[str, Any]:
    second = [v for t, v in samples if seconds / 3 <= t < 2 * seconds / 3]
    last = [v for t, v in samples if t >= 2 * seconds / 3]
    if not second or not last:
        return {"growth_pct": None}
    m2, m3 = statistics.median(second), statistics.median(last)
    return {
        "start_mib": round(samples[0][1] / 1024, 1),
        "second_third_mib": round(m2 / 1024, 1),
        "last_third_mib": round(m3 / 1024, 1),
        "max_mib": round(max(v for _, v in samples) / 1024, 1),
        "growth_pct": round((m3 - m2) / m2 * 100, 2),
    }


async def run(args: argparse.Namespace) -> tuple[dict[str, Any], list[str]]:
    var_dir = Path(tempfile.mkdtemp(prefix="titan-soak-"))
    env = server_env(args, var_dir)
    started = time.monotonic()

    def say(text: str) -> None:
        if not args.quiet:
            print(f"[{time.monotonic() - started:6.1f} s] {text}", file=sys.stderr, flush=True)

    if args.backend == "postgres":
        reset_services(args)
    say(f"soak: preparing the server ({args.backend}, var dir {var_dir})")
    out = manage(env, "shell", "--no-imports", "-c", SETUP, timeout=1800)
    demo_user, demo_password = next(
        line[5:].split() for line in out.splitlines() if line.startswith("DEMO=")
    )
    pairs = PAIRS[: args.pairs]
    with Server(env, var_dir / "uvicorn.log") as server:
        say("soak: starting uvicorn")
        server.start(timeout=900)
        soak = Soak(args, server)
        base = server.url
        async with (
            httpx.AsyncClient(base_url=base, timeout=120) as api,
            httpx.AsyncClient(base_url=base, timeout=120) as staff,
        ):
            tokens = await sign_in(api, demo_user, demo_password)
            api.headers["Authorization"] = f"Bearer {tokens['access']}"
            staff_tokens = await sign_in(staff, STAFF, STAFF_PASSWORD)
            staff.headers["Authorization"] = f"Bearer {staff_tokens['access']}"
            say("soak: creating pairs, monitors and backtests through the API")
            pair_ids = await create_research(api, pairs)
            baseline = {p: len(await stored_signals(api, p)) for p in pair_ids}
            topics = [f"pair:{p}" for p in pair_ids]
            topic_lists = [
                topics + (["signals"] if i % args.signals_every == 0 else [])
                for i in range(args.subscribers)
            ]
            say(f"soak: connecting {args.subscribers} WebSocket subscribers")
            url = base.replace("http://", "ws://") + "/ws/stream/"
            subs = Subscribers(url, tokens["access"], topic_lists, args.ws_processes)
            try:
                ready = await subs.ready()  # errors so far are counted with the rest below
                say(f"soak: {ready['ready']} subscribers ready, {ready['errors']} errors")
                setup_seconds = time.monotonic() - started
                say(f"soak: set up in {setup_seconds:.0f} s; load for {args.seconds:.0f} s")
                report = await load(args, soak, api, staff, tokens, pairs, pair_ids, subs)
                tops = {}
                expected = {}
                for p in pair_ids:
                    rows = await stored_signals(api, p)
                    expected[p] = [r for r in rows if r[0] > baseline[p]]
                    tops[p] = rows[-1][0] if rows else 0
                behind = await subs.wait_complete(tops, args.drain_seconds)
                check = await subs.verify(expected)
            finally:
                await subs.close()
        report["setup_seconds"] = round(setup_seconds, 1)
        report["behind_after_drain"] = behind
        first = check.pop("first_errors")
        for e in first:
            soak.error(f"subscriber: {e}")
        soak.error_count += check["errors"] - len(first)
        latency = check.pop("latency_ms")
        report["signals"] = {
            "stored": sum(len(v) for v in expected.values()),
            "per_pair": {str(p): len(v) for p, v in expected.items()},
            **{k: v for k, v in check.items() if k != "errors"},
            "p50_ms": round(float(np.percentile(latency, 50)), 1) if len(latency) else None,
            "p99_ms": round(float(np.percentile(latency, 99)), 1) if len(latency) else None,
            "max_ms": round(float(latency.max()), 1) if len(latency) else None,
        }
        status = server.stop(timeout=60)
        if status not in (0, -15):  # uvicorn re-raises the SIGTERM it handled: -15 is clean
            soak.error(f"server exit status {status} on SIGTERM")
        for line in log_errors(server)[:20]:
            soak.error(f"server log: {line[:300]}")
        soak.error_count += max(0, len(log_errors(server)) - 20)
    report["errors"] = soak.error_count
    report["first_errors"] = soak.errors
    if args.keep or soak.error_count:
        report["var_dir"] = str(var_dir)  # the server's log is there
    else:
        shutil.rmtree(var_dir, ignore_errors=True)
    return report, bounds(report, max_rss_growth=args.max_rss_growth)


async def load(
    args: argparse.Namespace,
    soak: Soak,
    api: httpx.AsyncClient,
    staff: httpx.AsyncClient,
    tokens: dict[str, Any],
    pairs: list[tuple[str, str]],
    pair_ids: list[int],
    subs: Subscribers,
) -> dict[str, Any]:
    from engine.compute import LoopLagMonitor

    server = soak.server
    headers = rest.Headers(tokens["access"])
    symbols = sorted({s for pair in pairs for s in pair})
    mix = rest.Mix(pair_ids=pair_ids, symbols=symbols)
    groups = [pairs[k::REPLAYS] for k in range(REPLAYS)]
    universe = (await api.get("/api/symbols/", params={"limit": 500})).json()["results"]
    scan = {"symbols": sorted(s["ticker"] for s in universe)}
    # The replay feed first: the clock starts once every replay has warmed its monitors up
    # and plays bars (on a loaded machine the warm-up alone can outlast a short run).
    workers, feeding = [], []
    for group in groups:
        body = {
            "symbols": sorted({s for pair in group for s in pair}),
            "start": args.replay_start,
            "speed": args.replay_speed,
        }
        feeding.append(asyncio.Event())
        workers.append(
            asyncio.create_task(
                soak.run_tasks(api, "/api/replay/", body, soak.replays, feeding[-1])
            )
        )
    await asyncio.wait_for(asyncio.gather(*(e.wait() for e in feeding)), 900)
    r = await staff.post("/api/tasks/loop-lag", json={"reset": True})
    r.raise_for_status()
    assert server.proc is not None
    cpu0 = cpu_seconds(server.proc.pid)
    soak.t0 = time.monotonic()
    workers += [
        asyncio.create_task(soak.sample_rss()),
        asyncio.create_task(soak.probe_healthz()),
        asyncio.create_task(soak.read_lag(staff)),
        asyncio.create_task(soak.refresh_tokens(api, tokens, headers)),
        asyncio.create_task(soak.progress(subs)),
        asyncio.create_task(soak.run_tasks(api, "/api/pairs/scan", scan, soak.scans)),
    ]
    clients = [
        asyncio.create_task(
            rest.client(
                "127.0.0.1",
                server.port,
                headers,
                mix,
                soak.rest_stats,
                think=args.think_ms / 1e3,
                stop=soak.stop,
                seed=i,
            )
        )
        for i in range(args.rest_clients)
    ]
    async with LoopLagMonitor() as own_lag:
        await soak.sleep(args.seconds)
        soak.stop.set()
        await asyncio.gather(*clients)
        rest_seconds = time.monotonic() - soak.t0
        cpu1 = cpu_seconds(server.proc.pid)
        await asyncio.gather(*workers)
    for e in soak.rest_stats.first_errors:
        soak.error(f"REST: {e}")
    soak.error_count += soak.rest_stats.errors - len(soak.rest_stats.first_errors)
    rest_summary = soak.rest_stats.summary(rest_seconds)
    rest_summary.pop("first_errors")
    windows = [w for w in soak.lag_windows if w.get("p99") is not None]
    return {
        "rest": rest_summary,
        "healthz": {
            "probes": len(soak.healthz),
            "p50_ms": round(percentile(soak.healthz, 50), 1),
            "p99_ms": round(percentile(soak.healthz, 99), 1),
        },
        "loop_lag": {
            "windows": len(windows),
            "samples": sum(int(w["samples"]) for w in windows),
            "p99_ms": round(max(w["p99"] for w in windows) * 1e3, 1) if windows else None,
            "max_ms": round(max(w["max"] for w in windows) * 1e3, 1) if windows else None,
        },
        "memory": rss_growth(soak.rss, args.seconds),
        "replays": soak.replays,
        "scans": soak.scans,
        "client_loop_lag_p99_ms": round(own_lag.stats().p99 * 1e3, 1),
        # CPU the server process got, in % of one core: about 100 means the load saturated
        # its event loop; far below, that the machine's other work starved it.
        "server_cpu_pct": (
            round((cpu1 - cpu0) / rest_seconds * 100, 1)
            if cpu0 is not None and cpu1 is not None
            else None
        ),
    }


def bounds(report: dict[str, Any], *, max_rss_growth: float = MAX_RSS_GROWTH) -> list[str]:
    """The bounds the soak must meet; the failed ones, described."""
    failed = []
    sig = report["signals"]
    if report["errors"]:
        failed.append(f"{report['errors']} errors")
    for key in ("lost", "duplicated", "unexpected", "out_of_order", "wrong_kind"):
        if sig.get(key, 0):
            failed.append(f"{sig[key]} signals {key.replace('_', ' ')}")
    if not sig["stored"]:
        failed.append("no signal was produced: the feed did not run")
    if not report["scans"]["submitted"]:
        failed.append("no scan ran")
    growth = report["memory"]["growth_pct"]
    if growth is None or growth >= max_rss_growth:
        failed.append(f"server RSS grew {growth}% (bound {max_rss_growth}%)")
    return failed


def headline(args: argparse.Namespace, report: dict[str, Any], failed: list[str]) -> dict[str, Any]:
    sig = report["signals"]
    return {
        "benchmark": "soak",
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "backend": args.backend,
        "seconds": args.seconds,
        "load_average": [round(v, 2) for v in os.getloadavg()],
        "cpus": os.cpu_count(),
        "rest_clients": args.rest_clients,
        "subscribers": args.subscribers,
        "pairs": args.pairs,
        "errors": report["errors"],
        "signals_stored": sig["stored"],
        "deliveries": sig.get("received", 0),
        "lost": sig.get("lost", 0),
        "duplicated": sig.get("duplicated", 0),
        "rest_requests": report["rest"]["requests"],
        "rest_p50_ms": report["rest"]["p50_ms"],
        "rest_p99_ms": report["rest"]["p99_ms"],
        "signal_p50_ms": sig["p50_ms"],
        "signal_p99_ms": sig["p99_ms"],
        "loop_lag_p99_ms": report["loop_lag"]["p99_ms"],
        "healthz_p99_ms": report["healthz"]["p99_ms"],
        "server_cpu_pct": report["server_cpu_pct"],
        "rss_mib": report["memory"].get("last_third_mib"),
        "rss_growth_pct": report["memory"]["growth_pct"],
        "scans": report["scans"]["submitted"],
        "replays": report["replays"]["submitted"],
        "ok": not failed,
    }


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    report, failed = asyncio.run(run(args))
    if not args.quiet:
        print(json.dumps(report, indent=1), file=sys.stderr)
        for text in failed:
            print(f"soak: FAILED: {text}", file=sys.stderr)
    print(json.dumps(headline(args, report, failed)), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
