"""Configuration and frozen results of the walk-forward analysis."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import numpy.typing as npt

from engine._results import Result, to_json_value
from engine._typing import FloatArray, IntArray, Objective, WindowKind
from engine.backtest import Costs, Metrics
from engine.params import OptimizationResult, ParameterSet, ParamGrid, RegimeSwitch
from engine.regimes import RegimeMethod
from engine.strategy._inputs import DatetimeArray
from engine.walkforward.folds import Fold, make_folds
from engine.walkforward.selection import SelectedPair

__all__ = ["FoldResult", "WalkForwardConfig", "WalkForwardResult"]

Int8Array = npt.NDArray[np.int8]
_DEFAULT_GRID = ParamGrid()
_DEFAULT_COSTS = Costs()


@dataclasses.dataclass(frozen=True)
class WalkForwardConfig(Result):
    """Every option of a walk-forward run (picklable; JSON via ``to_dict``/``from_dict``).

    Fold layout
        ``train_bars``, ``test_bars`` / ``n_folds``, ``embargo``, ``window`` (see
        :func:`~engine.walkforward.make_folds`).
    Pair selection (train window only)
        ``top_k`` pairs by Engle-Granger p-value below ``significance_level``, with the
        ``min_correlation`` / ``max_half_life`` filters and the Benjamini-Hochberg ``fdr``
        (None: off), ``unique_symbols`` (a symbol in at most one pair) and
        ``positive_beta``.
    Parameters (train window only)
        ``grid``, ``objective``, ``min_trades`` (summed over the fold's pairs, which share
        one set); ``adaptive=True`` fits a set per regime (``regime_method`` and
        ``regime_options`` of :func:`~engine.regimes.detect_regimes` on the equal-weight
        mean log return of the universe; ``min_regime_bars``).
    Trading and statistics
        ``costs``, ``capital``, ``periods_per_year``; ``pbo_splits`` (CSCV's S);
        ``n_trials`` (trials for the deflated Sharpe ratio; default the grid size; add the
        walk-forward configurations you tried).
    """

    train_bars: int = 756
    test_bars: int | None = None
    n_folds: int | None = 10
    embargo: int = 0
    window: WindowKind = "rolling"
    top_k: int = 5
    significance_level: float = 0.05
    min_correlation: float | None = None
    max_half_life: float | None = None
    fdr: float | None = None
    unique_symbols: bool = True
    positive_beta: bool = True
    grid: ParamGrid = _DEFAULT_GRID
    objective: Objective = "sharpe"
    min_trades: int = 5
    adaptive: bool = False
    regime_method: RegimeMethod = "volatility"
    regime_options: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    min_regime_bars: int = 120
    costs: Costs = _DEFAULT_COSTS
    capital: float = 1_000_000.0
    periods_per_year: float = 252
    pbo_splits: int = 16
    n_trials: int | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.grid, ParamGrid):
            raise TypeError("grid must be a ParamGrid")
        if self.grid.hedge != "static":
            raise ValueError("the walk-forward trades a static train-window hedge")
        if self.train_bars + self.embargo < self.grid.max_lookback:
            raise ValueError("train_bars + embargo must cover the largest lookback (warm-up)")
        if isinstance(self.top_k, bool) or not isinstance(self.top_k, int) or self.top_k < 1:
            raise ValueError(f"top_k must be an integer >= 1, got {self.top_k!r}")
        if not 0.0 < self.significance_level < 1.0:
            raise ValueError("significance_level must be in (0, 1)")
        if self.objective not in ("sharpe", "sortino", "calmar"):
            raise ValueError(f"unknown objective {self.objective!r}")
        if not isinstance(self.costs, Costs):
            raise TypeError("costs must be a Costs instance")
        if not (math.isfinite(self.capital) and self.capital > 0):
            raise ValueError("capital must be > 0")
        object.__setattr__(self, "regime_options", dict(self.regime_options))

    def folds(self, n_bars: int) -> tuple[Fold, ...]:
        """The fold layout over ``n_bars`` bars."""
        return make_folds(
            n_bars,
            train_bars=self.train_bars,
            test_bars=self.test_bars,
            n_folds=self.n_folds,
            embargo=self.embargo,
            window=self.window,
        )

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> WalkForwardConfig:
        """Build from ``to_dict()`` output or an API payload."""
        names = {f.name for f in dataclasses.fields(cls)}
        extra = set(data) - names
        if extra:
            raise ValueError(f"unknown WalkForwardConfig fields: {sorted(extra)}")
        kw = dict(data)
        if isinstance(kw.get("grid"), Mapping):
            kw["grid"] = ParamGrid.from_dict(kw["grid"])
        if isinstance(kw.get("costs"), Mapping):
            kw["costs"] = Costs(**kw["costs"])
        return cls(**kw)


#: FoldResult fields kept for stitching but left out of ``to_dict()`` (the stitched
#: arrays of :class:`WalkForwardResult` carry them).
_FOLD_INTERNAL = (
    "labels",
    "events",
    "position",
    "weights_y",
    "weights_x",
    "zscore",
    "grid_returns",
    "oos_stats",
    "oos_costs",
)


@dataclasses.dataclass(frozen=True)
class FoldResult(Result):
    """One fold: what was chosen on its train window and how it traded its test window.

    Attributes
    ----------
    fold : Fold
    status : str
        ``"ok"``, ``"no_pairs"`` (nothing passed the selection: flat) or
        ``"no_eligible_params"`` (no candidate met ``min_trades``: flat).
    pairs : tuple of SelectedPair
        The selected pairs (slot order), with their train-window hedge.
    parameter_set : ParameterSet or None
        The chosen set (per regime when adaptive).
    optimization : OptimizationResult or None
        The train-window grid search (over the whole train window).
    is_metrics, oos_metrics : Metrics or None
        Return metrics of the fold's portfolio on its train window (the chosen set traded
        from a flat start) and on its test window.
    oos_returns, oos_equity : ndarray, shape (test_bars,)
        Portfolio returns of the test bars and the fold's own equity
        :math:`\\prod_{s \\le t}(1 + R_s)` (starting from 1).
    n_trades : int
        Entries executed in the test window (all pairs).
    switches : tuple of tuple of RegimeSwitch
        Per pair, the regime switches inside the test window (absolute bar indices).
    labels, events, position, weights_y, weights_x, zscore, grid_returns
        Per-bar arrays of the test window (pairs x bars; ``grid_returns``: every grid
        candidate's portfolio returns, for PBO). Not in ``to_dict()``.
    oos_stats, oos_costs
        The test window's portfolio trade statistics
        (:func:`~engine.backtest.portfolio_stats`) and per-bar cost fractions, for the
        trade-based fields of the stitched metrics. Not in ``to_dict()``.
    """

    fold: Fold
    status: str
    pairs: tuple[SelectedPair, ...]
    parameter_set: ParameterSet | None
    optimization: OptimizationResult | None
    is_metrics: Metrics | None
    oos_metrics: Metrics | None
    oos_returns: FloatArray
    oos_equity: FloatArray
    n_trades: int
    switches: tuple[tuple[RegimeSwitch, ...], ...]
    labels: IntArray
    events: Int8Array
    position: Int8Array
    weights_y: FloatArray
    weights_x: FloatArray
    zscore: FloatArray
    grid_returns: FloatArray
    oos_stats: FloatArray = dataclasses.field(default_factory=lambda: np.zeros(6))
    oos_costs: FloatArray | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON primitives, without the per-bar internals (see the class docstring)."""
        return {
            f.name: to_json_value(getattr(self, f.name))
            for f in dataclasses.fields(self)
            if f.name not in _FOLD_INTERNAL
        }

    def summary(self) -> str:
        """Fold ranges, pairs, parameters and IS/OOS Sharpe."""
        f = self.fold
        pairs = ", ".join(f"{p.symbol_y}/{p.symbol_x}" for p in self.pairs) or "-"
        is_sr = self.is_metrics.sharpe if self.is_metrics else math.nan
        oos_sr = self.oos_metrics.sharpe if self.oos_metrics else math.nan
        return (
            f"fold {f.index}: train [{f.train_start}, {f.train_end}) test [{f.test_start}, "
            f"{f.test_end}) {self.status}; pairs {pairs}; IS Sharpe {is_sr:.3g}, OOS Sharpe "
            f"{oos_sr:.3g}, trades {self.n_trades}"
        )


@dataclasses.dataclass(frozen=True)
class WalkForwardResult(Result):
    r"""A walk-forward run: folds, stitched out-of-sample path and its statistics.

    Attributes
    ----------
    config : WalkForwardConfig
    symbols : tuple of str
    folds : tuple of FoldResult
    bars : ndarray of int, shape (n,)
        Input bar index of each stitched out-of-sample bar (the test windows in order).
    index : ndarray of datetime64 or None
        Their timestamps.
    returns, equity : ndarray, shape (n,)
        Stitched portfolio returns and equity :math:`C \prod_{s \le t}(1 + R_s)`: each
        fold's equity chained onto the previous fold's last value.
    labels : ndarray of int, shape (n,)
        Regime label of each bar (-1 when not adaptive).
    events, position, zscore : ndarray, shape (top_k, n)
        Per slot (the j-th selected pair of the bar's fold): decisions, decided positions
        and governing z-scores (0 / NaN for empty slots).
    weights_y, weights_x : ndarray, shape (top_k, n)
        Portfolio weights of each slot's legs (pair weight / number of pairs in the fold).
    oos_metrics : Metrics
        Metrics of the stitched returns; ``n_trades`` = entries in all test windows; the
        trade-based fields (closed trades, hit rate, turnover, exposure, costs) come from
        the P&L accounting of every pair of every test window
        (:func:`~engine.backtest.portfolio_metrics`).
    is_sharpe_mean, is_annual_return_mean : float
        Means over the folds (status ``"ok"``) of the in-sample Sharpe and CAGR.
    wfe : float
        Walk-forward efficiency on the Sharpe ratio: stitched OOS annualized Sharpe /
        ``is_sharpe_mean`` (NaN when the latter is not > 0).
    wfe_return : float
        Pardo's return form: stitched OOS CAGR / ``is_annual_return_mean``.
    parameter_stability : dict
        Per parameter field (and per regime when adaptive): values chosen per fold, mean,
        standard deviation, coefficient of variation, number of distinct values; and
        ``modal_share``, the share of folds that chose the most frequent full set.
    deflated_sharpe, expected_max_sharpe : float
        DSR of the stitched OOS returns against :math:`\widehat{SR}_0` from ``n_trials``
        trials and the variance of the grid candidates' OOS Sharpe ratios (per period).
    n_trials : int
    pbo, pbo_splits
        CSCV PBO over the (n x G) matrix of every grid candidate's stitched OOS returns.
    """

    config: WalkForwardConfig
    symbols: tuple[str, ...]
    folds: tuple[FoldResult, ...]
    bars: IntArray
    index: DatetimeArray | None
    returns: FloatArray
    equity: FloatArray
    labels: IntArray
    events: Int8Array
    position: Int8Array
    zscore: FloatArray
    weights_y: FloatArray
    weights_x: FloatArray
    oos_metrics: Metrics
    is_sharpe_mean: float
    is_annual_return_mean: float
    wfe: float
    wfe_return: float
    parameter_stability: dict[str, Any]
    deflated_sharpe: float
    expected_max_sharpe: float
    n_trials: int
    pbo: float
    pbo_splits: int

    def headline(self) -> dict[str, Any]:
        """The few figures a dashboard shows first (JSON primitives)."""
        return to_json_value(
            {
                "folds": len(self.folds),
                "symbols": len(self.symbols),
                "oos_sharpe": self.oos_metrics.sharpe,
                "oos_annual_return": self.oos_metrics.annual_return,
                "oos_max_drawdown": self.oos_metrics.max_drawdown,
                "is_sharpe_mean": self.is_sharpe_mean,
                "wfe": self.wfe,
                "wfe_return": self.wfe_return,
                "deflated_sharpe": self.deflated_sharpe,
                "pbo": self.pbo,
                "oos_trades": self.oos_metrics.n_trades,
            }
        )

    def summary(self) -> str:
        """Headline figures and one line per fold."""
        h = self.headline()
        lines = ["WalkForwardResult"] + [f"  {k:<22} {v}" for k, v in h.items()]
        lines += ["  " + f.summary() for f in self.folds]
        return "\n".join(lines)
