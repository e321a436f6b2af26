r"""Walk-forward analysis of the pair strategy over a universe.

Per fold, on the **train window only**: pair selection (Engle-Granger on train log
prices, top-k by p-value with filters), hedge ratio (the OLS cointegrating regression on
train), parameters (grid search; per regime when adaptive). Then the chosen pairs are
traded on the **test window**:

* the z-score warm-up reads up to ``max(lookback)`` bars before the test start (past
  data); no decision is taken before the test start (the fold starts flat);
* the decision at bar t uses data up to t only (the strategy's rule; regime labels are
  causal and computed on data up to the test end);
* a position still open at the end of a test window is closed there: the decision bar
  ``planned_end - 1 - execution_lag`` exits and no entry is taken from it on (the exit
  costs are charged in the fold). ``planned_end`` comes from the fold layout, not from
  the data length, so only a last window cut short by the end of the data ends open;
* the fold's portfolio gives each of its P pairs 1/P of the capital (re-balanced every
  bar); a fold without pairs or eligible parameters stays flat.

Fold returns are stitched in time order and the equity chained (each fold starts from the
previous fold's final equity). See :class:`~engine.walkforward.WalkForwardResult` for the
efficiency, stability and overfitting statistics.

Three entry points: :func:`walk_forward` runs everything with progress and cooperative
cancellation between folds; :func:`run_fold` (one fold, pure and picklable) and
:func:`assemble_walk_forward` let a caller run the folds in parallel.

References
----------
Pardo, R. (2008). *The Evaluation and Optimization of Trading Strategies*, 2nd ed., ch. 11.
López de Prado, M. (2018). *Advances in Financial Machine Learning*, ch. 7, 11, 12. Wiley.
"""

from __future__ import annotations

import dataclasses
import math
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from engine._typing import FloatArray, IntArray
from engine.backtest import Metrics, portfolio_metrics, portfolio_stats
from engine.backtest._kernels import N_STATS
from engine.compute import ComputeCancelled
from engine.params import OptimizationResult, ParameterSet
from engine.params.adaptive import fit_regimes, run_adaptive, switches_from_labels
from engine.params.optimize import dsr_of, optimize_params, pbo_of
from engine.regimes import detect_regimes
from engine.strategy import StrategyParams
from engine.strategy._inputs import DatetimeArray, check_index
from engine.walkforward.folds import Fold
from engine.walkforward.results import FoldResult, WalkForwardConfig, WalkForwardResult
from engine.walkforward.selection import SelectedPair, select_pairs

__all__ = ["assemble_walk_forward", "prepare_prices", "run_fold", "walk_forward"]

Progress = Callable[[float, str], None]
ShouldStop = Callable[[], bool]
_PARAM_FIELDS = ("lookback", "entry_z", "exit_z", "stop_z", "max_holding")


def prepare_prices(
    prices: Any, symbols: Sequence[str] | None = None
) -> tuple[FloatArray, tuple[str, ...], DatetimeArray | None]:
    """``(T, N)`` float prices, symbol names and UTC timestamps of a universe.

    ``prices``: a DataFrame (one column per symbol, DatetimeIndex) or a ``(T, N)`` array
    with ``symbols``. Prices must be finite and > 0 (align and clean the universe first).
    """
    if isinstance(prices, pd.DataFrame):
        names = tuple(str(c) for c in prices.columns) if symbols is None else tuple(symbols)
        arr = prices.to_numpy(dtype=np.float64, copy=True)
        idx = (
            check_index(None, prices.index, arr.shape[0])
            if isinstance(prices.index, pd.DatetimeIndex)
            else None
        )
    else:
        arr = np.array(prices, dtype=np.float64, copy=True)
        if arr.ndim != 2:
            raise ValueError(f"prices must be (T, N), got shape {arr.shape}")
        names = tuple(f"S{i}" for i in range(arr.shape[1])) if symbols is None else tuple(symbols)
        idx = None
    if arr.ndim != 2 or arr.shape[1] < 2 or arr.shape[0] < 10:
        raise ValueError(f"prices must be (T >= 10, N >= 2), got shape {arr.shape}")
    if len(names) != arr.shape[1] or len(set(names)) != len(names):
        raise ValueError("symbols must be distinct and one per column")
    if not np.isfinite(arr).all() or (arr <= 0).any():
        raise ValueError("prices must be finite and > 0 (no missing values)")
    return np.ascontiguousarray(arr), names, idx


