"""Pure functions the backtest services send to the compute executor (picklable, no ORM).

Every function here takes arrays and plain dicts and returns JSON primitives (or engine
results the web side passes on to the next pure function), so it runs in a process pool or
on a Dask worker unchanged.

Backtest windows (:func:`run_backtest`)
---------------------------------------
``y``, ``x`` and ``ts`` hold the history up to the end of the backtest. Bars
``[trade_from, n)`` are traded; the ``warmup_bars`` bars before ``trade_from`` are history
that fills the z-score's rolling window (no decision there, the run starts flat at
``trade_from``); with ``hedge["source"] == "ols"`` the hedge ratio is the OLS regression of
``log y`` on ``log x`` over the formation bars ``[formation_from, formation_end)`` (they end
where the warm-up starts, all before the first traded bar, so it is out of sample);
``"kalman"`` runs the causal Kalman filter over the whole history and trades its
estimate of each bar; ``"given"`` / ``"pair"`` use fixed values. Regime labels (adaptive
runs) are detected causally on the history's mean log return of the two legs
(:func:`regime_series`), the same series ``POST /api/regimes/detect`` labels for a pair.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from engine._results import to_json_value
from engine.backtest import Costs, backtest_pair
from engine.lookahead import DecisionTrace, LookaheadReport, check_lookahead
from engine.pairs import kalman_hedge_ratio, ols_hedge_ratio
from engine.params import (
    ParameterSet,
    ParamGrid,
    backtest_adaptive,
    fit_parameter_set,
    optimize_params,
)
from engine.regimes import detect_regimes
from engine.strategy import StrategyParams
from engine.walkforward import (
    FoldResult,
    WalkForwardConfig,
    WalkForwardResult,
    assemble_walk_forward,
    run_fold,
)

#: Regime names by number of regimes (label 0 is always the calmest).
REGIME_NAMES = {2: ("low", "high"), 3: ("low", "normal", "high")}


def regime_name(label: int, n_regimes: int) -> str:
    if label < 0:
        return "unknown"
    names = REGIME_NAMES.get(n_regimes)
    return names[label] if names and label < len(names) else f"regime_{label}"


def _iso(ts: np.ndarray) -> list[str]:
    return [str(v) + "Z" for v in np.datetime_as_string(ts.astype("datetime64[s]"), unit="s")]


# ----------------------------------------------------------------------------- regimes


def regime_series(closes: np.ndarray) -> np.ndarray:
    """Mean log return of the columns of ``closes`` (T, N); NaN at bar 0."""
    lp = np.log(np.asarray(closes, dtype=np.float64).reshape(len(closes), -1))
    out = np.empty(lp.shape[0])
    out[0] = np.nan
    out[1:] = np.diff(lp, axis=0).mean(axis=1)
    return out


def detect(closes: np.ndarray, *, method: str, options: Mapping[str, Any]) -> dict[str, Any]:
    """Causal regimes of the mean log return of ``closes``: labels, spans and parameters."""
    res = detect_regimes(regime_series(closes), method=method, **dict(options))  # type: ignore[arg-type]
    return {
        "method": res.method,
        "n_regimes": int(res.n_regimes),
        "labels": res.labels.astype(np.int64),
        "spans": [(s.start, s.end, s.label) for s in res.spans],
        "params": to_json_value(res.params),
        "label_counts": {str(k): v for k, v in res.label_counts().items()},
        "current": res.current,
    }


# ----------------------------------------------------------------------------- backtest


@dataclasses.dataclass(frozen=True)
class BacktestSpec:
    """Everything a backtest needs besides the prices (picklable, JSON via ``asdict``)."""

    params: Mapping[str, Any]
    costs: Mapping[str, float]
    capital: float
    trade_from: int
    formation_from: int
    hedge_source: str  # "ols" | "kalman" | "given" | "pair"
    beta: float | None = None
    alpha: float | None = None
    periods_per_year: float = 252
    adaptive: bool = False
    regime_method: str = "volatility"
    regime_options: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    #: ``{"by_regime": {label: params}, "fallback": params}`` for adaptive runs.
    parameter_sets: Mapping[str, Any] | None = None
    #: End of the OLS formation window (None: ``trade_from``, runs stored before warm-up).
    formation_end: int | None = None
    #: Bars of history before ``trade_from`` that warm the z-score up (0: none).
    warmup_bars: int = 0

    @property
    def formation_stop(self) -> int:
        return self.trade_from if self.formation_end is None else self.formation_end

    @property
    def warmup_from(self) -> int:
        return self.trade_from - self.warmup_bars


def _costs(costs: Mapping[str, float], periods_per_year: float = 252) -> Costs:
    """Costs; the annual borrow rate is charged per bar (``periods_per_year`` bars a year)."""
    return Costs(
        cost_bps=float(costs.get("cost_bps", 0.0)),
        slippage_bps=float(costs.get("slippage_bps", 0.0)),
        borrow_rate=float(costs.get("borrow_rate", 0.0)),
        days_per_year=max(1, round(periods_per_year)),
    )


def _hedge(y: np.ndarray, x: np.ndarray, spec: BacktestSpec) -> tuple[Any, Any, dict[str, Any]]:
    """β, α for the traded bars and a JSON description of how they were obtained."""
    tf = spec.trade_from
    beta: Any
    alpha: Any
    w0 = spec.warmup_from
    if spec.hedge_source == "kalman":
        k = kalman_hedge_ratio(np.log(y), np.log(x))
        beta, alpha = np.asarray(k.beta)[w0:], np.asarray(k.alpha)[w0:]
        return beta, alpha, {"source": "kalman", "beta": beta[tf - w0 :], "alpha": alpha[tf - w0 :]}
    if spec.hedge_source == "ols":
        fe = spec.formation_stop
        h = ols_hedge_ratio(
            np.log(y[spec.formation_from : fe]), np.log(x[spec.formation_from : fe])
        )
        if not (math.isfinite(h.beta) and math.isfinite(h.alpha)):
            raise ValueError("the formation window's OLS hedge ratio is undefined")
        return h.beta, h.alpha, {"source": "ols", "beta": h.beta, "alpha": h.alpha}
    assert spec.beta is not None
    alpha = spec.alpha or 0.0
    return spec.beta, alpha, {"source": spec.hedge_source, "beta": spec.beta, "alpha": alpha}


def _backtest(y: np.ndarray, x: np.ndarray, ts: np.ndarray, spec: BacktestSpec) -> dict[str, Any]:
    """The backtest as arrays (shared by :func:`run_backtest` and the lookahead trace)."""
    tf = spec.trade_from
    w0 = spec.warmup_from
    beta, alpha, hedge = _hedge(y, x, spec)
    costs = _costs(spec.costs, spec.periods_per_year)
    if spec.adaptive or spec.warmup_bars:
        if spec.adaptive:
            assert spec.parameter_sets is not None
            pset = ParameterSet.from_dict(spec.parameter_sets)
            labels = detect(
                np.column_stack([y, x]), method=spec.regime_method, options=spec.regime_options
            )["labels"][w0:]
        else:  # one set: the adaptive path with a constant set is backtest_pair's
            pset = ParameterSet.constant(StrategyParams.from_dict(spec.params))
            labels = np.full(len(y) - w0, -1, dtype=np.int64)
        a = backtest_adaptive(
            y[w0:],
            x[w0:],
            labels,
            parameter_set=pset,
            beta=beta,
            alpha=alpha,
            costs=costs,
            capital=spec.capital,
            periods_per_year=spec.periods_per_year,
            index=pd.DatetimeIndex(ts[w0:], tz="UTC"),
            warmup=tf - w0,
        )
        return {
            "equity": a.equity,
            "returns": a.returns,
            "weights_y": a.weights_y,
            "weights_x": a.weights_x,
            "zscore": a.zscore,
            "events": a.events,
            "position": a.position,
            "held": a.held,
            "labels": a.labels,
            "governing_set": a.governing_set,
            "switches": a.switches,
            "trades": a.trades,
            "metrics": a.metrics,
            "hedge": hedge,
        }
    index = pd.DatetimeIndex(ts[tf:], tz="UTC")
    b = backtest_pair(
        y[tf:],
        x[tf:],
        params=StrategyParams.from_dict(spec.params),
        beta=beta,
        alpha=alpha,
        costs=costs,
        capital=spec.capital,
        periods_per_year=spec.periods_per_year,
        index=index,
    )
    return {
        "equity": b.equity,
        "returns": b.returns,
        "weights_y": b.weights_y,
        "weights_x": b.weights_x,
        "zscore": b.signals.zscore,
        "events": b.signals.events,
        "position": b.signals.position,
        "held": b.signals.held,
        "trades": b.trades,
        "metrics": b.metrics,
        "hedge": hedge,
    }


def run_backtest(
    y: np.ndarray, x: np.ndarray, ts: np.ndarray, *, spec: BacktestSpec
) -> dict[str, Any]:
    """Run the backtest; ``{"metrics": {...}, "result": {...}}`` of JSON primitives."""
    r = _backtest(y, x, ts, spec)
    tf = spec.trade_from
    ols = spec.hedge_source == "ols"
    fe = spec.formation_stop
    result: dict[str, Any] = {
        "ts": _iso(ts[tf:]),
        "equity": r["equity"],
        "returns": r["returns"],
        "weights": {"y": r["weights_y"], "x": r["weights_x"]},
        "held": r["held"],
        "zscore": r["zscore"],
        "trades": r["trades"],
        "hedge": {
            **r["hedge"],
            "formation_start": _iso(ts[spec.formation_from : spec.formation_from + 1])[0]
            if ols
            else None,
            "formation_end": _iso(ts[fe - 1 : fe])[0] if ols else None,
            "formation_bars": fe - spec.formation_from if ols else 0,
        },
        "window": window_info(ts, spec),
    }
    if spec.adaptive:
        result["labels"] = r["labels"]
        result["switches"] = r["switches"]
    return {"metrics": to_json_value(r["metrics"]), "result": to_json_value(result)}


def window_info(ts: np.ndarray, spec: BacktestSpec) -> dict[str, Any]:
    """The windows a backtest used: formation (OLS hedge), z-score warm-up and trading."""
    ols = spec.hedge_source == "ols"
    fe = spec.formation_stop
    w0 = spec.warmup_from

    def at(i: int) -> str | None:
        return _iso(ts[i : i + 1])[0] if 0 <= i < len(ts) else None

    return {
        "formation_start": at(spec.formation_from) if ols else None,
        "formation_end": at(fe - 1) if ols else None,
        "formation_bars": fe - spec.formation_from if ols else 0,
        "warmup_start": at(w0) if spec.warmup_bars else None,
        "warmup_bars": int(spec.warmup_bars),
        "trading_start": at(spec.trade_from),
        "trading_end": at(len(ts) - 1),
        "trading_bars": len(ts) - spec.trade_from,
    }


@dataclasses.dataclass(frozen=True)
class BacktestTrace:
    """``run(prices) -> DecisionTrace`` of exactly the stored backtest, for the lookahead check.

    ``prices`` is the history frame (columns ``y``, ``x``); the traced bars are the traded
    ones, ``[spec.trade_from, n)``.
    """

    spec: BacktestSpec

    def __call__(self, prices: pd.DataFrame) -> DecisionTrace:
        y = prices["y"].to_numpy(dtype=np.float64)
        x = prices["x"].to_numpy(dtype=np.float64)
        ts = prices.index.to_numpy()  # naive UTC datetime64
        r = _backtest(y, x, ts, self.spec)
        fields = {
            k: np.asarray(r[k])
            for k in ("events", "position", "held", "weights_y", "weights_x", "zscore")
        }
        if self.spec.adaptive:
            fields["label"] = np.asarray(r["labels"])
            fields["governing_set"] = np.asarray(r["governing_set"])
        bars = np.arange(self.spec.trade_from, len(y))
        return DecisionTrace(bars=bars, fields=fields, index=ts)


def lookahead_cuts(n_bars: int, trade_from: int, lookback: int, k: int) -> list[int]:
    """``k`` cut bars spread over the traded bars after the z-score warm-up."""
    first = min(trade_from + lookback + 1, n_bars - 2)
    return sorted({int(c) for c in np.linspace(first, n_bars - 2, k).round()})


def lookahead_check(prices: pd.DataFrame, *, spec: BacktestSpec, cuts: Sequence[int]) -> Any:
    """:func:`engine.lookahead.check_lookahead` of the stored backtest at ``cuts``."""
    return check_lookahead(prices, BacktestTrace(spec), cuts=list(cuts), target="backtest")


def merge_reports(reports: Sequence[LookaheadReport], target: str) -> dict[str, Any]:
    """One report (JSON) from checks run one cut at a time."""
    diffs = [d for r in reports for d in r.differences]
    first: dict[str, int | None] = {}
    for r in reports:
        first.update(r.first_difference_bar)
    merged = LookaheadReport(
        ok=all(r.ok for r in reports),
        target=target,
        n_bars=reports[0].n_bars if reports else 0,
        cuts=tuple(c for r in reports for c in r.cuts),
        checks_run=sum(r.checks_run for r in reports),
        values_compared=sum(r.values_compared for r in reports),
        n_differences=sum(r.n_differences for r in reports),
        differences=tuple(diffs[:200]),
        first_difference_bar=first,
    )
    return merged.to_dict()


# ----------------------------------------------------------------------------- optimize


def optimize(
    y: np.ndarray,
    x: np.ndarray,
    *,
    beta: float,
    alpha: float,
    grid: Mapping[str, Any],
    objective: str,
    min_trades: int,
    costs: Mapping[str, float],
    per_regime: bool,
    regime_method: str,
    regime_options: Mapping[str, Any],
    min_regime_bars: int,
    top: int = 20,
    periods_per_year: float = 252,
) -> dict[str, Any]:
    """Grid search (and a set per regime), as JSON: best, overfitting statistics, top rows."""
    g = ParamGrid.from_dict(grid)
    c = _costs(costs, periods_per_year)
    res = optimize_params(
        y,
        x,
        beta=beta,
        alpha=alpha,
        grid=g,
        objective=objective,  # type: ignore[arg-type]
        min_trades=min_trades,
        costs=c,
        periods_per_year=periods_per_year,
    )
    table = res.table_frame().head(top)
    out: dict[str, Any] = {
        "best": res.best.to_dict() if res.best is not None else None,
        "best_index": res.best_index,
        "score": res.score,
        "objective": res.objective,
        "min_trades": res.min_trades,
        "n_trials": res.n_trials,
        "n_eligible": res.n_eligible,
        "deflated_sharpe": res.deflated_sharpe,
        "expected_max_sharpe": res.expected_max_sharpe,
        "pbo": res.pbo,
        "pbo_splits": res.pbo_splits,
        "n_obs": res.n_obs,
        "best_metrics": res.best_metrics,
        "table": table.to_dict(orient="records"),
        "parameter_set": None,
    }
    if per_regime and res.best is not None:
        labels = detect(np.column_stack([y, x]), method=regime_method, options=regime_options)
        pset = fit_parameter_set(
            y,
            x,
            labels["labels"],
            beta=beta,
            alpha=alpha,
            grid=g,
            objective=objective,  # type: ignore[arg-type]
            min_trades=min_trades,
            min_regime_bars=min_regime_bars,
            costs=c,
            fallback=res.best,
            periods_per_year=periods_per_year,
        )
        out["parameter_set"] = pset.to_dict()
        out["n_regimes"] = labels["n_regimes"]
    return to_json_value(out)  # type: ignore[no-any-return]


# ----------------------------------------------------------------------------- walk-forward


def wf_fold(prices: pd.DataFrame, fold: Any, *, config: WalkForwardConfig) -> FoldResult:
    """One walk-forward fold (``prices`` may end at the fold's test end)."""
    return run_fold(prices, fold, config=config)


def _compact_fold(f: FoldResult, index: np.ndarray) -> dict[str, Any]:
    fd = f.fold
    opt = f.optimization
    return to_json_value(  # type: ignore[no-any-return]
        {
            "index": fd.index,
            "train_start": fd.train_start,
            "train_end": fd.train_end,
            "test_start": fd.test_start,
            "test_end": fd.test_end,
            "planned_end": fd.planned_end,
            "train_start_ts": index[fd.train_start],
            "train_end_ts": index[fd.train_end - 1],
            "test_start_ts": index[fd.test_start],
            "test_end_ts": index[fd.test_end - 1],
            "status": f.status,
            "pairs": f.pairs,
            "parameter_set": f.parameter_set,
            "is_metrics": f.is_metrics,
            "oos_metrics": f.oos_metrics,
            "n_trades": f.n_trades,
            "n_switches": sum(len(s) for s in f.switches),
            "optimization": None
            if opt is None
            else {
                "best_index": opt.best_index,
                "score": opt.score,
                "n_trials": opt.n_trials,
                "n_eligible": opt.n_eligible,
                "deflated_sharpe": opt.deflated_sharpe,
                "pbo": opt.pbo,
            },
        }
    )


def compact_fold(f: FoldResult, prices: pd.DataFrame) -> dict[str, Any]:
    """A fold as stored on the run (no per-bar arrays)."""
    return _compact_fold(f, prices.index.to_numpy())


def wf_assemble(
    prices: pd.DataFrame, folds: Sequence[FoldResult], *, config: WalkForwardConfig
) -> dict[str, Any]:
    """Stitch the folds; the compact JSON stored on the run (no per-slot per-bar arrays)."""
    res: WalkForwardResult = assemble_walk_forward(prices, folds, config=config)
    index = prices.index.to_numpy()
    return {
        "folds": [_compact_fold(f, index) for f in res.folds],
        "stitched": to_json_value(
            {
                "ts": res.index,
                "bars": res.bars,
                "returns": res.returns,
                "equity": res.equity,
                "labels": res.labels,
            }
        ),
        "metrics": to_json_value(
            {
                "headline": res.headline(),
                "oos_metrics": res.oos_metrics,
                "is_sharpe_mean": res.is_sharpe_mean,
                "is_annual_return_mean": res.is_annual_return_mean,
                "wfe": res.wfe,
                "wfe_return": res.wfe_return,
                "deflated_sharpe": res.deflated_sharpe,
                "expected_max_sharpe": res.expected_max_sharpe,
                "n_trials": res.n_trials,
                "pbo": res.pbo,
                "pbo_splits": res.pbo_splits,
                "parameter_stability": res.parameter_stability,
                "symbols": res.symbols,
            }
        ),
    }
