"""Schema fuzzing of the REST API: a real server, seeded objects, schemathesis over the schema.

:func:`fuzz_server` starts an embedded uvicorn (tests/e2e/server.py) with small task limits
(a fuzzer submits many tasks; each kind may have two queued or running per user, every run is
cut after 60 s), then creates, through the API, a small market (three symbols, 300 daily
bars each), a stored pair, a parameter set, a backtest, a monitor, volatility regimes and a
walk-forward run. :func:`schema_with_examples` gives every path parameter of the schema a
seeded id as its example, so the examples and coverage phases reach real objects (the
fuzzing phase draws random ids: 404). :func:`run` runs the schemathesis CLI (all checks) over
that schema and returns its exit status and summary.

The migrated, seeded var dir is built once and copied for each run (:func:`seeded_template`).
``make fuzz`` (``python -m tests.e2e.fuzz_harness``) runs longer than the suite's
``tests/e2e/test_schema_fuzz.py``: ``FUZZ_EXAMPLES`` examples per operation (default 50).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from tests.e2e.server import BIN, ROOT, Server, prepare, server_env

CONFIG = Path(__file__).with_name("schemathesis.toml")
TICKERS = ("FZA", "FZB", "FZC")
BARS = 300


@dataclass
class Fuzzed:
    server: Server
    token: str
    ids: dict[str, Any] = field(default_factory=dict)


def _rows() -> list[dict[str, Any]]:
    """Daily bars of three related random-walk-like series (deterministic)."""
    rows = []
    for i in range(BARS):
        day = time.strftime("%Y-%m-%dT00:00:00Z", time.gmtime(1_600_000_000 + i * 86_400))
        base = 100 + 10 * math.sin(i / 17) + i * 0.05
        for k, ticker in enumerate(TICKERS):
            close = base * (1 + 0.1 * k) + math.sin(i * (k + 1) / 3)
            rows.append(
                {
                    "ts": day,
                    "symbol": ticker,
                    "open": close,
                    "high": close + 1,
                    "low": close - 1,
                    "close": close,
                    "volume": 1000 + i,
                }
            )
    return rows


def _wait_task(client: httpx.Client, task_id: str, timeout: float = 180) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        task = client.get(f"/api/tasks/{task_id}/").json()
        if task["status"] in ("succeeded", "failed", "cancelled", "interrupted"):
            return dict(task)
        time.sleep(0.3)
    raise RuntimeError(f"seeding task {task_id} still running after {timeout} s")


def seed(client: httpx.Client) -> dict[str, Any]:
    """The objects the fuzzer's examples point at, created through the API; their ids."""

    def ok(r: httpx.Response, *codes: int) -> Any:
        if r.status_code not in codes:
            raise RuntimeError(f"seeding: {r.request.method} {r.request.url} -> {r.text[:500]}")
        return r.json() if r.content else None

    ok(client.post("/api/bars/ingest", json={"rows": _rows(), "timeframe": "1d"}), 200)
    pair = ok(
        client.post(
            "/api/pairs/analyze",
            json={"symbol_1": TICKERS[0], "symbol_2": TICKERS[1], "store": True},
        ),
        201,
    )["pair_id"]
    params = ok(client.post("/api/parameters/", json={"pair": pair, "lookback": 20}), 201)["id"]
    task = ok(client.post("/api/backtests/", json={"pair": pair, "formation_bars": 60}), 202)
    monitor = ok(client.post("/api/monitors/", json={"pair": pair, "parameter_set": params}), 201)
    ok(client.post("/api/regimes/detect", json={"pair": pair, "method": "volatility"}), 201)
    ok(
        client.post(
            "/api/walkforward/",
            json={
                "symbols": list(TICKERS),
                "config": {"train_bars": 120, "n_folds": 3, "top_k": 1},
            },
        ),
        202,
    )
    walkforward = ok(client.get("/api/walkforward/"), 200)["results"][0]["id"]
    # The runs exist from their submission; their tasks may still run while the fuzz starts.
    backtest = ok(client.get("/api/backtests/"), 200)["results"][0]["id"]
    return {
        "pair_id": pair,
        "parameter_set_id": params,
        "backtest_id": backtest,
        "monitor_id": monitor["id"],
        "walkforward_id": walkforward,
        "task_id": task["id"],
        "ticker": TICKERS[2],
    }


def fuzz_env(var_dir: Path) -> dict[str, str]:
    return server_env(
        var_dir,
        TITAN_TASK_HEARTBEAT_SECONDS="1",
        TITAN_TASK_LIMITS="default=1",
        TITAN_TASK_USER_LIMITS="default=2",
        TITAN_TASK_TIME_LIMITS="default=60",
        TITAN_TASK_CANCEL_GRACE_SECONDS="2",
    )


CACHE = ROOT / "var" / "fuzz-cache"
_TEMPLATE_INPUTS = ("titan_web/*/migrations/*.py", "tests/e2e/fuzz_harness.py")


