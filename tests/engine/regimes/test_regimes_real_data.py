"""Real-data check on the vendored S&P 500 sample (skfolio, 20 large caps, 1990-2022):
an equal-weight portfolio is in its high-volatility regime through the 2008-2009 crisis
and the March 2020 crash, and calm through 2017 (the calmest year of the sample)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from engine.regimes import RegimeResult, detect_regimes

DATA = Path(__file__).parents[3] / "engine" / "data" / "datasets" / "sp500_daily_1990_2022.csv.gz"


@pytest.fixture(scope="module")
def equal_weight_returns() -> pd.Series:
    prices = pd.read_csv(DATA, index_col="Date", parse_dates=True)
    return prices.pct_change().mean(axis=1).iloc[1:]


def _high_share(res: RegimeResult, start: str, end: str) -> float:
    idx = pd.DatetimeIndex(res.index)
    mask = (idx >= start) & (idx <= end)
    return float((res.labels[mask] == res.n_regimes - 1).mean())


@pytest.mark.parametrize(
    "options",
    [
        {"method": "volatility"},
        {"method": "volatility", "n_regimes": 3, "threshold_method": "kmeans"},
        pytest.param(
            {
                "method": "markov",
                "min_train": 1000,
                "refit_every": 500,
                "window_kind": "rolling",
                "train_size": 1500,
            },
            marks=pytest.mark.slow,  # about 10 s: 15 maximum-likelihood fits
        ),
    ],
)
def test_crises_are_high_volatility(equal_weight_returns: pd.Series, options: dict) -> None:
    res = detect_regimes(equal_weight_returns, **options)
    # Measured 1.0 for every configuration here; stated bound 0.9.
    assert _high_share(res, "2008-09-15", "2009-04-30") > 0.9
    assert _high_share(res, "2020-03-09", "2020-04-30") > 0.9
    # 2017: measured 0.0.
    assert _high_share(res, "2017-01-01", "2017-12-31") < 0.05
    assert res.labels[0] == -1
    assert np.datetime64("2008-10-10") in set(
        np.asarray(res.index)[res.labels == res.n_regimes - 1].astype("datetime64[D]")
    )
