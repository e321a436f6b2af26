"""Markov regimes: equality with statsmodels' Hamilton filter, accuracy on a simulated
two-state series with known parameters, relabelling, and causality by perturbation."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from statsmodels.tsa.regime_switching.markov_regression import MarkovRegression

from engine.regimes import detect_regimes, markov_filter, markov_regimes
from engine.regimes.markov import statsmodels_params


def _simulate(
    seed: int, n: int, transition: np.ndarray, means, sds
) -> tuple[np.ndarray, np.ndarray]:
    """Two/three-state chain with left-stochastic transition[i, j] = P(i | j)."""
    rng = np.random.default_rng(seed)
    k = transition.shape[0]
    states = np.empty(n, dtype=np.int64)
    states[0] = 0
    for t in range(1, n):
        states[t] = rng.choice(k, p=transition[:, states[t - 1]])
    y = rng.normal(np.asarray(means)[states], np.asarray(sds)[states])
    return y, states


P2 = np.array([[0.98, 0.04], [0.02, 0.96]])


@pytest.mark.parametrize(
    ("k", "switching", "p", "means", "variances"),
    [
        (2, "variance", P2, np.array([0.001, 0.001]), np.array([1e-4, 9e-4])),
        (2, "both", P2, np.array([0.002, -0.003]), np.array([1e-4, 6e-4])),
        (
            3,
            "both",
            np.array([[0.9, 0.05, 0.1], [0.06, 0.9, 0.1], [0.04, 0.05, 0.8]]),
            np.array([0.0, 0.01, -0.02]),
            np.array([1e-4, 4e-4, 2.5e-3]),
        ),
        (2, "mean", P2, np.array([-0.01, 0.01]), np.array([2e-4, 2e-4])),
    ],
)
def test_filter_equals_statsmodels_and_is_causal(k, switching, p, means, variances) -> None:
    y, _ = _simulate(0, 600, p, means, np.sqrt(variances))
    ours = markov_filter(y, transition=p, means=means, variances=variances)
    model = MarkovRegression(
        y,
        k_regimes=k,
        trend="c",
        switching_trend=switching in ("mean", "both"),
        switching_variance=switching in ("variance", "both"),
    )
    params = statsmodels_params(p, means, variances, switching=switching)
    assert len(params) == len(model.param_names)
    reference = np.asarray(model.filter(params).filtered_marginal_probabilities)
    assert_allclose(ours, reference, rtol=0, atol=1e-8)
    # Causality: the probability at t on y[:t+1] equals the one on the full series.
    for t in (0, 1, 57, 300, 599):
        cut = markov_filter(y[: t + 1], transition=p, means=means, variances=variances)
        assert_allclose(cut[-1], ours[t], rtol=0, atol=1e-12)


def test_param_vector_order_matches_statsmodels_names() -> None:
    p = np.array([[0.9, 0.2], [0.1, 0.8]])
    vec = statsmodels_params(p, np.array([1.0, 2.0]), np.array([3.0, 4.0]), switching="both")
    names = MarkovRegression(np.zeros(20), 2, switching_variance=True).param_names
    assert dict(zip(names, vec, strict=True)) == {
        "p[0->0]": 0.9,
        "p[1->0]": 0.2,
        "const[0]": 1.0,
        "const[1]": 2.0,
        "sigma2[0]": 3.0,
        "sigma2[1]": 4.0,
    }


def test_accuracy_and_statsmodels_equality_of_every_segment() -> None:
    # True model: daily vol 1% (calm) and 3% (turbulent), expected durations 50 and 25 bars.
    y, states = _simulate(1, 3000, P2, [0.0005, -0.001], [0.01, 0.03])
    res = markov_regimes(y, min_train=500, refit_every=500)
    decided = res.labels >= 0
    assert_array_equal(decided, np.arange(y.size) >= 500)
    accuracy = float((res.labels[decided] == states[decided]).mean())
    assert accuracy > 0.9  # measured 0.96
    for seg in res.segments:
        assert seg.fit_end == seg.start and seg.fit_start == 0
        assert seg.variances[0] < seg.variances[1]  # label 0 = low variance
        assert_allclose(np.sqrt(seg.variances), [0.01, 0.03], rtol=0.15)
        model = MarkovRegression(
            y[seg.fit_start : seg.end],
            k_regimes=2,
            trend="c",
            switching_variance=True,
            switching_trend=False,
        )
        ref = np.asarray(model.filter(seg.statsmodels_params).filtered_marginal_probabilities)
        assert_allclose(
            res.probabilities[seg.start : seg.end], ref[seg.start - seg.fit_start :], atol=1e-8
        )
    assert_allclose(res.probabilities[decided].sum(axis=1), 1.0, atol=1e-12)
    assert np.isnan(res.probabilities[~decided]).all()


def test_labels_ordered_by_variance_whatever_the_simulated_order() -> None:
    # State 0 of the simulation is the *turbulent* one; label 0 must still be calm.
    p = np.array([[0.97, 0.02], [0.03, 0.98]])
    y, states = _simulate(4, 2000, p, [0.0, 0.0], [0.03, 0.01])
    res = markov_regimes(y, min_train=600, refit_every=350, window_kind="rolling")
    decided = res.labels >= 0
    assert ((1 - states[decided]) == res.labels[decided]).mean() > 0.9
    for seg in res.segments:
        assert seg.variances[0] < seg.variances[1]
        assert seg.fit_end - seg.fit_start <= 600


@pytest.mark.parametrize(
    "options",
    [
        {"min_train": 300, "refit_every": 150},
        {"min_train": 300, "refit_every": 200, "window_kind": "rolling", "switching": "both"},
    ],
)
def test_causality_by_perturbation(options: dict) -> None:
    y, _ = _simulate(2, 900, P2, [0.0, 0.0], [0.01, 0.03])
    base = markov_regimes(y, **options)
    rng = np.random.default_rng(3)
    for t in rng.integers(250, y.size - 1, size=4):
        changed = y.copy()
        changed[t + 1 :] = rng.normal(0.0, rng.choice([0.001, 0.1]), y.size - t - 1)
        other = markov_regimes(changed, **options)
        assert_array_equal(other.labels[: t + 1], base.labels[: t + 1])
        assert_array_equal(other.probabilities[: t + 1], base.probabilities[: t + 1])


def test_single_fit_and_prices_with_leading_nan() -> None:
    y, _ = _simulate(5, 800, P2, [0.0, 0.0], [0.01, 0.03])
    prices = 50 * np.exp(np.cumsum(y))
    res = detect_regimes(prices, method="markov", kind="prices", min_train=300, refit_every=None)
    assert len(res.segments) == 1
    seg = res.segments[0]
    assert (seg.fit_start, seg.fit_end, seg.start, seg.end) == (1, 301, 301, 800)
    assert (res.labels[:301] == -1).all() and (res.labels[301:] >= 0).all()
    assert res.to_dict()["segments"][0]["fit_start"] == 1


def test_rejects_interior_missing_values_and_constant_window() -> None:
    y = np.random.default_rng(0).normal(0, 0.01, 400)
    y[200] = np.nan
    with pytest.raises(ValueError, match="missing"):
        markov_regimes(y, min_train=100)
    with pytest.raises(ValueError, match="zero variance"):
        markov_regimes(np.zeros(300), min_train=100)
