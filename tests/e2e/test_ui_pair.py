"""The pair page in a real browser: charts drawn, statistics, next steps, 8,000-bar draw time."""

from __future__ import annotations

import json
import os
import statistics
from typing import Any

import httpx
import pytest

from tests.e2e.server import Server
from tests.e2e.ui_harness import assert_accessible, canvas_has_drawing, screenshot, sign_in
from tests.e2e.ui_research import demo_pair

pytestmark = pytest.mark.e2e

DRAW_BUDGET_MS = 500
#: Page loads measured (reloads of the signed-in page); medians are checked. The figure is
#: the page's own (decisions 42, 46): from the `titan:pair-data` mark, set when the JSON is
#: parsed, to the `titan:pair-drawn` mark in the animation frame after `setData`, as wall
#: time and as the main thread's CPU time in that window (from a Chromium trace).
DRAWS = 3


def main_thread_cpu_ms(trace: Any) -> float:
    """CPU time of the renderer's main thread between the `titan:pair-data` and
    `titan:pair-drawn` marks of a Chromium trace: its tasks' thread time (`tdur`), each
    counted for the part of it inside the window."""
    events = trace["traceEvents"] if isinstance(trace, dict) else trace
    marks = {e["name"]: e for e in events if e.get("name", "").startswith("titan:pair-")}
    start, end = marks["titan:pair-data"]["ts"], marks["titan:pair-drawn"]["ts"]
    thread = (marks["titan:pair-data"]["pid"], marks["titan:pair-data"]["tid"])
    cpu = 0.0
    for e in events:
        if e.get("name") != "RunTask" or (e.get("pid"), e.get("tid")) != thread:
            continue
        t0, dur = e["ts"], e.get("dur", 0)
        inside = min(t0 + dur, end) - max(t0, start)
        if dur > 0 and inside > 0:
            cpu += e.get("tdur", dur) * inside / dur
    assert cpu > 0, "no main-thread task in the window: is the trace's category set right?"
    return cpu / 1000


def test_pair_page_draws_8000_bars_within_budget(
    page: Any, browser: Any, api: httpx.Client, ui_server: Server
) -> None:
    pair_id = demo_pair(api, ui_server)
    quality = api.get("/api/symbols/KO/quality", params={"timeframe": "1d"}).json()
    assert quality["count"] >= 8000  # the demo set: ~8,300 daily bars 1990-2022

    sign_in(page, ui_server.url, path=f"/pairs/{pair_id}")

    page.console_errors.clear()  # the signed-out start (no refresh cookie yet)
    walls: list[float] = []
    cpus: list[float] = []
    for _ in range(DRAWS):
        # A fresh page each time: the chart is built, then the bars arrive. The first draw,
        # right after the sign-in form, is not counted: the app's start-up (session restore,
        # the socket, route chunks) runs in the same frames.
        browser.start_tracing(
            page=page,
            categories=[
                "devtools.timeline",
                "disabled-by-default-devtools.timeline",  # RunTask with its thread time
                "blink.user_timing",
            ],
        )
        page.reload()
        page.get_by_role("heading", level=1, name="KO / PEP").wait_for(timeout=60_000)
        page.get_by_role("img", name="Charts of KO/PEP").wait_for(timeout=240_000)
        page.get_by_text("after the data arrived").wait_for(timeout=60_000)
        measured = page.evaluate(
            """() => {
                const m = performance.getEntriesByName('titan:pair-draw', 'measure');
                const d = performance.getEntriesByName('titan:pair-data', 'mark');
                return { ms: m[m.length - 1].duration, bars: d[d.length - 1].detail.bars };
            }"""
        )
        trace = json.loads(browser.stop_tracing())
        assert measured["bars"] >= 8000
        walls.append(measured["ms"])
        cpus.append(main_thread_cpu_ms(trace))
    wall, cpu = statistics.median(walls), statistics.median(cpus)
    load, cores = os.getloadavg()[0], os.cpu_count() or 1
    print(
        f"\npair page: {measured['bars']} bars drawn {wall:.0f} ms after the data arrived,"
        f" {cpu:.0f} ms of main-thread CPU (medians of {DRAWS} page loads: wall"
        f" {', '.join(f'{d:.0f}' for d in walls)} ms, CPU {', '.join(f'{d:.0f}' for d in cpus)} ms;"
        f" load average {load:.1f} on {cores} cores)"
    )
    # The page's own work always fits the budget; the wall clock does when the machine is not
    # overloaded (above one runnable task per core the other processes' share is measured).
    assert cpu < DRAW_BUDGET_MS, (cpus, walls, load)
    if load <= cores:
        assert wall < DRAW_BUDGET_MS, (walls, cpus, load)
    assert canvas_has_drawing(page, ".time-chart-canvas")

    # The statistics panel: Engle-Granger both ways and Johansen.
    stats = page.get_by_role("region", name="Statistics")
    stats.get_by_role("table", name="Engle-Granger cointegration test, both directions").wait_for()
    assert stats.get_by_role("rowheader", name="KO on PEP").is_visible()
    assert stats.get_by_role("rowheader", name="PEP on KO").is_visible()
    assert stats.get_by_role("table", name="Johansen test (critical values at 95%)").is_visible()
    screenshot(page, "pair")
    assert_accessible(page, "pair")

    # Next steps carry the pair.
    live = page.get_by_role("link", name="Monitor live")
    assert live.get_attribute("href") == f"/live?pair={pair_id}"
    page.get_by_role("link", name="Backtest this pair").click()
    page.get_by_role("heading", level=1, name="Backtests").wait_for()
    assert page.get_by_label("Pair").input_value() == str(pair_id)
    assert not page.console_errors, page.console_errors
