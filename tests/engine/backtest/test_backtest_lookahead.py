"""No lookahead, by perturbation: prices after t never change anything at or before t."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from engine.backtest import Costs, backtest_pair
from engine.strategy import StrategyParams


def rolling_hedge(y: np.ndarray, x: np.ndarray, window: int) -> tuple[np.ndarray, np.ndarray]:
    ly, lx = pd.Series(np.log(y)), pd.Series(np.log(x))
    beta = ly.rolling(window).cov(lx) / lx.rolling(window).var()
    alpha = ly.rolling(window).mean() - beta * lx.rolling(window).mean()
    return beta.to_numpy(), alpha.to_numpy()


CASES = {
    "static": StrategyParams(lookback=30, entry_z=1.8, exit_z=0.3, stop_z=3.0, max_holding=40),
    "static_lag0": StrategyParams(lookback=20, entry_z=1.5, exit_z=0.0, execution_lag=0),
    "dynamic": StrategyParams(lookback=25, entry_z=1.8, exit_z=0.5, stop_z=3.5, hedge="dynamic"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_perturbing_the_future_changes_nothing_before(sp500: pd.DataFrame, case: str) -> None:
    params = CASES[case]
    rng = np.random.default_rng(20240611)
    y0 = sp500["KO"].to_numpy()[2000:3500]
    x0 = sp500["PEP"].to_numpy()[2000:3500]
    vy0 = rng.uniform(1e5, 3e5, y0.size)
    vx0 = rng.uniform(1e5, 3e5, y0.size)
    T = y0.size

    def run(y, x, vy, vx):  # type: ignore[no-untyped-def]
        if params.hedge == "dynamic":
            beta, alpha = rolling_hedge(y, x, 120)
        else:
            beta, alpha = 0.9, 0.1
        return backtest_pair(
            y,
            x,
            params=params,
            beta=beta,
            alpha=alpha,
            capital=1e7,
            costs=Costs(cost_bps=3, slippage_bps=1, borrow_rate=0.02),
            volume_y=vy,
            volume_x=vx,
            max_participation=0.05,
            adv_window=15,
        )

    base = run(y0, x0, vy0, vx0)
    assert len(base.trades) > 10
    for _ in range(25):
        t = int(rng.integers(50, T - 2))
        y, x, vy, vx = y0.copy(), x0.copy(), vy0.copy(), vx0.copy()
        y[t + 1 :] *= np.exp(rng.normal(0, 0.05, T - t - 1))
        x[t + 1 :] *= np.exp(rng.normal(0, 0.05, T - t - 1))
        vy[t + 1 :] *= rng.uniform(0.1, 3, T - t - 1)
        vx[t + 1 :] *= rng.uniform(0.1, 3, T - t - 1)
        r = run(y, x, vy, vx)
        s = slice(0, t + 1)
        np.testing.assert_array_equal(r.signals.events[s], base.signals.events[s])
        np.testing.assert_array_equal(r.signals.position[s], base.signals.position[s])
        np.testing.assert_array_equal(r.signals.zscore[s], base.signals.zscore[s])
        np.testing.assert_array_equal(r.weights_y[s], base.weights_y[s])
        np.testing.assert_array_equal(r.weights_x[s], base.weights_x[s])
        np.testing.assert_array_equal(r.equity[s], base.equity[s])
        # and the future did change something (the perturbation is not a no-op)
        assert not np.array_equal(r.signals.zscore[t + 1 :], base.signals.zscore[t + 1 :])
