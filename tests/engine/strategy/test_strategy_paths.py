"""Spread and z-score against numpy/pandas, and vectorized vs bar-by-bar on real data."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from numpy.lib.stride_tricks import sliding_window_view

from engine.strategy import (
    LiveStrategy,
    StrategyParams,
    StrategyState,
    compute_spread,
    generate_signals,
    rolling_zscore,
)

PAIRS = [("KO", "PEP"), ("XOM", "CVX"), ("JPM", "BAC"), ("PG", "JNJ"), ("HD", "WMT")]
PARAMS = [
    StrategyParams(lookback=60, entry_z=2.0, exit_z=0.5),
    StrategyParams(lookback=20, entry_z=1.5, exit_z=0.0, stop_z=3.0, max_holding=30),
    StrategyParams(lookback=120, entry_z=2.5, exit_z=1.0, stop_z=4.0, max_holding=250),
]


def exact_z(s: np.ndarray, L: int) -> np.ndarray:
    """Two-pass rolling z (ddof=1) with numpy sliding windows (independent of the engine)."""
    w = sliding_window_view(s, L)
    z = np.full(s.shape, np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        z[L - 1 :] = (s[L - 1 :] - w.mean(axis=1)) / w.std(axis=1, ddof=1)
    return z


def well_conditioned(s: np.ndarray, L: int) -> np.ndarray:
    """Bars whose window spread is not at the rounding level of its values."""
    w = sliding_window_view(s, L)
    ok = np.zeros(s.shape, dtype=bool)
    ok[L - 1 :] = w.std(axis=1, ddof=1) > 1e-6 * np.abs(w).max(axis=1)
    return ok


def rolling_beta(y: np.ndarray, x: np.ndarray, window: int) -> tuple[np.ndarray, np.ndarray]:
    """Causal rolling OLS of log y on log x (pandas), a stand-in dynamic estimator."""
    ly, lx = pd.Series(np.log(y)), pd.Series(np.log(x))
    beta = ly.rolling(window).cov(lx) / lx.rolling(window).var()
    alpha = ly.rolling(window).mean() - beta * lx.rolling(window).mean()
    return beta.to_numpy(), alpha.to_numpy()


def test_spread_formula(sp500: pd.DataFrame) -> None:
    y, x = sp500["KO"].to_numpy(), sp500["PEP"].to_numpy()
    s = compute_spread(y, x, beta=0.83, alpha=-0.2)
    np.testing.assert_allclose(s, np.log(y) - 0.83 * np.log(x) + 0.2, rtol=0, atol=1e-13)
    b = np.linspace(0.5, 1.5, y.size)
    s = compute_spread(y, x, beta=b, alpha=0.1)
    np.testing.assert_allclose(s, np.log(y) - b * np.log(x) - 0.1, rtol=0, atol=1e-13)


@pytest.mark.parametrize("L", [2, 5, 60, 250])
def test_rolling_zscore_matches_two_pass_and_pandas(sp500: pd.DataFrame, L: int) -> None:
    s = compute_spread(sp500["XOM"].to_numpy(), sp500["CVX"].to_numpy(), beta=1.1, alpha=0.0)
    z = rolling_zscore(s, lookback=L)
    ref = exact_z(s, L)
    ok = well_conditioned(s, L)
    assert ok[L - 1 :].mean() > 0.99
    assert np.isnan(z[: L - 1]).all() and np.isfinite(z[ok]).all()
    np.testing.assert_allclose(z[ok], ref[ok], rtol=0, atol=1e-11)
    ps = pd.Series(s)
    zp = ((ps - ps.rolling(L).mean()) / ps.rolling(L).std()).to_numpy()
    np.testing.assert_allclose(z[ok], zp[ok], rtol=0, atol=1e-7)  # pandas' online sums are looser


def test_rolling_zscore_nan_and_constant_windows() -> None:
    s = np.array([1.0, 2.0, 3.0, np.nan, 4.0, 5.0, 6.0, 7.0, 7.0, 7.0, 7.0, 8.0])
    z = rolling_zscore(s, lookback=3)
    ref = pd.Series(s)
    zp = ((ref - ref.rolling(3).mean()) / ref.rolling(3).std()).to_numpy()
    # pandas: NaN where the window has NaN; constant window -> 0/0 = NaN
    assert np.isnan(z[:3][:2]).all() and np.isnan(z[3:6]).all()
    np.testing.assert_allclose(z[2], 1.0)
    np.testing.assert_allclose(z[6:9], zp[6:9], atol=1e-12)
    assert np.isnan(z[10])  # 7, 7, 7
    np.testing.assert_allclose(z[11], zp[11], atol=1e-12)


def _live_codes(y, x, params, beta, alpha):  # type: ignore[no-untyped-def]
    if params.hedge == "static":
        live = LiveStrategy(params, beta=beta, alpha=alpha)
        out = [live.step(a, b) for a, b in zip(y, x, strict=True)]
    else:
        live = LiveStrategy(params)
        out = [
            live.step(a, b, beta=bb, alpha=aa)
            for a, b, bb, aa in zip(y, x, beta, alpha, strict=True)
        ]
    return out, live


@pytest.mark.parametrize("pair", PAIRS)
@pytest.mark.parametrize("pidx", range(len(PARAMS)))
def test_vectorized_equals_live_static(sp500: pd.DataFrame, ols_hedge, pair, pidx) -> None:  # type: ignore[no-untyped-def]
    params = PARAMS[pidx]
    y, x = sp500[pair[0]].to_numpy(), sp500[pair[1]].to_numpy()
    beta, alpha = ols_hedge(y[:500], x[:500])
    vec = generate_signals(y, x, params=params, beta=beta, alpha=alpha)
    out, _ = _live_codes(y, x, params, beta, alpha)
    codes = np.array([d.code for d in out])
    assert np.array_equal(codes, vec.events), np.flatnonzero(codes != vec.events)[:5]
    assert np.array_equal(np.array([d.position for d in out]), vec.position)
    np.testing.assert_allclose([d.zscore for d in out], vec.zscore, rtol=0, atol=1e-9)
    assert (vec.events != 0).sum() > 20  # 33 years: many decisions were compared


@pytest.mark.parametrize("pair", PAIRS[:2])
def test_vectorized_equals_live_dynamic(sp500: pd.DataFrame, pair) -> None:  # type: ignore[no-untyped-def]
    params = StrategyParams(lookback=40, entry_z=2.0, exit_z=0.25, stop_z=3.5, hedge="dynamic")
    y, x = sp500[pair[0]].to_numpy(), sp500[pair[1]].to_numpy()
    beta, alpha = rolling_beta(y, x, 250)
    vec = generate_signals(y, x, params=params, beta=beta, alpha=alpha)
    out, _ = _live_codes(y, x, params, beta, alpha)
    assert np.array_equal(np.array([d.code for d in out]), vec.events)
    assert np.isnan(vec.zscore[:288]).all() and np.isfinite(vec.zscore[288:]).all()
    assert (vec.events != 0).sum() > 20


def test_batched_rows_equal_single_runs(sp500: pd.DataFrame, ols_hedge) -> None:  # type: ignore[no-untyped-def]
    Y = np.stack([sp500[a].to_numpy() for a, _ in PAIRS])
    X = np.stack([sp500[b].to_numpy() for _, b in PAIRS])
    hedges = [ols_hedge(Y[i, :500], X[i, :500]) for i in range(len(PAIRS))]
    plist = [PARAMS[i % len(PARAMS)] for i in range(len(PAIRS))]
    batch = generate_signals(
        Y, X, params=plist, beta=[h[0] for h in hedges], alpha=[h[1] for h in hedges]
    )
    for i in range(len(PAIRS)):
        one = generate_signals(Y[i], X[i], params=plist[i], beta=hedges[i][0], alpha=hedges[i][1])
        assert np.array_equal(one.events, batch.events[i])
        assert np.array_equal(one.held, batch.held[i])


def test_live_resumes_from_json_state(sp500: pd.DataFrame, ols_hedge) -> None:  # type: ignore[no-untyped-def]
    params = PARAMS[1]
    y, x = sp500["KO"].to_numpy(), sp500["PEP"].to_numpy()
    beta, alpha = ols_hedge(y[:500], x[:500])
    vec = generate_signals(y, x, params=params, beta=beta, alpha=alpha)
    cut = 4000
    first = LiveStrategy.from_history(y[:cut], x[:cut], params=params, beta=beta, alpha=alpha)
    saved = json.dumps(first.state.to_dict(), allow_nan=False)
    # rebuild: core fields from "the database", window from the last lookback bars
    d = json.loads(saved)
    d["window"] = compute_spread(
        y[cut - params.lookback : cut], x[cut - params.lookback : cut], beta=beta, alpha=alpha
    ).tolist()
    resumed = LiveStrategy(params, beta=beta, alpha=alpha, state=StrategyState.from_dict(d))
    assert resumed.state.position == int(vec.position[cut - 1])
    codes = [resumed.step(a, b).code for a, b in zip(y[cut:], x[cut:], strict=True)]
    assert np.array_equal(codes, vec.events[cut:])


def test_input_checks() -> None:
    p = StrategyParams(lookback=5)
    with pytest.raises(ValueError):
        generate_signals(np.ones(10), -np.ones(10), params=p, beta=1.0)
    with pytest.raises(ValueError):
        generate_signals(np.ones(10), np.ones(9), params=p, beta=1.0)
    with pytest.raises(ValueError):
        generate_signals(np.ones(10), np.ones(10), params=p, beta=np.ones(10))
    with pytest.raises(ValueError):
        LiveStrategy(StrategyParams(hedge="dynamic"), beta=1.0)
    with pytest.raises(ValueError):
        LiveStrategy(p, beta=1.0, state=StrategyState(bar_index=3, window=(1.0,)))


def test_inputs_are_not_mutated(sp500: pd.DataFrame) -> None:
    y = sp500["KO"].to_numpy().copy()
    x = sp500["PEP"].to_numpy().copy()
    y0, x0 = y.copy(), x.copy()
    generate_signals(y, x, params=PARAMS[0], beta=0.9)
    assert np.array_equal(y, y0) and np.array_equal(x, x0)
