"""The live feed's speed in a real browser (issue 11, "the live feed takes 100 signals/s with
no main-thread task over 50 ms"): the server pushes at least 100 signals/s for several
seconds to the Live page, through the real path (a replay task started from the page, with
several monitors on one pair, stored and published per bar), while a PerformanceObserver
installed before the page's own script records every long task.

What is measured (printed, and in docs/dashboard.md): the signals the page's WebSocket got
per second (from their arrival times); the long tasks (PerformanceObserver "longtask", wall
clock) while they arrived; and, from a Chromium trace of the same time, every task of the
page's main thread with its wall time and its CPU (thread) time.

The machine the tests run on is shared (the load average is printed with the figures). A
long task's duration is wall-clock: on 2 cores at a load of 14 the main thread gets a
fraction of a core, so 20 ms of work is reported as 150 ms and more. The assertion is
therefore on the CPU time of the longest main-thread task, against the budget itself
(LONG_TASK_LIMIT_MS, 50 ms; TITAN_E2E_LONG_TASK_LIMIT_MS overrides it); the wall-clock
figures are printed beside it.

Diagnostics: TITAN_E2E_PROFILE=1 also records a CPU profile of the page and prints the
functions with the most self time; TITAN_E2E_TRACE=1 (or the profile) writes the trace
(and profile) to the artifacts directory as live-speed-trace.json (live-speed-profile.json).
"""

from __future__ import annotations

import json
import os
from typing import Any

import httpx
import pytest

from tests.e2e.server import Server
from tests.e2e.ui_harness import ARTIFACTS, assert_accessible, screenshot
from tests.e2e.ui_live import PROBES, monitor, pair_with_params, wait_task

pytestmark = pytest.mark.e2e

#: Monitors (parameter sets) on one pair: short lookbacks and low thresholds decide often.
PARAMS = [{"lookback": lb, "entry_z": 0.5, "exit_z": 0.0} for lb in (5, 6, 7, 8, 9, 10)]
#: The budget of issue 11, asserted on CPU time (see the docstring).
BUDGET_MS = 50
LONG_TASK_LIMIT_MS = float(os.environ.get("TITAN_E2E_LONG_TASK_LIMIT_MS", BUDGET_MS))
MIN_RATE = 100  # signals/s
MIN_SECONDS = 3  # one-second windows at MIN_RATE or more (the server's pace varies with load)

PROGRESS = "document.querySelector('[role=progressbar][aria-label=Replay]')?.getAttribute('aria-valuetext')"


