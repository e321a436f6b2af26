"""Regime-adaptive parameters: the rule by hand, vectorized vs bar-by-bar on real data,
switch records, per-regime fitting against a brute-force loop, and no lookahead."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from engine.backtest import Costs, backtest_pair
from engine.params import (
    AdaptiveLiveStrategy,
    AdaptiveState,
    ParameterSet,
    ParamGrid,
    backtest_adaptive,
    fit_parameter_set,
)
from engine.params._kernels import adaptive_decisions
from engine.regimes import detect_regimes
from engine.strategy import StrategyParams

COSTS = Costs(cost_bps=3.0, slippage_bps=1.0, borrow_rate=0.02)
SETS = ParameterSet(
    regimes=(
        (0, StrategyParams(lookback=40, entry_z=1.6, exit_z=0.2, stop_z=3.2, max_holding=50)),
        (1, StrategyParams(lookback=20, entry_z=2.2, exit_z=0.6, stop_z=3.0, max_holding=15)),
    ),
    fallback=StrategyParams(lookback=30, entry_z=1.8, exit_z=0.0),
)


def _ko_pep(sp500: pd.DataFrame, n: int = 3000) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    y = sp500["KO"].to_numpy()[1000 : 1000 + n]
    x = sp500["PEP"].to_numpy()[1000 : 1000 + n]
    return y, x, _labels(y, x)


def _labels(y: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Causal volatility regimes of the pair's mean log return (detector of engine.regimes)."""
    r = np.empty(y.size)
    r[0] = np.nan
    r[1:] = 0.5 * (np.diff(np.log(y)) + np.diff(np.log(x)))
    return detect_regimes(r, window=21, min_history=252).labels


def test_open_position_keeps_its_entry_set_by_hand() -> None:
    # set 0: entry 1.0 exit 0.0; set 1: entry 2.0 exit 0.5. Both see the same z path.
    z = np.array([0.0, 1.2, 0.8, 0.3, -0.1, 1.5, 2.1, 0.4, 0.0])
    active = np.array([0, 0, 1, 1, 1, 1, 1, 0, 0])
    Z = np.vstack([z, z])
    ev = np.empty(9, dtype=np.int8)
    pos = np.empty(9, dtype=np.int8)
    gov = np.empty(9, dtype=np.int64)
    big = 2**62
    adaptive_decisions(
        Z,
        active,
        np.array([1.0, 2.0]),
        np.array([0.0, 0.5]),
        np.array([np.inf, np.inf]),
        np.array([big, big]),
        0,
        -1,
        ev,
        pos,
        gov,
    )
    # bar 1: short under set 0 (1.2 crosses 1.0). Bars 2-3: set 1 is active but the trade
    # keeps set 0 (0.3 would exit under set 1's exit_z 0.5, not under 0.0). Bar 4: exits
    # (-0.1 <= 0.0). Bar 5: flat under set 1: 1.5 crosses set 0's band but not set 1's.
    # Bar 6: 2.1 crosses 2.0 -> short under set 1. Bar 7: set 0 active again, but the trade
    # keeps set 1: 0.4 <= 0.5 exits (set 0 would need <= 0.0).
    assert ev.tolist() == [0, 2, 0, 0, 3, 0, 2, 3, 0]
    assert pos.tolist() == [0, -1, -1, -1, 0, 0, -1, 0, 0]
    assert gov.tolist() == [0, 0, 0, 0, 0, 1, 1, 1, 0]


def test_trade_start_and_forced_exit_by_hand() -> None:
    z = np.array([0.0, 1.5, 0.5, 1.5, 1.2, 1.1, 1.3])
    Z = z.reshape(1, -1)
    ev = np.empty(7, dtype=np.int8)
    pos = np.empty(7, dtype=np.int8)
    gov = np.empty(7, dtype=np.int64)
    args = (np.array([1.0]), np.array([0.0]), np.array([np.inf]), np.array([2**62]))
    # no decision before bar 2 (the crossing at bar 1 is not taken), entry at 3, forced
    # exit at 5 and no new entry after it
    adaptive_decisions(Z, np.zeros(7, dtype=np.int64), *args, 2, 5, ev, pos, gov)
    assert ev.tolist() == [0, 0, 0, 2, 0, 3, 0]
    assert pos.tolist() == [0, 0, 0, -1, -1, 0, 0]


def test_single_set_equals_backtest_pair(sp500: pd.DataFrame) -> None:
    y, x, labels = _ko_pep(sp500)
    p = StrategyParams(lookback=30, entry_z=1.7, exit_z=0.3, stop_z=3.0, max_holding=40)
    ref = backtest_pair(y, x, params=p, beta=0.9, alpha=0.1, costs=COSTS)
    got = backtest_adaptive(
        y, x, labels, parameter_set=ParameterSet.constant(p), beta=0.9, alpha=0.1, costs=COSTS
    )
    assert_array_equal(got.events, ref.signals.events)
    assert_array_equal(got.equity, ref.equity)
    assert_array_equal(got.weights_y, ref.weights_y)
    assert [t.to_dict() for t in got.trades] == [t.to_dict() for t in ref.trades]
    assert got.metrics.to_dict() == ref.metrics.to_dict()


