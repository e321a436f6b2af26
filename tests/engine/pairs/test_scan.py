"""The batched universe scan equals the per-pair Engle-Granger and statsmodels ``coint``.

Tolerances: statistic and p-value 1e-8 absolute (observed about 1e-12), hedge ratio and
intercept 1e-9 relative/absolute, half-life 1e-8 relative, correlation 1e-10, lag exact.
"""

from __future__ import annotations

import itertools
import json
import math

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from statsmodels.stats.multitest import multipletests

from engine.pairs import ScanCancelled, engle_granger, half_life, return_correlation, scan_universe
from tests.engine.pairs.conftest import synthetic_universe
from tests.engine.pairs.sm_reference import sm_coint

TOL = 1e-8


def universe(real_windows: list[np.ndarray], n_real: int, n_synth: int) -> np.ndarray:
    real = real_windows[1][:, :n_real]
    synth = synthetic_universe(n_synth, real.shape[0]) if n_synth else np.empty((real.shape[0], 0))
    return np.column_stack([real, synth])


def assert_scan_equals_per_pair(res, prices: np.ndarray, **kw: object) -> None:
    for r in range(len(res)):
        y, x = prices[:, res.i[r]], prices[:, res.j[r]]
        eg = engle_granger(y, x, **kw)
        assert res.lag[r] == eg.lag, (res.i[r], res.j[r])
        assert_allclose(res.tstat[r], eg.statistic, rtol=0, atol=TOL)
        assert_allclose(res.pvalue[r], eg.pvalue, rtol=0, atol=TOL)
        assert_allclose(res.beta[r], eg.beta, rtol=1e-9)
        assert_allclose(res.alpha[r], eg.alpha, rtol=1e-9, atol=1e-9)
        assert_allclose(res.half_life[r], half_life(eg.spread(y, x)).half_life, rtol=1e-8)
        assert_allclose(res.correlation[r], return_correlation(y, x), rtol=0, atol=1e-10)


@pytest.mark.parametrize(
    "kw",
    [
        {},
        {"autolag": None, "maxlag": 1},
        {"autolag": None, "maxlag": 0},
        {"autolag": "bic"},
        {"autolag": "t-stat"},
        {"trend": "ct"},
        {"trend": "n"},
        {"maxlag": 5},
    ],
    ids=lambda kw: "-".join(f"{k}={v}" for k, v in kw.items()) or "default",
)
def test_small_universe_equals_per_pair(real_windows, kw):
    prices = universe(real_windows, 8, 4)
    res = scan_universe(prices, **kw)
    assert len(res) == 12 * 11 // 2
    assert_scan_equals_per_pair(res, prices, **kw)


def test_small_universe_equals_statsmodels_on_a_sample(real_windows):
    prices = universe(real_windows, 6, 2)
    res = scan_universe(prices)
    for r in (0, 7, 13, 27):
        stat, pvalue, crit, lag = sm_coint(prices[:, res.i[r]], prices[:, res.j[r]])
        assert res.lag[r] == lag
        assert_allclose(res.tstat[r], stat, rtol=0, atol=TOL)
        assert_allclose(res.pvalue[r], pvalue, rtol=0, atol=TOL)
        assert_allclose(res.critical_values, crit, rtol=0, atol=1e-12)


@pytest.mark.slow
@pytest.mark.parametrize("kw", [{}, {"autolag": None, "maxlag": 1}], ids=["default", "fixed-lag-1"])
def test_fifty_symbol_universe_every_pair_equals_per_pair(real_windows, kw):
    prices = universe(real_windows, 20, 30)
    res = scan_universe(prices, chunk_pairs=300, **kw)
    assert len(res) == 1225
    assert_scan_equals_per_pair(res, prices, **kw)


@pytest.mark.slow
@pytest.mark.timeout(900)  # 1,225 statsmodels references: minutes on a loaded 2-core machine
def test_fifty_symbol_universe_every_pair_equals_statsmodels(real_windows):
    prices = universe(real_windows, 20, 30)
    res = scan_universe(prices)
    for r in range(len(res)):
        stat, pvalue, _, lag = sm_coint(prices[:, res.i[r]], prices[:, res.j[r]])
        assert res.lag[r] == lag
        assert_allclose(res.tstat[r], stat, rtol=0, atol=TOL)
        assert_allclose(res.pvalue[r], pvalue, rtol=0, atol=TOL)


