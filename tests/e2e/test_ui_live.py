"""The Live page in a real browser: create a monitor from a pair and a parameter set, start a
replay and see live signals arrive (feed and chart markers) without a reload; cancel a
replay; the live feed under a fast replay, with a PerformanceObserver for long tasks."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.e2e.server import Server
from tests.e2e.ui_harness import assert_accessible, canvas_has_drawing, screenshot

pytestmark = pytest.mark.e2e

LONGTASKS = """
window.__longtasks = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) window.__longtasks.push(e.duration);
}).observe({ type: "longtask", buffered: true });
window.__noReload = true;
"""


def _pair(api: httpx.Client) -> int:
    r = api.post("/api/pairs/analyze", json={"symbol_1": "KO", "symbol_2": "PEP", "store": True})
    assert r.status_code == 201, r.text
    pair = r.json()["pair_id"]
    r = api.post(
        "/api/parameters/",
        json={"pair": pair, "name": "e2e", "lookback": 20, "entry_z": 1.0, "exit_z": 0.0},
    )
    assert r.status_code == 201, r.text
    return int(pair)


def test_monitor_replay_live_signals_and_cancel(
    signed_in_page: Any, ui_server: Server, api: httpx.Client
) -> None:
    page = signed_in_page
    pair = _pair(api)
    page.goto(ui_server.url + "/live")
    page.get_by_role("heading", name="Live", level=1).wait_for()
    page.get_by_text("Connection: connected, live").wait_for(timeout=20_000)
    # Other tests may have stored pairs (a scan stores its results): choose this one.
    page.get_by_label("Pair", exact=True).select_option(str(pair))
    page.get_by_role("button", name="Create the monitor").click()
    page.get_by_role("button", name="Pause monitor KO/PEP").wait_for(timeout=60_000)
    page.evaluate(LONGTASKS)

    # Cancel a long replay (speed 2 bars/s over years).
    page.get_by_label("Replay from").fill("2015-01-01")
    page.get_by_label("Speed (bars per second)").fill("2")
    page.get_by_role("button", name="Start the replay").click()
    page.get_by_role("progressbar", name="Replay").wait_for(timeout=20_000)
    page.get_by_role("button", name="Cancel").click()
    page.wait_for_function(
        "() => document.querySelector('[role=progressbar][aria-label=Replay]')?.getAttribute('aria-valuetext')?.includes('cancelled')",
        timeout=30_000,
    )

    # A fast replay of 2022: signals arrive live, in the feed and on the chart.
    page.get_by_label("Replay from").fill("2021-01-01")
    page.get_by_label("Speed (bars per second)").fill("0")
    page.get_by_role("button", name="Start the replay").click()
    feed = page.get_by_role("list", name="Live signals")
    feed.get_by_role("listitem").first.wait_for(timeout=60_000)
    page.wait_for_function(
        "() => document.querySelector('[role=progressbar][aria-label=Replay]')?.getAttribute('aria-valuetext')?.includes('succeeded')",
        timeout=60_000,
    )
    assert page.evaluate("window.__noReload") is True  # no page reload happened
    total = int(feed.get_attribute("data-total") or 0)
    assert total >= 5, total
    assert "replay" in feed.inner_text()
    longest = max(page.evaluate("window.__longtasks") or [0])
    print(f"live feed: {total} signals, longest main-thread task {longest:.0f} ms")
    assert canvas_has_drawing(page, "[role=img]")
    screenshot(page, "live")
    assert_accessible(page, "live")
