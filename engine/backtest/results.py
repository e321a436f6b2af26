"""Cost model and result dataclasses of the pair backtest."""

from __future__ import annotations

import dataclasses
import math
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from engine._results import Result
from engine._typing import FloatArray
from engine.backtest._kernels import METRIC_NAMES
from engine.strategy import SignalResult, StrategyParams
from engine.strategy._inputs import DatetimeArray


@dataclasses.dataclass(frozen=True)
class Costs(Result):
    r"""Trading and financing costs, charged as fractions of the previous bar's equity.

    Parameters
    ----------
    cost_bps : float
        Commission in basis points per unit of traded weight (each leg).
    slippage_bps : float
        Slippage in basis points per unit of traded weight (each leg).
    borrow_rate : float
        Annual short-borrow rate (0.02 = 2 %/year) on the short leg's absolute weight,
        charged daily as ``borrow_rate / days_per_year``.
    days_per_year : int
        Days per year of the borrow charge (252).

    Notes
    -----
    At bar τ the cost fraction is

    .. math::

        c_τ = \frac{\text{cost\_bps} + \text{slippage\_bps}}{10^4}
              \sum_{i \in \{y, x\}} |w_{i,τ} - w_{i,τ-1}|
            + \frac{\text{borrow\_rate}}{\text{days\_per\_year}}
              \sum_{i} \max(-w_{i,τ-1}, 0)
    """

    cost_bps: float = 0.0
    slippage_bps: float = 0.0
    borrow_rate: float = 0.0
    days_per_year: int = 252

    def __post_init__(self) -> None:
        for name in ("cost_bps", "slippage_bps", "borrow_rate"):
            v = getattr(self, name)
            if (
                isinstance(v, bool)
                or not isinstance(v, (int, float))
                or not math.isfinite(v)
                or v < 0
            ):
                raise ValueError(f"{name} must be a finite number >= 0, got {v!r}")
            object.__setattr__(self, name, float(v))
        if (
            isinstance(self.days_per_year, bool)
            or not isinstance(self.days_per_year, int)
            or self.days_per_year < 1
        ):
            raise ValueError(f"days_per_year must be an integer >= 1, got {self.days_per_year!r}")

    @property
    def trade_fraction(self) -> float:
        """Cost per unit of traded weight, as a fraction: (cost_bps + slippage_bps) / 1e4."""
        return (self.cost_bps + self.slippage_bps) / 1e4

    @property
    def borrow_daily(self) -> float:
        """Borrow charge per bar per unit of short weight."""
        return self.borrow_rate / self.days_per_year


@dataclasses.dataclass(frozen=True)
class Metrics(Result):
    r"""Performance metrics of one backtest (empyrical conventions).

    With the n = T - 1 net returns :math:`R_1..R_n`, :math:`q` = ``periods_per_year``,
    :math:`r_f` the per-period risk-free rate (annual rate / q) and :math:`E` the equity:

    * ``total_return`` :math:`= E_{T-1}/C - 1` (C the capital);
      ``annual_return`` :math:`= (E_{T-1}/C)^{q/n} - 1` (CAGR);
    * ``annual_volatility`` :math:`= \mathrm{sd}(R)\sqrt q` (ddof=1);
    * ``sharpe`` :math:`= \overline{R - r_f} / \mathrm{sd}(R) \sqrt q`;
    * ``sortino`` :math:`= q\,\overline{R - r_f} / (\sqrt{q}\,
      \sqrt{\tfrac1n\sum \min(R - r_f, 0)^2})`;
    * ``max_drawdown`` :math:`= \min_t E_t / \max(C, \max_{s \le t} E_s) - 1` (<= 0);
    * ``calmar`` = annual_return / \|max_drawdown\|;
    * ``hit_rate``: share of closed trades with net P&L > 0;
    * ``turnover``: traded weight (both legs, :math:`\sum_τ\sum_i |Δw_{i,τ}|`) per year;
      a round trip of a full position counts 2;
    * ``exposure``: share of the n return bars with a position held;
    * ``n_trades`` (open one included), ``n_closed_trades``, ``final_equity``,
      ``total_costs`` (currency: trading and borrow).

    Undefined values (zero volatility, no drawdown, no closed trade) are NaN (``None`` in
    JSON).
    """

    total_return: float
    annual_return: float
    annual_volatility: float
    sharpe: float
    sortino: float
    max_drawdown: float
    calmar: float
    hit_rate: float
    turnover: float
    exposure: float
    n_trades: int
    n_closed_trades: int
    final_equity: float
    total_costs: float

    @classmethod
    def from_vector(cls, v: FloatArray) -> Metrics:
        """Build from a kernel metrics vector (order ``METRIC_NAMES``)."""
        kw: dict[str, Any] = {name: float(v[i]) for i, name in enumerate(METRIC_NAMES)}
        kw["n_trades"] = int(v[METRIC_NAMES.index("n_trades")])
        kw["n_closed_trades"] = int(v[METRIC_NAMES.index("n_closed_trades")])
        return cls(**kw)


