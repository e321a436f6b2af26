"""analyze_pair assembles the per-pair results consistently."""

from __future__ import annotations

import dataclasses
import json
import math

import numpy as np
import pytest
from numpy.testing import assert_allclose

from engine.pairs import (
    analyze_pair,
    engle_granger,
    half_life,
    hurst_exponent,
    johansen,
    return_correlation,
)
from tests.engine.pairs.conftest import make_coint_pair


def test_fields_equal_the_building_blocks():
    y, x, _ = make_coint_pair(np.random.default_rng(8), beta=0.9)
    a = analyze_pair(y, x)
    fwd, rev = engle_granger(y, x), engle_granger(x, y)
    assert a.direction == "y_on_x"
    assert (a.tstat, a.pvalue, a.lag, a.hedge_ratio) == (
        fwd.statistic, fwd.pvalue, fwd.lag, fwd.beta,
    )  # fmt: skip
    assert a.eg_x_on_y == dataclasses.replace(rev, dependent="x")
    assert a.is_cointegrated
    spread = fwd.spread(y, x)
    assert_allclose(a.half_life, half_life(spread).half_life, rtol=1e-12)
    assert_allclose(a.hurst, hurst_exponent(spread).hurst, rtol=1e-12)
    assert_allclose(a.correlation, return_correlation(y, x), rtol=1e-12)
    assert_allclose(a.johansen.trace_stat, johansen(y, x).trace_stat, rtol=1e-12)
    assert 0.0 <= a.stability_score <= 1.0
    assert a.stability_score == a.breaks.stability_score
    assert math.isnan(a.breaks.za_statistic)
    json.dumps(a.to_dict())


def test_best_direction_and_real_pair(real_windows):
    y, x = real_windows[1][:, 9], real_windows[1][:, 13]
    a = analyze_pair(y, x, direction="best")
    best = min((a.eg_y_on_x.pvalue, "y_on_x"), (a.eg_x_on_y.pvalue, "x_on_y"))[1]
    assert a.direction == best
    assert a.is_cointegrated == (a.pvalue < 0.05)


def test_short_series_and_validation():
    y, x, _ = make_coint_pair(np.random.default_rng(3), n=120)
    a = analyze_pair(y, x, window=60, step=30)
    assert a.nobs == 120
    with pytest.raises(ValueError, match="direction"):
        analyze_pair(y, x, direction="sideways")  # type: ignore[arg-type]
