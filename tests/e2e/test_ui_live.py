"""The Live page in a real browser: create a monitor from a pair and a parameter set, start a
replay and see live signals arrive without a reload, in the feed and as markers drawn on the
z-score chart (in view: the chart opens on the recent bars and follows the signals); cancel a
replay. The speed of the feed: test_ui_live_speed.py; a server-side drop:
test_ui_live_reconnect.py."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.e2e.server import Server
from tests.e2e.ui_harness import ARTIFACTS, assert_accessible, canvas_has_drawing, screenshot
from tests.e2e.ui_live import MARKER_PIXELS, PROBES, pair_with_params

pytestmark = pytest.mark.e2e

PROGRESS = "document.querySelector('[role=progressbar][aria-label=Replay]')?.getAttribute('aria-valuetext')"


def test_monitor_replay_live_signals_and_cancel(
    signed_in_page: Any, ui_server: Server, api: httpx.Client
) -> None:
    page = signed_in_page
    pair, _ = pair_with_params(api, [{"lookback": 20, "entry_z": 1.0, "exit_z": 0.0}])
    page.add_init_script(PROBES)
    page.goto(ui_server.url + "/live")
    page.get_by_role("heading", name="Live", level=1).wait_for()
    page.get_by_text("Connection: connected, live").wait_for(timeout=20_000)
    # Other tests may have stored pairs (a scan stores its results): choose this one.
    page.get_by_label("Pair", exact=True).select_option(str(pair))
    page.get_by_role("button", name="Create the monitor").click()
    page.get_by_role("button", name="Pause monitor KO/PEP").wait_for(timeout=60_000)
    chart = page.get_by_test_id("live-zscore-chart")
    chart.wait_for(timeout=60_000)
    # The bands are the monitor's parameter set's (entry 1, exit 0), not the defaults.
    assert "±1 (entry)" in (chart.locator("figcaption").text_content() or "")
    assert chart.get_attribute("data-markers") == "0"
    assert page.evaluate(MARKER_PIXELS) == 0  # nothing in a marker colour yet

    # Cancel a long replay (speed 2 bars/s over years).
    page.get_by_label("Replay from").fill("2015-01-01")
    page.get_by_label("Speed (bars per second)").fill("2")
    page.get_by_role("button", name="Start the replay").click()
    page.get_by_role("progressbar", name="Replay").wait_for(timeout=20_000)
    page.get_by_role("button", name="Cancel").click()
    page.wait_for_function(f"() => {PROGRESS}?.includes('cancelled')", timeout=90_000)

    # A fast replay of 2021-2022: signals arrive live, in the feed and on the chart.
    page.get_by_label("Replay from").fill("2021-01-01")
    page.get_by_label("Speed (bars per second)").fill("0")
    page.get_by_role("button", name="Start the replay").click()
    feed = page.get_by_role("list", name="Live signals")
    feed.get_by_role("listitem").first.wait_for(timeout=90_000)
    page.wait_for_function(f"() => {PROGRESS}?.includes('succeeded')", timeout=120_000)
    assert page.evaluate("window.__noReload") is True  # no page reload happened
    # Every signal the page got on its WebSocket is in the feed, once, and on the chart.
    pushed = [key for _, key in page.evaluate("window.__signals")]
    assert len(pushed) == len(set(pushed)), sorted(pushed)
    page.wait_for_function(
        f"() => Number(document.querySelector('[aria-label=\"Live signals\"]')?.dataset.total) >= {len(pushed)}",
        timeout=10_000,
    )
    total = int(feed.get_attribute("data-total") or 0)
    assert total >= 5, total
    assert total == len(pushed)
    assert "replay" in feed.inner_text()
    page.wait_for_function(
        f"() => Number(document.querySelector('[data-testid=live-zscore-chart]').dataset.markers) === {total}",
        timeout=10_000,
    )
    # In view (the chart follows the signals), and drawn: pixels in the entry markers' colours.
    visible = int(chart.get_attribute("data-markers-visible") or 0)
    assert visible >= total // 2, (visible, total)
    page.wait_for_timeout(300)  # the chart paints on its next frame
    pixels = page.evaluate(MARKER_PIXELS)
    assert pixels >= 200, pixels
    longest = max([d for _, d in page.evaluate("window.__longtasks")] or [0])
    print(
        f"live feed: {total} signals, {visible} markers in view, {pixels} marker pixels; "
        f"longest main-thread task {longest:.0f} ms"
    )
    assert canvas_has_drawing(page, "[role=img]")
    screenshot(page, "live")
    chart.screenshot(path=str(ARTIFACTS / "live-zscore-chart.png"))
    assert_accessible(page, "live")
