"""The bundled S&P 500 demo data set."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from engine.data import DEMO_SYMBOLS, DemoProvider, collect, load_demo_closes, read_bars


def test_load_demo_closes():
    closes = load_demo_closes()
    assert closes.shape == (8313, 20)
    assert tuple(closes.columns) == DEMO_SYMBOLS
    assert str(closes.index.tz) == "UTC"
    assert closes.index[0] == pd.Timestamp("1990-01-02", tz="UTC")
    assert closes.index[-1] == pd.Timestamp("2022-12-28", tz="UTC")
    # first row of the file, as printed by zcat
    assert closes.iloc[0][["AAPL", "KO", "XOM"]].tolist() == [0.264, 2.235, 4.068]
    assert closes.notna().all().all()


def test_copy_is_independent_and_subset():
    a = load_demo_closes(["KO", "PEP"])
    a.iloc[0, 0] = -1.0
    assert load_demo_closes(["KO"]).iloc[0, 0] == 2.235
    with pytest.raises(KeyError, match="ZZZ"):
        load_demo_closes(["ZZZ"])


def test_demo_matches_generic_file_reader():
    closes = load_demo_closes(["PEP"])
    report = read_bars("engine/data/datasets/sp500_daily_1990_2022.csv.gz")
    pep = next(b for b in report.batches() if b.symbol == "PEP")
    np.testing.assert_array_equal(pep.close, closes["PEP"].to_numpy())


async def test_demo_provider_range_and_bars():
    batches = await collect(DemoProvider(["KO"], start="2022-12-01", end="2022-12-28"))
    (ko,) = batches
    assert ko.timeframe == "1d" and len(ko) == 19
    assert np.array_equal(ko.open, ko.close) and np.isnan(ko.volume).all()
    assert pd.Timestamp(ko.ts[-1]) == pd.Timestamp("2022-12-28")
