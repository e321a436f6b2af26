"""Real-data cases against stored statsmodels numbers (``results/eg_reference.json``).

The file was produced by ``results/make_reference.py`` (statsmodels ``coint``, its
``adfuller`` lag, ``coint_johansen``; source data and versions recorded in the file).
Tolerances: Engle-Granger statistic and p-value 1e-8 absolute, critical values 1e-12,
lag exact; Johansen statistics and eigenvalues 1e-8 relative, critical values exact.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from numpy.testing import assert_allclose

from engine.pairs import engle_granger, johansen
from tests.engine.pairs.conftest import WINDOW

REF = json.loads((Path(__file__).parent / "results" / "eg_reference.json").read_text())


def _window(log_prices, start: int, a: str, b: str) -> tuple[np.ndarray, np.ndarray]:
    win = log_prices.iloc[start : start + WINDOW]
    return win[a].to_numpy(), win[b].to_numpy()


def test_reference_file_metadata():
    assert REF["window"] == WINDOW
    assert REF["statsmodels_version"]
    assert len(REF["engle_granger"]) >= 50


@pytest.mark.parametrize(
    "case",
    REF["engle_granger"],
    ids=lambda c: f"{c['start']}-{c['y']}-{c['x']}-{c['trend']}-{c['autolag']}",
)
def test_engle_granger_matches_stored_statsmodels(log_prices, case):
    y, x = _window(log_prices, case["start"], case["y"], case["x"])
    res = engle_granger(y, x, trend=case["trend"], autolag=case["autolag"], maxlag=case["maxlag"])
    assert res.lag == case["lag"]
    assert_allclose(res.statistic, case["statistic"], rtol=0, atol=1e-8)
    assert_allclose(res.pvalue, case["pvalue"], rtol=0, atol=1e-8)
    assert_allclose(res.critical_values, case["critical_values"], rtol=0, atol=1e-12)


@pytest.mark.parametrize(
    "case",
    REF["johansen"],
    ids=lambda c: f"{c['start']}-{c['y']}-{c['x']}-{c['det_order']}-{c['k_ar_diff']}",
)
def test_johansen_matches_stored_statsmodels(log_prices, case):
    y, x = _window(log_prices, case["start"], case["y"], case["x"])
    res = johansen(y, x, det_order=case["det_order"], k_ar_diff=case["k_ar_diff"])
    assert_allclose(res.eigenvalues, case["eigenvalues"], rtol=1e-8)
    assert_allclose(res.trace_stat, case["trace_stat"], rtol=1e-8)
    assert_allclose(res.max_eig_stat, case["max_eig_stat"], rtol=1e-8)
    assert_allclose(res.trace_crit, case["trace_crit"], rtol=0, atol=0)
    assert_allclose(res.max_eig_crit, case["max_eig_crit"], rtol=0, atol=0)
