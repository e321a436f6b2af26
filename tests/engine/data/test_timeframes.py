"""Time that means what it says: coarse bars labelled by date, spacing checked against the
declared timeframe, weekly and monthly timeframes, real exchange calendars (issue 12)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from engine.data import BarBatch, quality_report, read_bars, resample_bars, validate_bars
from engine.data.timeframes import PERIODS_PER_YEAR, detect_timeframe, label_dates

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def _rows(ts: list[str], timeframe: str = "1d", symbol: str = "KO") -> dict[str, list]:
    n = len(ts)
    return {
        "symbol": [symbol] * n,
        "timeframe": [timeframe] * n,
        "ts": ts,
        "open": [10.0] * n,
        "high": [10.0] * n,
        "low": [10.0] * n,
        "close": [10.0] * n,
    }


def _dates(report) -> list[str]:  # type: ignore[no-untyped-def]
    return pd.DatetimeIndex(report.ts).strftime("%Y-%m-%d %H:%M").tolist()


def test_daily_bar_with_offset_is_labelled_by_its_date() -> None:
    # The form US providers send: midnight New York time. Stored at 00:00 UTC of that date,
    # not at 05:00Z (the old behaviour) and never on another date.
    report = validate_bars(
        _rows(["2021-01-04 00:00:00-05:00", "2021-01-05T23:30:00-05:00", "2021-01-06 00:00+09:00"])
    )
    assert report.ok
    assert _dates(report) == ["2021-01-04 00:00", "2021-01-05 00:00", "2021-01-06 00:00"]


def test_naive_daily_timestamps_use_naive_tz_for_the_date() -> None:
    report = validate_bars(_rows(["2021-01-04 23:00", "2021-01-05"]), naive_tz="America/New_York")
    assert _dates(report) == ["2021-01-04 00:00", "2021-01-05 00:00"]


def test_intraday_bars_keep_their_instant() -> None:
    report = validate_bars(_rows(["2021-01-04 09:30:00-05:00"], timeframe="1m"))
    assert _dates(report) == ["2021-01-04 14:30"]


def test_two_daily_bars_on_one_date_are_rejected_as_duplicates() -> None:
    report = validate_bars(
        _rows(["2021-01-04 09:30:00-05:00", "2021-01-04 16:00:00-05:00", "2021-01-05"])
    )
    assert [r["row"] for r in report.rejected] == [0, 1]
    for item in report.rejected:
        assert item["reason"].startswith("duplicate (symbol, timeframe, date) within the batch")
        assert "labelled by its calendar date" in item["reason"]
    assert _dates(report) == ["2021-01-05 00:00"]


def test_daily_file_across_dst_change_is_labelled_by_date_and_fits_1d() -> None:
    report = read_bars(FIXTURES / "ko_daily_2022_ny_offsets.csv")
    assert report.ok and report.n_accepted == 144
    labels = pd.DatetimeIndex(report.ts)
    assert (labels == labels.normalize()).all()  # all at 00:00 UTC
    # the file's first and last dates, and both sides of 2022-03-13
    text = labels.strftime("%Y-%m-%d").tolist()
    assert text[0] == "2022-01-03" and text[-1] == "2022-07-29"
    assert "2022-03-11" in text and "2022-03-14" in text
    assert report.timeframe_checks == []


def test_monthly_data_declared_daily_is_refused_with_the_detected_timeframe() -> None:
    content = (FIXTURES / "ko_pep_monthly_1990_2022.csv").read_bytes()
    refused = read_bars(content, timeframe="1d")
    assert refused.n_accepted == 0 and refused.n_rejected == 2 * 396
    reasons = {r["reason"] for r in refused.rejected}
    assert reasons == {"declared 1d but the bars are spaced like 1mo (median 31 days)"}
    assert [(c["symbol"], c["detected"]) for c in refused.timeframe_checks] == [
        ("KO", "1mo"),
        ("PEP", "1mo"),
    ]

    detected = read_bars(content, timeframe="1d", on_mismatch="detect")
    assert detected.ok and set(detected.timeframe) == {"1mo"}
    assert {c["action"] for c in detected.timeframe_checks} == {"stored as detected"}

    declared = read_bars(content, timeframe="1mo")
    assert declared.ok and declared.timeframe_checks == []
    # monthly bars are labelled by the first of their month (1990-01-31 -> 1990-01-01)
    ko = pd.DatetimeIndex(declared.ts[declared.symbol == "KO"]).strftime("%Y-%m-%d %H:%M")
    assert ko.tolist()[:2] == ["1990-01-01 00:00", "1990-02-01 00:00"]


def test_weekly_bars_are_labelled_by_their_monday() -> None:
    fridays = pd.date_range("2024-01-05", periods=12, freq="W-FRI").strftime("%Y-%m-%d")
    report = validate_bars(_rows(list(fridays), timeframe="1w"))
    assert report.ok
    labels = pd.DatetimeIndex(report.ts)
    assert labels[0] == pd.Timestamp("2024-01-01") and (labels.dayofweek == 0).all()


def test_label_dates_reference_values() -> None:
    # 2024-02-29 is a Thursday: its week starts Monday 2024-02-26, its month 2024-02-01.
    wall = np.array([np.datetime64("2024-02-29T18:00", "ns")]).view(np.int64)
    as_day = lambda ns: str(np.datetime64(int(ns[0]), "ns").astype("datetime64[D]"))  # noqa: E731
    assert as_day(label_dates(wall, "1d")) == "2024-02-29"
    assert as_day(label_dates(wall, "1w")) == "2024-02-26"
    assert as_day(label_dates(wall, "1mo")) == "2024-02-01"


@pytest.mark.parametrize(
    ("freq", "expected"),
    [("B", "1d"), ("W-MON", "1w"), ("ME", "1mo"), ("15min", "15m"), ("1h", "1h")],
)
def test_detect_timeframe(freq: str, expected: str) -> None:
    ts = pd.date_range("2020-01-01", periods=60, freq=freq).as_unit("ns").asi8
    assert detect_timeframe(ts)[0] == expected


def test_periods_per_year() -> None:
    assert PERIODS_PER_YEAR["1d"] == 252
    assert PERIODS_PER_YEAR["1w"] == 52
    assert PERIODS_PER_YEAR["1mo"] == 12


def test_resample_daily_to_weekly_and_monthly() -> None:
    days = pd.bdate_range("2024-01-01", "2024-02-29")
    c = np.arange(1.0, len(days) + 1)
    b = BarBatch("X", "1d", days.as_unit("ns").to_numpy(), c, c + 1, c - 0.5, c, np.ones(len(c)))
    w = resample_bars(b, "1w")
    ref_w = b.to_frame()["close"].resample("W-MON", label="left", closed="left").last()
    assert pd.DatetimeIndex(w.ts).strftime("%m-%d").tolist()[:2] == ["01-01", "01-08"]
    np.testing.assert_array_equal(w.close, ref_w.to_numpy())
    m = resample_bars(b, "1mo")
    assert pd.DatetimeIndex(m.ts).strftime("%m-%d").tolist() == ["01-01", "02-01"]
    assert m.close.tolist() == [23.0, 44.0]  # last business days: 2024-01-31, 2024-02-29
    assert m.high.tolist() == [24.0, 45.0] and m.low.tolist() == [0.5, 23.5]
    assert m.volume.tolist() == [23.0, 21.0]


def test_quality_uses_the_exchange_calendar_so_holidays_are_not_gaps() -> None:
    # NYSE sessions of January 2023: every weekday but 01-02 (New Year observed) and 01-16
    # (Martin Luther King Jr. Day); and the week of 2023-07-04 (Independence Day).
    jan = [d for d in pd.bdate_range("2023-01-03", "2023-01-31") if d.day != 16]
    july = [pd.Timestamp(d) for d in ("2023-07-03", "2023-07-05", "2023-07-06", "2023-07-07")]
    ts = pd.DatetimeIndex(jan + july).as_unit("ns").to_numpy()
    c = np.linspace(10, 11, len(ts))
    nan = np.full(len(ts), np.nan)
    b = BarBatch("KO", "1d", ts, c, c, c, c, nan)
    report = quality_report(b)
    missing = pd.DatetimeIndex(report.missing).strftime("%Y-%m-%d").tolist()
    assert report.calendar == "XNYS"
    assert "2023-01-16" not in missing and "2023-07-04" not in missing
    # the span's real gaps: February..June 2023 are absent. NYSE sessions there, by hand:
    # Feb 20 weekdays - Presidents Day = 19, Mar 23, Apr 20 - Good Friday = 19,
    # May 23 - Memorial Day = 22, Jun 22 - Juneteenth = 21: 104
    assert report.n_missing == 104 and report.off_calendar == 0
    weekdays = quality_report(b, exchange=None)
    assert {"2023-01-16", "2023-07-04"} <= set(
        pd.DatetimeIndex(weekdays.missing).strftime("%Y-%m-%d")
    )


def test_quality_tells_when_the_declared_timeframe_does_not_fit() -> None:
    m = pd.read_csv(FIXTURES / "ko_pep_monthly_1990_2022.csv", parse_dates=["Date"])
    ts = m["Date"].to_numpy().astype("datetime64[ns]")
    c = m["KO"].to_numpy(dtype=float)
    nan = np.full(len(c), np.nan)
    as_daily = quality_report(BarBatch("KO", "1d", ts, c, c, c, c, nan))
    assert as_daily.detected_timeframe == "1mo"
    assert as_daily.coverage < 0.06
    assert any("declared 1d but the bars are spaced like 1mo" in w for w in as_daily.warnings)
    labels = label_dates(ts.view(np.int64), "1mo").view("datetime64[ns]")
    as_monthly = quality_report(BarBatch("KO", "1mo", labels, c, c, c, c, nan))
    assert as_monthly.warnings == [] and as_monthly.coverage == 1.0
    assert as_monthly.expected == 396
