"""Metrics of an equal-weight portfolio of pair paths, from the backtest's own accounting.

A walk-forward fold or an optimiser candidate trades P pairs with 1/P of the capital each
(re-balanced every bar). Its return-based metrics come from the mean return path; its
trade-based metrics come from the P&L kernel's statistics of each pair path
(:func:`engine.backtest._kernels.pnl_row`), so they are exactly those a backtest of the
same positions reports:

* ``n_trades``, ``n_closed_trades`` and the wins of ``hit_rate`` are summed over the pairs
  (a win: the pair's equity at the exit above its equity at the entry);
* turnover (traded weight per year) and exposure (share of bars with a position) are the
  means over the pairs, each pair holding 1/P of the equity;
* ``total_costs`` is :math:`\\sum_\\tau E_{\\tau-1} \\bar c_\\tau`, the portfolio equity before
  bar τ times the mean of the pairs' cost fractions of bar τ.

With one pair every field equals :func:`~engine.backtest.backtest_pair`'s metrics.
Statistics of consecutive windows (stitched walk-forward folds) add up: sum the vectors of
:func:`portfolio_stats` and concatenate the returns and cost paths.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from engine._typing import FloatArray
from engine.backtest import _kernels as K
from engine.backtest.results import Metrics

__all__ = ["portfolio_metrics", "portfolio_stats"]


def portfolio_stats(pair_stats: Any) -> FloatArray:
    """One statistics vector (``N_STATS``) of P equal-weight pairs from their ``(P, N_STATS)``
    kernel statistics: counts summed, turnover and exposure averaged (costs: see
    :func:`portfolio_metrics`, which recomputes them from the cost path)."""
    S = np.asarray(pair_stats, dtype=np.float64).reshape(-1, K.N_STATS)
    out = np.zeros(K.N_STATS)
    if S.shape[0] == 0:
        return out
    out[K.S_TURNOVER] = S[:, K.S_TURNOVER].mean()
    out[K.S_EXPOSURE] = S[:, K.S_EXPOSURE].mean()
    for i in (K.S_TRADES, K.S_CLOSED, K.S_WINS):
        out[i] = S[:, i].sum()
    return out


def portfolio_metrics(
    returns: Any,
    *,
    stats: Any,
    bar_costs: Any,
    capital: float = 1.0,
    periods_per_year: float = 252,
    risk_free: float = 0.0,
) -> Metrics:
    """Full :class:`~engine.backtest.Metrics` of a portfolio return path.

    Parameters
    ----------
    returns : array_like, shape (n,)
        Net portfolio returns (``returns[0]`` is the first bar's own return and is not
        counted, as in the backtest).
    stats : array_like, shape (N_STATS,)
        :func:`portfolio_stats` of the same bars.
    bar_costs : array_like, shape (n,)
        Portfolio cost fraction of each bar (the mean of the pairs' ``bar_costs``).
    capital, periods_per_year, risk_free
        As in :func:`~engine.backtest.backtest_pair`.
    """
    R = np.ascontiguousarray(np.asarray(returns, dtype=np.float64))
    C = np.asarray(bar_costs, dtype=np.float64)
    if R.ndim != 1 or C.shape != R.shape:
        raise ValueError(f"returns and bar_costs must be 1-D of one length: {R.shape}, {C.shape}")
    eq = np.asarray(capital * np.cumprod(1.0 + R), dtype=np.float64)
    prev = np.empty_like(eq)
    if prev.size:
        prev[0] = capital
        prev[1:] = eq[:-1]
    st = np.array(stats, dtype=np.float64).reshape(K.N_STATS)
    st[K.S_COSTS] = float((prev * C).sum())
    out = np.empty(K.N_METRICS)
    ppy = float(periods_per_year)
    K.metrics_row(R, eq, float(capital), ppy, float(risk_free) / ppy, st, out)
    return Metrics.from_vector(out)
