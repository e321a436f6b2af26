"""The Data page in a real browser: coverage, upload of a clean CSV and of one with rejected
rows (the per-row report as a table), screenshot and axe."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.e2e.ui_harness import assert_accessible, screenshot

pytestmark = pytest.mark.e2e

CLEAN = "symbol,ts,open,high,low,close,volume\nZZTEST,2023-01-03,10,11,9,10.5,100\nZZTEST,2023-01-04,10.5,12,10,11.5,120\n"
BAD = (
    "symbol,ts,open,high,low,close,volume\n"
    "ZZBAD,2023-01-03,10,11,9,10.5,100\n"
    "ZZBAD,2023-01-04,10,9,11,10,100\n"  # high < low
    "ZZBAD,2023-01-05,10,11,9,abc,100\n"  # close not a number
)


def test_data_page_coverage_and_uploads(signed_in_page: Any, tmp_path: Path) -> None:
    page = signed_in_page
    page.goto(page.url.split("/data")[0] + "/data")
    table = page.get_by_role("table", name="Coverage: 20 series")
    table.wait_for(timeout=20_000)
    assert table.get_by_role("row").count() > 5
    screenshot(page, "data")
    assert_accessible(page, "data")

    clean = tmp_path / "clean.csv"
    clean.write_text(CLEAN)
    page.get_by_label("Upload a bars file").set_input_files(str(clean))
    page.get_by_text("2 rows · 2 inserted · 0 updated · 0 unchanged").wait_for(timeout=20_000)
    page.get_by_role("table", name="Coverage: 21 series").wait_for(timeout=20_000)

    bad = tmp_path / "bad.csv"
    bad.write_text(BAD)
    page.get_by_label("Upload a bars file").set_input_files(str(bad))
    rejected = page.get_by_role("table", name="Rejected rows (2)")
    rejected.wait_for(timeout=20_000)
    cells = rejected.get_by_role("row").all_inner_texts()
    assert any(c.startswith("3") for c in cells[1:]) and any(
        c.startswith("4") for c in cells[1:]
    ), cells
    page.get_by_text("2 rows rejected, nothing stored").wait_for()
    screenshot(page, "data-rejected")
    assert_accessible(page, "data-rejected")

    page.get_by_role("row", name="Quality report of KO 1d").click()
    page.get_by_role("region", name="Quality of KO (1d)").get_by_role("group").first.wait_for(
        timeout=20_000
    )
    screenshot(page, "data-quality")
