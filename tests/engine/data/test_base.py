"""BarBatch invariants and helpers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from engine.data import BarBatch, BarProvider, DemoProvider, collect_by_symbol, concat_batches


def make(ts, symbol="X"):
    t = pd.DatetimeIndex(pd.to_datetime(ts)).as_unit("ns").to_numpy()
    c = np.arange(1.0, len(t) + 1)
    return BarBatch(symbol, "1d", t, c, c, c, c, c)


def test_arrays_are_read_only_and_inputs_untouched():
    close = np.array([1.0, 2.0])
    ts = pd.to_datetime(["2024-01-02", "2024-01-03"]).as_unit("ns").to_numpy()
    b = BarBatch("X", "1d", ts, close, close, close, close, close)
    assert close.flags.writeable  # caller's array not frozen
    with pytest.raises(ValueError):
        b.close[0] = 5.0


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"timeframe": "2d"}, "unknown timeframe"),
        ({"symbol": ""}, "non-empty"),
        ({"ts": ["2024-01-03", "2024-01-02"]}, "strictly increasing"),
        ({"ts": ["2024-01-02", "2024-01-02"]}, "strictly increasing"),
    ],
)
def test_invariants(kwargs, match):
    ts = pd.to_datetime(kwargs.pop("ts", ["2024-01-02", "2024-01-03"])).as_unit("ns").to_numpy()
    args = {"symbol": "X", "timeframe": "1d", **kwargs}
    c = np.ones(2)
    with pytest.raises(ValueError, match=match):
        BarBatch(args["symbol"], args["timeframe"], ts, c, c, c, c, c)


def test_length_mismatch():
    ts = pd.to_datetime(["2024-01-02"]).as_unit("ns").to_numpy()
    with pytest.raises(ValueError, match="shape"):
        BarBatch("X", "1d", ts, [1.0, 2.0], [1.0], [1.0], [1.0], [1.0])


def test_concat_and_frame_roundtrip():
    a, b = make(["2024-01-04", "2024-01-05"]), make(["2024-01-02", "2024-01-03"])
    joined = concat_batches([a, b])
    assert pd.DatetimeIndex(joined.ts).day.tolist() == [2, 3, 4, 5]
    frame = joined.to_frame()
    back = BarBatch.from_frame(frame.tz_convert("Asia/Tokyo"), symbol="X", timeframe="1d")
    assert np.array_equal(back.ts, joined.ts) and np.array_equal(back.close, joined.close)
    with pytest.raises(ValueError, match="different series"):
        concat_batches([a, make(["2024-01-09"], symbol="Y")])


async def test_protocol_and_collect_by_symbol():
    p = DemoProvider(["KO", "PEP"], start="2022-01-01", batch_size=50)
    assert isinstance(p, BarProvider)
    series = await collect_by_symbol(p)
    assert (
        sorted(series) == ["KO", "PEP"] and len(series["KO"]) == 249
    )  # 2022 trading days to Dec 28
