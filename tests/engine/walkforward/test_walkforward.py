"""Walk-forward: train-only estimation (against statsmodels and numpy), test trading
against backtest_pair, stitching, statistics, the parallel path, cancellation and no
lookahead by perturbation."""

from __future__ import annotations

import dataclasses
import json
import math

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from statsmodels.tsa.stattools import coint

from engine.backtest import Costs, backtest_pair
from engine.compute import ComputeCancelled
from engine.params import ParamGrid
from engine.stats.overfit import deflated_sharpe_ratio
from engine.walkforward import (
    WalkForwardConfig,
    WalkForwardResult,
    assemble_walk_forward,
    run_fold,
    walk_forward,
)

SYMBOLS = ["KO", "PEP", "XOM", "CVX", "JNJ", "PFE", "MRK", "PG", "WMT", "HD"]
GRID = ParamGrid(lookback=(20, 40), entry_z=(1.5, 2.0), exit_z=(0.0, 0.5), stop_z=(None, 3.5))
CONFIG = WalkForwardConfig(
    train_bars=504,
    test_bars=250,
    embargo=5,
    top_k=3,
    significance_level=0.10,
    grid=GRID,
    min_trades=3,
    costs=Costs(cost_bps=2.0),
    pbo_splits=8,
)


@pytest.fixture(scope="module")
def prices(sp500: pd.DataFrame) -> pd.DataFrame:
    return sp500[SYMBOLS].iloc[2000:4300]


@pytest.fixture(scope="module")
def wf(prices: pd.DataFrame) -> WalkForwardResult:
    return walk_forward(prices, config=CONFIG)


@pytest.fixture(scope="module")
def wf_adaptive(prices: pd.DataFrame) -> WalkForwardResult:
    cfg = dataclasses.replace(
        CONFIG, adaptive=True, regime_options={"min_history": 126}, min_regime_bars=60
    )
    return walk_forward(prices, config=cfg)


def test_fold_layout_and_stitching(wf: WalkForwardResult, prices: pd.DataFrame) -> None:
    T = len(prices)
    starts = [f.fold.test_start for f in wf.folds]
    assert starts == list(range(509, T, 250))  # 504 train + 5 embargo, then every 250
    for f in wf.folds:
        assert f.fold.train_end == f.fold.test_start - 5
        assert f.fold.train_bars == 504
    assert_array_equal(wf.bars, np.arange(509, T))
    assert_array_equal(wf.returns, np.concatenate([f.oos_returns for f in wf.folds]))
    # the stitched equity is each fold's own equity chained onto the previous fold's end
    off, prev = 0, CONFIG.capital
    for f in wf.folds:
        m = f.fold.test_bars
        assert_allclose(wf.equity[off : off + m], prev * f.oos_equity, rtol=1e-12)
        prev = wf.equity[off + m - 1]
        off += m
    assert_allclose(
        wf.equity[-1], CONFIG.capital * np.prod([f.oos_equity[-1] for f in wf.folds]), rtol=1e-12
    )
    assert wf.index is not None and wf.index[0] == np.datetime64(prices.index[509].to_datetime64())


def test_selection_and_hedge_use_train_only(wf: WalkForwardResult, prices: pd.DataFrame) -> None:
    logp = np.log(prices)
    checked = 0
    for f in wf.folds:
        train = logp.iloc[f.fold.train_start : f.fold.train_end]
        assert f.pairs and len(f.pairs) <= 3
        assert [p.pvalue for p in f.pairs] == sorted(p.pvalue for p in f.pairs)
        symbols = [s for p in f.pairs for s in (p.symbol_y, p.symbol_x)]
        assert len(set(symbols)) == len(symbols)  # unique_symbols
        for p in f.pairs:
            ly, lx = train[p.symbol_y].to_numpy(), train[p.symbol_x].to_numpy()
            _, pval, _ = coint(ly, lx, trend="c", autolag="aic")
            assert_allclose(p.pvalue, pval, rtol=1e-6)
            assert p.pvalue < 0.10
            A = np.column_stack([lx, np.ones_like(lx)])
            beta, alpha = np.linalg.lstsq(A, ly, rcond=None)[0]
            assert_allclose([p.beta, p.alpha], [beta, alpha], rtol=1e-8)
            checked += 1
    assert checked >= 8


