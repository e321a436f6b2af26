"""Public backtest functions: one pair, P pairs at once, and metrics of a return path."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, Literal, get_args

import numpy as np

from engine._typing import FloatArray
from engine.backtest import _kernels as K
from engine.backtest.results import BacktestResult, BatchBacktestResult, Costs, Metrics, Trade
from engine.strategy import EVENT_LABELS, SignalResult, StrategyParams
from engine.strategy import _kernels as SK
from engine.strategy._inputs import check_hedge, check_index, check_prices, params_arrays

Rebalance = Literal["bar", "entry"]
"""Dynamic hedge: follow β of the decision bar every bar (``"bar"``) or keep β of the entry."""

_REBALANCE: tuple[Rebalance, ...] = get_args(Rebalance)

_DEFAULT_COSTS = Costs()


def _check_positive(name: str, v: Any) -> float:
    if isinstance(v, bool) or not isinstance(v, (int, float, np.floating, np.integer)):
        raise TypeError(f"{name} must be a number")
    f = float(v)
    if not math.isfinite(f) or f <= 0:
        raise ValueError(f"{name} must be a finite number > 0, got {v!r}")
    return f


def _run(
    y: Any,
    x: Any,
    *,
    single: bool,
    pairs: Any = None,
    params: StrategyParams | Sequence[StrategyParams],
    beta: Any,
    alpha: Any,
    costs: Costs,
    capital: float,
    volume_y: Any,
    volume_x: Any,
    max_participation: float | None,
    adv_window: int,
    periods_per_year: float,
    risk_free: float,
    hedge_rebalance: str,
    keep_paths: bool,
    index: Any,
) -> dict[str, Any]:
    ndim = 1 if single else 2
    if pairs is not None:  # universe layout: y is the (N, T) price matrix, x unused
        U = check_prices(y, "prices", ndim=2, allow_nan=False)
        ij = np.asarray(pairs)
        if ij.ndim != 2 or ij.shape[1] != 2 or ij.dtype.kind not in "iu":
            raise ValueError(f"pairs must be an integer array of shape (P, 2), got {ij.shape}")
        if ij.size and (ij.min() < 0 or ij.max() >= U.shape[0] or (ij[:, 0] == ij[:, 1]).any()):
            raise ValueError("pairs must index two different rows of prices")
        iy = np.ascontiguousarray(ij[:, 0], dtype=np.int64)
        ix = np.ascontiguousarray(ij[:, 1], dtype=np.int64)
        T = U.shape[1]
        P = iy.shape[0]
        kY, kX = U, U
        LOGP = np.empty_like(U)
        RET = np.empty_like(U)
        for i in range(U.shape[0]):
            SK.log_row(U[i], LOGP[i])
            K.return_row(U[i], RET[i])
    else:
        Y = check_prices(y, "y", ndim=ndim, allow_nan=False)
        X = check_prices(x, "x", ndim=ndim, allow_nan=False)
        if Y.shape != X.shape:
            raise ValueError(f"y and x shapes differ: {Y.shape} vs {X.shape}")
        T = Y.shape[-1]
        Y2, X2 = Y.reshape(-1, T), X.reshape(-1, T)
        P = Y2.shape[0]
        iy = ix = np.arange(P, dtype=np.int64)
        kY, kX = Y2, X2
        LOGP = RET = np.empty((0, T))
    if single and not isinstance(params, StrategyParams):
        raise TypeError("backtest_pair takes one StrategyParams")
    plist, pa = params_arrays(params, P)
    hedge = plist[0].hedge
    n_pairs = None if single else P
    B = check_hedge(beta, "beta", hedge=hedge, n_pairs=n_pairs, n_bars=T, allow_nan=True)
    A = check_hedge(alpha, "alpha", hedge=hedge, n_pairs=n_pairs, n_bars=T, allow_nan=True)
    if not isinstance(costs, Costs):
        raise TypeError("costs must be a Costs instance")
    capital = _check_positive("capital", capital)
    ppy = _check_positive("periods_per_year", periods_per_year)
    if not math.isfinite(float(risk_free)):
        raise ValueError("risk_free must be finite")
    if hedge_rebalance not in _REBALANCE:
        raise ValueError(f"hedge_rebalance must be one of {_REBALANCE}, got {hedge_rebalance!r}")
    if (
        isinstance(adv_window, bool)
        or not isinstance(adv_window, (int, np.integer))
        or adv_window < 1
    ):
        raise ValueError(f"adv_window must be an integer >= 1, got {adv_window!r}")
    if (volume_y is None) != (volume_x is None):
        raise ValueError("give both volume_y and volume_x, or neither")
    if (volume_y is None) != (max_participation is None):
        raise ValueError("the volume cap needs volume_y, volume_x and max_participation together")
    if volume_y is not None:
        mp = _check_positive("max_participation", max_participation)
        vols = []
        for name, v in (("volume_y", volume_y), ("volume_x", volume_x)):
            arr = np.ascontiguousarray(np.asarray(v, dtype=np.float64))
            if arr.shape != kY.shape[-arr.ndim :] or arr.ndim != (1 if single else 2):
                raise ValueError(f"{name} must have the shape of the prices, got {arr.shape}")
            if not np.isfinite(arr).all() or (arr < 0).any():
                raise ValueError(f"{name} must be finite and >= 0")
            vols.append(arr.reshape(-1, T))
        if pairs is not None:
            V = vols[0]  # one (N, T) matrix for the universe
        else:
            V = np.empty((2 * P, T))
            V[0::2], V[1::2] = vols[0], vols[1]
    else:
        mp = 0.0
        V = np.empty((1, 0))
    idx = check_index(y, index, T)

    if keep_paths:
        spread, z, wy, wx, ret, cost, eq = (np.empty((P, T)) for _ in range(7))
        ev = np.empty((P, T), dtype=np.int8)
        pos = np.empty((P, T), dtype=np.int8)
    else:
        spread = z = wy = wx = ret = cost = eq = np.empty((1, 1))
        ev = pos = np.empty((1, 1), dtype=np.int8)
    metrics = np.empty((P, K.N_METRICS))
    K.backtest_batch(
        kY,
        kX,
        LOGP,
        RET,
        iy,
        ix,
        B,
        A,
        V,
        pa["lookback"],
        pa["entry_z"],
        pa["exit_z"],
        pa["stop_z"],
        pa["max_holding"],
        pa["execution_lag"],
        costs.trade_fraction,
        costs.borrow_daily,
        mp,
        int(adv_window),
        hedge_rebalance == "bar",
        capital,
        ppy,
        float(risk_free) / ppy,
        keep_paths,
        spread,
        z,
        ev,
        pos,
        wy,
        wx,
        ret,
        cost,
        eq,
        metrics,
    )
    return {
        "Y": kY,
        "X": kX,
        "iy": iy,
        "ix": ix,
        "plist": plist,
        "lags": pa["execution_lag"],
        "capital": capital,
        "index": idx,
        "metrics": metrics,
        "spread": spread,
        "z": z,
        "ev": ev,
        "pos": pos,
        "wy": wy,
        "wx": wx,
        "ret": ret,
        "cost": cost,
        "eq": eq,
    }


def _trades(r: dict[str, Any], p: int, costs: Costs) -> FloatArray:
    return K.trades_row(
        r["Y"][r["iy"][p]],
        r["X"][r["ix"][p]],
        r["z"][p],
        r["ev"][p],
        r["pos"][p],
        int(r["lags"][p]),
        r["wy"][p],
        r["wx"][p],
        r["eq"][p],
        r["capital"],
        costs.trade_fraction,
        costs.borrow_daily,
    )


def _ts(index: Any, bar: float) -> Any:
    if index is None or not bar >= 0:
        return None
    return index[int(bar)]


def _trade_objects(rows: FloatArray, index: Any) -> tuple[Trade, ...]:
    f = {name: i for i, name in enumerate(K.TRADE_FIELDS)}
    out = []
    for row in rows:
        open_ = row[f["reason"]] == K.REASON_OPEN
        out.append(
            Trade(
                side="long" if row[f["side"]] > 0 else "short",
                reason="open" if open_ else EVENT_LABELS[int(row[f["reason"]])],
                entry_signal_bar=int(row[f["entry_signal_bar"]]),
                entry_bar=int(row[f["entry_bar"]]),
                exit_signal_bar=None if open_ else int(row[f["exit_signal_bar"]]),
                exit_bar=None if open_ else int(row[f["exit_bar"]]),
                holding_bars=int(row[f["holding_bars"]]),
                pnl_y=float(row[f["pnl_y"]]),
                pnl_x=float(row[f["pnl_x"]]),
                trading_costs=float(row[f["trading_costs"]]),
                borrow_costs=float(row[f["borrow_costs"]]),
                net_pnl=float(row[f["net_pnl"]]),
                trade_return=float(row[f["trade_return"]]),
                entry_weight_y=float(row[f["entry_weight_y"]]),
                entry_weight_x=float(row[f["entry_weight_x"]]),
                entry_zscore=float(row[f["entry_zscore"]]),
                exit_zscore=float(row[f["exit_zscore"]]),
                entry_ts=_ts(index, row[f["entry_bar"]]),
                exit_ts=None if open_ else _ts(index, row[f["exit_bar"]]),
            )
        )
    return tuple(out)


def backtest_pair(
    y: Any,
    x: Any,
    *,
    params: StrategyParams,
    beta: Any,
    alpha: Any = 0.0,
    costs: Costs = _DEFAULT_COSTS,
    capital: float = 1_000_000.0,
    volume_y: Any = None,
    volume_x: Any = None,
    max_participation: float | None = None,
    adv_window: int = 20,
    periods_per_year: float = 252,
    risk_free: float = 0.0,
    hedge_rebalance: Rebalance = "bar",
    index: Any = None,
) -> BacktestResult:
    r"""Backtest the z-score strategy on one pair.

    Parameters
    ----------
    y, x : array_like or pandas.Series, shape (T,)
        Closing prices (finite, > 0) of the y and x legs.
    params : StrategyParams
    beta, alpha : float or array_like
        Static: scalars (formation window). Dynamic (``params.hedge="dynamic"``): ``(T,)``
        arrays from a causal estimator (NaN allowed during its warm-up).
    costs : Costs
        Commission, slippage and borrow (default: none).
    capital : float
        Starting equity.
    volume_y, volume_x : array_like, optional
        Traded volume (shares) per bar; with ``max_participation`` they cap the size.
    max_participation : float, optional
        Maximum share of average daily volume an entry may trade in each leg.
    adv_window : int
        Bars of the average daily volume (ending at the execution bar).
    periods_per_year : float
        Annualization factor of the metrics (252 for daily bars).
    risk_free : float
        Annual risk-free rate for Sharpe and Sortino (per period: ``risk_free / q``).
    hedge_rebalance : {"bar", "entry"}
        Dynamic hedge only: weights follow β of the decision bar every bar (``"bar"``,
        the changes are traded and costed) or keep the entry's β (``"entry"``).
    index : array_like of datetimes, optional
        Bar timestamps (from a Series' DatetimeIndex when omitted), used for trade times.

    Returns
    -------
    BacktestResult

    Notes
    -----
    See :mod:`engine.backtest` for the timing, weight, cost and volume-cap conventions.
    """
    r = _run(
        y,
        x,
        single=True,
        params=params,
        beta=beta,
        alpha=alpha,
        costs=costs,
        capital=capital,
        volume_y=volume_y,
        volume_x=volume_x,
        max_participation=max_participation,
        adv_window=adv_window,
        periods_per_year=periods_per_year,
        risk_free=risk_free,
        hedge_rebalance=hedge_rebalance,
        keep_paths=True,
        index=index,
    )
    lag = int(r["lags"][0])
    pos = r["pos"][0]
    held = np.zeros_like(pos)
    held[lag:] = pos[: pos.shape[0] - lag]
    signals = SignalResult(
        spread=r["spread"][0],
        zscore=r["z"][0],
        events=r["ev"][0],
        position=pos,
        held=held,
        params=(params,),
        index=r["index"],
    )
    return BacktestResult(
        equity=r["eq"][0],
        returns=r["ret"][0],
        bar_costs=r["cost"][0],
        weights_y=r["wy"][0],
        weights_x=r["wx"][0],
        signals=signals,
        trades=_trade_objects(_trades(r, 0, costs), r["index"]),
        metrics=Metrics.from_vector(r["metrics"][0]),
        params=params,
        costs=costs,
        capital=r["capital"],
        index=r["index"],
    )


def backtest_pairs(
    Y: Any,
    X: Any,
    *,
    params: StrategyParams | Sequence[StrategyParams],
    beta: Any,
    alpha: Any = 0.0,
    costs: Costs = _DEFAULT_COSTS,
    capital: float = 1_000_000.0,
    volume_y: Any = None,
    volume_x: Any = None,
    max_participation: float | None = None,
    adv_window: int = 20,
    periods_per_year: float = 252,
    risk_free: float = 0.0,
    hedge_rebalance: Rebalance = "bar",
    return_paths: bool = False,
    return_trades: bool = False,
    index: Any = None,
) -> BatchBacktestResult:
    """Backtest P pairs at once (numba, parallel over pairs).

    Parameters
    ----------
    Y, X : array_like, shape (P, T)
        Closing prices of the y and x legs of each pair (finite, > 0).
    params : StrategyParams or sequence of P StrategyParams
        One set for all pairs, or one per pair (a parameter grid on repeated pairs);
        all must share ``hedge``.
    beta, alpha : float or array_like
        Static: scalar or ``(P,)``. Dynamic: ``(P, T)``.
    return_paths : bool
        Keep the ``(P, T)`` equity, returns, costs, weights, spread, z-score, events and
        positions (memory: about 60 bytes per pair-bar). Metrics are always returned.
    return_trades : bool
        Also extract the trades (columnar, with a ``pair`` column).
    costs, capital, volume_y, volume_x, max_participation, adv_window, periods_per_year,
    risk_free, hedge_rebalance, index
        As in :func:`backtest_pair` (volumes with shape ``(P, T)``).

    Returns
    -------
    BatchBacktestResult
        Row p equals ``backtest_pair`` on pair p.
    """
    r = _run(
        Y,
        X,
        single=False,
        params=params,
        beta=beta,
        alpha=alpha,
        costs=costs,
        capital=capital,
        volume_y=volume_y,
        volume_x=volume_x,
        max_participation=max_participation,
        adv_window=adv_window,
        periods_per_year=periods_per_year,
        risk_free=risk_free,
        hedge_rebalance=hedge_rebalance,
        keep_paths=return_paths or return_trades,
        index=index,
    )
    return _batch_result(r, costs, return_paths=return_paths, return_trades=return_trades)


def backtest_universe(
    prices: Any,
    pairs: Any,
    *,
    params: StrategyParams | Sequence[StrategyParams],
    beta: Any,
    alpha: Any = 0.0,
    costs: Costs = _DEFAULT_COSTS,
    capital: float = 1_000_000.0,
    volumes: Any = None,
    max_participation: float | None = None,
    adv_window: int = 20,
    periods_per_year: float = 252,
    risk_free: float = 0.0,
    hedge_rebalance: Rebalance = "bar",
    return_paths: bool = False,
    return_trades: bool = False,
    index: Any = None,
) -> BatchBacktestResult:
    """Backtest P pairs drawn from one universe of N symbols.

    Same results as :func:`backtest_pairs` on the stacked legs, but the log prices and
    returns of each symbol are computed once, which is what a universe scan's output
    (many pairs over few symbols) needs.

    Parameters
    ----------
    prices : array_like of shape (N, T), or pandas.DataFrame of shape (T, N)
        Closing prices, one row per symbol (a DataFrame has one column per symbol and a
        DatetimeIndex, as the wide CSV files).
    pairs : array_like of shape (P, 2)
        ``(y, x)`` per pair: integer rows of ``prices``, or column labels of a DataFrame.
    volumes : array_like of shape (N, T) or DataFrame (T, N), optional
        Volumes per symbol, for the volume cap (with ``max_participation``).
    params, beta, alpha, costs, capital, max_participation, adv_window, periods_per_year,
    risk_free, hedge_rebalance, return_paths, return_trades, index
        As in :func:`backtest_pairs` (static β, α: scalar or ``(P,)``; dynamic ``(P, T)``).
    """
    import pandas as pd

    if isinstance(prices, pd.DataFrame):
        cols = {c: i for i, c in enumerate(prices.columns)}
        ij = np.asarray(pairs, dtype=object)
        if (
            ij.ndim == 2
            and ij.size
            and not all(isinstance(v, (int, np.integer)) for v in ij.ravel())
        ):
            pairs = np.array([[cols[a], cols[b]] for a, b in ij], dtype=np.int64)
        if index is None and isinstance(prices.index, pd.DatetimeIndex):
            index = prices.index
        prices = prices.to_numpy(dtype=np.float64).T
    if isinstance(volumes, pd.DataFrame):
        volumes = volumes.to_numpy(dtype=np.float64).T
    pairs = np.asarray(pairs)
    if pairs.dtype == object:
        pairs = pairs.astype(np.int64)
    r = _run(
        prices,
        None,
        single=False,
        pairs=pairs,
        params=params,
        beta=beta,
        alpha=alpha,
        costs=costs,
        capital=capital,
        volume_y=volumes,
        volume_x=volumes,
        max_participation=max_participation,
        adv_window=adv_window,
        periods_per_year=periods_per_year,
        risk_free=risk_free,
        hedge_rebalance=hedge_rebalance,
        keep_paths=return_paths or return_trades,
        index=index,
    )
    return _batch_result(r, costs, return_paths=return_paths, return_trades=return_trades)


def _batch_result(
    r: dict[str, Any], costs: Costs, *, return_paths: bool, return_trades: bool
) -> BatchBacktestResult:
    metrics = {name: r["metrics"][:, i].copy() for i, name in enumerate(K.METRIC_NAMES)}
    trades = None
    if return_trades:
        rows = [_trades(r, p, costs) for p in range(r["iy"].shape[0])]
        pair = np.concatenate(
            [np.full(len(t), p, dtype=np.int64) for p, t in enumerate(rows)]
            or [np.empty(0, dtype=np.int64)]
        )
        table = np.concatenate(rows) if rows else np.empty((0, K.N_TRADE_FIELDS))
        trades = {"pair": pair}
        for i, name in enumerate(K.TRADE_FIELDS):
            col = table[:, i]
            is_int = name.endswith("_bar") or name in ("side", "reason", "holding_bars")
            trades[name] = col.astype(np.int64) if is_int else col.copy()
    paths: dict[str, Any] = {}
    if return_paths:
        paths = {
            "equity": r["eq"],
            "returns": r["ret"],
            "bar_costs": r["cost"],
            "weights_y": r["wy"],
            "weights_x": r["wx"],
            "spread": r["spread"],
            "zscore": r["z"],
            "events": r["ev"],
            "position": r["pos"],
        }
    return BatchBacktestResult(
        metrics=metrics,
        params=r["plist"],
        costs=costs,
        capital=r["capital"],
        trades=trades,
        index=r["index"],
        **paths,
    )


def return_metrics(
    returns: Any,
    *,
    capital: float = 1.0,
    periods_per_year: float = 252,
    risk_free: float = 0.0,
) -> Metrics:
    """Return-based metrics of a net return path (e.g. stitched out-of-sample returns).

    ``returns[0]`` is the first bar's own return (usually 0) and is not counted, as in
    the backtest; equity is ``capital * cumprod(1 + returns)``. Trade-based fields
    (hit rate, turnover, exposure, trade counts, costs) are NaN or 0: compute them from
    the backtests being stitched.
    """
    R = np.ascontiguousarray(np.asarray(returns, dtype=np.float64))
    if R.ndim != 1 or R.shape[0] < 2 or not np.isfinite(R).all() or (R <= -1).any():
        raise ValueError("returns must be a finite 1-D array of >= 2 values > -1")
    cap = _check_positive("capital", capital)
    ppy = _check_positive("periods_per_year", periods_per_year)
    eq = np.asarray(cap * np.cumprod(1.0 + R), dtype=np.float64)
    stats = np.zeros(K.N_STATS)
    out = np.empty(K.N_METRICS)
    K.metrics_row(R, eq, cap, ppy, float(risk_free) / ppy, stats, out)
    out[K.METRIC_NAMES.index("turnover")] = np.nan
    out[K.METRIC_NAMES.index("exposure")] = np.nan
    out[K.METRIC_NAMES.index("total_costs")] = np.nan
    return Metrics.from_vector(out)