def regime_labels(log_prices: FloatArray, end: int, config: WalkForwardConfig) -> IntArray:
    """Causal labels of bars ``[0, end)`` from the universe's mean log return (-1 if off)."""
    if not config.adaptive:
        return np.full(end, -1, dtype=np.int64)
    lp = log_prices[:end]
    market = np.empty(end)
    market[0] = np.nan
    market[1:] = np.diff(lp, axis=0).mean(axis=1)
    res = detect_regimes(market, method=config.regime_method, **dict(config.regime_options))
    return np.asarray(res.labels, dtype=np.int64)


def _trade_window(
    prices: FloatArray,
    pairs: Sequence[SelectedPair],
    sets: Sequence[StrategyParams],
    labels: IntArray,
    pset: ParameterSet,
    *,
    start: int,
    trade_start: int,
    end: int,
    planned_end: int | None,
    config: WalkForwardConfig,
) -> list[dict[str, np.ndarray]]:
    """run_adaptive of each pair over ``[start, end)``, deciding from ``trade_start`` on.

    With ``planned_end`` an open position is closed at decision bar
    ``planned_end - 1 - lag`` (never reached when that is past the data).
    """
    active = pset.set_indices(labels[start:end])
    lag = sets[0].execution_lag
    fe = -1 if planned_end is None else max(planned_end - 1 - lag - start, 0)
    out = []
    for p in pairs:
        out.append(
            run_adaptive(
                prices[start:end, p.i].copy(),
                prices[start:end, p.j].copy(),
                active,
                sets,
                beta=np.array([p.beta]),
                alpha=np.array([p.alpha]),
                trade_start=trade_start - start,
                force_exit=fe,
                costs=config.costs,
                capital=1.0,
                periods_per_year=config.periods_per_year,
                risk_free=0.0,
                rebalance_bar=True,
            )
        )
    return out


def _flat_fold(
    fold: Fold,
    status: str,
    pairs: tuple[SelectedPair, ...],
    labels: IntArray,
    G: int,
    opt: OptimizationResult | None,
    config: WalkForwardConfig,
) -> FoldResult:
    n = fold.test_bars
    R = np.zeros(n)
    return FoldResult(
        fold=fold,
        status=status,
        pairs=pairs,
        parameter_set=None,
        optimization=opt,
        is_metrics=None,
        oos_metrics=_metrics(R, config) if n >= 2 else None,
        oos_returns=R,
        oos_equity=np.ones(n),
        n_trades=0,
        switches=(),
        labels=labels[fold.test_start : fold.test_end].copy(),
        events=np.zeros((0, n), dtype=np.int8),
        position=np.zeros((0, n), dtype=np.int8),
        weights_y=np.zeros((0, n)),
        weights_x=np.zeros((0, n)),
        zscore=np.zeros((0, n)),
        grid_returns=np.zeros((G, n)),
        oos_stats=np.zeros(N_STATS),
        oos_costs=np.zeros(n),
    )


def _metrics(
    R: FloatArray,
    config: WalkForwardConfig,
    n_trades: int = 0,
    stats: FloatArray | None = None,
    costs: FloatArray | None = None,
) -> Metrics:
    """Portfolio metrics of a window: return fields from ``R``, trade fields from the pairs'
    P&L statistics (``stats``, ``costs``: :func:`_window_stats`; None: a flat window)."""
    m = portfolio_metrics(
        R,
        stats=np.zeros(N_STATS) if stats is None else stats,
        bar_costs=np.zeros_like(R) if costs is None else costs,
        capital=config.capital,
        periods_per_year=config.periods_per_year,
    )
    return dataclasses.replace(m, n_trades=n_trades, final_equity=math.nan)


def _window_stats(
    runs: Sequence[dict[str, np.ndarray]], first: int
) -> tuple[FloatArray, FloatArray]:
    """Portfolio trade statistics and per-bar cost fractions of the pairs' paths from bar
    ``first`` (each path is flat before it, so its kernel statistics are the window's)."""
    stats = portfolio_stats(np.stack([r["stats"] for r in runs]))
    costs = np.mean([r["cost"][first:] for r in runs], axis=0)
    return stats, costs


