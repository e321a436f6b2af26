"""Walk-forward in a real browser: a small run on the demo pair, its folds and overfitting panel."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from tests.e2e.server import Server
from tests.e2e.ui_harness import assert_accessible, canvas_has_drawing, screenshot, sign_in
from tests.e2e.ui_research import demo_pair

pytestmark = pytest.mark.e2e


def test_walk_forward_folds_and_overfitting(
    page: Any, api: httpx.Client, ui_server: Server
) -> None:
    pair_id = demo_pair(api, ui_server)
    sign_in(page, ui_server.url, path=f"/walkforward?pair={pair_id}")
    page.console_errors.clear()  # the signed-out start (no refresh cookie yet)
    form = page.get_by_role("form", name="Walk-forward")
    form.wait_for()
    assert form.get_by_label("Symbols").input_value() == "KO, PEP"
    form.get_by_label("Start (UTC date)").fill("2015-01-01")
    # 3 test folds of 126 bars (the default) must cover the window: 2015-01-02..2016-07-01.
    form.get_by_label("End (UTC date)").fill("2016-07-01")
    form.get_by_label("Folds", exact=True).fill("3")
    form.get_by_role("button", name="Run walk-forward").click()
    page.wait_for_url(re.compile(r"/walkforward/\d+$"), timeout=180_000)
    page.get_by_role("region", name="Overfitting", exact=True).wait_for(timeout=60_000)
    for name in (
        "Walk-forward efficiency (WFE)",
        "Deflated Sharpe ratio",
        "Probability of backtest overfitting (PBO)",
        "Trials",
    ):
        card = page.get_by_role("group", name=name)
        assert card.is_visible()
        assert card.locator(".metric-hint").inner_text().strip()
    timeline = page.get_by_role("img", name=re.compile(r"Fold timeline: 3 folds"))
    assert timeline.is_visible()
    folds = page.get_by_role("table", name="Folds")
    assert folds.get_by_role("row").count() == 4  # header + 3 folds
    # The per-fold Sharpe bars: readable (not slivers), growing from the zero line.
    bars = page.get_by_role("img", name=re.compile(r"^Sharpe per fold"))
    assert bars.is_visible()
    sizes = bars.evaluate(
        """(svg) => [...svg.querySelectorAll('rect.sharpe-is, rect.sharpe-oos')].map(r => {
            const b = r.getBoundingClientRect(); return [b.width, b.height]; })"""
    )
    assert len(sizes) == 6 and all(w >= 20 for w, _ in sizes), sizes
    page.wait_for_timeout(300)
    assert canvas_has_drawing(page, ".time-chart-canvas")
    screenshot(page, "walkforward")
    assert_accessible(page, "walkforward")
    assert not page.console_errors, page.console_errors
