"""Grid optimizer: against a brute-force loop of backtest_pair, a derivable synthetic best,
the minimum-trade rule, deterministic ties, DSR and PBO from the stats functions."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from engine.backtest import Costs, backtest_pair, return_metrics
from engine.compute import ComputeCancelled
from engine.params import ParamGrid, optimize_params
from engine.stats.overfit import deflated_sharpe_ratio, probability_of_backtest_overfitting
from engine.strategy import StrategyParams

GRID = ParamGrid(
    lookback=(20, 40),
    entry_z=(1.5, 2.0, 2.5),
    exit_z=(0.0, 0.5),
    stop_z=(None, 3.0),
    max_holding=(None, 30),
)
COSTS = Costs(cost_bps=2.0, slippage_bps=1.0)


def _pair(sp500: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, float, float]:
    y = sp500["KO"].to_numpy()[3000:4200]
    x = sp500["PEP"].to_numpy()[3000:4200]
    A = np.column_stack([np.log(x[:250]), np.ones(250)])
    beta, alpha = np.linalg.lstsq(A, np.log(y[:250]), rcond=None)[0]
    return y, x, float(beta), float(alpha)


def _brute_force(y, x, beta, alpha, cands):  # type: ignore[no-untyped-def]
    """One backtest_pair per candidate (the reference the batched grid must reproduce)."""
    return [backtest_pair(y, x, params=c, beta=beta, alpha=alpha, costs=COSTS) for c in cands]


def _select(scores: list[float], trades: list[int], min_trades: int) -> int:
    """Reference selection: max score among eligible, ties -> more trades -> lower index."""
    best = -1
    for g, (s, n) in enumerate(zip(scores, trades, strict=True)):
        if n < min_trades or not math.isfinite(s):
            continue
        if best < 0 or (s, n) > (scores[best], trades[best]):
            best = g
    return best


def test_grid_order_and_invalid_combinations() -> None:
    g = ParamGrid(lookback=(10,), entry_z=(1.0, 2.0), exit_z=(0.5, 1.5), stop_z=(None, 1.8))
    got = [(c.entry_z, c.exit_z, c.stop_z) for c in g.candidates()]
    # (1.0, 1.5, *) invalid (exit >= entry); stop 1.8 <= entry 2.0 invalid
    assert got == [(1.0, 0.5, None), (1.0, 0.5, 1.8), (2.0, 0.5, None), (2.0, 1.5, None)]
    assert ParamGrid.from_dict(json.loads(json.dumps(g.to_dict()))) == g
    with pytest.raises(ValueError, match="duplicate"):
        ParamGrid(lookback=(10, 10))


@pytest.mark.parametrize("objective", ["sharpe", "sortino", "calmar"])
def test_best_equals_brute_force_loop(sp500: pd.DataFrame, objective: str) -> None:
    y, x, beta, alpha = _pair(sp500)
    cands = GRID.candidates()
    runs = _brute_force(y, x, beta, alpha, cands)
    scores = [getattr(r.metrics, objective) for r in runs]
    trades = [r.metrics.n_trades for r in runs]
    min_trades = int(np.median(trades))
    res = optimize_params(
        y,
        x,
        beta=beta,
        alpha=alpha,
        grid=GRID,
        objective=objective,
        min_trades=min_trades,
        costs=COSTS,
        pbo_splits=8,
    )
    expected = _select(scores, trades, min_trades)
    assert expected >= 0
    assert res.best_index == expected
    assert res.best == cands[expected]
    assert res.n_trials == len(cands) == 48
    # every candidate's metrics equal the single-pair backtest's (kernel vs numpy: rounding)
    for name in ("sharpe", "sortino", "calmar", "annual_return", "max_drawdown"):
        ref = np.array([getattr(r.metrics, name) for r in runs])
        assert_allclose(res.table[name], ref, rtol=1e-9, atol=1e-12, err_msg=name)
    assert res.table["n_trades"].tolist() == trades
    assert res.n_eligible == sum(t >= min_trades for t in trades)
    assert_allclose(res.score, scores[expected], rtol=1e-9)


def test_dsr_and_pbo_from_the_stats_functions(sp500: pd.DataFrame) -> None:
    y, x, beta, alpha = _pair(sp500)
    cands = GRID.candidates()
    runs = _brute_force(y, x, beta, alpha, cands)
    res = optimize_params(
        y, x, beta=beta, alpha=alpha, grid=GRID, min_trades=1, costs=COSTS, pbo_splits=8
    )
    matrix = np.column_stack([r.returns[1:] for r in runs])
    trial = np.array([r.metrics.sharpe for r in runs]) / math.sqrt(252)
    dsr = deflated_sharpe_ratio(
        matrix[:, res.best_index], trial[np.isfinite(trial)], n_trials=len(cands)
    )
    assert_allclose(res.deflated_sharpe, dsr.dsr, rtol=1e-9)
    assert_allclose(res.best_returns, matrix[:, res.best_index], rtol=0, atol=1e-15)
    pbo = probability_of_backtest_overfitting(matrix, n_splits=8)
    assert res.pbo_splits == 8
    assert_allclose(res.pbo, pbo.pbo, rtol=1e-12)


def _sine_pair(period: int, n: int, seed: int = 7) -> tuple[np.ndarray, np.ndarray]:
    """x a random walk; log y = 0.5 log x + 0.02 sin(2 pi t / period): a known spread."""
    rng = np.random.default_rng(seed)
    x = 50.0 * np.exp(np.cumsum(rng.normal(0, 0.01, n)))
    t = np.arange(n)
    y = np.exp(0.5 * np.log(x) + 0.02 * np.sin(2 * np.pi * t / period))
    return y, x


def test_synthetic_sine_spread_has_a_derivable_best() -> None:
    # Over a full period the z-score of a sine is sin / sd(sin) <= sqrt(2) * sqrt((L-1)/L)
    # < 1.5: only entry_z = 1.2 can ever trade, so it is the only eligible candidate and
    # (the spread being a pure sine, hedged exactly) it is profitable.
    period = 40
    y, x = _sine_pair(period, 1200)
    grid = ParamGrid(lookback=(period,), entry_z=(2.0, 1.5, 1.2), exit_z=(0.0,), stop_z=(None,))
    res = optimize_params(y, x, beta=0.5, alpha=0.0, grid=grid, min_trades=3, pbo_splits=4)
    assert res.best == StrategyParams(lookback=period, entry_z=1.2, exit_z=0.0)
    assert res.n_eligible == 1
    assert res.table["n_trades"].tolist()[:2] == [0, 0]
    assert res.score > 3.0  # a pure sine: every trade wins
    brute = backtest_pair(y, x, params=res.best, beta=0.5, alpha=0.0)
    assert_allclose(res.score, brute.metrics.sharpe, rtol=1e-9)
    assert brute.metrics.hit_rate == 1.0


def test_exact_ties_go_to_more_trades_then_grid_order() -> None:
    # |z| never reaches 3.0 on the sine, so stop_z=None and stop_z=3.0 give identical paths
    y, x = _sine_pair(40, 1200)
    for order, winner in (((None, 3.0), None), ((3.0, None), 3.0)):
        grid = ParamGrid(lookback=(40,), entry_z=(1.2,), exit_z=(0.0,), stop_z=order)
        res = optimize_params(y, x, beta=0.5, grid=grid, min_trades=1, pbo_splits=4)
        assert res.table["score"][0] == res.table["score"][1]
        assert res.best is not None and res.best.stop_z == winner
        assert res.table["rank"].tolist() == [1, 2]


def test_min_trade_count_rule(sp500: pd.DataFrame) -> None:
    y, x, beta, alpha = _pair(sp500)
    free = optimize_params(
        y, x, beta=beta, alpha=alpha, grid=GRID, min_trades=0, costs=COSTS, pbo_splits=4
    )
    n_best = int(free.table["n_trades"][free.best_index])
    strict = optimize_params(
        y, x, beta=beta, alpha=alpha, grid=GRID, min_trades=n_best + 1, costs=COSTS, pbo_splits=4
    )
    assert strict.best_index != free.best_index
    assert strict.table["n_trades"][strict.best_index] >= n_best + 1
    assert not strict.table["eligible"][free.best_index]
    # the strict best is the best-scoring among candidates with enough trades
    ok = strict.table["n_trades"] >= n_best + 1
    assert strict.score == np.nanmax(np.where(ok, free.table["score"], -np.inf))
    none = optimize_params(
        y, x, beta=beta, alpha=alpha, grid=GRID, min_trades=10_000, costs=COSTS, pbo_splits=4
    )
    assert none.best is None and none.best_index == -1 and none.n_eligible == 0
    assert math.isnan(none.score) and (none.table["rank"] == 0).all()
    json.dumps(none.to_dict(), allow_nan=False)


def test_score_window_and_portfolio_of_pairs(sp500: pd.DataFrame) -> None:
    y1, x1, b1, a1 = _pair(sp500)
    y2 = sp500["XOM"].to_numpy()[3000:4200]
    x2 = sp500["CVX"].to_numpy()[3000:4200]
    b2, a2 = 1.0, 0.0
    cands = GRID.candidates()[:6]
    s = 100
    res = optimize_params(
        np.stack([y1, y2]),
        np.stack([x1, x2]),
        beta=[b1, b2],
        alpha=[a1, a2],
        grid=cands,
        min_trades=0,
        score_start=s,
        costs=COSTS,
        pbo_splits=4,
    )
    assert res.n_pairs == 2 and res.n_obs == y1.size - s - 1
    for g, c in enumerate(cands):
        r1 = backtest_pair(y1, x1, params=c, beta=b1, alpha=a1, costs=COSTS).returns
        r2 = backtest_pair(y2, x2, params=c, beta=b2, alpha=a2, costs=COSTS).returns
        port = (r1 + r2) / 2
        ref = return_metrics(port[s:], capital=1.0)  # its first value is not counted
        assert_allclose(res.table["sharpe"][g], ref.sharpe, rtol=1e-9)
        assert_allclose(res.table["max_drawdown"][g], ref.max_drawdown, rtol=1e-9, atol=1e-15)


def test_progress_cancel_and_json(sp500: pd.DataFrame) -> None:
    y, x, beta, alpha = _pair(sp500)
    calls: list[tuple[float, str]] = []
    res = optimize_params(
        y,
        x,
        beta=beta,
        alpha=alpha,
        grid=GRID,
        pbo_splits=4,
        progress=lambda f, m: calls.append((f, m)),
        should_stop=lambda: False,
    )
    assert [c[0] for c in calls] == [0.0, 1.0]
    d = json.loads(json.dumps(res.to_dict(), allow_nan=False))
    assert d["best"] == res.best.to_dict() if res.best else d["best"] is None
    assert len(d["table"]["score"]) == 48 and "OptimizationResult" in res.summary()
    with pytest.raises(ComputeCancelled):
        optimize_params(y, x, beta=beta, alpha=alpha, grid=GRID, should_stop=lambda: True)
    with pytest.raises(ValueError, match="objective"):
        optimize_params(y, x, beta=beta, objective="omega")  # type: ignore[arg-type]


def test_best_metrics_have_the_backtests_trade_fields(sp500) -> None:  # type: ignore[no-untyped-def]
    """hit_rate, turnover, exposure, closed trades and costs of the best candidate are those of
    its own backtest (they were NaN and 0 beside n_trades)."""
    y, x = sp500["KO"].to_numpy()[:1500], sp500["PEP"].to_numpy()[:1500]
    costs = Costs(cost_bps=3.0, slippage_bps=1.0, borrow_rate=0.02)
    grid = ParamGrid(lookback=(20, 40), entry_z=(1.5, 2.0), exit_z=(0.0, 0.5))
    res = optimize_params(y, x, beta=0.9, alpha=0.1, grid=grid, costs=costs, min_trades=3)
    assert res.best is not None and res.best_metrics is not None
    ref = backtest_pair(y, x, params=res.best, beta=0.9, alpha=0.1, costs=costs, capital=1.0)
    m, r = res.best_metrics, ref.metrics
    assert m.n_trades == r.n_trades and m.n_closed_trades == r.n_closed_trades > 0
    closed = [t for t in ref.trades if t.reason != "open"]
    assert (
        m.hit_rate == r.hit_rate == pytest.approx(sum(t.net_pnl > 0 for t in closed) / len(closed))
    )
    for k in ("turnover", "exposure", "total_costs", "final_equity", "sharpe"):
        assert getattr(m, k) == pytest.approx(getattr(r, k), rel=1e-9), k
