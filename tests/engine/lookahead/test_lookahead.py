"""The lookahead check flags deliberately leaky pipelines and passes TITAN's real ones."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from engine.backtest import Costs, backtest_pair
from engine.lookahead import (
    BacktestRun,
    DecisionTrace,
    WalkForwardRun,
    check_lookahead,
    lookahead_backtest,
    lookahead_walk_forward,
)
from engine.pairs import scan_universe
from engine.params import ParameterSet, ParamGrid
from engine.strategy import StrategyParams, signals_from_zscore
from engine.walkforward import WalkForwardConfig

PARAMS = StrategyParams(lookback=30, entry_z=1.8, exit_z=0.3, stop_z=3.5, max_holding=40)
SYMBOLS = ["KO", "PEP", "XOM", "CVX", "JNJ", "PFE", "MRK", "PG"]
WF = WalkForwardConfig(
    train_bars=504,
    test_bars=250,
    top_k=2,
    significance_level=0.10,
    grid=ParamGrid(lookback=(20, 40), entry_z=(1.5, 2.0), exit_z=(0.0, 0.5), stop_z=(None,)),
    min_trades=2,
    pbo_splits=4,
)


@pytest.fixture(scope="module")
def pair(sp500: pd.DataFrame) -> pd.DataFrame:
    return sp500[["KO", "PEP"]].iloc[1000:3000]


def _formation_hedge(y: np.ndarray, x: np.ndarray, n: int = 252) -> tuple[float, float]:
    A = np.column_stack([np.log(x[:n]), np.ones(n)])
    b, a = np.linalg.lstsq(A, np.log(y[:n]), rcond=None)[0]
    return float(b), float(a)


def leaky_centred_zscore(prices: pd.DataFrame, with_zscore: bool = False) -> DecisionTrace:
    """Leak: the z-score's rolling window is centred (half of it lies in the future)."""
    y, x = prices["KO"].to_numpy(), prices["PEP"].to_numpy()
    b, a = _formation_hedge(y, x)
    s = pd.Series(np.log(y) - b * np.log(x) - a)
    roll = s.rolling(30, center=True)
    z = ((s - roll.mean()) / roll.std()).to_numpy()
    sig = signals_from_zscore(z, params=PARAMS)
    fields = {"events": sig.events, "position": sig.position}
    if with_zscore:
        fields["zscore"] = z
    return DecisionTrace(bars=np.arange(len(y)), fields=fields)


def leaky_full_sample_hedge(prices: pd.DataFrame) -> DecisionTrace:
    """Leak: the hedge ratio is fitted on the whole sample, future included."""
    y, x = prices["KO"].to_numpy(), prices["PEP"].to_numpy()
    b, a = _formation_hedge(y, x, len(y))
    r = backtest_pair(y, x, params=PARAMS, beta=b, alpha=a)
    return DecisionTrace(
        bars=np.arange(len(y)),
        fields={
            "events": r.signals.events,
            "position": r.signals.position,
            "weight_y": r.weights_y,
        },
    )


def leaky_hindsight_universe(prices: pd.DataFrame) -> DecisionTrace:
    """Leak: the walk-forward universe is the symbols of the best full-sample pairs."""
    scan = scan_universe(np.log(prices), directions="forward")
    best = np.argsort(scan.pvalue, kind="stable")[:3]
    keep = sorted({str(s) for r in best for s in (scan.symbol_1[r], scan.symbol_2[r])})
    trace = WalkForwardRun(WF)(prices[keep])
    codes = {k: v for k, v in trace.fields.items() if k.endswith(".pair")}
    names = {f"{k}.symbols": np.array([_decode(c, keep) for c in v]) for k, v in codes.items()}
    return DecisionTrace(bars=trace.bars, fields={**trace.fields, **names}, index=trace.index)


def _decode(code: int, keep: list[str]) -> str:
    return "-" if code < 0 else f"{keep[code // len(keep)]}/{keep[code % len(keep)]}"