def run_fold(
    prices: Any,
    fold: Fold,
    *,
    config: WalkForwardConfig,
    symbols: Sequence[str] | None = None,
) -> FoldResult:
    """Run one fold: select, fit and optimize on its train window, trade its test window.

    Parameters
    ----------
    prices : DataFrame (T, N) or array_like (T, N)
        The whole universe (data after ``fold.test_end`` is never read).
    fold : Fold
        From ``config.folds(T)``.
    config : WalkForwardConfig
    symbols : sequence of str, optional
        Column names for an array input.

    Returns
    -------
    FoldResult
    """
    P, names, index = prepare_prices(prices, symbols)
    P = P[: fold.test_end]  # nothing after the fold's test window can reach a decision
    logp = np.log(P)
    labels = regime_labels(logp, fold.test_end, config)
    cands = config.grid.candidates()
    G = len(cands)
    pairs = select_pairs(
        logp[fold.train_start : fold.train_end],
        names,
        top_k=config.top_k,
        significance_level=config.significance_level,
        min_correlation=config.min_correlation,
        max_half_life=config.max_half_life,
        fdr=config.fdr,
        unique_symbols=config.unique_symbols,
        positive_beta=config.positive_beta,
    )
    if not pairs:
        return _flat_fold(fold, "no_pairs", pairs, labels, G, None, config)
    w0 = max(0, fold.train_start - config.grid.max_lookback)
    Yt = np.stack([P[w0 : fold.train_end, p.i] for p in pairs])
    Xt = np.stack([P[w0 : fold.train_end, p.j] for p in pairs])
    betas = np.array([p.beta for p in pairs])
    alphas = np.array([p.alpha for p in pairs])
    common: dict[str, Any] = {
        "beta": betas,
        "alpha": alphas,
        "grid": cands,
        "objective": config.objective,
        "min_trades": config.min_trades,
        "score_start": fold.train_start - w0,
        "costs": config.costs,
        "periods_per_year": config.periods_per_year,
    }
    if config.adaptive:
        pset, opt = fit_regimes(
            Yt,
            Xt,
            labels[w0 : fold.train_end],
            min_regime_bars=config.min_regime_bars,
            risk_free=0.0,
            pbo_splits=config.pbo_splits,
            fallback=None,
            **common,
        )
    else:
        opt = optimize_params(Yt, Xt, pbo_splits=config.pbo_splits, **common)
        pset = None if opt.best is None else ParameterSet.constant(opt.best)
    if pset is None:
        return _flat_fold(fold, "no_eligible_params", pairs, labels, G, opt, config)
    sets = pset.sets
    W = max(p.lookback for p in sets)
    # in-sample: the chosen set traded over the train window from a flat start
    is_runs = _trade_window(
        P,
        pairs,
        sets,
        labels,
        pset,
        start=w0,
        trade_start=fold.train_start,
        end=fold.train_end,
        planned_end=None,
        config=config,
    )
    R_is = np.mean([r["ret"][fold.train_start - w0 :] for r in is_runs], axis=0)
    is_entries = sum(int(_entries(r, fold.train_start - w0, sets).sum()) for r in is_runs)
    is_stats, is_costs = _window_stats(is_runs, fold.train_start - w0)
    # out-of-sample
    start = fold.test_start - W
    runs = _trade_window(
        P,
        pairs,
        sets,
        labels,
        pset,
        start=start,
        trade_start=fold.test_start,
        end=fold.test_end,
        planned_end=fold.planned_end,
        config=config,
    )
    k = len(pairs)
    sl = slice(W, None)
    R = np.mean([r["ret"][sl] for r in runs], axis=0)
    n_trades = sum(int(_entries(r, W, sets).sum()) for r in runs)
    oos_stats, oos_costs = _window_stats(runs, W)
    switches = []
    for r in runs:
        sw = switches_from_labels(labels[start : fold.test_end], r["position"], pset, None)
        switches.append(
            tuple(
                dataclasses.replace(
                    s,
                    bar=s.bar + start,
                    ts=None if index is None else _ts(index, s.bar + start),
                )
                for s in sw
                if s.bar >= W
            )
        )
    # every grid candidate on the same pairs and test window (for PBO and the DSR trials)
    grid_R = np.empty((G, fold.test_bars))
    for g, c in enumerate(cands):
        gr = _trade_window(
            P,
            pairs,
            (c,),
            labels,
            ParameterSet.constant(c),
            start=fold.test_start - c.lookback,
            trade_start=fold.test_start,
            end=fold.test_end,
            planned_end=fold.planned_end,
            config=config,
        )
        grid_R[g] = np.mean([r["ret"][c.lookback :] for r in gr], axis=0)
    return FoldResult(
        fold=fold,
        status="ok",
        pairs=pairs,
        parameter_set=pset,
        optimization=opt,
        is_metrics=_metrics(R_is, config, is_entries, is_stats, is_costs),
        oos_metrics=_metrics(R, config, n_trades, oos_stats, oos_costs) if R.size >= 2 else None,
        oos_returns=R,
        oos_equity=np.cumprod(1.0 + R),
        n_trades=n_trades,
        switches=tuple(switches),
        labels=labels[fold.test_start : fold.test_end].copy(),
        events=np.stack([r["events"][sl] for r in runs]),
        position=np.stack([r["position"][sl] for r in runs]),
        weights_y=np.stack([r["wy"][sl] for r in runs]) / k,
        weights_x=np.stack([r["wx"][sl] for r in runs]) / k,
        zscore=np.stack([r["zgov"][sl] for r in runs]),
        grid_returns=grid_R,
        oos_stats=oos_stats,
        oos_costs=oos_costs,
    )


