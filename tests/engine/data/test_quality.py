"""Quality report on hand-made series with known gaps, stale runs and outliers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from engine.data import BarBatch, compare_sources, quality_report, robust_zscores


def daily(dates, closes, symbol="X") -> BarBatch:
    ts = pd.DatetimeIndex(pd.to_datetime(dates)).as_unit("ns").to_numpy()
    c = np.asarray(closes, dtype=float)
    return BarBatch(symbol, "1d", ts, c, c, c, c, np.full(c.shape, np.nan))


def test_daily_gaps_stale_and_outliers():
    days = pd.bdate_range("2024-01-01", "2024-02-29")  # 44 business days
    drop = {pd.Timestamp("2024-01-15"), pd.Timestamp("2024-02-19"), pd.Timestamp("2024-02-20")}
    kept = [d for d in days if d not in drop]
    rng = np.random.default_rng(0)
    c = 100 * np.exp(np.cumsum(rng.normal(0, 0.01, len(kept))))
    c[10:17] = c[10]  # a run of 7 equal closes
    c[30] = c[29] * 1.25  # +22 % jump, then back
    c[31:] *= 1.0  # unchanged
    report = quality_report(daily(kept, c), stale_bars=5, outlier_z=8.0, exchange=None)
    assert report.count == 41 and report.expected == 44
    assert pd.DatetimeIndex(report.missing).strftime("%m-%d").tolist() == [
        "01-15",
        "02-19",
        "02-20",
    ]
    assert report.coverage == pytest.approx(41 / 44)
    assert report.off_calendar == 0
    assert report.stale_runs == [
        {
            "start": np.datetime64(kept[10], "ns"),
            "end": np.datetime64(kept[16], "ns"),
            "length": 7,
            "close": c[10],
        }
    ]
    flagged = [(pd.Timestamp(o["ts"]), round(o["log_return"], 6)) for o in report.outliers]
    assert flagged == [
        (kept[30], round(np.log(1.25), 6)),
        (kept[31], round(np.log(c[31] / c[30]), 6)),
    ]
    d = report.to_dict()
    assert d["missing"] == ["2024-01-15T00:00:00Z", "2024-02-19T00:00:00Z", "2024-02-20T00:00:00Z"]
    assert "3 missing of 44" in report.summary()


def test_weekend_bar_is_off_calendar_and_custom_calendar():
    b = daily(["2024-01-05", "2024-01-06", "2024-01-08"], [1, 1.01, 1.02])
    r = quality_report(b)
    assert r.off_calendar == 1 and r.n_missing == 0 and r.expected == 2
    cal = pd.to_datetime(["2024-01-05", "2024-01-06", "2024-01-07", "2024-01-08"]).to_numpy()
    r2 = quality_report(b, calendar=cal)
    assert r2.expected == 4 and pd.DatetimeIndex(r2.missing).day.tolist() == [7]


def test_intraday_gaps_only_within_sessions():
    day1 = pd.date_range("2024-01-02 14:30", "2024-01-02 20:55", freq="5min")
    day2 = pd.date_range("2024-01-03 14:30", "2024-01-03 20:55", freq="5min")
    ts = day1.append(day2).delete([10, 11, 100])  # two holes in day 1, one in day 2 (78 bars a day)
    c = np.linspace(100, 101, len(ts))
    b = BarBatch("X", "5m", ts.as_unit("ns").to_numpy(), c, c, c, c, c)
    r = quality_report(b)
    assert r.expected == len(day1) + len(day2)  # overnight is not a gap
    assert pd.DatetimeIndex(r.missing).strftime("%d %H:%M").tolist() == [
        "02 15:20",
        "02 15:25",
        "03 16:20",
    ]
    assert r.stale_runs == [] and r.outliers == []


def test_robust_z_handles_zero_mad_without_warnings():
    z = robust_zscores(np.array([0.0, 0.0, 0.0, 0.0, 0.01]))
    assert z[:4].tolist() == [0.0] * 4
    assert z[4] == pytest.approx(0.01 / (1.2533 * 0.002))
    z = robust_zscores(np.zeros(4))
    assert z.tolist() == [0.0] * 4
    assert np.isnan(robust_zscores(np.array([1.0]))).all()
    z = robust_zscores(np.array([1.0, 2.0, 3.0, 4.0, 100.0]))
    # median 3, MAD 1 -> scale 1.4826
    assert z[-1] == pytest.approx(97 / 1.4826)


def test_empty_batch():
    r = quality_report(daily([], []))
    assert r.count == 0 and r.coverage == 1.0 and r.first is None


def test_compare_sources_known_differences():
    a = daily(["2024-01-02", "2024-01-03", "2024-01-04"], [10.0, 11.0, 12.0])
    b = daily(["2024-01-03", "2024-01-04", "2024-01-05"], [11.5, 12.0, 13.0])
    cmp = compare_sources(a, b)
    assert cmp.n_aligned == 2
    assert cmp.max_abs_diff == 0.5 and cmp.max_rel_diff == pytest.approx(0.5 / 11.5)
    assert cmp.mean_abs_diff == 0.25
    assert pd.Timestamp(cmp.worst_ts) == pd.Timestamp("2024-01-03")
    assert pd.DatetimeIndex(cmp.only_in_a).day.tolist() == [2]
    assert pd.DatetimeIndex(cmp.only_in_b).day.tolist() == [5]
    with pytest.raises(ValueError, match="compare one series"):
        compare_sources(a, daily(["2024-01-02"], [1.0], symbol="Y"))
    none = compare_sources(a, daily(["2025-01-02"], [1.0]))
    assert none.n_aligned == 0 and np.isnan(none.max_abs_diff)