def test_vectorized_equals_bar_by_bar_on_ko_pep(sp500: pd.DataFrame) -> None:
    y, x, labels = _ko_pep(sp500)
    res = backtest_adaptive(y, x, labels, parameter_set=SETS, beta=0.9, alpha=0.1, costs=COSTS)
    assert len(res.trades) > 40 and len(res.switches) > 20
    live, decisions = AdaptiveLiveStrategy.from_history(
        y, x, labels, parameter_set=SETS, beta=0.9, alpha=0.1
    )
    assert_array_equal([d.code for d in decisions], res.events)
    assert_array_equal([d.position for d in decisions], res.position)
    assert_array_equal([d.governing_set for d in decisions], res.governing_set)
    assert_array_equal([d.active_set for d in decisions], res.active_set)
    assert_allclose([d.zscore for d in decisions], res.zscore, rtol=1e-9, atol=1e-9)
    assert live.switches == res.switches
    assert [d.switch for d in decisions if d.switch is not None] == list(res.switches)
    # every set governed some decisions and the rule deferred some switches
    assert set(np.unique(res.governing_set)) == {0, 1, 2}
    reasons = {s.reason for s in res.switches}
    assert {"regime_change", "regime_change_deferred"} <= reasons


def test_live_state_round_trip_resumes_identically(sp500: pd.DataFrame) -> None:
    y, x, labels = _ko_pep(sp500, 1500)
    res = backtest_adaptive(y, x, labels, parameter_set=SETS, beta=0.9, alpha=0.1)
    live, _ = AdaptiveLiveStrategy.from_history(
        y[:900], x[:900], labels[:900], parameter_set=SETS, beta=0.9, alpha=0.1
    )
    saved = json.loads(json.dumps(live.state.to_dict()))
    resumed = AdaptiveLiveStrategy(SETS, beta=0.9, alpha=0.1, state=AdaptiveState.from_dict(saved))
    codes = [resumed.step(y[t], x[t], int(labels[t])).code for t in range(900, 1500)]
    assert_array_equal(codes, res.events[900:])


def test_dynamic_hedge_vectorized_equals_bar_by_bar(sp500: pd.DataFrame) -> None:
    y, x, labels = _ko_pep(sp500, 1500)
    ly, lx = pd.Series(np.log(y)), pd.Series(np.log(x))
    beta = (ly.rolling(120).cov(lx) / lx.rolling(120).var()).to_numpy()
    alpha = (ly.rolling(120).mean() - beta * lx.rolling(120).mean()).to_numpy()
    dyn = ParameterSet(
        regimes=tuple(
            (k, StrategyParams(**{**p.to_dict(), "hedge": "dynamic"})) for k, p in SETS.regimes
        ),
        fallback=StrategyParams(**{**SETS.fallback.to_dict(), "hedge": "dynamic"}),
    )
    res = backtest_adaptive(y, x, labels, parameter_set=dyn, beta=beta, alpha=alpha)
    _, decisions = AdaptiveLiveStrategy.from_history(
        y, x, labels, parameter_set=dyn, beta=beta, alpha=alpha
    )
    assert res.metrics.n_trades > 10
    assert_array_equal([d.code for d in decisions], res.events)


def test_switch_records(sp500: pd.DataFrame) -> None:
    y, x, labels = _ko_pep(sp500)
    res = backtest_adaptive(y, x, labels, parameter_set=SETS, beta=0.9, alpha=0.1)
    bars = [s.bar for s in res.switches]
    assert bars == (np.flatnonzero(np.diff(labels)) + 1).tolist()
    for s in res.switches:
        assert (s.from_label, s.to_label) == (labels[s.bar - 1], labels[s.bar])
        assert s.from_params == SETS.params_for(s.from_label)
        assert s.to_params == SETS.params_for(s.to_label)
        assert s.open_position == res.position[s.bar - 1]
        expected = (
            "regime_change_same_params"
            if s.from_params == s.to_params
            else "regime_change_deferred"
            if s.open_position
            else "regime_change"
        )
        assert s.reason == expected
    json.dumps(res.to_dict(), allow_nan=False)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_no_lookahead_by_perturbation(sp500: pd.DataFrame, seed: int) -> None:
    """Prices after t change nothing at or before t: decisions, weights, labels, switches."""
    y0, x0, _ = _ko_pep(sp500, 2000)
    rng = np.random.default_rng(seed)

    def run(y, x):  # type: ignore[no-untyped-def]
        n = 250  # formation hedge from the first bars, regimes causal
        A = np.column_stack([np.log(x[:n]), np.ones(n)])
        b, a = np.linalg.lstsq(A, np.log(y[:n]), rcond=None)[0]
        return backtest_adaptive(
            y, x, _labels(y, x), parameter_set=SETS, beta=b, alpha=a, costs=COSTS
        )

    base = run(y0, x0)
    for _ in range(4):
        t = int(rng.integers(300, y0.size - 2))
        y, x = y0.copy(), x0.copy()
        y[t + 1 :] *= np.exp(rng.normal(0, 0.05, y.size - t - 1))
        x[t + 1 :] *= np.exp(rng.normal(0, 0.05, x.size - t - 1))
        got = run(y, x)
        s = slice(0, t + 1)
        for name in ("events", "position", "held", "labels", "active_set", "governing_set"):
            assert_array_equal(getattr(got, name)[s], getattr(base, name)[s], err_msg=name)
        for name in ("weights_y", "weights_x", "equity", "zscore"):
            assert_array_equal(getattr(got, name)[s], getattr(base, name)[s], err_msg=name)
        assert [w for w in got.switches if w.bar <= t] == [w for w in base.switches if w.bar <= t]
        assert not np.array_equal(got.zscore[t + 1 :], base.zscore[t + 1 :])  # the change is real


