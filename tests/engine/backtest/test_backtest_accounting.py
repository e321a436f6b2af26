"""Equity, weights, costs and trades recomputed independently in plain numpy/Python."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from engine.backtest import Costs, backtest_pair, backtest_pairs, backtest_universe
from engine.strategy import StrategyParams

PARAMS = StrategyParams(lookback=40, entry_z=2.0, exit_z=0.5, stop_z=3.5, max_holding=60)
COSTS = Costs(cost_bps=5.0, slippage_bps=3.0, borrow_rate=0.03, days_per_year=252)
CAPITAL = 250_000.0


@pytest.fixture(scope="module")
def kopep(sp500: pd.DataFrame, ols_hedge):  # type: ignore[no-untyped-def]
    y, x = sp500["KO"].iloc[500:], sp500["PEP"].iloc[500:]
    beta, alpha = ols_hedge(sp500["KO"].to_numpy()[:500], sp500["PEP"].to_numpy()[:500])
    return y, x, beta, alpha


def reference_equity(y, x, wy, wx, capital, k, b):  # type: ignore[no-untyped-def]
    """Plain loop of the design's accounting (written here, not imported)."""
    E = [capital]
    cost = [0.0]
    for t in range(1, len(y)):
        ry = y[t] / y[t - 1] - 1.0
        rx = x[t] / x[t - 1] - 1.0
        gross = wy[t - 1] * ry + wx[t - 1] * rx
        trade = k * (abs(wy[t] - wy[t - 1]) + abs(wx[t] - wx[t - 1]))
        borrow = b * (max(-wy[t - 1], 0.0) + max(-wx[t - 1], 0.0))
        E.append(E[-1] * (1.0 + gross - trade - borrow))
        cost.append(trade + borrow)
    return np.array(E), np.array(cost)


def test_equity_recomputed_from_weights_prices_and_costs(kopep) -> None:  # type: ignore[no-untyped-def]
    y, x, beta, alpha = kopep
    r = backtest_pair(y, x, params=PARAMS, beta=beta, alpha=alpha, costs=COSTS, capital=CAPITAL)
    assert r.equity[0] == CAPITAL and r.weights_y[0] == 0.0
    E, cost = reference_equity(
        y.to_numpy(),
        x.to_numpy(),
        r.weights_y,
        r.weights_x,
        CAPITAL,
        (5.0 + 3.0) / 1e4,
        0.03 / 252,
    )
    np.testing.assert_allclose(r.equity, E, rtol=1e-10, atol=0)
    np.testing.assert_allclose(r.bar_costs, cost, rtol=0, atol=1e-15)
    assert len(r.trades) > 100


def test_weights_follow_held_side_and_beta(kopep) -> None:  # type: ignore[no-untyped-def]
    y, x, beta, alpha = kopep
    r = backtest_pair(y, x, params=PARAMS, beta=beta, alpha=alpha, costs=COSTS)
    pos = r.signals.position.astype(float)
    held = np.concatenate([[0.0], pos[:-1]])  # execution_lag = 1
    np.testing.assert_array_equal(r.signals.held, held)
    np.testing.assert_allclose(r.weights_y, held / (1 + abs(beta)), rtol=0, atol=1e-15)
    np.testing.assert_allclose(r.weights_x, -held * beta / (1 + abs(beta)), rtol=0, atol=1e-15)


@pytest.mark.parametrize("lag", [0, 1, 2])
def test_execution_lag_timing(kopep, lag: int) -> None:  # type: ignore[no-untyped-def]
    y, x, beta, alpha = kopep
    params = StrategyParams(lookback=40, entry_z=2.0, exit_z=0.5, execution_lag=lag)
    r = backtest_pair(y, x, params=params, beta=beta, alpha=alpha)
    t0 = r.trades[0]
    t = t0.entry_signal_bar
    assert r.signals.events[t] in (1, 2)
    assert t0.entry_bar == t + lag
    # nothing held before the execution bar; the first P&L is earned at bar t + lag + 1
    assert np.all(r.weights_y[: t + lag] == 0) and r.weights_y[t + lag] != 0
    assert np.all(r.equity[: t + lag + 1] == r.capital)
    yy, xx = y.to_numpy(), x.to_numpy()
    tau = t + lag + 1
    expect = r.weights_y[tau - 1] * (yy[tau] / yy[tau - 1] - 1) + r.weights_x[tau - 1] * (
        xx[tau] / xx[tau - 1] - 1
    )
    np.testing.assert_allclose(r.returns[tau], expect, rtol=1e-12)
    assert t0.exit_bar == t0.exit_signal_bar + lag


