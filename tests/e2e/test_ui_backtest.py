"""Backtests in a real browser: run one from the pair page, its metrics and lookahead
verdict, and two runs compared side by side."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from tests.e2e.server import Server
from tests.e2e.ui_harness import assert_accessible, canvas_has_drawing, screenshot, sign_in
from tests.e2e.ui_research import demo_pair, wait_task

pytestmark = pytest.mark.e2e


def test_backtest_from_the_pair_page_with_lookahead_check(
    page: Any, api: httpx.Client, ui_server: Server
) -> None:
    pair_id = demo_pair(api, ui_server)
    sign_in(page, ui_server.url, path=f"/pairs/{pair_id}")
    page.console_errors.clear()  # the signed-out start (no refresh cookie yet)
    page.get_by_role("link", name="Backtest this pair").click()
    form = page.get_by_role("form", name="Backtest")
    form.wait_for()
    # Pre-filled from the pair and the demo user's preferences (auth/me).
    me = api.get("/api/auth/me").json()
    assert form.get_by_label("Pair").input_value() == str(pair_id)
    assert float(form.get_by_label("Entry |z|").input_value()) == me["default_params"]["entry_z"]
    assert float(form.get_by_label("Commission (bps)").input_value()) == me["cost_bps"]
    # A field error from the client check is shown next to its field.
    form.get_by_label("Exit |z|").fill("3")
    form.get_by_role("button", name="Run backtest").click()
    assert "below entry" in form.get_by_text("Exit must be below entry.").inner_text()
    form.get_by_label("Exit |z|").fill("0.5")
    form.get_by_label("Start (UTC date)").fill("2019-01-01")
    form.get_by_role("button", name="Run backtest").click()
    page.wait_for_url(re.compile(r"/backtests/\d+$"), timeout=120_000)
    page.get_by_role("group", name="Sharpe").wait_for(timeout=60_000)
    for name in (
        "Total return",
        "Annualised return",
        "Max drawdown",
        "Calmar",
        "Hit rate",
        "Costs",
    ):
        assert page.get_by_role("group", name=name).is_visible()
    page.get_by_role("img", name=re.compile("equity, drawdown and z-score")).wait_for()
    page.wait_for_timeout(300)
    assert canvas_has_drawing(page, ".time-chart-canvas")
    assert page.get_by_role("table", name=re.compile(r"Trades \(\d+\)")).is_visible()

    page.get_by_role("button", name="Check for lookahead").click()
    verdict = page.get_by_role("status", name="Lookahead verdict")
    verdict.get_by_text("No lookahead").or_(verdict.get_by_text("Lookahead found")).wait_for(
        timeout=120_000
    )
    assert "No lookahead" in verdict.inner_text()
    screenshot(page, "backtest")
    assert_accessible(page, "backtest")
    assert not page.console_errors, page.console_errors


def test_compare_two_backtests(page: Any, api: httpx.Client, ui_server: Server) -> None:
    pair_id = demo_pair(api, ui_server)
    ids = []
    for entry in (1.5, 2.5):
        body = {"pair": pair_id, "start": "2020-01-01T00:00:00Z", "params": {"entry_z": entry}}
        r = api.post("/api/backtests/", json=body)
        assert r.status_code == 202, r.text
        task = wait_task(api, r.json()["id"])
        assert task["status"] == "succeeded", task
        ids.append(int(task["result_url"].rstrip("/").rsplit("/", 1)[1]))
    sign_in(page, ui_server.url, path="/backtests")
    page.console_errors.clear()  # the signed-out start (no refresh cookie yet)
    for run_id in ids:
        page.get_by_role("checkbox", name=f"Select backtest {run_id} to compare").check()
    page.get_by_role("button", name="Compare selected (2)").click()
    table = page.get_by_role("table", name="Metrics side by side")
    table.wait_for(timeout=60_000)
    headers = table.get_by_role("columnheader").all_inner_texts()
    assert any(f"#{ids[0]}" in h for h in headers) and any(f"#{ids[1]}" in h for h in headers)
    page.get_by_role("img", name=re.compile("overlaid")).wait_for()
    page.wait_for_timeout(300)
    assert canvas_has_drawing(page, ".time-chart-canvas")
    screenshot(page, "backtests-compare")
    assert_accessible(page, "backtests-compare")
    assert not page.console_errors, page.console_errors
