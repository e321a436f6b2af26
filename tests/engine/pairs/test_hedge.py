"""Hedge ratios: OLS vs numpy, TLS vs the principal component, Kalman vs a matrix-form filter.

Tolerances: closed forms 1e-10 relative; synthetic recovery of beta within 0.02 (OLS) and
0.05 (TLS, which is biased when all the noise sits in y; Kalman, last 500 bars on average).
"""

from __future__ import annotations

import math

import numpy as np
from numpy.testing import assert_allclose

from engine.pairs import kalman_hedge_ratio, ols_hedge_ratio, tls_hedge_ratio
from tests.engine.pairs.conftest import make_coint_pair


def test_ols_equals_polyfit(real_windows):
    y, x = real_windows[0][:, 4], real_windows[0][:, 19]
    slope, intercept = np.polyfit(x, y, 1)
    res = ols_hedge_ratio(y, x)
    assert_allclose([res.beta, res.alpha], [slope, intercept], rtol=1e-10)


def test_tls_equals_first_principal_component(real_windows):
    y, x = real_windows[1][:, 4], real_windows[1][:, 19]
    vals, vecs = np.linalg.eigh(np.cov(np.vstack([x, y])))
    v = vecs[:, np.argmax(vals)]
    res = tls_hedge_ratio(y, x)
    assert_allclose(res.beta, v[1] / v[0], rtol=1e-10)
    assert_allclose(res.alpha, y.mean() - res.beta * x.mean(), rtol=1e-10)
    # orthogonal regression is symmetric: x on y gives the reciprocal slope
    assert_allclose(tls_hedge_ratio(x, y).beta, 1.0 / res.beta, rtol=1e-10)


def test_static_ratios_recover_synthetic_beta():
    y, x, _ = make_coint_pair(np.random.default_rng(4), beta=1.7, alpha=0.3)
    assert abs(ols_hedge_ratio(y, x).beta - 1.7) < 0.02
    assert abs(tls_hedge_ratio(y, x).beta - 1.7) < 0.05


def test_degenerate_inputs_give_nan():
    x = np.full(10, 2.0)
    assert math.isnan(ols_hedge_ratio(np.arange(10.0), x).beta)
    assert math.isnan(tls_hedge_ratio(x, x).beta)


def _kalman_reference(y, x, delta, ve, p0):
    """Textbook matrix form (Chan, 2013) of the same filter."""
    q = delta / (1 - delta) * np.eye(2)
    theta = np.zeros(2)
    p = p0 * np.eye(2)
    out = np.empty((y.size, 2))
    for t in range(y.size):
        h = np.array([x[t], 1.0])
        r = p + q
        e = y[t] - h @ theta
        s = h @ r @ h + ve
        k = r @ h / s
        theta = theta + k * e
        p = r - np.outer(k, h) @ r
        out[t] = theta
    return out


def test_kalman_equals_matrix_form_and_recovers_beta():
    y, x, _ = make_coint_pair(np.random.default_rng(9), beta=0.8, alpha=0.5)
    res = kalman_hedge_ratio(y, x, delta=1e-5, observation_variance=1e-4)
    ref = _kalman_reference(y, x, 1e-5, 1e-4, 1.0)
    assert_allclose(res.beta, ref[:, 0], rtol=1e-9, atol=1e-12)
    assert_allclose(res.alpha, ref[:, 1], rtol=1e-9, atol=1e-12)
    assert abs(res.beta[-500:].mean() - 0.8) < 0.05
    assert_allclose(res.spread, y - res.beta * x - res.alpha)


def test_kalman_is_causal():
    y, x, _ = make_coint_pair(np.random.default_rng(1), n=400)
    base = kalman_hedge_ratio(y, x)
    y2, x2 = y.copy(), x.copy()
    y2[300:] += 5.0
    x2[300:] *= 3.0
    pert = kalman_hedge_ratio(y2, x2)
    np.testing.assert_array_equal(base.beta[:300], pert.beta[:300])
    np.testing.assert_array_equal(base.alpha[:300], pert.alpha[:300])
    assert not np.allclose(base.beta[300:], pert.beta[300:])
