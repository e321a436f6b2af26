"""The Data page in a real browser: coverage, upload of a clean CSV and of one with rejected
rows (the per-row report as a table), screenshot and axe."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.e2e.ui_harness import assert_accessible, screenshot

pytestmark = pytest.mark.e2e

CLEAN = "symbol,ts,open,high,low,close,volume\nZZTEST,2023-01-03,10,11,9,10.5,100\nZZTEST,2023-01-04,10.5,12,10,11.5,120\n"
# Daily bars with two gaps: Thu 5 to Mon 9 January (3 bars, over a weekend) and Wed 11.
GAPPY = "symbol,ts,open,high,low,close,volume\n" + "".join(
    f"ZZGAP,2023-01-{day:02d},10,11,9,{10 + day / 100},100\n" for day in (3, 4, 10, 12, 13, 17, 18)
)
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
    quality = page.get_by_role("region", name="Quality of KO (1d)")
    quality.get_by_role("group", name="Coverage").wait_for(timeout=20_000)
    assert "New York Stock Exchange" in quality.inner_text()
    assert quality.get_by_role("table", name="Outlier returns").is_visible()

    gappy = tmp_path / "gappy.csv"
    gappy.write_text(GAPPY)
    page.get_by_label("Upload a bars file").set_input_files(str(gappy))
    page.get_by_role("table", name="Coverage: 22 series").wait_for(timeout=20_000)
    page.get_by_role("row", name="Quality report of ZZGAP 1d").click()
    quality = page.get_by_role("region", name="Quality of ZZGAP (1d)")
    gaps = quality.get_by_role("table", name="Gaps: 4 missing bars")
    gaps.wait_for(timeout=20_000)
    rows = gaps.get_by_role("row").all_inner_texts()
    # Formatted dates (not ISO strings), a gap per run, its length.
    assert rows[1].split() == ["2023-01-05", "2023-01-09", "3"], rows
    assert rows[2].split() == ["2023-01-11", "2023-01-11", "1"], rows
    text = quality.inner_text()
    assert "T00:00:00" not in text and "_" not in text, text
    quality.scroll_into_view_if_needed()
    screenshot(page, "data-quality")
    assert_accessible(page, "data-quality")