def _ts(index: DatetimeArray, bar: int) -> Any:
    return str(np.datetime_as_string(index[bar], unit="s")) + "Z"


def _entries(run: dict[str, np.ndarray], first: int, sets: Sequence[StrategyParams]) -> IntArray:
    """Entry decisions at bars >= first that execute inside the window."""
    ev = run["events"]
    lag = sets[0].execution_lag
    T = ev.shape[0]
    mask = np.zeros(T, dtype=bool)
    mask[first : T - lag] = True
    return ((ev == 1) | (ev == 2)) & mask


def parameter_stability(folds: Sequence[FoldResult]) -> dict[str, Any]:
    """Dispersion of the chosen parameters across the folds with status ``"ok"``.

    For each group (``"fallback"``, the set used whatever the regime when not adaptive,
    and ``"regime_<label>"`` when adaptive) and each field: the values per fold (None for
    a disabled stop or time stop), their mean, standard deviation (ddof=0), coefficient of
    variation ``std / |mean|`` and number of distinct values; ``modal_share`` is the share
    of folds whose full set equals the most frequent one.
    """
    groups: dict[str, list[StrategyParams]] = {}
    for f in folds:
        if f.parameter_set is None:
            continue
        groups.setdefault("fallback", []).append(f.parameter_set.fallback)
        for lab, p in f.parameter_set.regimes:
            groups.setdefault(f"regime_{lab}", []).append(p)
    out: dict[str, Any] = {}
    for name, plist in groups.items():
        g: dict[str, Any] = {"n_folds": len(plist)}
        for field in _PARAM_FIELDS:
            vals = [getattr(p, field) for p in plist]
            num = np.array([v for v in vals if v is not None], dtype=np.float64)
            mean = float(num.mean()) if num.size else math.nan
            std = float(num.std()) if num.size else math.nan
            g[field] = {
                "values": vals,
                "mean": mean,
                "std": std,
                "cv": std / abs(mean) if num.size and mean != 0 else math.nan,
                "n_distinct": len(set(vals)),
            }
        g["modal_share"] = Counter(plist).most_common(1)[0][1] / len(plist)
        out[name] = g
    return out