def _template_key() -> str:
    digest = hashlib.sha256()
    for pattern in _TEMPLATE_INPUTS:
        for path in sorted(ROOT.glob(pattern)):
            digest.update(str(path.relative_to(ROOT)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def seeded_template() -> Path:
    """A var dir migrated and seeded (:func:`seed`, ids in ``ids.json``, its tasks ended),
    built once and reused while the migrations and this module are unchanged: migrating and
    seeding take minutes on a busy machine. Each fuzz run gets a copy."""
    template = CACHE / _template_key()
    if (template / "ids.json").exists():
        return template
    CACHE.mkdir(parents=True, exist_ok=True)
    with (CACHE / "lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if (template / "ids.json").exists():
            return template
        building = CACHE / f"building-{os.getpid()}"
        shutil.rmtree(building, ignore_errors=True)
        env = fuzz_env(building)
        prepare(building, env)
        with Server(env, building / "uvicorn.log").start(timeout=600) as server:
            with httpx.Client(base_url=server.url, timeout=600) as client:
                client.headers["Authorization"] = f"Bearer {server.token(client)}"
                ids = seed(client)
                for task in client.get("/api/tasks/?limit=500").json()["results"]:
                    _wait_task(client, task["id"], timeout=600)
            server.stop()
        (building / "uvicorn.log").unlink(missing_ok=True)
        (building / "ids.json").write_text(json.dumps(ids))
        shutil.rmtree(template, ignore_errors=True)
        building.rename(template)
    return template


@contextlib.contextmanager
def fuzz_server(var_dir: Path) -> Iterator[Fuzzed]:
    """A started server on a copy of the seeded template in ``var_dir``, the seeded ids and
    the staff user's access token."""
    template = seeded_template()
    shutil.copytree(template, var_dir, dirs_exist_ok=True)
    ids = json.loads((var_dir / "ids.json").read_text())
    with Server(fuzz_env(var_dir), var_dir / "uvicorn.log").start(timeout=300) as server:
        with httpx.Client(base_url=server.url, timeout=300) as client:
            token = server.token(client)
        yield Fuzzed(server, token, ids)


def schema_with_examples(server: Server, ids: dict[str, Any]) -> dict[str, Any]:
    """The server's OpenAPI document with each path parameter's example a seeded id."""
    schema = httpx.get(server.url + "/api/schema/?format=json", timeout=600).json()
    for operations in schema["paths"].values():
        for op in operations.values():
            for param in op.get("parameters", []):
                if param.get("in") == "path" and param["name"] in ids:
                    param["example"] = ids[param["name"]]
    return dict(schema)


@dataclass
class Result:
    returncode: int
    output: str
    seconds: float

    def summary(self) -> str:
        """The CLI's closing section (from its "SUMMARY" header)."""
        at = self.output.rfind("SUMMARY")
        return self.output[at:] if at >= 0 else self.output[-4000:]


def run(
    fuzzed: Fuzzed,
    *,
    examples: int,
    workers: int = 1,
    seed_value: int | None = None,
    extra: tuple[str, ...] = (),
) -> Result:
    """The schemathesis CLI over the seeded schema with every check."""
    schema = schema_with_examples(fuzzed.server, fuzzed.ids)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "openapi.json"
        path.write_text(json.dumps(schema))
        cmd = [
            str(BIN / "schemathesis"),
            "--config-file",
            str(CONFIG),
            "run",
            str(path),
            "--url",
            fuzzed.server.url,
            "--header",
            f"Authorization: Bearer {fuzzed.token}",
            "--checks",
            "all",
            "--phases",
            "examples,coverage,fuzzing",
            "--max-examples",
            str(examples),
            "--workers",
            str(workers),
            "--request-timeout",
            "120",
            "--continue-on-failure",
            "--suppress-health-check",
            "all",
            "--no-color",
            *(("--seed", str(seed_value)) if seed_value is not None else ()),
            *extra,
        ]
        started = time.monotonic()
        proc = subprocess.run(
            cmd,
            cwd=ROOT,
            capture_output=True,
            text=True,
            env={**os.environ, "NO_COLOR": "1"},
        )
    return Result(proc.returncode, proc.stdout + proc.stderr, time.monotonic() - started)


def only_generation_flake(result: Any) -> bool:
    """Whether a failed run's only errors are schemathesis's own case generation raising (seen:
    a Hypothesis ``FlakyFailure`` from CPython's "AST constructor recursion depth mismatch"
    while it described a lambda): no failure, nothing about the API."""
    summary = result.summary()
    if "Failures:" in summary:
        return False
    errors = summary.split("Errors:", 1)[-1].split("Warnings:", 1)[0]
    return (
        "Runtime Error" in errors
        and "hypothesis" in result.output
        and not re.search(r"(?m)^\s+\S+ (?!Runtime Error)[A-Z]\w+.*: \d+$", errors)
    )


def main() -> int:
    examples = int(os.environ.get("FUZZ_EXAMPLES", "50"))
    workers = int(os.environ.get("FUZZ_WORKERS", "2"))
    with tempfile.TemporaryDirectory(prefix="titan-fuzz-") as tmp:
        started = time.monotonic()
        with fuzz_server(Path(tmp)) as fuzzed:
            print(f"server {fuzzed.server.url} seeded in {time.monotonic() - started:.0f} s")
            result = run(fuzzed, examples=examples, workers=workers)
        print(result.output)
        print(
            f"fuzz: {examples} examples per operation, {workers} workers, "
            f"{result.seconds:.0f} s, exit {result.returncode}, "
            f"load average {os.getloadavg()[0]:.1f}"
        )
        if result.returncode != 0 and only_generation_flake(result):
            print("fuzz: no failure; the only error is Hypothesis's own case generation")
            return 0
        return result.returncode


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main())