def test_test_trading_equals_backtest_pair(wf: WalkForwardResult, prices: pd.DataFrame) -> None:
    """Each slot's decisions equal backtest_pair on [test_start - lookback, test_end) with the
    fold's hedge and parameters, up to the forced exit at the planned fold end."""
    compared = 0
    for f in wf.folds:
        assert f.parameter_set is not None and f.parameter_set.regimes == ()
        params = f.parameter_set.fallback
        assert f.optimization is not None and params == f.optimization.best
        L, lag = params.lookback, params.execution_lag
        a = f.fold.test_start - L
        for j, p in enumerate(f.pairs):
            y = prices[p.symbol_y].to_numpy()[a : f.fold.test_end]
            x = prices[p.symbol_x].to_numpy()[a : f.fold.test_end]
            ref = backtest_pair(y, x, params=params, beta=p.beta, alpha=p.alpha, costs=CONFIG.costs)
            cut = f.fold.planned_end - 1 - lag - f.fold.test_start  # forced-exit decision bar
            assert_array_equal(f.position[j][:cut], ref.signals.position[L:][:cut])
            assert_array_equal(f.events[j][:cut], ref.signals.events[L:][:cut])
            assert_allclose(
                f.weights_y[j][:cut] * len(f.pairs), ref.weights_y[L:][:cut], rtol=1e-12
            )
            if f.fold.complete:
                assert f.position[j][cut:].tolist() == [0] * (f.fold.test_bars - cut)
            compared += 1
    assert compared >= 8


def test_statistics(wf: WalkForwardResult) -> None:
    ok = [f for f in wf.folds if f.status == "ok"]
    is_sr = np.array([f.is_metrics.sharpe for f in ok if f.is_metrics is not None])
    assert_allclose(wf.is_sharpe_mean, is_sr.mean(), rtol=1e-12)
    assert_allclose(wf.wfe, wf.oos_metrics.sharpe / is_sr.mean(), rtol=1e-12)
    R = wf.returns[1:]
    assert_allclose(wf.oos_metrics.sharpe, R.mean() / R.std(ddof=1) * math.sqrt(252), rtol=1e-9)
    assert wf.oos_metrics.n_trades == sum(f.n_trades for f in wf.folds) > 0
    G = len(GRID.candidates())
    grid_R = np.concatenate([f.grid_returns for f in wf.folds], axis=1)[:, 1:]
    trial = grid_R.mean(axis=1) / grid_R.std(axis=1, ddof=1)
    ref = deflated_sharpe_ratio(R, trial[np.isfinite(trial)], n_trials=G)
    assert wf.n_trials == G
    assert_allclose(wf.deflated_sharpe, ref.dsr, rtol=1e-9)
    assert 0.0 <= wf.pbo <= 1.0 and wf.pbo_splits == 8
    stab = wf.parameter_stability["fallback"]
    chosen = [f.parameter_set.fallback.lookback for f in ok if f.parameter_set is not None]
    assert stab["lookback"]["values"] == chosen
    assert_allclose(stab["lookback"]["std"], np.std(chosen))
    assert stab["n_folds"] == len(ok) and 0 < stab["modal_share"] <= 1


