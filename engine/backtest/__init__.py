r"""Backtest of the z-score pair strategy, for one pair or many pairs at once.

Conventions (binding, docs/architecture.md section 4)
-----------------------------------------------------
Bars are indexed t = 0..T-1 and every quantity is "at the close" of its bar.

* **Decision and execution.** The strategy (:mod:`engine.strategy`) decides a position
  :math:`d_t \in \{-1, 0, +1\}` at the close of t from data up to that close. With
  ``execution_lag = L`` it is *held* from the close of :math:`τ = t + L`: the side held at
  the close of τ is :math:`h_τ = d_{τ-L}` (0 for τ < L). A position held at the close of τ
  (i.e. over :math:`(τ, τ+1]`) earns the return of bar τ+1. With the default L = 1 the
  position decided at t earns :math:`r_{t+2}` onward.
* **Weights.** A long spread holds :math:`w_y = +1/(1+|β|)` of equity in y and
  :math:`w_x = -β/(1+|β|)` in x; a short spread the opposite; β is that of the decision
  bar :math:`t = τ - L` (static β: the formation value). With a dynamic hedge the weights
  follow :math:`β_{τ-L}` every bar (``hedge_rebalance="bar"``) or keep the entry's β
  (``"entry"``). Weights are constant fractions of the current equity while held
  (the design's daily-rebalanced convention; the drift re-balancing is not costed).
* **Returns and costs.** With simple leg returns :math:`r_{i,τ} = p_{i,τ}/p_{i,τ-1} - 1`,

  .. math::

      R_τ = \sum_i w_{i,τ-1} r_{i,τ}
            - k \sum_i |w_{i,τ} - w_{i,τ-1}|
            - b \sum_i \max(-w_{i,τ-1}, 0), \qquad
      E_τ = E_{τ-1} (1 + R_τ), \quad E_{-1} = C

  with :math:`k = (\text{cost\_bps} + \text{slippage\_bps})/10^4` (both legs, entry,
  exit and hedge re-balancing) and :math:`b = \text{borrow\_rate}/\text{days\_per\_year}`
  on the short leg held over the bar. Costs are fractions of the previous close's equity.
  No position exists at bar 0, so :math:`E_0 = C`.
* **Volume cap** (optional). With volumes :math:`V_{i}` and ``max_participation`` m, an
  entry executed at τ is scaled by

  .. math::

      s = \min\Big(1, \min_i \frac{m \cdot \mathrm{ADV}_{i,τ} \cdot p_{i,τ}}
                                 {|w^{full}_i| \cdot E_{τ-1}}\Big)

  where :math:`\mathrm{ADV}_{i,τ}` is the mean volume of the ``adv_window`` bars ending at
  τ (fewer at the start): each leg's entry trade is at most m times its average daily
  traded value, and both legs shrink together so the hedge ratio is kept. The scale stays
  for the whole trade; exits are never capped (a simplification: the position is assumed
  closable).
* **Trades.** A trade opens at the execution bar where the held side becomes non-zero and
  closes where it returns to zero (the state machine never flips directly). An open trade
  at the last bar is reported with reason ``"open"`` and counts in ``n_trades`` but not in
  ``hit_rate``. Decisions whose execution bar is past the end are not traded.

See :class:`~engine.backtest.Metrics` for the metric formulas.
"""

from engine.backtest._kernels import METRIC_NAMES, TRADE_FIELDS
from engine.backtest.pair import (
    Rebalance,
    backtest_pair,
    backtest_pairs,
    backtest_universe,
    return_metrics,
)
from engine.backtest.portfolio import portfolio_metrics, portfolio_stats
from engine.backtest.results import BacktestResult, BatchBacktestResult, Costs, Metrics, Trade

__all__ = [
    "METRIC_NAMES",
    "TRADE_FIELDS",
    "BacktestResult",
    "BatchBacktestResult",
    "Costs",
    "Metrics",
    "Rebalance",
    "Trade",
    "backtest_pair",
    "backtest_pairs",
    "backtest_universe",
    "portfolio_metrics",
    "portfolio_stats",
    "return_metrics",
]
