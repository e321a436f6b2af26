"""Regimes and parameters in a real browser: detect regimes, see them shaded, a small grid
optimisation and its heatmap, a parameter set added."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from tests.e2e.server import Server
from tests.e2e.ui_harness import assert_accessible, canvas_has_drawing, screenshot, sign_in
from tests.e2e.ui_research import demo_pair

pytestmark = pytest.mark.e2e


def test_detect_regimes_and_optimise(page: Any, api: httpx.Client, ui_server: Server) -> None:
    pair_id = demo_pair(api, ui_server)
    sign_in(page, ui_server.url, path=f"/regimes?pair={pair_id}")
    page.console_errors.clear()  # the signed-out start (no refresh cookie yet)
    detect = page.get_by_role("form", name="Detect regimes")
    detect.wait_for()
    detect.get_by_label("From (UTC date)").fill("2018-01-01")
    detect.get_by_role("button", name="Detect regimes").click()
    page.get_by_text(re.compile(r"\d+ regimes, \d+ spans")).wait_for(timeout=120_000)
    page.get_by_role("img", name=re.compile("regimes shaded")).wait_for(timeout=60_000)
    legend = page.get_by_role("list", name="Regimes")
    assert "low" in legend.inner_text() and "high" in legend.inner_text()
    page.wait_for_timeout(300)
    assert canvas_has_drawing(page, ".time-chart-canvas")

    opt = page.get_by_role("form", name="Grid optimisation")
    opt.get_by_label("Lookback grid").fill("40, 60")
    opt.get_by_label("Entry |z| grid").fill("1.5, 2")
    opt.get_by_label("From (UTC date)").fill("2019-01-01")
    opt.get_by_role("button", name="Optimise").click()
    heatmap = page.get_by_role("group", name="Heatmap of sharpe by entry_z and lookback")
    heatmap.wait_for(timeout=120_000)
    cells = heatmap.get_by_role("button")
    assert cells.count() == 4
    cells.first.focus()
    assert "lookback" in page.locator(".heatmap-focus").inner_text()
    # The table fallback names every cell for screen readers.
    fallback = page.get_by_role(
        "table", name="Objective sharpe by entry_z (rows) and lookback (columns)"
    )
    assert fallback.get_by_role("cell").count() == 4
    # The optimisation stored its best set; the list shows it.
    sets = page.get_by_role("table", name="Parameter sets of this pair")
    sets.get_by_text(re.compile("optimised")).first.wait_for(timeout=30_000)
    screenshot(page, "regimes")
    assert_accessible(page, "regimes")
    assert not page.console_errors, page.console_errors
