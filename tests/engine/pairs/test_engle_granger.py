"""Engle-Granger equals statsmodels ``coint`` (statistic, p-value, critical values, lag).

Tolerances: statistic and p-value 1e-8 absolute (observed about 1e-11), critical values
1e-12 (same tables), lag exact. Synthetic recovery: hedge ratio within 0.02 of the truth
for a 2,520-bar pair with an AR(1) spread of half-life about 13.5 bars.

statsmodels' lag search costs 0.1-3 s per call on this machine, so the live comparisons over
many pairs are marked slow; ``test_reference_values.py`` covers more real-data cases
against stored statsmodels numbers quickly.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose

from engine.pairs import CollinearityWarning, EngleGrangerResult, engle_granger
from tests.engine.pairs.conftest import make_coint_pair
from tests.engine.pairs.sm_reference import sm_coint

TOL_STAT = 1e-8
TOL_P = 1e-8
TOL_CRIT = 1e-12

# (dependent column, regressor column) pairs of the 20 real series
REAL_PAIRS = [
    (0, 12),
    (1, 5),
    (2, 8),
    (3, 17),
    (4, 19),
    (9, 13),
    (10, 11),
    (14, 6),
    (15, 18),
    (16, 7),
]


def _assert_equal_sm(res: EngleGrangerResult, y: np.ndarray, x: np.ndarray, **kw: object) -> None:
    stat, pvalue, crit, lag = sm_coint(y, x, **kw)
    assert_allclose(res.statistic, stat, rtol=0, atol=TOL_STAT)
    assert_allclose(res.pvalue, pvalue, rtol=0, atol=TOL_P)
    assert_allclose(res.critical_values, crit, rtol=0, atol=TOL_CRIT, equal_nan=True)
    assert res.lag == lag


@pytest.mark.parametrize(
    "pair",
    [p if k < 2 else pytest.param(p, marks=pytest.mark.slow) for k, p in enumerate(REAL_PAIRS)],
)
def test_default_settings_equal_statsmodels_on_real_data(real_windows, pair):
    i, j = pair
    windows = real_windows if pair not in REAL_PAIRS[:2] else real_windows[1:2]
    for w in windows:
        y, x = w[:, i], w[:, j]
        _assert_equal_sm(engle_granger(y, x), y, x)


@pytest.mark.parametrize("maxlag", [0, 1, 5])
def test_fixed_lags_equal_statsmodels_on_real_data(real_windows, maxlag):
    for i, j in REAL_PAIRS[:5]:
        y, x = real_windows[1][:, i], real_windows[1][:, j]
        res = engle_granger(y, x, autolag=None, maxlag=maxlag)
        assert res.lag == maxlag
        _assert_equal_sm(res, y, x, autolag=None, maxlag=maxlag)


@pytest.mark.parametrize(
    "kw",
    [
        {"autolag": "bic"},
        {"autolag": "t-stat"},
        {"autolag": "aic", "maxlag": 8},
        {"trend": "ct"},
        {"trend": "ctt"},
        {"trend": "n"},
    ],
    ids=lambda kw: "-".join(f"{k}={v}" for k, v in kw.items()),
)
def test_other_settings_equal_statsmodels(real_windows, kw):
    i, j = REAL_PAIRS[3]
    y, x = real_windows[2][:, i], real_windows[2][:, j]
    _assert_equal_sm(engle_granger(y, x, **kw), y, x, **kw)


@pytest.mark.slow
@pytest.mark.parametrize(
    "kw",
    [{"autolag": "bic"}, {"autolag": "t-stat"}, {"trend": "ct"}, {"trend": "n"}],
    ids=lambda kw: "-".join(f"{k}={v}" for k, v in kw.items()),
)
def test_other_settings_equal_statsmodels_more_pairs(real_windows, kw):
    for i, j in REAL_PAIRS[:4]:
        y, x = real_windows[2][:, i], real_windows[2][:, j]
        _assert_equal_sm(engle_granger(y, x, **kw), y, x, **kw)


def test_reverse_direction_equals_statsmodels(real_windows):
    y, x = real_windows[0][:, 9], real_windows[0][:, 13]
    _assert_equal_sm(engle_granger(x, y), x, y)


@pytest.mark.parametrize(
    "seed", [0, 1] + [pytest.param(s, marks=pytest.mark.slow) for s in range(2, 6)]
)
def test_synthetic_pairs_equal_statsmodels_and_recover_beta(seed):
    rng = np.random.default_rng(seed)
    beta = 0.6 + 0.3 * seed
    y, x, _ = make_coint_pair(rng, beta=beta, alpha=-0.2)
    res = engle_granger(y, x)
    _assert_equal_sm(res, y, x)
    assert abs(res.beta - beta) < 0.02
    assert res.pvalue < 0.01
    assert res.is_cointegrated(0.05)


def test_short_series_and_default_maxlag(real_windows):
    y, x = real_windows[0][:60, 2], real_windows[0][:60, 8]
    res = engle_granger(y, x)
    assert res.maxlag == math.ceil(12 * (60 / 100) ** 0.25)
    _assert_equal_sm(res, y, x)


def test_collinear_pair_reports_minus_inf_like_statsmodels():
    rng = np.random.default_rng(3)
    x = np.cumsum(rng.normal(size=500))
    y = 2.0 * x + 1.0 + 1e-9 * rng.normal(size=500)
    with pytest.warns(CollinearityWarning):
        res = engle_granger(y, x)
    assert res.statistic == -math.inf
    assert res.pvalue == 0.0
    assert res.lag == -1


def test_constant_series_gives_nan():
    x = np.cumsum(np.random.default_rng(0).normal(size=200))
    res = engle_granger(np.full(200, 3.0), x)
    assert math.isnan(res.statistic) and math.isnan(res.pvalue)


def test_inputs_not_mutated_and_result_serializable(real_windows):
    y = real_windows[0][:, 0].copy()
    x = real_windows[0][:, 1].copy()
    y0, x0 = y.copy(), x.copy()
    res = engle_granger(y, x)
    np.testing.assert_array_equal(y, y0)
    np.testing.assert_array_equal(x, x0)
    d = res.to_dict()
    assert d["lag"] == res.lag and len(d["critical_values"]) == 3
    assert "EngleGrangerResult" in res.summary()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"trend": "x"}, "trend"),
        ({"autolag": "hqic"}, "autolag"),
        ({"autolag": None, "maxlag": 1000}, "maxlag"),
    ],
)
def test_invalid_options_raise(kwargs, message):
    y = np.cumsum(np.ones(100))
    with pytest.raises(ValueError, match=message):
        engle_granger(y, y[::-1].copy(), **kwargs)


def test_invalid_data_raise():
    with pytest.raises(ValueError, match="same length"):
        engle_granger(np.arange(10.0), np.arange(11.0))
    with pytest.raises(ValueError, match="NaN"):
        engle_granger(np.array([1.0, np.nan, 2.0, 3.0]), np.arange(4.0))
