"""resample_bars against pandas resample (left-closed, left-labelled, UTC)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from engine.data import BarBatch, resample_bars


def minute_bars(n: int = 3000, *, seed: int = 0, holes: bool = True) -> BarBatch:
    rng = np.random.default_rng(seed)
    ts = pd.date_range("2024-01-02 13:57", periods=n, freq="1min")
    if holes:  # drop a few minutes and a whole hour so some buckets are partial or empty
        keep = np.ones(n, bool)
        keep[rng.choice(n, 150, replace=False)] = False
        keep[600:660] = False
        ts = ts[keep]
    m = len(ts)
    close = 100 * np.exp(np.cumsum(rng.normal(0, 0.001, m)))
    open_ = close * np.exp(rng.normal(0, 0.0005, m))
    high = np.maximum(open_, close) * 1.001
    low = np.minimum(open_, close) * 0.999
    vol = rng.integers(1, 1000, m).astype(float)
    vol[::7] = np.nan
    return BarBatch("X", "1m", ts.as_unit("ns").to_numpy(), open_, high, low, close, vol)


def pandas_reference(batch: BarBatch, rule: str) -> pd.DataFrame:
    frame = batch.to_frame()
    r = frame.resample(rule, closed="left", label="left")
    out = pd.DataFrame(
        {
            "open": r["open"].first(),
            "high": r["high"].max(),
            "low": r["low"].min(),
            "close": r["close"].last(),
            "volume": r["volume"].sum(min_count=1),
        }
    )
    return out.dropna(subset=["close"])  # pandas emits empty buckets; we do not


@pytest.mark.parametrize(
    ("timeframe", "rule"), [("5m", "5min"), ("15m", "15min"), ("1h", "1h"), ("1d", "1D")]
)
def test_matches_pandas(timeframe, rule):
    batch = minute_bars()
    got = resample_bars(batch, timeframe).to_frame()
    want = pandas_reference(batch, rule)
    assert got.index.equals(want.index)
    for col in ("open", "high", "low", "close", "volume"):
        np.testing.assert_array_equal(got[col].to_numpy(), want[col].to_numpy(), err_msg=col)


def test_hand_example_labels_and_all_nan_volume():
    ts = (
        pd.to_datetime(
            ["2024-01-02 09:58", "2024-01-02 10:02", "2024-01-02 10:04", "2024-01-02 10:05"]
        )
        .as_unit("ns")
        .to_numpy()
    )
    b = BarBatch(
        "X",
        "1m",
        ts,
        [1, 2, 3, 4.0],
        [1.5, 2.5, 3.5, 4.5],
        [0.5, 1.5, 2.5, 3.5],
        [1.2, 2.2, 3.2, 4.2],
        [np.nan, np.nan, np.nan, 5.0],
    )
    out = resample_bars(b, "5m")
    assert pd.DatetimeIndex(out.ts).strftime("%H:%M").tolist() == ["09:55", "10:00", "10:05"]
    assert out.open.tolist() == [1, 2, 4] and out.close.tolist() == [1.2, 3.2, 4.2]
    assert out.high.tolist() == [1.5, 3.5, 4.5] and out.low.tolist() == [0.5, 1.5, 3.5]
    assert np.isnan(out.volume[:2]).all() and out.volume[2] == 5.0


def test_daily_bucket_is_utc_day_and_chained_equals_direct():
    batch = minute_bars(n=3000, holes=False)
    direct = resample_bars(batch, "1d")
    chained = resample_bars(resample_bars(batch, "15m"), "1d")
    for f in ("ts", "open", "high", "low", "close", "volume"):
        np.testing.assert_array_equal(getattr(direct, f), getattr(chained, f))
    assert (pd.DatetimeIndex(direct.ts).hour == 0).all()


def test_rejects_finer_or_non_multiple_target():
    batch = resample_bars(minute_bars(200), "1h")
    with pytest.raises(ValueError, match="coarser"):
        resample_bars(batch, "5m")
    assert len(resample_bars(batch, "1h")) == len(batch)
