r"""In-sample parameter optimization of the z-score pair strategy (batched grid search).

The whole grid is one call of :func:`engine.backtest.backtest_pairs` with one
``StrategyParams`` per row (G candidates x P pairs rows), never a Python loop of
backtests. Candidates are scored on the returns of a scoring window (or of any subset of
bars: the per-regime fit of :mod:`engine.params.adaptive` uses the bars of one regime).

Why a grid and not Optuna
-------------------------
The strategy has four or five parameters with a handful of sensible values each; the full
grid (tens to a few hundred candidates) runs as one parallel numba call in milliseconds to
a second. A sequential sampler (Optuna's TPE) would run trials one by one in Python,
cannot use the batched backtest, makes the number of trials depend on the sampler's path
(the deflated Sharpe ratio and PBO need a well-defined, fixed set of trials and CSCV needs
the return matrix of *all* of them) and adds a dependency. Optuna earns its place only with
many continuous parameters; not here.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from engine._results import Result
from engine._typing import BoolArray, FloatArray, Objective
from engine.backtest import Costs, Metrics, backtest_pairs, portfolio_metrics, portfolio_stats
from engine.compute import ComputeCancelled
from engine.params._kernels import entries_executed
from engine.params.grid import ParamGrid, candidate_list
from engine.stats.overfit import deflated_sharpe_ratio, probability_of_backtest_overfitting
from engine.strategy import StrategyParams
from engine.strategy._inputs import check_prices

__all__ = ["OBJECTIVES", "OptimizationResult", "optimize_params"]

OBJECTIVES: tuple[Objective, ...] = ("sharpe", "sortino", "calmar")
_DEFAULT_COSTS = Costs()
Progress = Callable[[float, str], None]
ShouldStop = Callable[[], bool]

_TABLE_PARAM_COLUMNS = ("lookback", "entry_z", "exit_z", "stop_z", "max_holding")
_TABLE_METRIC_COLUMNS = (
    "total_return",
    "annual_return",
    "annual_volatility",
    "sharpe",
    "sortino",
    "max_drawdown",
    "calmar",
)


@dataclasses.dataclass(frozen=True)
class OptimizationResult(Result):
    r"""The grid search's selection, its full table and its overfitting statistics.

    Attributes
    ----------
    best : StrategyParams or None
        The selected candidate; None when no candidate is eligible.
    best_index : int
        Its grid index (-1 when none).
    score : float
        Its objective value (annualized, as in :class:`~engine.backtest.Metrics`).
    objective : {"sharpe", "sortino", "calmar"}
    min_trades : int
        Candidates with fewer trades (entries executed in the scoring window, summed over
        the pairs) are ineligible.
    n_trials : int
        Number of candidates tried (G), the N of the deflated Sharpe ratio.
    n_eligible : int
    candidates : tuple of StrategyParams
        The grid, in grid order.
    table : dict of str to ndarray
        One entry per candidate: the parameters (``stop_z``/``max_holding`` NaN when
        disabled), the return metrics of the scoring window, ``n_trades``, ``score``,
        ``eligible`` and ``rank`` (1 = best, 0 = ineligible).
    best_metrics : Metrics or None
        Metrics of the best candidate over the scoring window. With ``score_start=0`` the
        trade-based fields (closed trades, hit rate, turnover, exposure, final equity and
        costs at a capital of 1) come from the backtest's P&L accounting of each pair
        (with one pair: exactly :func:`~engine.backtest.backtest_pair`'s); with a warm-up
        before the window (``score_start > 0``) they are NaN / 0.
    best_returns : ndarray
        The best candidate's per-bar returns in the scoring window (empty when none).
    deflated_sharpe : float
        :math:`\widehat{DSR}` of ``best_returns`` given the per-period Sharpe ratios of all
        G trials (NaN when undefined).
    expected_max_sharpe : float
        :math:`\widehat{SR}_0`, per period, the DSR's benchmark.
    pbo : float
        Probability of backtest overfitting (CSCV, Sharpe) over the (n x G) return matrix.
    pbo_splits : int
        S used for CSCV (0 when PBO was not computable).
    n_obs : int
        Returns in the scoring window.
    n_pairs : int
        Pairs the candidates were evaluated on (their equal-weight portfolio is scored).
    """

    best: StrategyParams | None
    best_index: int
    score: float
    objective: Objective
    min_trades: int
    n_trials: int
    n_eligible: int
    candidates: tuple[StrategyParams, ...]
    table: dict[str, np.ndarray]
    best_metrics: Metrics | None
    best_returns: FloatArray
    deflated_sharpe: float
    expected_max_sharpe: float
    pbo: float
    pbo_splits: int
    n_obs: int
    n_pairs: int

    def table_frame(self) -> pd.DataFrame:
        """The grid table as a DataFrame, best first (ineligible rows last)."""
        frame = pd.DataFrame(self.table)
        key = np.where(frame["rank"] > 0, frame["rank"], len(frame) + 1)
        return frame.iloc[np.argsort(key, kind="stable")].reset_index(drop=True)

    def summary(self) -> str:
        """Objective, best candidate, eligibility and overfitting statistics."""
        best = "none eligible" if self.best is None else repr(self.best)
        return "\n".join(
            [
                "OptimizationResult",
                f"  objective              {self.objective} (min_trades={self.min_trades})",
                f"  trials / eligible      {self.n_trials} / {self.n_eligible}",
                f"  best                   {best}",
                f"  score                  {self.score:.4g}",
                f"  deflated Sharpe        {self.deflated_sharpe:.4g}",
                f"  PBO                    {self.pbo:.4g} (S={self.pbo_splits})",
                f"  bars / pairs           {self.n_obs} / {self.n_pairs}",
            ]
        )


# ----------------------------------------------------------------------------- helpers


def check_pairs(y: Any, x: Any) -> tuple[FloatArray, FloatArray, bool]:
    """(P, T) float arrays of one pair (1-D input) or P pairs, and whether input was 1-D."""
    ndim = np.ndim(y)
    if ndim not in (1, 2):
        raise ValueError(f"y must be 1- or 2-dimensional, got {ndim} dimensions")
    Y = check_prices(y, "y", ndim=ndim, allow_nan=False)
    X = check_prices(x, "x", ndim=ndim, allow_nan=False)
    if Y.shape != X.shape:
        raise ValueError(f"y and x shapes differ: {Y.shape} vs {X.shape}")
    T = Y.shape[-1]
    return Y.reshape(-1, T), X.reshape(-1, T), ndim == 1


def check_objective(objective: str) -> Objective:
    """``objective`` if valid."""
    if objective not in OBJECTIVES:
        raise ValueError(f"objective must be one of {OBJECTIVES}, got {objective!r}")
    return objective


def check_nonneg_int(name: str, v: Any) -> int:
    """``v`` as an int >= 0."""
    if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < 0:
        raise ValueError(f"{name} must be an integer >= 0, got {v!r}")
    return int(v)


def evaluate_grid(
    Y: FloatArray,
    X: FloatArray,
    candidates: Sequence[StrategyParams],
    *,
    beta: Any,
    alpha: Any,
    costs: Costs,
    periods_per_year: float,
) -> tuple[FloatArray, np.ndarray]:
    """Per-bar portfolio returns ``(G, T)`` and executed entries ``(G, T)`` of a grid.

    One :func:`~engine.backtest.backtest_pairs` call over G x P rows (row ``g * P + p``
    is candidate g on pair p). The portfolio return is the equal-weight mean of the P
    pair returns (each pair gets 1/P of the capital, re-balanced every bar).
    """
    G, (P, T) = len(candidates), Y.shape
    B = np.broadcast_to(np.asarray(beta, dtype=np.float64), (P,))
    A = np.broadcast_to(np.asarray(alpha, dtype=np.float64), (P,))
    plist = [c for c in candidates for _ in range(P)]
    res = backtest_pairs(
        np.tile(Y, (G, 1)),
        np.tile(X, (G, 1)),
        params=plist,
        beta=np.tile(B, G),
        alpha=np.tile(A, G),
        costs=costs,
        periods_per_year=periods_per_year,
        return_paths=True,
    )
    assert res.returns is not None and res.events is not None
    R = res.returns.reshape(G, P, T).mean(axis=1)
    lag = candidates[0].execution_lag
    entries = entries_executed(res.events, lag).reshape(G, P, T).sum(axis=1)
    return np.ascontiguousarray(R), entries


def return_table(
    R: FloatArray, *, periods_per_year: float, risk_free: float
) -> dict[str, FloatArray]:
    r"""Return metrics of each row of ``R`` (shape ``(G, n)``, every value a bar return).

    The formulas of :class:`~engine.backtest.Metrics` with all n values counted (the
    backtest's ``returns[0]`` is not passed here): Sharpe
    :math:`\sqrt q\,\overline{R-r_f}/s_R`, Sortino :math:`q\,\overline{R-r_f}/(\sqrt q
    \sqrt{\tfrac1n\sum\min(R-r_f,0)^2})`, CAGR :math:`\prod(1+R)^{q/n}-1`, maximum
    drawdown of :math:`\prod_{s\le t}(1+R_s)` against a running peak that starts at 1,
    Calmar = CAGR / \|MDD\|. Undefined values are NaN.
    """
    G, n = R.shape
    q = float(periods_per_year)
    rf = float(risk_free) / q
    nan = np.full(G, np.nan)
    out = {k: nan.copy() for k in _TABLE_METRIC_COLUMNS}
    if n < 1:
        return out
    eq = np.cumprod(1.0 + R, axis=1)
    growth = eq[:, -1]
    out["total_return"] = growth - 1.0
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        out["annual_return"] = np.where(growth > 0, growth ** (q / n) - 1.0, -1.0)
        peak = np.maximum.accumulate(np.maximum(eq, 1.0), axis=1)
        mdd = np.minimum((eq / peak - 1.0).min(axis=1), 0.0)
        out["max_drawdown"] = mdd
        out["calmar"] = np.where(
            mdd < 0, out["annual_return"] / -np.where(mdd < 0, mdd, 1.0), np.nan
        )
        mean = R.mean(axis=1)
        if n >= 2:
            std = R.std(axis=1, ddof=1)
            out["annual_volatility"] = std * math.sqrt(q)
            out["sharpe"] = np.where(std > 0, (mean - rf) / np.where(std > 0, std, 1.0), np.nan)
            out["sharpe"] = out["sharpe"] * math.sqrt(q)
        down = np.sqrt((np.minimum(R - rf, 0.0) ** 2).mean(axis=1)) * math.sqrt(q)
        out["sortino"] = np.where(down > 0, (mean - rf) * q / np.where(down > 0, down, 1.0), np.nan)
    return out


def select_best(
    score: FloatArray, n_trades: np.ndarray, min_trades: int
) -> tuple[BoolArray, np.ndarray]:
    """Eligibility and ranks (1 = best, 0 = ineligible).

    Eligible: ``n_trades >= min_trades`` and a finite score. Order: higher score, then
    more trades, then lower grid index (exact ties only; fully deterministic).
    """
    G = score.shape[0]
    eligible = (n_trades >= min_trades) & np.isfinite(score)
    key_score = np.where(eligible, -score, np.inf)
    order = np.lexsort((np.arange(G), -n_trades, key_score))
    rank = np.zeros(G, dtype=np.int64)
    n_el = int(eligible.sum())
    rank[order[:n_el]] = np.arange(1, n_el + 1)
    return eligible, rank


def pbo_of(matrix: FloatArray, splits: int) -> tuple[float, int]:
    """PBO by CSCV (Sharpe) of an ``(n, G)`` return matrix, S reduced to fit n; NaN if not."""
    n, G = matrix.shape
    S = min(int(splits), (n // 2) // 2 * 2)
    if G < 2 or S < 2:
        return math.nan, 0
    try:
        res = probability_of_backtest_overfitting(
            np.ascontiguousarray(matrix), n_splits=S, metric="sharpe"
        )
    except ValueError:
        return math.nan, 0
    return float(res.pbo), S


def dsr_of(
    best_returns: FloatArray, trial_sharpes: FloatArray, n_trials: int
) -> tuple[float, float]:
    """(DSR, SR0) of the selected returns given the per-period trial Sharpe ratios."""
    finite = trial_sharpes[np.isfinite(trial_sharpes)]
    if finite.size < 2 or best_returns.size < 3 or not np.std(best_returns) > 0:
        return math.nan, math.nan
    res = deflated_sharpe_ratio(best_returns, finite, n_trials=float(n_trials))
    return float(res.dsr), float(res.expected_max_sharpe)


def score_grid(
    R: FloatArray,
    entries: np.ndarray,
    candidates: Sequence[StrategyParams],
    bar_mask: BoolArray,
    *,
    objective: Objective,
    min_trades: int,
    periods_per_year: float,
    risk_free: float,
    pbo_splits: int,
) -> OptimizationResult:
    """Score a grid's ``(G, T)`` returns on the bars selected by ``bar_mask``.

    Bar return :math:`R_\tau` counts when ``bar_mask[τ - 1]`` (the position earning it was
    held over the close of τ-1, a bar of the window); an entry counts when its decision bar
    is in the mask.
    """
    ret_mask = np.zeros_like(bar_mask)
    ret_mask[1:] = bar_mask[:-1]
    Rw = np.ascontiguousarray(R[:, ret_mask])
    n_trades = entries[:, bar_mask].sum(axis=1).astype(np.int64)
    table_m = return_table(Rw, periods_per_year=periods_per_year, risk_free=risk_free)
    score = table_m[objective]
    eligible, rank = select_best(score, n_trades, min_trades)
    G = len(candidates)
    table: dict[str, np.ndarray] = {
        "lookback": np.array([c.lookback for c in candidates], dtype=np.int64),
        "entry_z": np.array([c.entry_z for c in candidates]),
        "exit_z": np.array([c.exit_z for c in candidates]),
        "stop_z": np.array([np.nan if c.stop_z is None else c.stop_z for c in candidates]),
        "max_holding": np.array(
            [np.nan if c.max_holding is None else c.max_holding for c in candidates]
        ),
        **table_m,
        "n_trades": n_trades,
        "score": score,
        "eligible": eligible,
        "rank": rank,
    }
    n_el = int(eligible.sum())
    best_idx = int(np.flatnonzero(rank == 1)[0]) if n_el else -1
    trial_sr = table_m["sharpe"] / math.sqrt(periods_per_year)
    pbo, S = pbo_of(Rw.T, pbo_splits)
    if best_idx >= 0:
        best_ret = Rw[best_idx].copy()
        dsr, sr0 = dsr_of(best_ret, trial_sr, G)
        vec = {k: float(table_m[k][best_idx]) for k in _TABLE_METRIC_COLUMNS}
        best_metrics: Metrics | None = Metrics(
            **vec,
            hit_rate=math.nan,
            turnover=math.nan,
            exposure=math.nan,
            n_trades=int(n_trades[best_idx]),
            n_closed_trades=0,
            final_equity=math.nan,
            total_costs=math.nan,
        )
    else:
        best_ret, dsr, sr0, best_metrics = np.empty(0), math.nan, math.nan, None
    return OptimizationResult(
        best=candidates[best_idx] if best_idx >= 0 else None,
        best_index=best_idx,
        score=float(score[best_idx]) if best_idx >= 0 else math.nan,
        objective=objective,
        min_trades=min_trades,
        n_trials=G,
        n_eligible=n_el,
        candidates=tuple(candidates),
        table=table,
        best_metrics=best_metrics,
        best_returns=best_ret,
        deflated_sharpe=dsr,
        expected_max_sharpe=sr0,
        pbo=pbo,
        pbo_splits=S,
        n_obs=int(ret_mask.sum()),
        n_pairs=0,
    )


# ----------------------------------------------------------------------------- public


def optimize_params(
    y: Any,
    x: Any,
    *,
    beta: Any,
    alpha: Any = 0.0,
    grid: ParamGrid | Sequence[StrategyParams] | None = None,
    objective: Objective = "sharpe",
    min_trades: int = 5,
    score_start: int = 0,
    costs: Costs = _DEFAULT_COSTS,
    periods_per_year: float = 252,
    risk_free: float = 0.0,
    pbo_splits: int = 16,
    progress: Progress | None = None,
    should_stop: ShouldStop | None = None,
) -> OptimizationResult:
    r"""Grid search of the strategy's parameters on in-sample data.

    Parameters
    ----------
    y, x : array_like, shape (T,) or (P, T)
        In-sample closing prices (finite, > 0) of one pair or of P pairs. With P pairs the
        candidates are scored on the equal-weight portfolio of the pairs (one parameter
        set shared by the pairs).
    beta, alpha : float or array_like of shape (P,)
        Static hedge of each pair (from the same in-sample data).
    grid : ParamGrid or sequence of StrategyParams, optional
        Candidates (default :class:`ParamGrid`'s 36). All share ``hedge="static"`` and
        ``execution_lag``.
    objective : {"sharpe", "sortino", "calmar"}
        Annualized objective of the scoring window's returns (higher is better).
    min_trades : int
        Minimum number of entries (executed, summed over pairs) with a decision bar in the
        scoring window; candidates with fewer are ineligible.
    score_start : int
        First bar of the scoring window; earlier bars are warm-up (their z-scores feed the
        rolling windows, their returns and trades are not scored). A walk-forward passes
        up to ``max(lookback)`` bars of history before its train window.
    costs, periods_per_year, risk_free
        As in :func:`~engine.backtest.backtest_pair`.
    pbo_splits : int
        CSCV's S (even; reduced when the window is too short).
    progress : callable(fraction, message), optional
    should_stop : callable() -> bool, optional
        Polled before the (single, batched) evaluation; True raises
        :class:`~engine.compute.ComputeCancelled`.

    Returns
    -------
    OptimizationResult

    Notes
    -----
    Selection: the eligible candidate with the highest score; exact ties go to more trades,
    then to the lower grid index. Scores are the :class:`~engine.backtest.Metrics` formulas
    over the window's returns :math:`R_\tau`, :math:`\tau > \text{score\_start}` (with
    ``score_start=0`` they equal the metrics of :func:`~engine.backtest.backtest_pair`).
    The deflated Sharpe ratio uses :math:`N = G` trials and the variance of the G
    per-period Sharpe ratios; PBO runs CSCV on the :math:`(n \times G)` return matrix.

    References
    ----------
    Bailey, D. H. and López de Prado, M. (2014). The deflated Sharpe ratio. *Journal of
    Portfolio Management* 40(5), 94-107.
    Bailey, D. H., Borwein, J., López de Prado, M. and Zhu, Q. J. (2017). The probability
    of backtest overfitting. *Journal of Computational Finance* 20(4), 39-69.
    Pardo, R. (2008). *The Evaluation and Optimization of Trading Strategies*, 2nd ed. Wiley.
    """
    Y, X, _ = check_pairs(y, x)
    cands = candidate_list(grid)
    if cands[0].hedge != "static":
        raise ValueError("optimize_params supports hedge='static' candidates only")
    objective = check_objective(objective)
    min_trades = check_nonneg_int("min_trades", min_trades)
    score_start = check_nonneg_int("score_start", score_start)
    T = Y.shape[1]
    if score_start > T - 3:
        raise ValueError(f"score_start={score_start} leaves fewer than 3 bars of {T}")
    if should_stop is not None and should_stop():
        raise ComputeCancelled("optimization cancelled", done=0, total=1)
    if progress is not None:
        progress(0.0, f"evaluating {len(cands)} candidates on {Y.shape[0]} pair(s)")
    R, entries = evaluate_grid(
        Y, X, cands, beta=beta, alpha=alpha, costs=costs, periods_per_year=periods_per_year
    )
    mask = np.zeros(T, dtype=bool)
    mask[score_start:] = True
    res = score_grid(
        R,
        entries,
        cands,
        mask,
        objective=objective,
        min_trades=min_trades,
        periods_per_year=periods_per_year,
        risk_free=risk_free,
        pbo_splits=pbo_splits,
    )
    if res.best is not None and res.best_metrics is not None and score_start == 0:
        res = dataclasses.replace(
            res,
            best_metrics=_best_trade_metrics(
                Y, X, res.best, res.best_metrics, beta=beta, alpha=alpha, costs=costs,
                periods_per_year=periods_per_year, risk_free=risk_free,
            ),
        )  # fmt: skip
    if progress is not None:
        progress(1.0, "optimization done")
    return dataclasses.replace(res, n_pairs=int(Y.shape[0]))


def _best_trade_metrics(
    Y: FloatArray,
    X: FloatArray,
    best: StrategyParams,
    scored: Metrics,
    *,
    beta: Any,
    alpha: Any,
    costs: Costs,
    periods_per_year: float,
    risk_free: float,
) -> Metrics:
    """The best candidate's metrics with the trade-based fields filled from the backtest's
    own P&L accounting of each pair (:func:`~engine.backtest.portfolio_metrics`, capital 1)."""
    from engine.params.adaptive import ParameterSet, run_adaptive

    P, T = Y.shape
    B = np.broadcast_to(np.asarray(beta, dtype=np.float64), (P,))
    A = np.broadcast_to(np.asarray(alpha, dtype=np.float64), (P,))
    sets = ParameterSet.constant(best).sets
    runs = [
        run_adaptive(
            np.ascontiguousarray(Y[p]),
            np.ascontiguousarray(X[p]),
            np.zeros(T, dtype=np.int64),
            sets,
            beta=B[p : p + 1].copy(),
            alpha=A[p : p + 1].copy(),
            trade_start=0,
            force_exit=-1,
            costs=costs,
            capital=1.0,
            periods_per_year=periods_per_year,
            risk_free=risk_free,
            rebalance_bar=True,
        )
        for p in range(P)
    ]
    full = portfolio_metrics(
        np.mean([r["ret"] for r in runs], axis=0),
        stats=portfolio_stats(np.stack([r["stats"] for r in runs])),
        bar_costs=np.mean([r["cost"] for r in runs], axis=0),
        capital=1.0,
        periods_per_year=periods_per_year,
        risk_free=risk_free,
    )
    return dataclasses.replace(
        scored,
        hit_rate=full.hit_rate,
        turnover=full.turnover,
        exposure=full.exposure,
        n_closed_trades=full.n_closed_trades,
        final_equity=full.final_equity,
        total_costs=full.total_costs,
    )
