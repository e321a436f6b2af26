"""The pair page in a real browser: charts drawn, statistics, next steps, 8,000-bar draw time."""

from __future__ import annotations

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
#: Page loads measured; the median is checked. On this shared 2-core machine one draw can take
#: several times its quiet figure when another process takes the cores for a moment (the
#: page's own figure, decision 42: from the `titan:pair-data` mark, set when the JSON is
#: parsed, to the `titan:pair-drawn` mark in the animation frame after `setData`).
DRAWS = 3


def test_pair_page_draws_8000_bars_within_budget(
    page: Any, api: httpx.Client, ui_server: Server
) -> None:
    pair_id = demo_pair(api, ui_server)
    quality = api.get("/api/symbols/KO/quality", params={"timeframe": "1d"}).json()
    assert quality["count"] >= 8000  # the demo set: ~8,300 daily bars 1990-2022

    sign_in(page, ui_server.url, path=f"/pairs/{pair_id}")

    page.console_errors.clear()  # the signed-out start (no refresh cookie yet)
    draws: list[float] = []
    for attempt in range(DRAWS):
        if attempt:
            page.reload()  # a fresh page: the chart is built, then the bars arrive again
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
        assert measured["bars"] >= 8000
        draws.append(measured["ms"])
    median = statistics.median(draws)
    load = os.getloadavg()[0]
    print(
        f"\npair page: {measured['bars']} bars drawn {median:.0f} ms after the data arrived"
        f" (median of {DRAWS} page loads: {', '.join(f'{d:.0f}' for d in draws)} ms;"
        f" load average {load:.1f})"
    )
    assert median < DRAW_BUDGET_MS, (draws, load)
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
