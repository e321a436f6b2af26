"""Warm-up from history: the bars before the backtest fill the z-score window, no decision is
taken on them, and no price after t changes a decision at or before t."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from engine.backtest import Costs, backtest_pair
from engine.params import ParameterSet, backtest_adaptive
from engine.strategy import StrategyParams

PARAMS = StrategyParams(lookback=40, entry_z=1.8, exit_z=0.3, stop_z=3.2, max_holding=50)
COSTS = Costs(cost_bps=4.0, slippage_bps=1.0, borrow_rate=0.02)
BETA, ALPHA = 0.9, 0.1


def warm(y: np.ndarray, x: np.ndarray, w: int):  # type: ignore[no-untyped-def]
    return backtest_adaptive(
        y,
        x,
        np.full(len(y), -1),
        parameter_set=ParameterSet.constant(PARAMS),
        beta=BETA,
        alpha=ALPHA,
        costs=COSTS,
        capital=1e6,
        warmup=w,
    )


def reference_decisions(y: np.ndarray, x: np.ndarray, w: int) -> tuple[np.ndarray, np.ndarray]:
    """Plain pandas z-score and the documented state machine, from bar w (written here)."""
    s = pd.Series(np.log(y) - BETA * np.log(x) - ALPHA)
    r = s.rolling(PARAMS.lookback)
    z = ((s - r.mean()) / r.std(ddof=1)).to_numpy()
    p = PARAMS
    pos, held, stopped, last = 0, 0, False, z[w - 1]
    positions, zs = [], []
    for t in range(w, len(y)):
        zt = z[t]
        if pos != 0:
            held += 1
            ev = None
            if (pos > 0 and zt <= -p.stop_z) or (pos < 0 and zt >= p.stop_z):
                ev = "stop"
            elif (pos > 0 and zt >= -p.exit_z) or (pos < 0 and zt <= p.exit_z):
                ev = "exit"
            if ev is None and held >= p.max_holding:
                ev = "time"
            if ev is not None:
                pos, held, stopped = 0, 0, stopped or ev != "exit"
        elif stopped:
            stopped = abs(zt) >= p.entry_z
        elif abs(zt) < p.stop_z and math.isfinite(last):
            if zt >= p.entry_z > last:
                pos, held = -1, 0
            elif zt <= -p.entry_z < last:
                pos, held = 1, 0
        last = zt
        positions.append(pos)
        zs.append(zt)
    return np.array(positions), np.array(zs)


@pytest.fixture(scope="module")
def legs(sp500: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    return sp500["KO"].to_numpy()[1000:2600], sp500["PEP"].to_numpy()[1000:2600]


@pytest.mark.parametrize("w", [40, 97, 400])
def test_warmup_decisions_match_a_plain_loop(legs, w: int) -> None:  # type: ignore[no-untyped-def]
    y, x = legs
    r = warm(y, x, w)
    assert len(r.equity) == len(y) - w and r.equity[0] == 1e6
    pos, z = reference_decisions(y, x, w)
    np.testing.assert_allclose(r.zscore, z, rtol=0, atol=1e-9)
    assert np.isfinite(r.zscore).all()  # every traded bar has a z-score
    assert np.array_equal(r.position, pos) and len(r.trades) > 5
    # metrics cover the traded bars only: the same path as a backtest of those bars
    ret = r.returns[1:]
    sharpe = ret.mean() / ret.std(ddof=1) * math.sqrt(252)
    assert r.metrics.sharpe == pytest.approx(sharpe, rel=1e-12)
    assert r.metrics.n_trades == len(r.trades)


def test_warmup_of_exactly_the_lookback_is_a_run_started_earlier(legs) -> None:  # type: ignore[no-untyped-def]
    y, x = legs
    L = PARAMS.lookback
    early = backtest_pair(y, x, params=PARAMS, beta=BETA, alpha=ALPHA, costs=COSTS, capital=1e6)
    r = warm(y, x, L)
    assert np.array_equal(r.equity, early.equity[L:])
    assert r.metrics.n_trades == early.metrics.n_trades
    assert r.metrics.hit_rate == early.metrics.hit_rate
    assert r.metrics.turnover == pytest.approx(
        early.metrics.turnover * (len(y) - 1) / (len(y) - L - 1)
    )


def test_prices_after_t_never_change_a_decision_at_or_before_t(legs) -> None:  # type: ignore[no-untyped-def]
    y0, x0 = legs
    w = 250
    base = warm(y0, x0, w)
    rng = np.random.default_rng(7)
    for _ in range(20):
        t = int(rng.integers(1, len(y0) - 2))  # anywhere: in the warm-up or the traded bars
        y, x = y0.copy(), x0.copy()
        y[t + 1 :] *= rng.uniform(0.5, 1.5, len(y) - t - 1)
        x[t + 1 :] *= rng.uniform(0.5, 1.5, len(x) - t - 1)
        r = warm(y, x, w)
        k = t - w + 1  # traded bars at or before t
        if k <= 0:
            continue
        for field in ("events", "position", "zscore", "weights_y", "weights_x", "equity"):
            a, b = getattr(base, field)[:k], getattr(r, field)[:k]
            assert np.array_equal(a, b, equal_nan=True), (field, t)


def test_warmup_is_validated(legs) -> None:  # type: ignore[no-untyped-def]
    y, x = legs
    for bad in (-1, len(y) - 1):
        with pytest.raises(ValueError, match="warmup"):
            warm(y, x, bad)