def test_costs_on_both_legs_at_entry_and_exit(kopep) -> None:  # type: ignore[no-untyped-def]
    y, x, beta, alpha = kopep
    costs = Costs(cost_bps=10.0, slippage_bps=4.0)
    r = backtest_pair(y, x, params=PARAMS, beta=beta, alpha=alpha, costs=costs, capital=CAPITAL)
    k = 14.0 / 1e4
    gross_leg_weight = 1.0  # |w_y| + |w_x| = (1 + |beta|) / (1 + |beta|)
    closed = [t for t in r.trades if t.reason != "open"]
    for tr in closed[:50]:
        e, x_ = tr.entry_bar, tr.exit_bar
        assert r.bar_costs[e] == pytest.approx(k * gross_leg_weight, rel=1e-12)
        assert r.bar_costs[x_] == pytest.approx(k * gross_leg_weight, rel=1e-12)
        # currency: each leg pays k * |weight| * equity at entry and at exit
        legs_entry = k * (abs(tr.entry_weight_y) + abs(tr.entry_weight_x)) * r.equity[e - 1]
        legs_exit = k * (abs(tr.entry_weight_y) + abs(tr.entry_weight_x)) * r.equity[x_ - 1]
        assert tr.trading_costs == pytest.approx(legs_entry + legs_exit, rel=1e-12)
        assert tr.borrow_costs == 0.0
        # no cost while simply holding
        assert np.all(r.bar_costs[e + 1 : x_] == 0.0)


def test_zero_cost_run_equals_cost_run_plus_costs(kopep) -> None:  # type: ignore[no-untyped-def]
    y, x, beta, alpha = kopep
    r0 = backtest_pair(y, x, params=PARAMS, beta=beta, alpha=alpha, capital=CAPITAL)
    r1 = backtest_pair(y, x, params=PARAMS, beta=beta, alpha=alpha, capital=CAPITAL, costs=COSTS)
    np.testing.assert_array_equal(r0.weights_y, r1.weights_y)
    np.testing.assert_array_equal(r0.weights_x, r1.weights_x)
    assert np.all(r0.bar_costs == 0.0)
    np.testing.assert_allclose(r0.returns, r1.returns + r1.bar_costs, rtol=0, atol=1e-16)
    assert r1.metrics.total_costs > 0 and r0.metrics.total_costs == 0
    for t0, t1 in zip(r0.trades, r1.trades, strict=True):
        assert (t0.entry_bar, t0.exit_bar, t0.side, t0.reason) == (
            t1.entry_bar,
            t1.exit_bar,
            t1.side,
            t1.reason,
        )
        # per trade: gross leg P&L = net P&L + costs
        assert t1.pnl_y + t1.pnl_x == pytest.approx(t1.net_pnl + t1.costs, rel=1e-9)


def test_borrow_on_the_short_leg_only(kopep) -> None:  # type: ignore[no-untyped-def]
    y, x, beta, alpha = kopep
    r = backtest_pair(
        y,
        x,
        params=PARAMS,
        beta=beta,
        alpha=alpha,
        costs=Costs(borrow_rate=0.05, days_per_year=360),
    )
    b = 0.05 / 360
    for tr in r.trades[:30]:
        if tr.reason == "open":
            continue
        inside = slice(tr.entry_bar + 1, tr.exit_bar + 1)
        short_w = abs(tr.entry_weight_x) if tr.side == "long" else abs(tr.entry_weight_y)
        np.testing.assert_allclose(r.bar_costs[inside], b * short_w, rtol=1e-12)


def test_trade_pnl_matches_equity_changes(kopep) -> None:  # type: ignore[no-untyped-def]
    y, x, beta, alpha = kopep
    r = backtest_pair(y, x, params=PARAMS, beta=beta, alpha=alpha, costs=COSTS, capital=CAPITAL)
    for tr in r.trades:
        end = tr.exit_bar if tr.exit_bar is not None else len(r.equity) - 1
        delta = r.equity[end] - r.equity[tr.entry_bar - 1]
        assert tr.net_pnl == pytest.approx(delta, rel=1e-9, abs=1e-6)
        assert tr.holding_bars == end - tr.entry_bar
    reasons = {t.reason for t in r.trades}
    assert {"exit", "stop"} <= reasons
    json.dumps(r.to_dict(), allow_nan=False)  # JSON primitives only
    df = r.trades_frame()
    assert len(df) == len(r.trades) and "net_pnl" in df


