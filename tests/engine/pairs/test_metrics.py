"""Half-life, return correlation and Hurst exponent.

Half-life: closed-form OLS slope checked against ``np.polyfit`` (1e-10), synthetic AR(1)
recovery within 20 % of the true half-life; Hurst within 0.06 of 0.5 for random walks.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose

from engine.pairs import half_life, hurst_exponent, return_correlation


def _ar1(phi: float, n: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    s = np.zeros(n)
    eps = rng.normal(size=n)
    for t in range(1, n):
        s[t] = phi * s[t - 1] + eps[t]
    return s


def test_half_life_slope_equals_polyfit():
    s = _ar1(0.9, 500, 0)
    b, _ = np.polyfit(s[:-1], np.diff(s), 1)
    res = half_life(s)
    assert_allclose(res.slope, b, rtol=1e-10)
    assert_allclose(res.half_life, -math.log(2) / math.log(1 + b), rtol=1e-10)


@pytest.mark.parametrize("phi", [0.8, 0.95, 0.98])
def test_half_life_recovers_ar1_truth(phi):
    truth = -math.log(2) / math.log(phi)
    est = np.median([half_life(_ar1(phi, 5000, seed)).half_life for seed in range(5)])
    assert abs(est / truth - 1) < 0.2


def test_half_life_edge_cases():
    assert half_life(np.cumsum(np.ones(50))).half_life == math.inf  # trending: b >= 0
    assert math.isnan(half_life(np.full(20, 1.0)).half_life)
    assert math.isnan(half_life(np.array([1.0, 2.0])).half_life)
    alternating = np.array([1.0, -1.0] * 20)
    assert math.isnan(half_life(alternating).half_life)  # b = -2: overshooting


def test_return_correlation_equals_corrcoef(real_windows):
    y, x = real_windows[2][:, 0], real_windows[2][:, 12]
    expected = np.corrcoef(np.diff(y), np.diff(x))[0, 1]
    assert_allclose(return_correlation(y, x), expected, rtol=1e-12)
    assert math.isnan(return_correlation(np.ones(10), x[:10]))


def test_hurst_random_walk_and_mean_reversion():
    rng = np.random.default_rng(0)
    walks = [hurst_exponent(np.cumsum(rng.normal(size=5000))).hurst for _ in range(4)]
    assert abs(np.mean(walks) - 0.5) < 0.06
    assert hurst_exponent(_ar1(0.5, 5000, 1)).hurst < 0.2
    assert math.isnan(hurst_exponent(np.ones(300)).hurst)
    with pytest.raises(ValueError, match="max_lag"):
        hurst_exponent(np.arange(10.0), max_lag=2)