def _rates(arrivals: list[float]) -> list[int]:
    """Signals per whole second from the first arrival on."""
    if not arrivals:
        return []
    t0 = arrivals[0]
    bins = [0] * (int((arrivals[-1] - t0) // 1000) + 1)
    for t in arrivals:
        bins[int((t - t0) // 1000)] += 1
    return bins


def _main_thread_tasks(trace: bytes) -> list[tuple[float, float]]:
    """(wall ms, CPU ms) of every task of the page's renderer main thread in a trace."""
    events = json.loads(trace)
    events = events["traceEvents"] if isinstance(events, dict) else events
    mains = {
        (e["pid"], e["tid"])
        for e in events
        if e.get("name") == "thread_name" and e.get("args", {}).get("name") == "CrRendererMain"
    }
    return [
        (e["dur"] / 1000, e.get("tdur", e["dur"]) / 1000)
        for e in events
        if str(e.get("name", "")).endswith("RunTask")
        and e.get("ph") == "X"
        and "dur" in e
        and (e["pid"], e["tid"]) in mains
    ]


def _print_profile(profile: dict[str, Any]) -> None:
    """The functions with the most self time in a CPU profile (diagnostics)."""
    nodes = {n["id"]: n for n in profile["nodes"]}
    self_us: dict[str, float] = {}
    deltas = profile.get("timeDeltas", [])
    for sample, delta in zip(profile.get("samples", []), [*deltas[1:], 0], strict=False):
        f = nodes[sample]["callFrame"]
        key = f"{f['functionName'] or '(anon)'} {f['url'].rsplit('/', 1)[-1]}:{f['lineNumber']}:{f['columnNumber']}"
        self_us[key] = self_us.get(key, 0) + delta
    for key, us in sorted(self_us.items(), key=lambda kv: -kv[1])[:25]:
        print(f"  {us / 1000:8.1f} ms  {key}")


def test_live_feed_takes_100_signals_per_second(
    signed_in_page: Any, ui_server: Server, api: httpx.Client
) -> None:
    page = signed_in_page
    pair, sets = pair_with_params(api, PARAMS)
    for ps in sets:
        monitor(api, pair, ps)
    page.add_init_script(PROBES)
    page.goto(ui_server.url + "/live")
    page.get_by_text("Connection: connected, live").wait_for(timeout=30_000)
    page.get_by_role("button", name="Pause monitor KO/PEP").first.wait_for(timeout=30_000)
    page.get_by_test_id("live-zscore-chart").wait_for(timeout=60_000)
    page.wait_for_timeout(1_000)  # the page settles (chart drawn, queries in)

    page.get_by_label("Replay from").fill(os.environ.get("TITAN_E2E_REPLAY_FROM", "2012-01-01"))
    page.get_by_label("Speed (bars per second)").fill(os.environ.get("TITAN_E2E_REPLAY_SPEED", "0"))
    browser = page.context.browser
    browser.start_tracing(page=page, categories=["toplevel", "devtools.timeline"])
    cdp = page.context.new_cdp_session(page)
    profile = os.environ.get("TITAN_E2E_PROFILE") == "1"
    if profile:
        cdp.send("Profiler.enable")
        cdp.send("Profiler.start")
    page.get_by_role("button", name="Start the replay").click()
    page.wait_for_function(f"() => /succeeded|failed/.test({PROGRESS} || '')", timeout=300_000)
    trace = browser.stop_tracing()
    tasks_cpu = _main_thread_tasks(trace)
    if profile:
        cpu_profile = cdp.send("Profiler.stop")["profile"]
        _print_profile(cpu_profile)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        (ARTIFACTS / "live-speed-profile.json").write_text(json.dumps(cpu_profile))
    if profile or os.environ.get("TITAN_E2E_TRACE") == "1":
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        (ARTIFACTS / "live-speed-trace.json").write_bytes(trace)
    assert "succeeded" in page.evaluate(PROGRESS)
    tasks = api.get("/api/tasks/", params={"limit": 5}).json()["results"]
    task = wait_task(api, next(t["id"] for t in tasks if t["kind"] == "replay"))
    produced = int(task["result"]["signals"])

    feed = page.get_by_role("list", name="Live signals")
    page.wait_for_function(
        f"() => Number(document.querySelector('[aria-label=\"Live signals\"]')?.dataset.total) >= {produced}",
        timeout=20_000,
    )
    total = int(feed.get_attribute("data-total") or 0)
    pushed = page.evaluate("window.__signals")
    arrivals = [t for t, _ in pushed]
    keys = [k for _, k in pushed]
    assert len(keys) == len(set(keys)) == produced == total, (len(keys), produced, total)

    bins = _rates(arrivals)
    start, end = arrivals[0], arrivals[-1] + 250
    during = [(s, d) for s, d in page.evaluate("window.__longtasks") if start <= s <= end]
    longest = max([d for _, d in during] or [0])
    over_budget = [round(d) for _, d in during if d > BUDGET_MS]
    frames = [f for f in page.evaluate("window.__frames") if start <= f[0] <= end]
    worst = sorted(frames, key=lambda f: -f[1])[:3]
    load = os.getloadavg()
    seconds = (arrivals[-1] - arrivals[0]) / 1000
    print(
        f"\nlive feed speed: {produced} signals in {seconds:.1f} s "
        f"({produced / max(seconds, 1e-3):.0f}/s mean), per second {bins}; "
        f"long tasks while they arrived: {len(during)}, longest {longest:.0f} ms, "
        f"over {BUDGET_MS} ms: {over_budget}; load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}"
    )
    assert tasks_cpu, "the trace has no task of the page's main thread"
    cpu = sorted(c for _, c in tasks_cpu)
    walls = sorted(w for w, _ in tasks_cpu)
    busy = sum(cpu)
    print(
        f"main-thread tasks while replaying: {len(tasks_cpu)}, longest wall {walls[-1]:.0f} ms, "
        f"longest CPU {cpu[-1]:.0f} ms, over {BUDGET_MS} ms CPU: {[round(c) for c in cpu if c > BUDGET_MS]}, "
        f"CPU in all {busy / 1000:.1f} s"
    )
    for f in worst:
        print(f"  long animation frame {f[1]:.0f} ms (blocking {f[2]:.0f}): {f[3]}")
    screenshot(page, "live-speed")
    assert_accessible(page, "live-speed")

    assert sum(n >= MIN_RATE for n in bins) >= MIN_SECONDS, bins
    assert cpu[-1] <= LONG_TASK_LIMIT_MS, (cpu[-10:], load)
