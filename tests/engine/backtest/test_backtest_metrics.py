"""Metrics against a second implementation (empyrical's formulas, written here in pandas).

empyrical 0.5.5 / empyrical-reloaded definitions used: ``annual_return`` = CAGR,
``annual_volatility`` = std(ddof=1)·sqrt(q), ``sharpe_ratio`` = mean(R - rf)/std(R - rf,
ddof=1)·sqrt(q), ``sortino_ratio`` = mean(R - rf)·q / (sqrt(mean(min(R - rf, 0)^2))·sqrt(q)),
``max_drawdown`` = min(E / cummax(E) - 1) and ``calmar_ratio`` = annual_return/|mdd|. One
deliberate difference, covered here: the starting capital counts as the first peak.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from engine.backtest import Costs, backtest_pair, return_metrics
from engine.strategy import StrategyParams

Q = 252


def reference_metrics(
    equity: np.ndarray, wy: np.ndarray, wx: np.ndarray, capital: float, rf_annual: float = 0.0
) -> dict[str, float]:
    eq = pd.Series(np.concatenate([[capital], equity]))
    R = eq.pct_change().iloc[2:]  # bar returns 1..T-1 (bar 0 has no return)
    n = len(R)
    rf = rf_annual / Q
    ex = R - rf
    growth = equity[-1] / capital
    annual = growth ** (Q / n) - 1
    mdd = float((eq / eq.cummax() - 1).min())
    downside = math.sqrt((ex.clip(upper=0) ** 2).mean()) * math.sqrt(Q)
    # trades from the held weights: spans of non-zero weight
    held = (wy != 0) | (wx != 0)
    starts = np.flatnonzero(held & ~np.concatenate([[False], held[:-1]]))
    ends = np.flatnonzero(~held & np.concatenate([[False], held[:-1]]))
    closed = [(s, e) for s, e in zip(starts, ends, strict=False)]
    wins = [equity[e] - equity[s - 1] > 0 for s, e in closed]
    traded = np.abs(np.diff(np.concatenate([[0.0], wy]))) + np.abs(
        np.diff(np.concatenate([[0.0], wx]))
    )
    return {
        "total_return": growth - 1,
        "annual_return": annual,
        "annual_volatility": R.std(ddof=1) * math.sqrt(Q),
        "sharpe": ex.mean() / ex.std(ddof=1) * math.sqrt(Q),
        "sortino": ex.mean() * Q / downside,
        "max_drawdown": mdd,
        "calmar": annual / abs(mdd),
        "hit_rate": float(np.mean(wins)),
        "turnover": traded.sum() / (n / Q),
        "exposure": float(held[:-1].mean()),
        "n_trades": len(starts),
        "n_closed_trades": len(closed),
        "final_equity": equity[-1],
    }


@pytest.mark.parametrize(
    ("a", "b", "rf"), [("KO", "PEP", 0.0), ("XOM", "CVX", 0.02), ("PG", "JNJ", 0.0)]
)
def test_metrics_match_empyrical_style_reference(sp500: pd.DataFrame, ols_hedge, a, b, rf) -> None:  # type: ignore[no-untyped-def]
    y, x = sp500[a].to_numpy(), sp500[b].to_numpy()
    beta, alpha = ols_hedge(y[:500], x[:500])
    params = StrategyParams(lookback=30, entry_z=2.0, exit_z=0.5, stop_z=3.5, max_holding=90)
    r = backtest_pair(
        y[500:],
        x[500:],
        params=params,
        beta=beta,
        alpha=alpha,
        costs=Costs(cost_bps=5, slippage_bps=2, borrow_rate=0.01),
        capital=1e6,
        risk_free=rf,
    )
    ref = reference_metrics(r.equity, r.weights_y, r.weights_x, 1e6, rf)
    got = r.metrics.to_dict()
    for name, value in ref.items():
        assert got[name] == pytest.approx(value, rel=1e-9, abs=1e-12), name
    assert r.metrics.total_costs == pytest.approx(sum(t.costs for t in r.trades), rel=1e-9)
    assert r.metrics.n_trades > 50


def test_return_metrics_on_a_known_path() -> None:
    # hand-checkable: +10 % then -10 % then 0
    m = return_metrics([0.0, 0.1, -0.1, 0.0], capital=100.0, periods_per_year=3)
    assert m.total_return == pytest.approx(1.1 * 0.9 - 1)
    assert m.annual_return == pytest.approx(0.99 - 1)  # n = 3 periods = 1 year
    assert m.max_drawdown == pytest.approx(-0.1)
    sd = np.std([0.1, -0.1, 0.0], ddof=1)
    assert m.annual_volatility == pytest.approx(sd * math.sqrt(3))
    assert m.sharpe == pytest.approx(0.0, abs=1e-15)
    assert m.sortino == pytest.approx(0.0, abs=1e-15)
    assert math.isnan(m.hit_rate) and m.n_trades == 0


def test_flat_backtest_has_undefined_ratios_not_errors() -> None:
    y = np.linspace(10, 11, 300)
    r = backtest_pair(y, y.copy(), params=StrategyParams(lookback=20), beta=1.0)  # spread == 0
    m = r.metrics
    assert m.n_trades == 0 and m.total_return == 0.0 and m.max_drawdown == 0.0
    assert math.isnan(m.sharpe) and math.isnan(m.sortino) and math.isnan(m.calmar)
    d = m.to_dict()
    assert d["sharpe"] is None and d["hit_rate"] is None
