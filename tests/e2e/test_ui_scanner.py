"""The Scanner in a real browser: run a small scan, see the progress bar reach 100% and the
results table; a row opens the pair page. Screenshot and axe."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.e2e.ui_harness import assert_accessible, screenshot

pytestmark = pytest.mark.e2e


def test_scan_progress_and_results(signed_in_page: Any) -> None:
    page = signed_in_page
    page.goto(page.url.split("/data")[0] + "/scanner")
    page.get_by_role("heading", name="Scanner", level=1).wait_for()
    screenshot(page, "scanner-empty")
    assert_accessible(page, "scanner-empty")
    page.get_by_label("All symbols of the universe").uncheck()
    page.get_by_label("Symbols", exact=True).fill("KO PEP XOM CVX JPM BAC")
    page.get_by_label("Window start").fill("2015-01-01")
    page.get_by_label("Window end").fill("2019-12-31")
    page.get_by_label("Significance (p <)").fill("0.5")
    page.get_by_label("FDR (BH q)").fill("0.5")
    page.get_by_role("button", name="Run the scan").click()
    bar = page.get_by_role("progressbar", name="Scan")
    bar.wait_for(timeout=20_000)
    page.wait_for_function(
        "() => document.querySelector('[role=progressbar][aria-label=Scan]')?.getAttribute('aria-valuenow') === '100'",
        timeout=60_000,
    )
    table = page.get_by_role("table", name=re.compile("^Scan results"))
    table.wait_for(timeout=20_000)
    # The finished scan says its outcome, not its last step ("storing 10 pairs").
    progress = page.get_by_role("region", name="Progress")
    progress.get_by_text(re.compile(r"^done: \d+ pairs?, \d+ significant")).wait_for(timeout=20_000)
    assert "storing" not in progress.inner_text()
    assert "passes" in table.inner_text() or "fails" in table.inner_text()
    screenshot(page, "scanner-results")
    assert_accessible(page, "scanner-results")
    first = table.get_by_role("row").nth(1)
    first.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/pairs/*", timeout=10_000)
