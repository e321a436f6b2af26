"""Rolling cointegration, stability score, Zivot-Andrews and the "stopped" flag."""

from __future__ import annotations

import math

import numpy as np
from numpy.testing import assert_allclose
from statsmodels.tsa.stattools import zivot_andrews

from engine.pairs import engle_granger, rolling_engle_granger, stability_score, structural_breaks
from tests.engine.pairs.conftest import make_coint_pair


def test_stability_score_formula_by_hand():
    p = np.array([0.01, 0.02, 0.3, 0.04])
    b = np.array([1.0, 1.2, 0.8, 1.0])
    cv = np.std(b) / 1.0
    assert_allclose(stability_score(p, b), 0.75 / (1 + cv), rtol=1e-12)
    assert stability_score(np.array([0.01, 0.01]), np.array([2.0, 2.0])) == 1.0
    assert stability_score(np.array([0.5, 0.6]), np.array([2.0, 2.0])) == 0.0
    assert math.isnan(stability_score(np.array([0.01]), np.array([1.0])))


def test_rolling_windows_equal_per_window_engle_granger(real_windows):
    y, x = real_windows[0][:, 9], real_windows[0][:, 13]
    roll = rolling_engle_granger(y, x, window=504, step=252)
    assert roll.end[-1] == y.size
    assert np.all(roll.end - roll.start == 504)
    for k in (0, roll.end.size - 1):
        s, e = roll.start[k], roll.end[k]
        eg = engle_granger(y[s:e], x[s:e])
        assert_allclose([roll.pvalue[k], roll.beta[k]], [eg.pvalue, eg.beta], rtol=1e-12)


def test_stable_pair_vs_pair_that_stopped_cointegrating():
    rng = np.random.default_rng(21)
    y, x, _ = make_coint_pair(rng, beta=1.1, phi=0.9)
    stable = structural_breaks(y, x, zivot_andrews=False)
    assert not stable.stopped_cointegrating
    assert stable.stability_score > 0.8
    assert stable.max_relative_drift < 0.1
    # after bar 1800 the spread becomes a random walk: cointegration is lost
    y2 = y.copy()
    y2[1800:] += np.cumsum(rng.normal(0, 0.02, y.size - 1800))
    broken = structural_breaks(y2, x, zivot_andrews=False)
    assert broken.stopped_cointegrating
    assert broken.stability_score < stable.stability_score


def test_zivot_andrews_equals_statsmodels_on_the_spread():
    y, x, _ = make_coint_pair(np.random.default_rng(5), n=600, phi=0.9)
    res = structural_breaks(y, x, window=200, step=100, za_autolag=None, za_maxlag=2)
    spread = engle_granger(y, x).spread(y, x)
    ref = zivot_andrews(spread, maxlag=2, regression="c", autolag=None)
    assert_allclose([res.za_statistic, res.za_pvalue], [ref[0], ref[1]], rtol=1e-12)
    assert res.za_break_index == ref[4] and res.za_lags == ref[3]