def test_volume_cap_scales_both_legs(kopep) -> None:  # type: ignore[no-untyped-def]
    y, x, beta, alpha = kopep
    T = len(y)
    rng = np.random.default_rng(3)
    vy = rng.uniform(50, 150, T)
    vx = rng.uniform(50, 150, T)
    cap, m, win = 1e6, 0.1, 10
    r = backtest_pair(
        y,
        x,
        params=PARAMS,
        beta=beta,
        alpha=alpha,
        capital=cap,
        volume_y=vy,
        volume_x=vx,
        max_participation=m,
        adv_window=win,
    )
    full = backtest_pair(y, x, params=PARAMS, beta=beta, alpha=alpha, capital=cap)
    yy, xx = y.to_numpy(), x.to_numpy()
    tr = r.trades[0]
    tau = tr.entry_bar
    adv_y = vy[max(0, tau - win + 1) : tau + 1].mean()
    adv_x = vx[max(0, tau - win + 1) : tau + 1].mean()
    g = 1 / (1 + abs(beta))
    s = min(
        1.0,
        m * adv_y * yy[tau] / (g * r.equity[tau - 1]),
        m * adv_x * xx[tau] / (abs(beta) * g * r.equity[tau - 1]),
    )
    assert s < 1.0
    np.testing.assert_allclose(r.weights_y[tau], s * full.weights_y[tau], rtol=1e-12)
    np.testing.assert_allclose(r.weights_x[tau], s * full.weights_x[tau], rtol=1e-12)
    # traded value of the binding leg equals the cap
    traded = np.array(
        [
            abs(r.weights_y[tau]) * r.equity[tau - 1] / (adv_y * yy[tau]),
            abs(r.weights_x[tau]) * r.equity[tau - 1] / (adv_x * xx[tau]),
        ]
    )
    assert traded.max() == pytest.approx(m, rel=1e-12)


def test_dynamic_hedge_rebalancing(sp500: pd.DataFrame) -> None:
    y, x = sp500["XOM"].to_numpy()[:3000], sp500["CVX"].to_numpy()[:3000]
    ly, lx = pd.Series(np.log(y)), pd.Series(np.log(x))
    beta = (ly.rolling(250).cov(lx) / lx.rolling(250).var()).to_numpy()
    alpha = (ly.rolling(250).mean() - beta * lx.rolling(250).mean()).to_numpy()
    p = StrategyParams(lookback=30, entry_z=2.0, exit_z=0.5, hedge="dynamic")
    k = 1e-3
    for mode in ("bar", "entry"):
        r = backtest_pair(
            y, x, params=p, beta=beta, alpha=alpha, costs=Costs(cost_bps=10), hedge_rebalance=mode
        )
        held = r.signals.held
        on = np.flatnonzero(held != 0)
        b_used = -r.weights_x[on] / r.weights_y[on]
        if mode == "bar":
            np.testing.assert_allclose(b_used, beta[on - 1], rtol=1e-12)
        else:
            for tr in r.trades:
                end = tr.exit_bar if tr.exit_bar is not None else len(y)
                seg = -r.weights_x[tr.entry_bar : end] / r.weights_y[tr.entry_bar : end]
                np.testing.assert_allclose(seg, beta[tr.entry_signal_bar], rtol=1e-12)
        E, _ = reference_equity(y, x, r.weights_y, r.weights_x, r.capital, k, 0.0)
        np.testing.assert_allclose(r.equity, E, rtol=1e-10)