def assemble_walk_forward(
    prices: Any,
    folds: Sequence[FoldResult],
    *,
    config: WalkForwardConfig,
    symbols: Sequence[str] | None = None,
) -> WalkForwardResult:
    """Stitch fold results (in fold order) into a :class:`WalkForwardResult`."""
    _, names, index = prepare_prices(prices, symbols)
    folds = tuple(sorted(folds, key=lambda f: f.fold.index))
    if not folds:
        raise ValueError("no folds")
    k = config.top_k
    R = np.concatenate([f.oos_returns for f in folds])
    bars = np.concatenate([np.arange(f.fold.test_start, f.fold.test_end) for f in folds])
    n = R.shape[0]
    events = np.zeros((k, n), dtype=np.int8)
    position = np.zeros((k, n), dtype=np.int8)
    zscore = np.full((k, n), np.nan)
    wy = np.zeros((k, n))
    wx = np.zeros((k, n))
    off = 0
    for f in folds:
        m = f.fold.test_bars
        p = f.events.shape[0]
        events[:p, off : off + m] = f.events
        position[:p, off : off + m] = f.position
        zscore[:p, off : off + m] = f.zscore
        wy[:p, off : off + m] = f.weights_y
        wx[:p, off : off + m] = f.weights_x
        off += m
    n_trades = sum(f.n_trades for f in folds)
    stats = np.sum([f.oos_stats for f in folds], axis=0)
    costs = np.concatenate(
        [f.oos_costs if f.oos_costs is not None else np.zeros(f.fold.test_bars) for f in folds]
    )
    oos = _metrics(R, config, n_trades, stats, costs) if n >= 2 else None
    if oos is None:
        raise ValueError("the walk-forward needs at least 2 out-of-sample bars")
    ok = [f for f in folds if f.status == "ok" and f.is_metrics is not None]
    is_sr = np.array([f.is_metrics.sharpe for f in ok if f.is_metrics is not None])
    is_ar = np.array([f.is_metrics.annual_return for f in ok if f.is_metrics is not None])
    is_sr = is_sr[np.isfinite(is_sr)]
    is_ar = is_ar[np.isfinite(is_ar)]
    sr_mean = float(is_sr.mean()) if is_sr.size else math.nan
    ar_mean = float(is_ar.mean()) if is_ar.size else math.nan
    wfe = oos.sharpe / sr_mean if sr_mean > 0 and math.isfinite(oos.sharpe) else math.nan
    wfe_r = oos.annual_return / ar_mean if ar_mean > 0 else math.nan
    GR = np.concatenate([f.grid_returns for f in folds], axis=1)
    G = GR.shape[0]
    with np.errstate(invalid="ignore", divide="ignore"):
        sd = GR[:, 1:].std(axis=1, ddof=1)
        trial_sr = np.where(sd > 0, GR[:, 1:].mean(axis=1) / np.where(sd > 0, sd, 1.0), np.nan)
    n_trials = config.n_trials if config.n_trials is not None else G
    dsr, sr0 = dsr_of(R[1:], trial_sr, n_trials)
    pbo, S = pbo_of(np.ascontiguousarray(GR[:, 1:].T), config.pbo_splits)
    return WalkForwardResult(
        config=config,
        symbols=names,
        folds=folds,
        bars=bars,
        index=None if index is None else index[bars],
        returns=R,
        equity=np.asarray(config.capital * np.cumprod(1.0 + R), dtype=np.float64),
        labels=np.concatenate([f.labels for f in folds]),
        events=events,
        position=position,
        zscore=zscore,
        weights_y=wy,
        weights_x=wx,
        oos_metrics=dataclasses.replace(oos, final_equity=float(config.capital * np.prod(1 + R))),
        is_sharpe_mean=sr_mean,
        is_annual_return_mean=ar_mean,
        wfe=wfe,
        wfe_return=wfe_r,
        parameter_stability=parameter_stability(folds),
        deflated_sharpe=dsr,
        expected_max_sharpe=sr0,
        n_trials=int(n_trials),
        pbo=pbo,
        pbo_splits=S,
    )


def walk_forward(
    prices: Any,
    *,
    config: WalkForwardConfig | None = None,
    symbols: Sequence[str] | None = None,
    progress: Progress | None = None,
    should_stop: ShouldStop | None = None,
) -> WalkForwardResult:
    """Walk-forward analysis of the pair strategy over a universe.

    Parameters
    ----------
    prices : DataFrame (T, N) or array_like (T, N)
        Aligned closes, one column per symbol (finite, > 0), e.g.
        :func:`engine.data.demo.load_demo_closes`.
    config : WalkForwardConfig, optional
        All options (default: 756-bar rolling train windows, 10 folds, top 5 pairs, the
        default grid, Sharpe objective, no costs).
    symbols : sequence of str, optional
        Column names for an array input.
    progress : callable(fraction, message), optional
        Called before each fold and at the end.
    should_stop : callable() -> bool, optional
        Polled before each fold; True raises :class:`~engine.compute.ComputeCancelled`
        (``done`` folds finished of ``total``).

    Returns
    -------
    WalkForwardResult
    """
    config = config or WalkForwardConfig()
    arr, _, _ = prepare_prices(prices, symbols)
    layout = config.folds(arr.shape[0])
    results = []
    for f in layout:
        if should_stop is not None and should_stop():
            raise ComputeCancelled(
                f"walk-forward cancelled after {f.index} of {len(layout)} folds",
                done=f.index,
                total=len(layout),
            )
        if progress is not None:
            progress(f.index / len(layout), f"fold {f.index + 1}/{len(layout)}")
        results.append(run_fold(prices, f, config=config, symbols=symbols))
    if progress is not None:
        progress(1.0, "walk-forward done")
    return assemble_walk_forward(prices, results, config=config, symbols=symbols)