def test_json(wf: WalkForwardResult, wf_adaptive: WalkForwardResult) -> None:
    for r in (wf, wf_adaptive):
        d = json.loads(json.dumps(r.to_dict(), allow_nan=False))
        assert len(d["folds"]) == len(r.folds) and "grid_returns" not in d["folds"][0]
        assert len(d["returns"]) == len(r.returns)
        assert d["config"]["grid"]["lookback"] == [20, 40]
        assert WalkForwardConfig.from_dict(d["config"]) == r.config
        json.dumps(r.headline(), allow_nan=False)
        assert "WalkForwardResult" in r.summary()


def test_adaptive_records_regimes_and_switches(wf_adaptive: WalkForwardResult) -> None:
    assert (wf_adaptive.labels >= 0).any()
    n_regime_sets = sum(len(f.parameter_set.regimes) for f in wf_adaptive.folds if f.parameter_set)
    assert n_regime_sets > 0
    for f in wf_adaptive.folds:
        lab = f.labels
        for sw in f.switches:
            bars = [s.bar for s in sw]
            assert bars == (np.flatnonzero(np.diff(lab)) + 1 + f.fold.test_start).tolist()
            assert all(s.ts is not None for s in sw)


def test_parallel_path_equals_walk_forward(wf: WalkForwardResult, prices: pd.DataFrame) -> None:
    folds = CONFIG.folds(len(prices))
    parts = [run_fold(prices, f, config=CONFIG) for f in reversed(folds)]
    got = assemble_walk_forward(prices, parts, config=CONFIG)
    assert got.to_dict() == wf.to_dict()


def test_progress_and_cancel(prices: pd.DataFrame) -> None:
    calls: list[float] = []
    with pytest.raises(ComputeCancelled) as exc:
        walk_forward(
            prices,
            config=CONFIG,
            progress=lambda f, m: calls.append(f),
            should_stop=lambda: len(calls) >= 2,
        )
    assert exc.value.done == 2 and exc.value.total == 8
    assert calls == [0.0, 1 / 8]


def test_no_lookahead_by_perturbation(
    prices: pd.DataFrame, wf: WalkForwardResult, wf_adaptive: WalkForwardResult
) -> None:
    """Changing every price after t leaves each decision, weight, label, selected pair,
    parameter set and switch at or before t unchanged (random t, both modes)."""
    rng = np.random.default_rng(11)
    cfg_ad = wf_adaptive.config
    for base, cfg in ((wf, CONFIG), (wf_adaptive, cfg_ad)):
        for _ in range(2):
            t = int(rng.integers(520, len(prices) - 2))
            pert = prices.copy()
            noise = np.exp(rng.normal(0, 0.04, (len(prices) - t - 1, len(SYMBOLS))))
            pert.iloc[t + 1 :] = pert.iloc[t + 1 :].to_numpy() * noise
            got = walk_forward(pert, config=cfg)
            s = base.bars <= t
            for name in ("events", "position", "weights_y", "weights_x", "zscore"):
                assert_array_equal(
                    getattr(got, name)[:, s], getattr(base, name)[:, s], err_msg=name
                )
            assert_array_equal(got.labels[s], base.labels[s])
            assert_array_equal(got.returns[s], base.returns[s])
            for fb, fg in zip(base.folds, got.folds, strict=True):
                if fb.fold.test_start <= t:
                    assert fg.pairs == fb.pairs and fg.parameter_set == fb.parameter_set
                    assert [[w for w in sw if w.bar <= t] for sw in fg.switches] == [
                        [w for w in sw if w.bar <= t] for sw in fb.switches
                    ]
            assert not np.array_equal(got.returns[~s], base.returns[~s])


@pytest.mark.parametrize(
    ("change", "status"),
    [({"significance_level": 1e-12}, "no_pairs"), ({"min_trades": 10**6}, "no_eligible_params")],
)
def test_degenerate_folds_stay_flat(prices: pd.DataFrame, change: dict, status: str) -> None:
    res = walk_forward(prices.iloc[:1300], config=dataclasses.replace(CONFIG, **change))
    assert {f.status for f in res.folds} == {status}
    assert (res.returns == 0).all() and (res.position == 0).all() and res.oos_metrics.n_trades == 0
    assert math.isnan(res.wfe) and res.parameter_stability == ({} if status else None)
    json.dumps(res.to_dict(), allow_nan=False)