def test_batch_rows_equal_single_backtests(sp500: pd.DataFrame, ols_hedge) -> None:  # type: ignore[no-untyped-def]
    names = [("KO", "PEP"), ("XOM", "CVX"), ("JPM", "BAC"), ("KO", "PEP")]
    Y = np.stack([sp500[a].to_numpy() for a, _ in names])
    X = np.stack([sp500[b].to_numpy() for _, b in names])
    hedges = [ols_hedge(Y[i, :500], X[i, :500]) for i in range(len(names))]
    plist = [PARAMS, PARAMS, StrategyParams(lookback=20), StrategyParams(lookback=90, entry_z=2.5)]
    kw = {"costs": COSTS, "capital": CAPITAL}
    batch = backtest_pairs(
        Y,
        X,
        params=plist,
        beta=[h[0] for h in hedges],
        alpha=[h[1] for h in hedges],
        return_paths=True,
        return_trades=True,
        **kw,
    )
    for i in range(len(names)):
        one = backtest_pair(
            Y[i], X[i], params=plist[i], beta=hedges[i][0], alpha=hedges[i][1], **kw
        )
        np.testing.assert_array_equal(batch.equity[i], one.equity)
        assert batch.pair_metrics(i) == one.metrics
        mine = batch.trades["pair"] == i
        np.testing.assert_array_equal(
            batch.trades["net_pnl"][mine], [t.net_pnl for t in one.trades]
        )
    lean = backtest_pairs(
        Y, X, params=plist, beta=[h[0] for h in hedges], alpha=[h[1] for h in hedges], **kw
    )
    assert lean.equity is None and lean.trades is None
    for name, col in lean.metrics.items():
        np.testing.assert_array_equal(col, batch.metrics[name])
    assert lean.metrics_frame().shape == (4, len(lean.metrics))
    json.dumps(lean.to_dict(), allow_nan=False)


def test_input_checks_and_no_mutation(kopep) -> None:  # type: ignore[no-untyped-def]
    y, x, beta, alpha = kopep
    ya, xa = y.to_numpy().copy(), x.to_numpy().copy()
    y0, x0 = ya.copy(), xa.copy()
    backtest_pair(ya, xa, params=PARAMS, beta=beta, alpha=alpha, costs=COSTS)
    assert np.array_equal(ya, y0) and np.array_equal(xa, x0)
    bad = ya.copy()
    bad[10] = np.nan
    with pytest.raises(ValueError):
        backtest_pair(bad, xa, params=PARAMS, beta=beta)
    with pytest.raises(ValueError):
        backtest_pair(ya, xa, params=PARAMS, beta=beta, capital=0)
    with pytest.raises(ValueError):
        backtest_pair(ya, xa, params=PARAMS, beta=beta, volume_y=np.ones(len(ya)))
    with pytest.raises(ValueError):
        Costs(cost_bps=-1)


def test_universe_layout_equals_stacked_pairs(sp500: pd.DataFrame) -> None:
    frame = sp500.iloc[1000:3000]
    pairs = [("KO", "PEP"), ("XOM", "CVX"), ("PEP", "KO"), ("JPM", "BAC")]
    rng = np.random.default_rng(5)
    vol = pd.DataFrame(rng.uniform(1e4, 1e5, frame.shape), index=frame.index, columns=frame.columns)
    beta = np.array([0.8, 1.1, 0.9, 0.7])
    kw = {
        "params": PARAMS,
        "beta": beta,
        "alpha": 0.0,
        "costs": COSTS,
        "capital": CAPITAL,
        "max_participation": 0.02,
        "return_paths": True,
        "return_trades": True,
    }
    uni = backtest_universe(frame, pairs, volumes=vol, **kw)
    Y = np.stack([frame[a].to_numpy() for a, _ in pairs])
    X = np.stack([frame[b].to_numpy() for _, b in pairs])
    VY = np.stack([vol[a].to_numpy() for a, _ in pairs])
    VX = np.stack([vol[b].to_numpy() for _, b in pairs])
    stacked = backtest_pairs(Y, X, volume_y=VY, volume_x=VX, index=frame.index, **kw)
    np.testing.assert_array_equal(uni.equity, stacked.equity)
    np.testing.assert_array_equal(uni.events, stacked.events)
    for name in uni.metrics:
        np.testing.assert_array_equal(uni.metrics[name], stacked.metrics[name])
    for name in uni.trades:
        np.testing.assert_array_equal(uni.trades[name], stacked.trades[name])
    assert uni.index is not None and uni.index[0] == np.datetime64(frame.index[0])
    with pytest.raises(ValueError):
        backtest_universe(frame.to_numpy().T, [[0, 0]], params=PARAMS, beta=1.0)
