"""Synthetic universe: determinism and recovery of the planted ground truth."""

from __future__ import annotations

import math

import numpy as np
import pytest
from statsmodels.tsa.stattools import coint

from engine.data import SyntheticProvider, collect, make_universe


def ols(y, x):
    X = np.column_stack([np.ones_like(x), x])
    return np.linalg.lstsq(X, y, rcond=None)[0]


def test_deterministic_for_a_seed():
    a = make_universe(12, n_pairs=3, n_bars=300, seed=42)
    b = make_universe(12, n_pairs=3, n_bars=300, seed=42)
    c = make_universe(12, n_pairs=3, n_bars=300, seed=43)
    assert np.array_equal(a.close, b.close) and a.truth == b.truth
    assert not np.array_equal(a.close, c.close)


def test_shapes_ohlc_consistency_and_calendar():
    u = make_universe(10, n_pairs=2, n_bars=250, seed=1)
    assert u.close.shape == (250, 10) and len(u.symbols) == 10
    assert u.symbols[-2:] == ("C000", "C001")
    assert (u.high >= np.maximum(u.open, u.close)).all()
    assert (u.low <= np.minimum(u.open, u.close)).all() and (u.low > 0).all()
    closes = u.closes()
    assert str(closes.index.tz) == "UTC"
    assert (closes.index.day_of_week < 5).all()  # business days
    assert len(u.not_cointegrated) == math.comb(8, 2)
    assert u.sectors["C000"] == u.sectors[u.truth[0].symbol_2]
    bars = u.bars("S000")
    assert len(bars) == 250 and bars.close[0] == u.close[0, 0]


def test_hedge_ratio_and_half_life_recovered():
    # 10 seeds x 4 pairs, 5000 bars, spread std 0.03, half-lives 5..20 bars.
    # OLS beta is super-consistent: |beta_hat - beta| < 0.03 for every pair.
    # AR(1) on the true spread: |phi_hat - phi| < 0.02 (standard error sqrt((1-phi^2)/n)
    # <= 0.006 here). The implied half-life -ln2/ln(phi_hat) is steep in phi near 1
    # (d h / d phi ~ 600 at h = 20), so it is only checked within 35 %.
    for seed in range(10):
        u = make_universe(
            20, n_pairs=4, n_bars=5000, seed=seed, spread_std=0.03, half_life=(5.0, 20.0)
        )
        logs = np.log(u.close)
        for k, p in enumerate(u.truth):
            y = logs[:, u.symbols.index(p.symbol_1)]
            x = logs[:, u.symbols.index(p.symbol_2)]
            _, beta = ols(y, x)
            assert abs(beta - p.hedge_ratio) < 0.03, (seed, p)
            s = y - p.intercept - p.hedge_ratio * x
            np.testing.assert_allclose(s, u.spread[:, k], atol=1e-9)
            phi = np.linalg.lstsq(s[:-1, None], s[1:], rcond=None)[0][0]
            assert abs(phi - p.ar_coefficient) < 0.02
            assert p.ar_coefficient == pytest.approx(2 ** (-1 / p.half_life))
            assert -math.log(2) / math.log(phi) == pytest.approx(p.half_life, rel=0.35)
            assert np.std(s) == pytest.approx(0.03, rel=0.15)


def test_planted_pairs_pass_engle_granger_and_decoys_mostly_fail():
    u = make_universe(12, n_pairs=3, n_bars=2000, seed=3, spread_std=0.03, half_life=(5.0, 15.0))
    logs = np.log(u.closes())
    for p in u.truth:
        assert coint(logs[p.symbol_1], logs[p.symbol_2])[1] < 0.01
    pvals = [coint(logs[a], logs[b])[1] for a, b in u.not_cointegrated[:20]]
    # not cointegrated by construction: at 5 % about 1 in 20 may reject by chance
    assert sum(pv < 0.05 for pv in pvals) <= 3


def test_fixed_parameters_and_errors():
    u = make_universe(
        6,
        n_pairs=2,
        n_bars=100,
        half_life=[3.0, 30.0],
        hedge_ratio=1.0,
        intercept=0.0,
        timeframe="5m",
        start="2024-01-02 14:30",
    )
    assert [p.half_life for p in u.truth] == [3.0, 30.0]
    assert all(p.hedge_ratio == 1.0 and p.intercept == 0.0 for p in u.truth)
    assert (np.diff(u.ts).astype("timedelta64[m]").astype(int) == 5).all()
    with pytest.raises(ValueError):
        make_universe(4, n_pairs=3)
    with pytest.raises(ValueError):
        make_universe(6, n_pairs=1, idio_vol=0.0)


async def test_provider_yields_chunks():
    u = make_universe(6, n_pairs=1, n_bars=25, seed=0)
    batches = await collect(SyntheticProvider(u, symbols=["S000", "C000"], batch_size=10))
    assert [(b.symbol, len(b)) for b in batches] == [
        ("S000", 10),
        ("S000", 10),
        ("S000", 5),
        ("C000", 10),
        ("C000", 10),
        ("C000", 5),
    ]
    assert batches[3].close.tolist() == u.close[:10, -1].tolist()
