r"""Regime-adaptive parameters: a ParameterSet per regime, fitted and backtested causally.

The adaptive rule (binding for the vectorized path and the bar-by-bar path)
---------------------------------------------------------------------------
Let :math:`\ell_t` be the causal regime label of bar t (``-1`` = unknown) and
:math:`A_t` the parameter set of that label (the fallback set for ``-1`` and for labels
without a set of their own). Every distinct set k keeps its own z-score
:math:`z^k_t` (its own ``lookback`` over the common spread) and its own "previous finite
z" :math:`z^k_{prev}`, updated at every bar whatever set is active.

* **Flat at t**: the decision is the strategy's transition (:mod:`engine.strategy`) with
  the *active* set :math:`A_t`: entry on a crossing of :math:`\pm` ``entry_z`` of
  :math:`A_t` by :math:`z^{A_t}` (from :math:`z^{A_t}_{prev}` to :math:`z^{A_t}_t`),
  no entry beyond its ``stop_z``; the *stopped* flag (left by a stop or time stop) is
  cleared when :math:`|z^{A_t}_t| <` ``entry_z`` of :math:`A_t`.
* **In a position at t**: the position keeps the set it entered with, :math:`E`, until it
  exits: exit, stop and time stop use :math:`z^E_t` and E's ``exit_z``, ``stop_z``,
  ``max_holding``, even if the regime (and the active set) changed meanwhile. New entries
  after the exit use the set active at their own bar.
* At most one event per bar (a position closed at t is re-entered at t+1 at the earliest).
* ``execution_lag`` and ``hedge`` must be the same in all sets (the execution timing and
  the spread cannot depend on the regime).

A *switch* is recorded at every bar whose label differs from the previous bar's, with the
sets before and after and a reason: ``"regime_change"`` (flat: the new set governs this
bar's decision), ``"regime_change_deferred"`` (a position is open: it keeps its entry set,
new entries use the new one) or ``"regime_change_same_params"`` (both labels map to the
same set). :class:`~engine.params.AdaptiveLiveStrategy` records the same switches bar by
bar.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from engine._results import Result, to_json_value
from engine._typing import FloatArray, IntArray, Objective
from engine.backtest import Costs, Metrics, Trade
from engine.backtest import _kernels as BK
from engine.backtest.pair import _trade_objects
from engine.params import _kernels as AK
from engine.params.grid import ParamGrid
from engine.params.optimize import (
    OptimizationResult,
    check_nonneg_int,
    check_objective,
    check_pairs,
    evaluate_grid,
    score_grid,
)
from engine.regimes import RegimeResult
from engine.strategy import EVENT_LABELS, StrategyParams
from engine.strategy import _kernels as SK
from engine.strategy._inputs import DatetimeArray, check_hedge, check_index, check_prices

__all__ = [
    "AdaptiveBacktestResult",
    "ParameterSet",
    "RegimeFit",
    "RegimeSwitch",
    "backtest_adaptive",
    "fit_parameter_set",
]

_DEFAULT_COSTS = Costs()
Int8Array = npt.NDArray[np.int8]


@dataclasses.dataclass(frozen=True)
class RegimeFit(Result):
    """How the set of one regime label was chosen.

    ``reason``: ``"fitted"``, ``"too_few_bars"`` (fewer than ``min_regime_bars`` bars of
    the label in the window) or ``"no_eligible_candidate"`` (every candidate had fewer
    than ``min_trades`` trades in the regime's bars); the last two use the fallback set.
    """

    label: int
    n_bars: int
    n_trades: int
    score: float
    used_fallback: bool
    reason: str


@dataclasses.dataclass(frozen=True)
class ParameterSet(Result):
    """Strategy parameters per regime label, with a fallback.

    Attributes
    ----------
    regimes : tuple of (label, StrategyParams)
        The set of each label that has its own, by increasing label.
    fallback : StrategyParams
        Used for the unknown label ``-1`` and for labels without their own set.
    fits : tuple of RegimeFit
        Diagnostics of :func:`fit_parameter_set` (empty when built by hand).
    objective : str or None
    """

    regimes: tuple[tuple[int, StrategyParams], ...]
    fallback: StrategyParams
    fits: tuple[RegimeFit, ...] = ()
    objective: str | None = None

    def __post_init__(self) -> None:
        regs = tuple(sorted((int(k), v) for k, v in self.regimes))
        labels = [k for k, _ in regs]
        if len(set(labels)) != len(labels) or any(k < 0 for k in labels):
            raise ValueError("regime labels must be distinct integers >= 0")
        allp = [self.fallback, *(v for _, v in regs)]
        if not all(isinstance(p, StrategyParams) for p in allp):
            raise TypeError("a ParameterSet holds StrategyParams")
        if len({(p.execution_lag, p.hedge) for p in allp}) > 1:
            raise ValueError("all sets of a ParameterSet must share execution_lag and hedge")
        object.__setattr__(self, "regimes", regs)

    @classmethod
    def constant(cls, params: StrategyParams) -> ParameterSet:
        """One set for every regime (the non-adaptive strategy)."""
        return cls(regimes=(), fallback=params)

    def params_for(self, label: int) -> StrategyParams:
        """The set of ``label`` (the fallback for -1 and unknown labels)."""
        for k, v in self.regimes:
            if k == label:
                return v
        return self.fallback

    @property
    def sets(self) -> tuple[StrategyParams, ...]:
        """The distinct sets: the fallback first, then by increasing label."""
        out = [self.fallback]
        for _, v in self.regimes:
            if v not in out:
                out.append(v)
        return tuple(out)

    def set_indices(self, labels: Any) -> IntArray:
        """Index into :attr:`sets` of the set active at each bar."""
        lab = np.asarray(labels, dtype=np.int64)
        sets = self.sets
        out = np.zeros(lab.shape, dtype=np.int64)
        for k, v in self.regimes:
            out[lab == k] = sets.index(v)
        return out

    def to_dict(self) -> dict[str, Any]:
        """``{"by_regime": {"0": {...}, ...}, "fallback": {...}, "fits": [...], "objective"}``."""
        return {
            "by_regime": {str(k): v.to_dict() for k, v in self.regimes},
            "fallback": self.fallback.to_dict(),
            "fits": [f.to_dict() for f in self.fits],
            "objective": self.objective,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ParameterSet:
        """Inverse of :meth:`to_dict` (``fits`` optional)."""
        fits = tuple(
            RegimeFit(**{**f, "score": math.nan if f.get("score") is None else f["score"]})
            for f in data.get("fits", ())
        )
        return cls(
            regimes=tuple(
                (int(k), StrategyParams.from_dict(v)) for k, v in data.get("by_regime", {}).items()
            ),
            fallback=StrategyParams.from_dict(data["fallback"]),
            fits=fits,
            objective=data.get("objective"),
        )


@dataclasses.dataclass(frozen=True)
class RegimeSwitch(Result):
    """A change of regime label at ``bar`` (the new label's set governs from this bar).

    ``open_position`` is the position open when the switch happened (decided at the bar
    before); with one open and different sets the reason is ``"regime_change_deferred"``.
    """

    bar: int
    ts: Any
    from_label: int
    to_label: int
    from_params: StrategyParams
    to_params: StrategyParams
    reason: str
    open_position: int


def switch_reason(from_p: StrategyParams, to_p: StrategyParams, open_position: int) -> str:
    """The reason code of a switch (see the module docstring)."""
    if from_p == to_p:
        return "regime_change_same_params"
    return "regime_change_deferred" if open_position != 0 else "regime_change"


def switches_from_labels(
    labels: IntArray, position: Int8Array, pset: ParameterSet, index: DatetimeArray | None
) -> tuple[RegimeSwitch, ...]:
    """The switch records of a label path and its decided positions."""
    out = []
    for t in np.flatnonzero(labels[1:] != labels[:-1]) + 1:
        a, b = int(labels[t - 1]), int(labels[t])
        fp, tp = pset.params_for(a), pset.params_for(b)
        op = int(position[t - 1])
        out.append(
            RegimeSwitch(
                bar=int(t),
                ts=None if index is None else to_json_value(index[t]),
                from_label=a,
                to_label=b,
                from_params=fp,
                to_params=tp,
                reason=switch_reason(fp, tp, op),
                open_position=op,
            )
        )
    return tuple(out)


def check_labels(labels: Any, n: int) -> IntArray:
    """Integer labels >= -1 of n bars (from an array or a RegimeResult)."""
    if isinstance(labels, RegimeResult):
        labels = labels.labels
    arr = np.asarray(labels)
    if arr.shape != (n,):
        raise ValueError(f"labels must have shape ({n},), got {arr.shape}")
    if arr.dtype.kind == "f":
        if not np.isfinite(arr).all() or (arr != np.round(arr)).any():
            raise ValueError("labels must be integers")
    elif arr.dtype.kind not in "iu":
        raise ValueError("labels must be integers")
    out = arr.astype(np.int64)
    if (out < -1).any():
        raise ValueError("labels must be >= -1")
    return out


# ----------------------------------------------------------------------------- fitting


def fit_regimes(
    Y: FloatArray,
    X: FloatArray,
    labels: IntArray,
    *,
    beta: Any,
    alpha: Any,
    grid: ParamGrid | Sequence[StrategyParams] | None,
    objective: Objective,
    min_trades: int,
    min_regime_bars: int,
    score_start: int,
    costs: Costs,
    periods_per_year: float,
    risk_free: float,
    pbo_splits: int,
    fallback: StrategyParams | None,
) -> tuple[ParameterSet | None, OptimizationResult]:
    """The fit behind :func:`fit_parameter_set`; also returns the whole-window optimization.

    The set is None when no candidate is eligible over the whole window and no
    ``fallback`` is given.
    """
    from engine.params.grid import candidate_list

    cands = candidate_list(grid)
    R, entries = evaluate_grid(
        Y, X, cands, beta=beta, alpha=alpha, costs=costs, periods_per_year=periods_per_year
    )
    T = Y.shape[1]
    window = np.zeros(T, dtype=bool)
    window[score_start:] = True
    kw: dict[str, Any] = {
        "objective": objective,
        "min_trades": min_trades,
        "periods_per_year": periods_per_year,
        "risk_free": risk_free,
    }
    overall = score_grid(R, entries, cands, window, pbo_splits=pbo_splits, **kw)
    overall = dataclasses.replace(overall, n_pairs=int(Y.shape[0]))
    fb = overall.best if overall.best is not None else fallback
    if fb is None:
        return None, overall
    regs: list[tuple[int, StrategyParams]] = []
    fits: list[RegimeFit] = []
    for lab in sorted({int(v) for v in labels[window] if v >= 0}):
        mask = window & (labels == lab)
        nb = int(mask.sum())
        if nb < min_regime_bars:
            fits.append(RegimeFit(lab, nb, 0, math.nan, True, "too_few_bars"))
            continue
        res = score_grid(R, entries, cands, mask, pbo_splits=0, **kw)
        if res.best is None:
            fits.append(RegimeFit(lab, nb, 0, math.nan, True, "no_eligible_candidate"))
            continue
        regs.append((lab, res.best))
        ntr = int(res.table["n_trades"][res.best_index])
        fits.append(RegimeFit(lab, nb, ntr, res.score, False, "fitted"))
    pset = ParameterSet(regimes=tuple(regs), fallback=fb, fits=tuple(fits), objective=objective)
    return pset, overall


def fit_parameter_set(
    y: Any,
    x: Any,
    labels: Any,
    *,
    beta: Any,
    alpha: Any = 0.0,
    grid: ParamGrid | Sequence[StrategyParams] | None = None,
    objective: Objective = "sharpe",
    min_trades: int = 5,
    min_regime_bars: int = 120,
    score_start: int = 0,
    costs: Costs = _DEFAULT_COSTS,
    periods_per_year: float = 252,
    risk_free: float = 0.0,
    fallback: StrategyParams | None = None,
) -> ParameterSet:
    r"""Fit one parameter set per regime label on in-sample data.

    Parameters
    ----------
    y, x : array_like, shape (T,) or (P, T)
        In-sample prices of one pair or P pairs (scored as their equal-weight portfolio).
    labels : array_like of int, shape (T,), or RegimeResult
        Causal regime label of each bar (``-1`` unknown).
    beta, alpha : static hedge (scalar or (P,)).
    grid, objective, min_trades, score_start, costs, periods_per_year, risk_free
        As in :func:`~engine.params.optimize_params`.
    min_regime_bars : int
        A label with fewer bars in the scoring window gets the fallback set.
    fallback : StrategyParams, optional
        Used when no candidate is eligible over the whole window (else that is an error).

    Returns
    -------
    ParameterSet
        The fallback is the best candidate over the whole scoring window; label r gets the
        best candidate scored on the bars labelled r only.

    Notes
    -----
    The grid runs once (one batched backtest) over the whole window; the score of a
    candidate for regime r uses the bar returns :math:`R_\tau` with
    :math:`\ell_{\tau-1} = r` (the position earning :math:`R_\tau` was held through the
    close of :math:`\tau - 1`, whose regime was then known) and the entries decided at
    bars labelled r. This approximates each set's behaviour inside its regime by the
    single-set path (positions opened in another regime count where they earn).
    """
    Y, X, _ = check_pairs(y, x)
    lab = check_labels(labels, Y.shape[1])
    score_start = check_nonneg_int("score_start", score_start)
    pset, _ = fit_regimes(
        Y,
        X,
        lab,
        beta=beta,
        alpha=alpha,
        grid=grid,
        objective=check_objective(objective),
        min_trades=check_nonneg_int("min_trades", min_trades),
        min_regime_bars=check_nonneg_int("min_regime_bars", min_regime_bars),
        score_start=score_start,
        costs=costs,
        periods_per_year=periods_per_year,
        risk_free=risk_free,
        pbo_splits=0,
        fallback=fallback,
    )
    if pset is None:
        raise ValueError("no eligible candidate in the window and no fallback given")
    return pset


# ----------------------------------------------------------------------------- backtest


@dataclasses.dataclass(frozen=True)
class AdaptiveBacktestResult(Result):
    """Backtest of one pair with regime-adaptive parameters (arrays of shape ``(T,)``).

    Attributes
    ----------
    equity, returns, bar_costs, weights_y, weights_x
        As in :class:`~engine.backtest.BacktestResult`.
    spread : ndarray
    zscore : ndarray
        z-score of the set that decided each bar (see ``governing_set``).
    zscores : ndarray, shape (K, T)
        z-score of every set.
    events, position, held : ndarray of int8
        Decisions, decided positions and held positions (``held[t] = position[t - lag]``).
    labels : ndarray of int64
        The regime label of each bar.
    active_set, governing_set : ndarray of int64
        Index into ``sets`` of the set selected by the label, and of the set that decided
        the bar (the entry set of an open position, else the active set).
    sets : tuple of StrategyParams
        ``parameter_set.sets``.
    switches : tuple of RegimeSwitch
    trades : tuple of Trade
    metrics : Metrics
    """

    equity: FloatArray
    returns: FloatArray
    bar_costs: FloatArray
    weights_y: FloatArray
    weights_x: FloatArray
    spread: FloatArray
    zscore: FloatArray
    zscores: FloatArray
    events: Int8Array
    position: Int8Array
    held: Int8Array
    labels: IntArray
    active_set: IntArray
    governing_set: IntArray
    sets: tuple[StrategyParams, ...]
    switches: tuple[RegimeSwitch, ...]
    trades: tuple[Trade, ...]
    metrics: Metrics
    parameter_set: ParameterSet
    costs: Costs
    capital: float
    index: DatetimeArray | None = None

    def event_records(self) -> list[dict[str, Any]]:
        """Non-hold decisions as ``{bar, ts, event, zscore, position, label, set}`` dicts."""
        out = []
        for t in np.flatnonzero(self.events):
            out.append(
                {
                    "bar": int(t),
                    "ts": None if self.index is None else to_json_value(self.index[t]),
                    "event": EVENT_LABELS[int(self.events[t])],
                    "zscore": float(self.zscore[t]),
                    "position": int(self.position[t]),
                    "label": int(self.labels[t]),
                    "set": int(self.governing_set[t]),
                }
            )
        return out


def run_adaptive(
    y: FloatArray,
    x: FloatArray,
    active: IntArray,
    sets: Sequence[StrategyParams],
    *,
    beta: FloatArray,
    alpha: FloatArray,
    trade_start: int,
    force_exit: int,
    costs: Costs,
    capital: float,
    periods_per_year: float,
    risk_free: float,
    rebalance_bar: bool,
) -> dict[str, np.ndarray]:
    """Array core of the adaptive path of one pair (validated inputs; β/α of length 1 or T)."""
    T = y.shape[0]
    K = len(sets)
    ly, lx, ry, rx = (np.empty(T) for _ in range(4))
    SK.log_row(y, ly)
    SK.log_row(x, lx)
    BK.return_row(y, ry)
    BK.return_row(x, rx)
    out: dict[str, np.ndarray] = {
        "spread": np.empty(T),
        "Z": np.empty((K, T)),
        "events": np.empty(T, dtype=np.int8),
        "position": np.empty(T, dtype=np.int8),
        "gov": np.empty(T, dtype=np.int64),
        "wy": np.empty(T),
        "wx": np.empty(T),
        "ret": np.empty(T),
        "cost": np.empty(T),
        "eq": np.empty(T),
        "metrics": np.empty(BK.N_METRICS),
        "stats": np.empty(BK.N_STATS),
    }
    AK.adaptive_path(
        y,
        x,
        ly,
        lx,
        ry,
        rx,
        beta,
        alpha,
        np.ascontiguousarray(active, dtype=np.int64),
        np.array([p.lookback for p in sets], dtype=np.int64),
        np.array([p.entry_z for p in sets]),
        np.array([p.exit_z for p in sets]),
        np.array([p.stop_value for p in sets]),
        np.array([p.max_holding_value for p in sets], dtype=np.int64),
        sets[0].execution_lag,
        trade_start,
        force_exit,
        costs.trade_fraction,
        costs.borrow_daily,
        rebalance_bar,
        capital,
        float(periods_per_year),
        float(risk_free) / float(periods_per_year),
        out["spread"],
        out["Z"],
        out["events"],
        out["position"],
        out["gov"],
        out["wy"],
        out["wx"],
        out["ret"],
        out["cost"],
        out["eq"],
        out["metrics"],
        out["stats"],
    )
    out["zgov"] = out["Z"][out["gov"], np.arange(T)]
    lag = sets[0].execution_lag
    held = np.zeros(T, dtype=np.int8)
    if lag < T:
        held[lag:] = out["position"][: T - lag]
    out["held"] = held
    return out


def backtest_adaptive(
    y: Any,
    x: Any,
    labels: Any,
    *,
    parameter_set: ParameterSet,
    beta: Any,
    alpha: Any = 0.0,
    costs: Costs = _DEFAULT_COSTS,
    capital: float = 1_000_000.0,
    periods_per_year: float = 252,
    risk_free: float = 0.0,
    hedge_rebalance: str = "bar",
    index: Any = None,
    warmup: int = 0,
) -> AdaptiveBacktestResult:
    """Backtest one pair with the parameter set of each bar's causal regime label.

    Parameters
    ----------
    y, x : array_like or pandas.Series, shape (T,)
        Closing prices (finite, > 0).
    labels : array_like of int, shape (T,), or RegimeResult
        Causal regime label of each bar (``-1`` unknown: fallback set).
    parameter_set : ParameterSet
    beta, alpha : float or array_like
        Static scalars, or ``(T,)`` causal arrays when the sets use ``hedge="dynamic"``.
    costs, capital, periods_per_year, risk_free, hedge_rebalance, index
        As in :func:`~engine.backtest.backtest_pair` (no volume cap).
    warmup : int
        The first ``warmup`` bars are history before the backtest: their spread and
        z-scores fill the rolling windows (and the last of them is the "previous z" of a
        crossing at bar ``warmup``), but no decision is taken there. The result (paths,
        trades, labels, switches, metrics) covers bars ``[warmup, T)`` only, starting flat
        with ``capital``; decisions at those bars read data up to the bar itself only.

    Returns
    -------
    AdaptiveBacktestResult

    Notes
    -----
    The decision rule (open positions keep their entry set; new entries use the active
    set) is in the module docstring. Timing, weights, costs and metrics are exactly those
    of :mod:`engine.backtest` (its own kernels run the P&L); with a single set the result
    equals :func:`~engine.backtest.backtest_pair`. Decisions are identical to feeding
    the bars one by one to :class:`~engine.params.AdaptiveLiveStrategy`.
    """
    if not isinstance(parameter_set, ParameterSet):
        raise TypeError("parameter_set must be a ParameterSet")
    Y = check_prices(y, "y", ndim=1, allow_nan=False)
    X = check_prices(x, "x", ndim=1, allow_nan=False)
    if Y.shape != X.shape:
        raise ValueError(f"y and x shapes differ: {Y.shape} vs {X.shape}")
    T = Y.shape[0]
    lab = check_labels(labels, T)
    if hedge_rebalance not in ("bar", "entry"):
        raise ValueError(f"hedge_rebalance must be 'bar' or 'entry', got {hedge_rebalance!r}")
    if not isinstance(costs, Costs):
        raise TypeError("costs must be a Costs instance")
    if not (math.isfinite(capital) and capital > 0):
        raise ValueError("capital must be a finite number > 0")
    sets = parameter_set.sets
    hedge = sets[0].hedge
    B = check_hedge(beta, "beta", hedge=hedge, n_pairs=None, n_bars=T, allow_nan=True)[0]
    A = check_hedge(alpha, "alpha", hedge=hedge, n_pairs=None, n_bars=T, allow_nan=True)[0]
    idx = check_index(y, index, T)
    if isinstance(warmup, bool) or not isinstance(warmup, (int, np.integer)):
        raise TypeError("warmup must be an integer")
    w = int(warmup)
    if not 0 <= w <= T - 2:
        raise ValueError(f"warmup must be in [0, {T - 2}] for {T} bars, got {w}")
    active = parameter_set.set_indices(lab)
    r = run_adaptive(
        Y,
        X,
        active,
        sets,
        beta=B,
        alpha=A,
        trade_start=w,
        force_exit=-1,
        costs=costs,
        capital=float(capital),
        periods_per_year=periods_per_year,
        risk_free=risk_free,
        rebalance_bar=hedge_rebalance == "bar",
    )
    if w:
        # flat before bar w: the kernel's trade statistics are those of [w, T); the
        # return-based metrics are recomputed over that window alone
        for key in ("spread", "events", "position", "gov", "wy", "wx", "ret", "cost", "eq"):
            r[key] = r[key][w:]
        for key in ("zgov", "held"):
            r[key] = r[key][w:]
        r["Z"] = r["Z"][:, w:]
        metrics = np.empty(BK.N_METRICS)
        ppy = float(periods_per_year)
        BK.metrics_row(
            np.ascontiguousarray(r["ret"]),
            np.ascontiguousarray(r["eq"]),
            float(capital),
            ppy,
            float(risk_free) / ppy,
            r["stats"],
            metrics,
        )
        r["metrics"] = metrics
        Y, X, lab, active = Y[w:], X[w:], lab[w:], active[w:]
        idx = None if idx is None else idx[w:]
    rows = BK.trades_row(
        Y,
        X,
        r["zgov"],
        r["events"],
        r["position"],
        sets[0].execution_lag,
        r["wy"],
        r["wx"],
        r["eq"],
        float(capital),
        costs.trade_fraction,
        costs.borrow_daily,
    )
    return AdaptiveBacktestResult(
        equity=r["eq"],
        returns=r["ret"],
        bar_costs=r["cost"],
        weights_y=r["wy"],
        weights_x=r["wx"],
        spread=r["spread"],
        zscore=r["zgov"],
        zscores=r["Z"],
        events=r["events"],
        position=r["position"],
        held=r["held"],
        labels=lab,
        active_set=active,
        governing_set=r["gov"],
        sets=sets,
        switches=switches_from_labels(lab, r["position"], parameter_set, idx),
        trades=_trade_objects(rows, idx),
        metrics=Metrics.from_vector(r["metrics"]),
        parameter_set=parameter_set,
        costs=costs,
        capital=float(capital),
        index=idx,
    )
