"""PSR, DSR and MinTRL against the papers' formulas written out independently with
scipy.stats.norm, the published numerical example of the deflated Sharpe ratio, and a
Monte Carlo check of the expected-maximum approximation."""

from __future__ import annotations

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy import stats

from engine.stats import (
    SharpeMoments,
    deflated_sharpe_ratio,
    expected_maximum_sharpe,
    minimum_track_record_length,
    probabilistic_sharpe_ratio,
    sharpe_moments,
)


def test_psr_hand_worked_example() -> None:
    # SR = 0.1 per period, T = 101, skew = -1, kurtosis = 6, SR* = 0.02:
    # factor = 1 - (-1)(0.1) + (6 - 1)/4 * 0.01 = 1.1125
    # z = 0.08 * sqrt(100) / sqrt(1.1125) = 0.8 / 1.054751 = 0.758473
    # PSR = Phi(0.758473) = (1 + erf(0.758473 / sqrt 2)) / 2 = 0.775916
    mom = SharpeMoments(sharpe=0.1, n_obs=101, skewness=-1.0, kurtosis=6.0)
    res = probabilistic_sharpe_ratio(mom, sr_benchmark=0.02)
    assert res.z == pytest.approx(0.758473, abs=1e-6)
    assert res.psr == pytest.approx(0.775916, abs=1e-6)
    assert res.psr == pytest.approx(0.5 * (1 + math.erf(0.758473 / math.sqrt(2))), abs=1e-6)
    assert res.psr == pytest.approx(stats.norm.cdf(0.8 / math.sqrt(1.1125)), rel=1e-12)
    assert res.sharpe_std == pytest.approx(math.sqrt(1.1125 / 100), rel=1e-12)
    assert res.p_value == pytest.approx(1 - res.psr)


def test_psr_from_returns_uses_sample_moments() -> None:
    rng = np.random.default_rng(0)
    r = rng.standard_t(5, 750) * 0.01 + 0.0006
    res = probabilistic_sharpe_ratio(r, sr_benchmark=0.01)
    sr = r.mean() / r.std(ddof=1)
    g3 = stats.skew(r, bias=True)
    g4 = stats.kurtosis(r, fisher=False, bias=True)
    assert_allclose([res.sharpe, res.skewness, res.kurtosis], [sr, g3, g4], rtol=1e-12)
    expected = stats.norm.cdf(
        (sr - 0.01) * np.sqrt(len(r) - 1) / np.sqrt(1 - g3 * sr + (g4 - 1) / 4 * sr**2)
    )
    assert res.psr == pytest.approx(expected, rel=1e-12)
    assert sharpe_moments(r).n_obs == 750


def test_dsr_published_numerical_example() -> None:
    # Bailey and López de Prado (2014), "The deflated Sharpe ratio", JPM 40(5), numerical
    # example: N = 100 trials, V[SR_n] = 1/2 (annualised), best annualised SR = 2.5 over
    # T = 1250 daily observations (250 days a year), skewness -3, kurtosis 10. Published:
    # E[max SR] (SR_0) = 0.1132 per day, DSR = 0.9004. (Values as printed in the paper,
    # recalled; the formula chain below is the paper's.)
    mom = SharpeMoments(sharpe=2.5 / math.sqrt(250), n_obs=1250, skewness=-3.0, kurtosis=10.0)
    res = deflated_sharpe_ratio(mom, n_trials=100, sharpe_variance=0.5 / 250)
    assert res.expected_max_sharpe == pytest.approx(0.1132, abs=5e-5)
    assert res.dsr == pytest.approx(0.9004, abs=5e-5)