def plain_trade_stats(f, prices: pd.DataFrame, costs: Costs):  # type: ignore[no-untyped-def]
    """Turnover, exposure, costs, closed trades and wins of a fold's test window, recomputed
    in a plain loop from its slot weights and prices (each pair holds 1/P of the equity)."""
    P = len(f.pairs)
    k = (costs.cost_bps + costs.slippage_bps) / 1e4
    b = costs.borrow_rate / costs.days_per_year
    s0, s1 = f.fold.test_start, f.fold.test_end
    traded = exposed = closed = wins = 0.0
    bar_cost = np.zeros(s1 - s0)
    for j, p in enumerate(f.pairs):
        y = prices[p.symbol_y].to_numpy()
        x = prices[p.symbol_x].to_numpy()
        wy, wx = f.weights_y[j] * P, f.weights_x[j] * P  # the pair's own weights
        e, e_entry, py, px = 1.0, 1.0, 0.0, 0.0  # flat before the window
        for i, t in enumerate(range(s0, s1)):
            gross = py * (y[t] / y[t - 1] - 1) + px * (x[t] / x[t - 1] - 1) if i else 0.0
            c = k * (abs(wy[i] - py) + abs(wx[i] - px)) + b * (max(-py, 0) + max(-px, 0))
            bar_cost[i] += c / P
            traded += (abs(wy[i] - py) + abs(wx[i] - px)) / P
            exposed += (i > 0 and (py != 0 or px != 0)) / P
            e_new = e * (1 + gross - c)
            side, side_prev = np.sign(wy[i]), np.sign(py)
            if side != side_prev:
                if side_prev != 0:
                    closed += 1
                    wins += e_new > e_entry
                if side != 0:
                    e_entry = e
            e, py, px = e_new, wy[i], wx[i]
    return traded, exposed, closed, wins, bar_cost


def test_trade_metrics_come_from_the_backtest_accounting(
    wf: WalkForwardResult, prices: pd.DataFrame
) -> None:
    """Hit rate, turnover, exposure, closed trades and costs of every fold and of the stitched
    path equal a plain loop over the slot weights (they were NaN / 0 before)."""
    q = CONFIG.periods_per_year
    tot = np.zeros(4)
    costs_all = []
    for f in wf.folds:
        traded, exposed, closed, wins, bar_cost = plain_trade_stats(f, prices, CONFIG.costs)
        m = f.oos_metrics
        n = f.fold.test_bars - 1
        assert m.n_closed_trades == closed and closed > 0
        assert m.hit_rate == pytest.approx(wins / closed, abs=1e-12)
        assert m.turnover == pytest.approx(traded / (n / q), rel=1e-9)
        assert m.exposure == pytest.approx(exposed / n, rel=1e-9)
        E = CONFIG.capital * np.concatenate([[1.0], np.cumprod(1 + f.oos_returns)[:-1]])
        assert m.total_costs == pytest.approx(float((E * bar_cost).sum()), rel=1e-9)
        assert f.is_metrics.n_closed_trades > 0 and np.isfinite(f.is_metrics.turnover)
        tot += (traded, exposed, closed, wins)
        costs_all.append(bar_cost)
    m = wf.oos_metrics
    n = len(wf.returns) - 1
    assert m.n_closed_trades == tot[2] and m.hit_rate == pytest.approx(tot[3] / tot[2])
    assert m.turnover == pytest.approx(tot[0] / (n / q), rel=1e-9)
    E = CONFIG.capital * np.concatenate([[1.0], np.cumprod(1 + wf.returns)[:-1]])
    assert m.total_costs == pytest.approx(float((E * np.concatenate(costs_all)).sum()), rel=1e-9)