def test_real_backtest_passes(pair: pd.DataFrame) -> None:
    rep = lookahead_backtest(pair, y="KO", x="PEP", params=PARAMS, costs=Costs(cost_bps=2), cuts=6)
    assert rep.ok and rep.n_differences == 0 and rep.checks_run == 6
    assert rep.values_compared > 6 * 500 and set(rep.first_difference_bar.values()) == {None}
    json.dumps(rep.to_dict(), allow_nan=False)


def test_real_adaptive_backtest_passes(sp500: pd.DataFrame) -> None:
    sets = ParameterSet(
        regimes=((1, StrategyParams(lookback=20, entry_z=2.2, exit_z=0.6, stop_z=3.0)),),
        fallback=PARAMS,
    )
    rep = lookahead_backtest(
        sp500[SYMBOLS].iloc[1000:3000],
        y="KO",
        x="PEP",
        params=sets,
        cuts=5,
        regime_options={"min_history": 126},
    )
    assert rep.ok, rep.summary()


def test_centred_zscore_is_flagged(pair: pd.DataFrame) -> None:
    # decisions only: the leak shows at the cuts where a decision of the last half-window
    # flips (about a quarter of them here): a necessary check, so use many cuts
    rep = check_lookahead(pair, leaky_centred_zscore, cuts=20, target="centred z")
    assert not rep.ok and rep.n_differences > 0
    for d in rep.differences:
        assert d.bar <= d.cut and d.field in ("events", "position")
    flagged = [c for c, v in rep.first_difference_bar.items() if v is not None]
    assert len(flagged) >= 3
    assert all(int(c) - rep.first_difference_bar[c] < 15 for c in flagged)  # type: ignore[operator]
    # with the indicator in the trace every cut shows it (the last 15 z-scores change)
    rep_z = check_lookahead(pair, lambda p: leaky_centred_zscore(p, True), cuts=6)
    assert all(v is not None for v in rep_z.first_difference_bar.values())
    assert "LOOKAHEAD DETECTED" in rep.summary()
    json.dumps(rep.to_dict(), allow_nan=False)


def test_full_sample_hedge_is_flagged(pair: pd.DataFrame) -> None:
    rep = check_lookahead(pair, leaky_full_sample_hedge, cuts=6, max_differences=10)
    assert not rep.ok and rep.n_differences > 10 and len(rep.differences) == 10
    assert {d.field for d in rep.differences} <= {"events", "position", "weight_y"}


def test_real_walk_forward_passes_and_hindsight_universe_is_flagged(sp500: pd.DataFrame) -> None:
    prices = sp500[SYMBOLS].iloc[2000:3600]
    rep = lookahead_walk_forward(prices, config=WF, cuts=4)
    assert rep.ok, rep.summary()
    assert rep.values_compared > 1000
    leak = check_lookahead(prices, leaky_hindsight_universe, cuts=rep.cuts, target="hindsight")
    assert not leak.ok, leak.summary()


def test_walk_forward_n_folds_layout_is_fixed_first(sp500: pd.DataFrame) -> None:
    cfg = WalkForwardConfig(
        train_bars=504,
        n_folds=3,
        top_k=2,
        grid=WF.grid,
        min_trades=2,
        pbo_splits=4,
        significance_level=0.10,
    )
    rep = lookahead_walk_forward(sp500[SYMBOLS].iloc[2000:3300], config=cfg, cuts=[700, 1000])
    assert rep.ok, rep.summary()
    with pytest.raises(ValueError, match="test_bars"):
        WalkForwardRun(cfg)


def test_trace_and_cut_validation(pair: pd.DataFrame) -> None:
    with pytest.raises(ValueError, match="increasing"):
        DecisionTrace(bars=np.array([0, 2, 1]), fields={})
    with pytest.raises(ValueError, match="shape"):
        DecisionTrace(bars=np.arange(3), fields={"a": np.zeros(2)})
    run = BacktestRun("KO", "PEP", PARAMS)
    with pytest.raises(ValueError, match="cuts"):
        check_lookahead(pair, run, cuts=[len(pair) - 1])
    rep = check_lookahead(pair, run, cuts=[300, 300, 1200])
    assert rep.cuts == (300, 1200) and rep.ok
