"""Johansen equals ``coint_johansen`` (statistics and eigenvalues 1e-10 relative)."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose
from statsmodels.tsa.vector_ar.vecm import coint_johansen

from engine.pairs import johansen
from tests.engine.pairs.conftest import make_coint_pair


@pytest.mark.parametrize(("det_order", "k"), [(-1, 0), (0, 1), (1, 2), (0, 5)])
def test_equals_statsmodels_real_and_synthetic(real_windows, det_order, k):
    rng = np.random.default_rng(11)
    ys, xs, _ = make_coint_pair(rng)
    pairs = [(real_windows[0][:, 9], real_windows[0][:, 13]), (ys, xs)]
    for y, x in pairs:
        res = johansen(y, x, det_order=det_order, k_ar_diff=k)
        ref = coint_johansen(np.column_stack([y, x]), det_order, k)
        assert_allclose(res.trace_stat, ref.lr1, rtol=1e-10)
        assert_allclose(res.max_eig_stat, ref.lr2, rtol=1e-10)
        assert_allclose(res.eigenvalues, ref.eig, rtol=1e-10)
        assert_allclose(res.trace_crit, ref.cvt, rtol=0)
        assert_allclose(res.max_eig_crit, ref.cvm, rtol=0)
        assert_allclose(res.eigenvectors, ref.evec, rtol=1e-8)


def test_rank_on_synthetic_cointegrated_and_independent_walks():
    rng = np.random.default_rng(2)
    y, x, _ = make_coint_pair(rng, phi=0.9)
    assert johansen(y, x).rank_trace == 1
    assert johansen(y, x).rank_max_eig == 1
    a = np.cumsum(rng.normal(size=2520))
    b = np.cumsum(rng.normal(size=2520))
    assert johansen(a, b).rank_trace == 0


def test_invalid_det_order():
    y = np.cumsum(np.ones(50))
    with pytest.raises(ValueError, match="det_order"):
        johansen(y, y[::-1].copy(), det_order=2)  # type: ignore[arg-type]