@dataclasses.dataclass(frozen=True)
class Trade(Result):
    """One round trip of a pair.

    Bars are indices into the backtest's arrays. ``entry_bar``/``exit_bar`` are the bars at
    whose close the weights change (execution); ``*_signal_bar`` the decision bars
    (``execution_lag`` earlier). ``holding_bars = exit_bar - entry_bar`` is the number of
    bar returns the trade earned. P&L and costs are in currency; ``net_pnl = pnl_y + pnl_x
    - trading_costs - borrow_costs`` and ``trade_return = net_pnl / equity before entry``.
    An open trade at the end has ``reason="open"`` and no exit bar.
    """

    side: str
    reason: str
    entry_signal_bar: int
    entry_bar: int
    exit_signal_bar: int | None
    exit_bar: int | None
    holding_bars: int
    pnl_y: float
    pnl_x: float
    trading_costs: float
    borrow_costs: float
    net_pnl: float
    trade_return: float
    entry_weight_y: float
    entry_weight_x: float
    entry_zscore: float
    exit_zscore: float
    entry_ts: Any = None
    exit_ts: Any = None

    @property
    def costs(self) -> float:
        """Trading plus borrow costs."""
        return self.trading_costs + self.borrow_costs


@dataclasses.dataclass(frozen=True)
class BacktestResult(Result):
    """Backtest of one pair (arrays of shape ``(T,)``).

    Attributes
    ----------
    equity : ndarray
        Equity at each close; ``equity[0] == capital`` (no position can exist at bar 0).
    returns : ndarray
        Net return of each bar, ``returns[0] = 0``.
    bar_costs : ndarray
        Cost fraction of each bar (trading and borrow, already inside ``returns``).
    weights_y, weights_x : ndarray
        Leg weights held at each close (fractions of equity), earning the next bar.
    signals : SignalResult
        Spread, z-score, events and positions behind the trades.
    trades : tuple of Trade
    metrics : Metrics
    """

    equity: FloatArray
    returns: FloatArray
    bar_costs: FloatArray
    weights_y: FloatArray
    weights_x: FloatArray
    signals: SignalResult
    trades: tuple[Trade, ...]
    metrics: Metrics
    params: StrategyParams
    costs: Costs
    capital: float
    index: DatetimeArray | None = None

    def equity_frame(self) -> pd.DataFrame:
        """Equity, returns, weights, z-score and held position as a DataFrame."""
        idx = pd.DatetimeIndex(self.index) if self.index is not None else None
        return pd.DataFrame(
            {
                "equity": self.equity,
                "returns": self.returns,
                "costs": self.bar_costs,
                "weight_y": self.weights_y,
                "weight_x": self.weights_x,
                "zscore": self.signals.zscore,
                "held": self.signals.held,
            },
            index=idx,
        )

    def trades_frame(self) -> pd.DataFrame:
        """The trades as a DataFrame (one row per trade)."""
        cols = [f.name for f in dataclasses.fields(Trade)]
        return pd.DataFrame([[getattr(t, c) for c in cols] for t in self.trades], columns=cols)


@dataclasses.dataclass(frozen=True)
class BatchBacktestResult(Result):
    """Backtests of P pairs.

    ``metrics`` maps each name of :class:`Metrics` to a ``(P,)`` array. The ``(P, T)`` path
    arrays are present only with ``return_paths=True``; ``trades`` (columnar, with a
    ``pair`` column and the fields of :class:`Trade`, sides as +1/-1 and reasons as
    :class:`~engine.strategy.Event` codes, -1 for open) only with ``return_trades=True``.
    """

    metrics: dict[str, FloatArray]
    params: tuple[StrategyParams, ...]
    costs: Costs
    capital: float
    equity: FloatArray | None = None
    returns: FloatArray | None = None
    bar_costs: FloatArray | None = None
    weights_y: FloatArray | None = None
    weights_x: FloatArray | None = None
    spread: FloatArray | None = None
    zscore: FloatArray | None = None
    events: npt.NDArray[np.int8] | None = None
    position: npt.NDArray[np.int8] | None = None
    trades: dict[str, np.ndarray] | None = None
    index: DatetimeArray | None = None

    @property
    def n_pairs(self) -> int:
        """P."""
        return int(next(iter(self.metrics.values())).shape[0])

    def pair_metrics(self, pair: int) -> Metrics:
        """The :class:`Metrics` of one pair."""
        return Metrics.from_vector(np.array([self.metrics[n][pair] for n in METRIC_NAMES]))

    def metrics_frame(self) -> pd.DataFrame:
        """One row per pair, one column per metric."""
        return pd.DataFrame(self.metrics)