def test_dsr_matches_independent_formula_with_trial_sharpes() -> None:
    # vectorbt's returns/metrics.py (approx_exp_max_sharpe / deflated_sharpe_ratio)
    # written out here with numpy/scipy: same formula, different code path.
    rng = np.random.default_rng(1)
    trials = rng.normal(0.0, 0.04, 40)
    r = rng.normal(0.002, 0.01, 500)
    res = deflated_sharpe_ratio(r, trials)
    var = np.var(trials, ddof=1)
    sr0 = np.sqrt(var) * (
        (1 - np.euler_gamma) * stats.norm.ppf(1 - 1 / 40)
        + np.euler_gamma * stats.norm.ppf(1 - 1 / (40 * np.e))
    )
    sr = r.mean() / r.std(ddof=1)
    g3, g4 = stats.skew(r), stats.kurtosis(r, fisher=False)
    expected = stats.norm.cdf(
        (sr - sr0) * np.sqrt(499) / np.sqrt(1 - g3 * sr + (g4 - 1) / 4 * sr**2)
    )
    assert res.expected_max_sharpe == pytest.approx(sr0, rel=1e-12)
    assert res.dsr == pytest.approx(expected, rel=1e-12)
    assert res.n_trials == 40 and res.sharpe_variance == pytest.approx(var, rel=1e-12)
    # n_trials override (effective number of independent trials)
    fewer = deflated_sharpe_ratio(r, trials, n_trials=10)
    assert fewer.expected_max_sharpe < res.expected_max_sharpe and fewer.dsr > res.dsr


@pytest.mark.parametrize("n_trials", [10, 100, 1000])
def test_expected_maximum_sharpe_against_monte_carlo(n_trials: int) -> None:
    # E[max of N standard normals] by simulation (20 000 draws, seeded): the paper's
    # approximation is within 3% for N >= 10 (measured: 1.2%, 0.3%, 0.2%).
    rng = np.random.default_rng(2)
    mc = rng.standard_normal((20_000, n_trials)).max(axis=1).mean()
    approx = expected_maximum_sharpe(n_trials, sharpe_variance=1.0)
    assert approx == pytest.approx(mc, rel=0.03)
    assert expected_maximum_sharpe(n_trials, sharpe_variance=4.0) == pytest.approx(2 * approx)
    assert expected_maximum_sharpe(1, sharpe_variance=1.0) == 0.0


def test_min_trl_hand_example_and_inverse_of_psr() -> None:
    # SR = 0.1, SR* = 0, skew 0, kurtosis 3, alpha 0.05:
    # 1 + (1 + 0.5 * 0.01) * (1.644854 / 0.1)^2 = 1 + 1.005 * 270.554 = 272.907
    mom = SharpeMoments(sharpe=0.1, n_obs=300, skewness=0.0, kurtosis=3.0)
    res = minimum_track_record_length(mom, alpha=0.05)
    assert res.min_trl == pytest.approx(1 + 1.005 * (stats.norm.ppf(0.95) / 0.1) ** 2, rel=1e-12)
    assert res.min_trl == pytest.approx(272.907, abs=1e-3)
    assert res.sufficient
    # PSR evaluated at T = MinTRL equals 1 - alpha (MinTRL inverts PSR).
    at = SharpeMoments(sharpe=0.1, n_obs=2, skewness=0.0, kurtosis=3.0)
    z = (0.1 * math.sqrt(res.min_trl - 1)) / math.sqrt(1.005)
    assert stats.norm.cdf(z) == pytest.approx(0.95, abs=1e-12)
    assert probabilistic_sharpe_ratio(at).n_obs == 2
    worse = minimum_track_record_length(mom, sr_benchmark=0.2)
    assert math.isinf(worse.min_trl) and not worse.sufficient
    assert worse.to_dict()["min_trl"] is None


def test_inputs_not_mutated_and_constant_returns() -> None:
    r = np.array([0.01, -0.02, 0.03, 0.0, 0.01])
    before = r.copy()
    probabilistic_sharpe_ratio(r)
    np.testing.assert_array_equal(r, before)
    flat = probabilistic_sharpe_ratio(np.full(10, 0.01))
    assert math.isnan(flat.psr) and flat.to_dict()["psr"] is None
    with pytest.raises(ValueError):
        deflated_sharpe_ratio(r)
    with pytest.raises(ValueError):
        probabilistic_sharpe_ratio([0.1, np.nan, 0.2, 0.3])