def test_pair_order_directions_and_symbols(real_windows, log_prices):
    frame = pd.DataFrame(real_windows[0][:, :5], columns=log_prices.columns[:5])
    fwd = scan_universe(frame)
    iu, ju = np.triu_indices(5, 1)
    np.testing.assert_array_equal(fwd.i, iu)
    np.testing.assert_array_equal(fwd.j, ju)
    assert list(fwd.symbol_1[:2]) == [frame.columns[0]] * 2
    both = scan_universe(frame, directions="both")
    assert len(both) == 2 * len(fwd)
    np.testing.assert_array_equal(both.i[0::2], fwd.i)
    np.testing.assert_array_equal(both.i[1::2], fwd.j)
    assert_allclose(both.tstat[0::2], fwd.tstat, rtol=0, atol=1e-12)
    rev = engle_granger(frame.iloc[:, 1], frame.iloc[:, 0])
    assert_allclose(both.tstat[1], rev.statistic, rtol=0, atol=TOL)
    assert both.lag[1] == rev.lag


def test_chunking_does_not_change_results(real_windows):
    prices = universe(real_windows, 10, 6)
    whole = scan_universe(prices, chunk_pairs=10_000)
    calls: list[tuple[int, int]] = []
    chunked = scan_universe(prices, chunk_pairs=9, progress=lambda d, t: calls.append((d, t)))
    for name in ("i", "j", "lag"):
        np.testing.assert_array_equal(getattr(whole, name), getattr(chunked, name))
    assert_allclose(chunked.tstat, whole.tstat, rtol=0, atol=1e-10)
    assert len(calls) > 5
    assert calls[-1] == (120, 120)
    assert all(b[0] > a[0] for a, b in itertools.pairwise(calls))


def test_cancellation_between_chunks_returns_partial(real_windows):
    prices = universe(real_windows, 10, 0)
    polls = {"n": 0}

    def stop() -> bool:
        polls["n"] += 1
        return polls["n"] > 3

    with pytest.raises(ScanCancelled) as info:
        scan_universe(prices, chunk_pairs=4, should_stop=stop)
    exc = info.value
    assert 0 < exc.done < exc.total == 45
    assert exc.partial.complete is False
    assert len(exc.partial) == exc.done
    full = scan_universe(prices)
    pos = {(a, b): k for k, (a, b) in enumerate(zip(full.i, full.j, strict=True))}
    for r in range(len(exc.partial)):
        k = pos[(exc.partial.i[r], exc.partial.j[r])]
        assert_allclose(exc.partial.tstat[r], full.tstat[k], rtol=0, atol=1e-10)


def test_fdr_filters_and_flags(real_windows):
    prices = universe(real_windows, 8, 12)
    res = scan_universe(prices, min_correlation=0.1, max_half_life=60.0, fdr=0.05)
    ok = np.isfinite(res.pvalue)
    expected_q = multipletests(res.pvalue[ok], method="fdr_bh")[1]
    assert_allclose(res.qvalue[ok], expected_q, rtol=1e-12)
    passes = (res.correlation >= 0.1) & (res.half_life <= 60.0)
    np.testing.assert_array_equal(res.passes_filters, passes)
    expected = passes & (res.pvalue < 0.05) & (res.qvalue <= 0.05)
    np.testing.assert_array_equal(res.cointegrated, expected)
    # the synthetic cointegrated pairs (columns 8+2k, 9+2k with k % 3 != 0) are found
    found = {(a, b) for a, b, c in zip(res.i, res.j, res.cointegrated, strict=True) if c}
    for k in (1, 2, 4, 5):
        assert (8 + 2 * k, 9 + 2 * k) in found
    no_fdr = scan_universe(prices, fdr=None)
    np.testing.assert_array_equal(no_fdr.cointegrated, no_fdr.pvalue < 0.05)
    json.dumps(res.to_dict())
    assert "ScanResult" in res.summary()


def test_collinear_and_constant_columns():
    rng = np.random.default_rng(5)
    x = np.cumsum(rng.normal(0, 0.01, 300))
    prices = np.column_stack([x, 2 * x + 1, np.full(300, 2.0), np.cumsum(rng.normal(0, 0.01, 300))])
    res = scan_universe(prices)
    assert res.tstat[0] == -math.inf and res.pvalue[0] == 0.0
    const_rows = (res.i == 2) | (res.j == 2)
    assert np.all(np.isnan(res.tstat[const_rows]))
    assert not res.cointegrated[const_rows].any()


def test_input_not_mutated_and_validation():
    rng = np.random.default_rng(1)
    prices = np.cumsum(rng.normal(size=(200, 4)), axis=0)
    before = prices.copy()
    scan_universe(prices)
    np.testing.assert_array_equal(prices, before)
    bad = prices.copy()
    bad[3, 1] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        scan_universe(bad)
    with pytest.raises(ValueError, match="two symbols"):
        scan_universe(prices[:, :1])
    with pytest.raises(ValueError, match="symbols"):
        scan_universe(prices, symbols=["a", "b"])
    with pytest.raises(ValueError, match="maxlag"):
        scan_universe(prices, autolag=None, maxlag=150)