def test_fit_per_regime_against_brute_force(sp500: pd.DataFrame) -> None:
    y, x, labels = _ko_pep(sp500, 2000)
    grid = ParamGrid(lookback=(20, 40), entry_z=(1.5, 2.0), exit_z=(0.0, 0.5), stop_z=(None,))
    cands = grid.candidates()
    pset = fit_parameter_set(
        y, x, labels, beta=0.9, alpha=0.1, grid=grid, min_trades=3, min_regime_bars=100, costs=COSTS
    )
    runs = [backtest_pair(y, x, params=c, beta=0.9, alpha=0.1, costs=COSTS) for c in cands]

    def best(bar_mask):  # type: ignore[no-untyped-def]
        scores, trades = [], []
        for r in runs:
            ret_mask = np.r_[False, bar_mask[:-1]]
            R = r.returns[ret_mask]
            sd = R.std(ddof=1)
            scores.append(R.mean() / sd * math.sqrt(252) if sd > 0 else math.nan)
            ev = r.signals.events
            entries = ((ev == 1) | (ev == 2)) & bar_mask
            entries[y.size - 1 :] = False  # an entry at the last bar never executes
            trades.append(int(entries.sum()))
        ok = [g for g in range(len(cands)) if trades[g] >= 3 and math.isfinite(scores[g])]
        return cands[max(ok, key=lambda g: (scores[g], trades[g], -g))]

    assert pset.fallback == best(np.ones(y.size, dtype=bool))
    fitted = [f for f in pset.fits if f.reason == "fitted"]
    assert {f.label for f in fitted} == {0, 1}
    for f in fitted:
        assert pset.params_for(f.label) == best(labels == f.label)
        assert f.n_bars == int((labels == f.label).sum())
    # too few bars: every regime falls back
    few = fit_parameter_set(y, x, labels, beta=0.9, alpha=0.1, grid=grid, min_regime_bars=10_000)
    assert few.regimes == () and all(
        f.reason == "too_few_bars" and f.used_fallback for f in few.fits
    )
    # too few trades in every regime and overall: an error unless a fallback is given
    fb = StrategyParams()
    none = fit_parameter_set(
        y, x, labels, beta=0.9, alpha=0.1, grid=grid, min_trades=10_000, fallback=fb
    )
    assert none.fallback == fb and all(f.reason == "no_eligible_candidate" for f in none.fits)
    with pytest.raises(ValueError, match="eligible"):
        fit_parameter_set(y, x, labels, beta=0.9, alpha=0.1, grid=grid, min_trades=10_000)


def test_parameter_set_json_and_validation() -> None:
    d = json.loads(json.dumps(SETS.to_dict()))
    assert set(d["by_regime"]) == {"0", "1"}
    assert ParameterSet.from_dict(d) == SETS
    assert SETS.params_for(-1) == SETS.fallback == SETS.params_for(7)
    assert SETS.set_indices([-1, 0, 1, 5]).tolist() == [0, 1, 2, 0]
    with pytest.raises(ValueError, match="execution_lag"):
        ParameterSet(regimes=((0, StrategyParams(execution_lag=2)),), fallback=StrategyParams())
    with pytest.raises(ValueError, match="labels"):
        backtest_adaptive(
            np.ones(5) * 2, np.ones(5) * 3, [0, 1, 2, -2, 0], parameter_set=SETS, beta=1.0
        )


def test_switch_timestamps_agree_with_a_utc_index(sp500: pd.DataFrame) -> None:
    idx = sp500.index[1000:2500].tz_localize("UTC")
    y = pd.Series(sp500["KO"].to_numpy()[1000:2500], index=idx)
    x = pd.Series(sp500["PEP"].to_numpy()[1000:2500], index=idx)
    labels = _labels(y.to_numpy(), x.to_numpy())
    res = backtest_adaptive(y, x, labels, parameter_set=SETS, beta=0.9)
    live, _ = AdaptiveLiveStrategy.from_history(y, x, labels, parameter_set=SETS, beta=0.9)
    assert res.switches and live.switches == res.switches
    s = res.switches[0]
    assert s.ts == idx[s.bar].strftime("%Y-%m-%dT%H:%M:%SZ")
