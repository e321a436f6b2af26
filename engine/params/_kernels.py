"""Array kernels of the adaptive (multi-parameter-set) strategy (numba, no validation).

One pair, K parameter sets. Every set k has its own z-score path ``Z[k]`` (its own
lookback over the common spread); ``active[t]`` is the set selected by the causal regime
label of bar t. :func:`adaptive_decisions` runs the strategy's one state transition
(:func:`engine.strategy._kernels.transition`) with the rule documented in
:mod:`engine.params.adaptive`; :func:`adaptive_path` adds the spread, the z-scores and the
P&L of :mod:`engine.backtest` (its ``pnl_row`` and ``metrics_row`` kernels, so the
accounting is the backtest's own).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from engine._typing import FloatArray
from engine.backtest._kernels import metrics_row, pnl_row
from engine.strategy._kernels import ENTER_LONG, ENTER_SHORT, EXIT, HOLD, spread_row_log, transition
from engine.strategy._kernels import zscore_row as _zscore_row

__all__ = ["adaptive_decisions", "adaptive_path", "entries_executed"]


@njit(cache=True)
def adaptive_decisions(
    Z: FloatArray,
    active: np.ndarray,
    entry_z: FloatArray,
    exit_z: FloatArray,
    stop_z: FloatArray,
    max_holding: np.ndarray,
    trade_start: int,
    force_exit: int,
    events: np.ndarray,
    pos_out: np.ndarray,
    gov_out: np.ndarray,
) -> None:
    """Decisions of the adaptive strategy over ``T`` bars.

    Parameters
    ----------
    Z : (K, T) z-score of each set.
    active : (T,) int64, the set selected by the regime of each bar.
    entry_z, exit_z, stop_z, max_holding : (K,) thresholds of each set (kernel values).
    trade_start : no decision (flat, HOLD) at bars ``t < trade_start``; the z-scores of
        those bars still count as the "previous z" of a crossing.
    force_exit : when ``>= 0``, an open position is closed (``EXIT``) at this bar if not
        closed otherwise, and no entry is taken at or after it.
    events, pos_out : (T,) int8 outputs; gov_out : (T,) int64, the set whose thresholds
        decided the bar (the entry set of an open position, else the active set).
    """
    K = Z.shape[0]
    T = Z.shape[1]
    last = np.full(K, np.nan)
    pos = 0
    held = 0
    stopped = False
    gov = -1
    for t in range(T):
        a = active[t]
        ev = HOLD
        if t < trade_start:
            g = a
        elif pos != 0:
            g = gov
            ev, pos, held, stopped, _ = transition(
                Z[g, t],
                pos,
                held,
                stopped,
                last[g],
                entry_z[g],
                exit_z[g],
                stop_z[g],
                max_holding[g],
            )
            if ev == HOLD and force_exit >= 0 and t >= force_exit:
                ev = EXIT
                pos = 0
                held = 0
            if pos == 0:
                gov = -1
        else:
            g = a
            if force_exit < 0 or t < force_exit:
                ev, pos, held, stopped, _ = transition(
                    Z[a, t],
                    0,
                    0,
                    stopped,
                    last[a],
                    entry_z[a],
                    exit_z[a],
                    stop_z[a],
                    max_holding[a],
                )
                if pos != 0:
                    gov = a
        for k in range(K):
            if math.isfinite(Z[k, t]):
                last[k] = Z[k, t]
        events[t] = ev
        pos_out[t] = pos
        gov_out[t] = g


@njit(cache=True)
def adaptive_path(
    y: FloatArray,
    x: FloatArray,
    ly: FloatArray,
    lx: FloatArray,
    ry: FloatArray,
    rx: FloatArray,
    beta: FloatArray,
    alpha: FloatArray,
    active: np.ndarray,
    lookback: np.ndarray,
    entry_z: FloatArray,
    exit_z: FloatArray,
    stop_z: FloatArray,
    max_holding: np.ndarray,
    lag: int,
    trade_start: int,
    force_exit: int,
    k_trade: float,
    borrow_daily: float,
    rebalance_bar: bool,
    capital: float,
    ppy: float,
    rf: float,
    spread: FloatArray,
    Z: FloatArray,
    events: np.ndarray,
    pos: np.ndarray,
    gov: np.ndarray,
    wy: FloatArray,
    wx: FloatArray,
    ret: FloatArray,
    cost: FloatArray,
    eq: FloatArray,
    metrics: FloatArray,
    stats: FloatArray,
) -> None:
    """Spread, per-set z-scores, adaptive decisions, P&L and metrics of one pair.

    ``stats`` (``N_STATS``) receives the P&L kernel's trade statistics (turnover, exposure,
    entries, closed trades, wins, costs) of the path.

    ``beta``/``alpha`` have length 1 (static) or T (dynamic); ``Z`` is ``(K, T)``. Each
    ``Z[k]`` is the strategy's rolling z-score with set k's threshold guard, exactly as the
    backtest computes it for a single set.
    """
    spread_row_log(ly, lx, beta, alpha, spread)
    for k in range(Z.shape[0]):
        _zscore_row(spread, lookback[k], entry_z[k], exit_z[k], stop_z[k], Z[k])
    adaptive_decisions(
        Z, active, entry_z, exit_z, stop_z, max_holding, trade_start, force_exit, events, pos, gov
    )
    stats[:] = 0.0
    empty = np.empty(0)
    pnl_row(
        y,
        x,
        ry,
        rx,
        beta,
        pos,
        lag,
        k_trade,
        borrow_daily,
        empty,
        empty,
        0.0,
        1,
        rebalance_bar,
        capital,
        wy,
        wx,
        ret,
        cost,
        eq,
        stats,
    )
    metrics_row(ret, eq, capital, ppy, rf, stats, metrics)


@njit(cache=True)
def entries_executed(events: np.ndarray, lag: int) -> np.ndarray:
    """Per bar 1 where an entry decision is taken that executes inside the path (t + lag < T)."""
    T = events.shape[-1]
    out = np.zeros(events.shape, dtype=np.int64)
    for p in range(events.shape[0]):
        for t in range(T - lag):
            e = events[p, t]
            if e == ENTER_LONG or e == ENTER_SHORT:  # noqa: SIM109 (numba)
                out[p, t] = 1
    return out
