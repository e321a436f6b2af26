"""Volatility regimes: outside references (pandas rolling/expanding), synthetic switches,
hand-derived hysteresis labels, and causality by perturbation."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from engine.regimes import RegimeSpan, detect_regimes, spans_from_labels, volatility_regimes
from engine.regimes._kernels import hysteresis_labels


def _switch_series(seed: int, blocks: list[tuple[float, int]]) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return np.concatenate([rng.normal(0.0, sd, size) for sd, size in blocks])


def _garch_like(seed: int, n: int) -> np.ndarray:
    """Returns with clustered volatility (GARCH(1,1) recursion)."""
    rng = np.random.default_rng(seed)
    r = np.empty(n)
    var = 1e-4
    for t in range(n):
        r[t] = np.sqrt(var) * rng.standard_normal()
        var = 2e-6 + 0.1 * r[t] ** 2 + 0.88 * var
    return r


def test_rolling_volatility_matches_pandas() -> None:
    r = _garch_like(1, 600)
    r[100] = np.nan
    res = volatility_regimes(r, window=15, min_history=50)
    expected = pd.Series(r).rolling(15).std(ddof=1).to_numpy()
    assert_allclose(res.volatility, expected, rtol=1e-12, atol=1e-15, equal_nan=True)
    realized = volatility_regimes(r, window=15, min_history=50, estimator="realized")
    expected_rms = np.sqrt((pd.Series(r) ** 2).rolling(15).mean().to_numpy())
    assert_allclose(realized.volatility, expected_rms, rtol=1e-12, equal_nan=True)


@pytest.mark.parametrize("history_window", [None, 300])
def test_thresholds_are_past_quantiles_like_pandas(history_window: int | None) -> None:
    r = _garch_like(2, 1500)
    res = volatility_regimes(
        r, window=21, n_regimes=3, min_history=100, history_window=history_window
    )
    vol = pd.Series(res.volatility)
    roll = (
        vol.expanding(min_periods=100)
        if history_window is None
        else vol.rolling(history_window, min_periods=100)
    )
    for j, q in enumerate((1 / 3, 2 / 3)):
        # pandas' quantile of the history ending at t-1, i.e. strictly before t.
        expected = roll.quantile(q, interpolation="linear").shift(1).to_numpy()
        assert_allclose(res.thresholds[:, j], expected, rtol=1e-12, equal_nan=True)


def test_recovers_a_volatility_switch_within_stated_lag() -> None:
    # 0.5% daily vol for 500 bars then 2% for 500 bars, 20 seeds. Stated: the first high
    # label comes at most 10 bars after the switch (measured max over 200 seeds: 7), and
    # every bar from switch + 10 to bar 950 is high. (Later, once the high-vol history
    # outweighs the calm one, the expanding median enters the high cluster: measured
    # earliest at bar 990; a documented property of quantile thresholds.)
    for seed in range(20):
        r = _switch_series(seed, [(0.005, 500), (0.02, 500)])
        labels = volatility_regimes(r, window=21, min_history=100).labels
        assert_array_equal(labels[:120], -1)  # warm-up: 20 bars of window + 100 of history
        assert (labels[120:] >= 0).all()
        assert np.argmax(labels[500:] == 1) <= 10
        assert (labels[510:950] == 1).all()


def test_kmeans_thresholds_separate_calm_and_turbulent_history() -> None:
    # calm 1000, high 250, calm 250, high 250. Once the history holds both clusters the
    # k-means boundary lies in the gap: the second calm block is calm after the window
    # has rolled over (<= 21 bars; the median rule labels about half of it high).
    blocks = [(0.005, 1000), (0.02, 250), (0.005, 250), (0.02, 250)]
    for seed in range(10):
        r = _switch_series(seed, blocks)
        km = volatility_regimes(r, window=21, min_history=250, threshold_method="kmeans")
        assert (km.labels[1250 + 21 : 1500] == 0).all()
        assert np.argmax(km.labels[1500:] == 1) <= 10
        med = volatility_regimes(r, window=21, min_history=250)
        assert (med.labels[1250 + 21 : 1500] == 1).mean() > 0.2


def test_three_regimes_recover_levels() -> None:
    blocks = [(0.004, 400), (0.01, 400), (0.03, 400)] * 2
    truth = np.repeat([0, 1, 2, 0, 1, 2], 400)
    r = _switch_series(7, blocks)
    res = volatility_regimes(r, window=21, n_regimes=3, min_history=1000, threshold_method="kmeans")
    decided = np.arange(r.size) >= 1300
    away = np.ones(r.size, dtype=bool)
    for switch in range(0, r.size, 400):
        away[switch : switch + 21] = False
    mask = decided & away
    assert (res.labels[mask] == truth[mask]).mean() > 0.97


def test_hysteresis_kernel_hand_example() -> None:
    # One threshold at 1.0, band 0.1 -> up above 1.1, down at or below 0.9.
    x = np.array([0.5, 1.05, 1.2, 1.0, 0.95, 0.85, 1.15, np.nan, 1.05])
    thr = np.ones((x.size, 1))
    labels = hysteresis_labels(x, thr, band=0.1, min_duration=1)
    # 0.5 -> raw 0; 1.05 stays 0 (not > 1.1); 1.2 -> 1; 1.0, 0.95 stay 1 (not <= 0.9);
    # 0.85 -> 0; 1.15 -> 1; NaN -> -1 and reset; 1.05 -> raw label 1 (first after reset).
    assert_array_equal(labels, [0, 0, 1, 1, 1, 0, 1, -1, 1])
    # min_duration=2: a change needs two consecutive indications.
    x2 = np.array([0.5, 1.5, 0.5, 1.5, 1.5, 1.5, 0.5, 0.5])
    labels2 = hysteresis_labels(x2, np.ones((x2.size, 1)), band=0.0, min_duration=2)
    assert_array_equal(labels2, [0, 0, 0, 0, 1, 1, 1, 0])


def test_hysteresis_and_min_duration_reduce_flicker() -> None:
    r = _switch_series(3, [(0.01, 3000)])  # stationary: any switch is noise
    plain = volatility_regimes(r, window=21, min_history=250)
    calm = volatility_regimes(r, window=21, min_history=250, hysteresis=0.1, min_duration=5)
    assert len(calm.spans) < len(plain.spans) / 3


@pytest.mark.parametrize(
    "options",
    [
        {"window": 21, "min_history": 100},
        {"window": 10, "min_history": 60, "n_regimes": 3, "history_window": 200},
        {"window": 21, "min_history": 100, "hysteresis": 0.15, "min_duration": 4},
        {"window": 15, "min_history": 80, "threshold_method": "kmeans", "n_regimes": 3},
        {"window": 15, "min_history": 80, "threshold_method": "kmeans", "history_window": 150},
    ],
)
def test_causality_by_perturbation(options: dict) -> None:
    rng = np.random.default_rng(11)
    r = _garch_like(5, 700)
    base = volatility_regimes(r, **options)
    for t in rng.integers(0, r.size - 1, size=25):
        changed = r.copy()
        changed[t + 1 :] = rng.standard_t(3, size=r.size - t - 1) * rng.choice([1e-4, 0.05, 1.0])
        other = volatility_regimes(changed, **options)
        assert_array_equal(other.labels[: t + 1], base.labels[: t + 1])
        assert_array_equal(other.thresholds[: t + 1], base.thresholds[: t + 1])
        assert_array_equal(other.volatility[: t + 1], base.volatility[: t + 1])


def test_prices_input_equals_log_returns_and_input_untouched() -> None:
    r = _garch_like(9, 400)
    prices = pd.Series(
        100 * np.exp(np.cumsum(r)), index=pd.date_range("2020-01-01", periods=400, freq="B")
    )
    before = prices.copy()
    from_prices = detect_regimes(prices, kind="prices", window=21, min_history=50)
    log_r = np.log(prices.to_numpy())
    expected_r = np.concatenate(([np.nan], np.diff(log_r)))
    from_returns = volatility_regimes(expected_r, window=21, min_history=50)
    assert_array_equal(from_prices.labels, from_returns.labels)
    pd.testing.assert_series_equal(prices, before)
    assert from_prices.index is not None and from_prices.index[0] == np.datetime64("2020-01-01")
    payload = json.loads(json.dumps(from_prices.to_dict()))
    assert payload["method"] == "volatility"
    assert payload["index"][0] == "2020-01-01T00:00:00Z"
    assert payload["spans"][0] == {"start": 0, "end": 71, "label": -1}


def test_spans_hand_example() -> None:
    labels = np.array([-1, -1, 0, 0, 1, 0, 0, 0])
    assert spans_from_labels(labels) == (
        RegimeSpan(start=0, end=2, label=-1),
        RegimeSpan(start=2, end=4, label=0),
        RegimeSpan(start=4, end=5, label=1),
        RegimeSpan(start=5, end=8, label=0),
    )
    assert spans_from_labels(np.array([], dtype=np.int64)) == ()


@pytest.mark.parametrize(
    ("options", "error"),
    [
        ({"window": 1}, ValueError),
        ({"n_regimes": 4}, ValueError),
        ({"quantiles": [0.2, 0.1], "n_regimes": 3}, ValueError),
        ({"hysteresis": 1.5}, ValueError),
        ({"window": 2.5}, TypeError),
        ({"history_window": 10, "min_history": 20}, ValueError),
    ],
)
def test_invalid_options(options: dict, error: type[Exception]) -> None:
    with pytest.raises(error):
        volatility_regimes(np.zeros(100), **options)


def test_dispatcher_rejects_unknown_method() -> None:
    with pytest.raises(ValueError, match="method"):
        detect_regimes(np.zeros(10), method="hmm")  # type: ignore[arg-type]
