"""Array kernels of the pair backtest (numba, no pandas, no validation).

The signals come from :func:`engine.strategy._kernels.signal_row` (the strategy's one
implementation); :func:`pnl_row` turns them into leg weights, returns, costs and equity;
:func:`metrics_row` reduces a path to the metrics vector (order: ``METRIC_NAMES``);
:func:`trades_row` extracts the trade list from a path. See :mod:`engine.backtest` for
the conventions.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

from engine._typing import FloatArray
from engine.strategy._kernels import log_row, signal_row_log

METRIC_NAMES: tuple[str, ...] = (
    "total_return",
    "annual_return",
    "annual_volatility",
    "sharpe",
    "sortino",
    "max_drawdown",
    "calmar",
    "hit_rate",
    "turnover",
    "exposure",
    "n_trades",
    "n_closed_trades",
    "final_equity",
    "total_costs",
)
N_METRICS = len(METRIC_NAMES)

# stats vector filled by pnl_row and read by metrics_row
S_TURNOVER, S_EXPOSURE, S_TRADES, S_CLOSED, S_WINS, S_COSTS = 0, 1, 2, 3, 4, 5
N_STATS = 6

TRADE_FIELDS: tuple[str, ...] = (
    "entry_signal_bar",
    "entry_bar",
    "exit_signal_bar",
    "exit_bar",
    "side",
    "reason",
    "pnl_y",
    "pnl_x",
    "trading_costs",
    "borrow_costs",
    "net_pnl",
    "trade_return",
    "holding_bars",
    "entry_weight_y",
    "entry_weight_x",
    "entry_zscore",
    "exit_zscore",
)
N_TRADE_FIELDS = len(TRADE_FIELDS)
REASON_OPEN = -1


@njit(cache=True)
def pnl_row(
    y: FloatArray,
    x: FloatArray,
    ry: FloatArray,
    rx: FloatArray,
    beta: FloatArray,
    pos: np.ndarray,
    lag: int,
    k_trade: float,
    borrow_daily: float,
    vy: FloatArray,
    vx: FloatArray,
    max_part: float,
    adv_window: int,
    rebalance_bar: bool,
    capital: float,
    wy_out: FloatArray,
    wx_out: FloatArray,
    ret_out: FloatArray,
    cost_out: FloatArray,
    eq_out: FloatArray,
    stats: FloatArray,
) -> None:
    """Weights, net returns, costs and equity of one pair from its decided positions.

    ``ry``/``rx`` are the simple returns of the legs (``ry[t] = y[t] / y[t-1] - 1``),
    ``y``/``x`` the prices (used by the volume cap only).
    ``pos[t]`` is the position decided at t; the side held at the close of τ is
    ``pos[τ - lag]``. ``beta`` has length 1 (static) or T (β of the decision bar is used).
    ``vy``/``vx`` are empty when there is no volume cap.
    """
    T = y.shape[0]
    dyn = beta.shape[0] > 1
    has_vol = vy.shape[0] > 0 and max_part > 0.0
    wy_prev = 0.0
    wx_prev = 0.0
    side_prev = 0
    scale = 1.0
    b_held = 0.0
    e_prev = capital
    trade_start = capital
    sum_vy = 0.0
    sum_vx = 0.0
    turnover = 0.0
    exposure = 0.0
    n_trades = 0.0
    n_closed = 0.0
    wins = 0.0
    total_costs = 0.0
    for t in range(T):
        gross = 0.0
        borrow = 0.0
        if t > 0:
            gross = wy_prev * ry[t] + wx_prev * rx[t]
            borrow = borrow_daily * (max(-wy_prev, 0.0) + max(-wx_prev, 0.0))
            if wy_prev != 0.0 or wx_prev != 0.0:
                exposure += 1.0
        if has_vol:
            sum_vy += vy[t]
            sum_vx += vx[t]
            if t >= adv_window:
                sum_vy -= vy[t - adv_window]
                sum_vx -= vx[t - adv_window]
        td = t - lag
        side = int(pos[td]) if td >= 0 else 0
        if side == 0:
            nwy = 0.0
            nwx = 0.0
        else:
            bd = beta[td] if dyn else beta[0]
            if side != side_prev:
                b_held = bd
                scale = 1.0
                if has_vol:
                    g = 1.0 / (1.0 + abs(b_held))
                    nwin = min(t + 1, adv_window)
                    need_y = g * e_prev
                    need_x = abs(b_held) * g * e_prev
                    cap_y = max_part * (sum_vy / nwin) * y[t]
                    cap_x = max_part * (sum_vx / nwin) * x[t]
                    if need_y > cap_y:
                        scale = min(scale, cap_y / need_y)
                    if need_x > cap_x:
                        scale = min(scale, cap_x / need_x)
            elif rebalance_bar and math.isfinite(bd):
                b_held = bd
            g = scale / (1.0 + abs(b_held))
            nwy = side * g
            nwx = -side * b_held * g
        traded = abs(nwy - wy_prev) + abs(nwx - wx_prev)
        c = k_trade * traded
        r = gross - borrow - c
        e = e_prev * (1.0 + r)
        wy_out[t] = nwy
        wx_out[t] = nwx
        ret_out[t] = r
        cost_out[t] = c + borrow
        eq_out[t] = e
        turnover += traded
        total_costs += e_prev * (c + borrow)
        if side != side_prev:
            if side_prev != 0:
                n_closed += 1.0
                if e > trade_start:
                    wins += 1.0
            if side != 0:
                n_trades += 1.0
                trade_start = e_prev
        side_prev = side
        wy_prev = nwy
        wx_prev = nwx
        e_prev = e
    stats[S_TURNOVER] = turnover
    stats[S_EXPOSURE] = exposure
    stats[S_TRADES] = n_trades
    stats[S_CLOSED] = n_closed
    stats[S_WINS] = wins
    stats[S_COSTS] = total_costs


@njit(cache=True)
def metrics_row(
    ret: FloatArray,
    equity: FloatArray,
    capital: float,
    ppy: float,
    rf: float,
    stats: FloatArray,
    out: FloatArray,
) -> None:
    """Metrics of one path (``ret[0]`` and ``equity[0]`` belong to the first bar).

    Return-based metrics use the ``n = T - 1`` returns ``ret[1:]``; ``rf`` is per period.
    """
    T = ret.shape[0]
    n = T - 1
    for i in range(N_METRICS):
        out[i] = np.nan
    out[10] = stats[S_TRADES]
    out[11] = stats[S_CLOSED]
    out[12] = equity[T - 1]
    out[13] = stats[S_COSTS]
    if n < 1:
        return
    growth = equity[T - 1] / capital
    years = n / ppy
    out[0] = growth - 1.0
    out[1] = growth ** (1.0 / years) - 1.0 if growth > 0.0 else -1.0
    mean = 0.0
    for t in range(1, T):
        mean += ret[t]
    mean /= n
    ss = 0.0
    down = 0.0
    for t in range(1, T):
        d = ret[t] - mean
        ss += d * d
        e = ret[t] - rf
        if e < 0.0:
            down += e * e
    ex = mean - rf
    if n >= 2:
        std = math.sqrt(ss / (n - 1))
        out[2] = std * math.sqrt(ppy)
        if std > 0.0:
            out[3] = ex / std * math.sqrt(ppy)
    dd = math.sqrt(down / n) * math.sqrt(ppy)
    if dd > 0.0:
        out[4] = ex * ppy / dd
    peak = capital
    mdd = 0.0
    for t in range(T):
        if equity[t] > peak:
            peak = equity[t]
        v = equity[t] / peak - 1.0
        if v < mdd:
            mdd = v
    out[5] = mdd
    if mdd < 0.0:
        out[6] = out[1] / -mdd
    if stats[S_CLOSED] > 0:
        out[7] = stats[S_WINS] / stats[S_CLOSED]
    out[8] = stats[S_TURNOVER] / years
    out[9] = stats[S_EXPOSURE] / n


@njit(cache=True)
def return_row(p: FloatArray, out: FloatArray) -> None:
    """Simple returns ``p[t] / p[t-1] - 1`` (``out[0] = 0``)."""
    out[0] = 0.0
    for t in range(1, p.shape[0]):
        out[t] = p[t] / p[t - 1] - 1.0


@njit(cache=True)
def backtest_one(
    y: FloatArray,
    x: FloatArray,
    ly: FloatArray,
    lx: FloatArray,
    ry: FloatArray,
    rx: FloatArray,
    beta: FloatArray,
    alpha: FloatArray,
    vy: FloatArray,
    vx: FloatArray,
    lookback: int,
    entry_z: float,
    exit_z: float,
    stop_z: float,
    max_holding: int,
    lag: int,
    k_trade: float,
    borrow_daily: float,
    max_part: float,
    adv_window: int,
    rebalance_bar: bool,
    capital: float,
    ppy: float,
    rf: float,
    spread: FloatArray,
    z: FloatArray,
    ev: np.ndarray,
    pos: np.ndarray,
    wy: FloatArray,
    wx: FloatArray,
    ret: FloatArray,
    cost: FloatArray,
    eq: FloatArray,
    metrics: FloatArray,
) -> None:
    """Signals, P&L and metrics of one pair from its prices, log prices and returns."""
    signal_row_log(
        ly, lx, beta, alpha, lookback, entry_z, exit_z, stop_z, max_holding, spread, z, ev, pos
    )
    stats = np.zeros(N_STATS)
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
        vy,
        vx,
        max_part,
        adv_window,
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


@njit(cache=True, parallel=True)
def backtest_batch(
    Y: FloatArray,
    X: FloatArray,
    LOGP: FloatArray,
    RET: FloatArray,
    iy: np.ndarray,
    ix: np.ndarray,
    B: FloatArray,
    A: FloatArray,
    V: FloatArray,
    lookback: np.ndarray,
    entry_z: FloatArray,
    exit_z: FloatArray,
    stop_z: FloatArray,
    max_holding: np.ndarray,
    lag: np.ndarray,
    k_trade: float,
    borrow_daily: float,
    max_part: float,
    adv_window: int,
    rebalance_bar: bool,
    capital: float,
    ppy: float,
    rf: float,
    keep_paths: bool,
    spread_o: FloatArray,
    z_o: FloatArray,
    ev_o: np.ndarray,
    pos_o: np.ndarray,
    wy_o: FloatArray,
    wx_o: FloatArray,
    ret_o: FloatArray,
    cost_o: FloatArray,
    eq_o: FloatArray,
    metrics_o: FloatArray,
) -> None:
    """Signals, P&L and metrics of P pairs in parallel.

    Two layouts. *Pair rows*: ``Y``, ``X`` are ``(P, T)`` and ``LOGP``/``RET`` are empty
    ``(0, T)``; logs and returns are computed per pair. *Universe*: ``Y`` is the ``(N, T)``
    price matrix (``X`` unused), ``LOGP``/``RET`` its logs and returns, and pair p is
    ``(iy[p], ix[p])``, so each symbol's logs and returns are computed once. ``V`` holds
    the volumes in the layout of ``Y`` (``(·, 0)`` without a cap).

    With ``keep_paths`` the per-bar outputs are written to the ``(P, T)`` arrays; without
    it they live in per-pair scratch arrays and only ``metrics_o`` ``(P, N_METRICS)`` is
    filled (the path arguments may then be any arrays).
    """
    P = iy.shape[0]
    T = Y.shape[1]
    universe = LOGP.shape[0] > 0
    has_vol = V.shape[1] > 0
    for p in prange(P):
        if keep_paths:
            spread = spread_o[p]
            z = z_o[p]
            ev = ev_o[p]
            pos = pos_o[p]
            wy = wy_o[p]
            wx = wx_o[p]
            ret = ret_o[p]
            cost = cost_o[p]
            eq = eq_o[p]
        else:
            spread = np.empty(T)
            z = np.empty(T)
            ev = np.empty(T, dtype=np.int8)
            pos = np.empty(T, dtype=np.int8)
            wy = np.empty(T)
            wx = np.empty(T)
            ret = np.empty(T)
            cost = np.empty(T)
            eq = np.empty(T)
        if universe:
            a = iy[p]
            b = ix[p]
            y = Y[a]
            x = Y[b]
            ly = LOGP[a]
            lx = LOGP[b]
            ry = RET[a]
            rx = RET[b]
            vy = V[a] if has_vol else V[0]
            vx = V[b] if has_vol else V[0]
        else:
            y = Y[p]
            x = X[p]
            ly = np.empty(T)
            lx = np.empty(T)
            ry = np.empty(T)
            rx = np.empty(T)
            log_row(y, ly)
            log_row(x, lx)
            return_row(y, ry)
            return_row(x, rx)
            vy = V[2 * p] if has_vol else V[0]
            vx = V[2 * p + 1] if has_vol else V[0]
        backtest_one(
            y,
            x,
            ly,
            lx,
            ry,
            rx,
            B[p],
            A[p],
            vy,
            vx,
            lookback[p],
            entry_z[p],
            exit_z[p],
            stop_z[p],
            max_holding[p],
            lag[p],
            k_trade,
            borrow_daily,
            max_part,
            adv_window,
            rebalance_bar,
            capital,
            ppy,
            rf,
            spread,
            z,
            ev,
            pos,
            wy,
            wx,
            ret,
            cost,
            eq,
            metrics_o[p],
        )


@njit(cache=True)
def trades_row(
    y: FloatArray,
    x: FloatArray,
    z: FloatArray,
    events: np.ndarray,
    pos: np.ndarray,
    lag: int,
    wy: FloatArray,
    wx: FloatArray,
    equity: FloatArray,
    capital: float,
    k_trade: float,
    borrow_daily: float,
) -> FloatArray:
    """The trades of one pair's path as rows of ``TRADE_FIELDS`` (float64).

    P&L is in currency: leg i earns ``E_{τ-1} w_{i,τ-1} r_{i,τ}`` over bars τ in
    (entry_bar, exit_bar]; costs are ``E_{τ-1}`` times the cost fractions of bars
    entry_bar..exit_bar; ``net_pnl = pnl_y + pnl_x - trading_costs - borrow_costs``, which
    equals ``E_{exit_bar} - E_{entry_bar - 1}`` to rounding. An open trade has exit bars
    -1 and reason ``REASON_OPEN``; its totals run to the last bar.
    """
    T = y.shape[0]
    n_max = 0
    for t in range(T):
        if events[t] == 1 or events[t] == 2:
            n_max += 1
    out = np.full((n_max, N_TRADE_FIELDS), np.nan)
    k = -1
    side_prev = 0
    e_prev = capital
    pnl_y = 0.0
    pnl_x = 0.0
    trading = 0.0
    borrow = 0.0
    e_start = capital
    entry_bar = 0
    for t in range(T):
        td = t - lag
        side = int(pos[td]) if td >= 0 else 0
        if side_prev != 0:
            # t > 0 here: a position cannot be held before bar 0
            pnl_y += e_prev * wy[t - 1] * (y[t] / y[t - 1] - 1.0)
            pnl_x += e_prev * wx[t - 1] * (x[t] / x[t - 1] - 1.0)
            borrow += e_prev * borrow_daily * (max(-wy[t - 1], 0.0) + max(-wx[t - 1], 0.0))
            if side != side_prev and side != 0:  # direct flip: this trade pays its close
                trading += e_prev * k_trade * (abs(wy[t - 1]) + abs(wx[t - 1]))
            else:
                trading += e_prev * k_trade * (abs(wy[t] - wy[t - 1]) + abs(wx[t] - wx[t - 1]))
        if side != side_prev:
            if side_prev != 0:
                out[k, 2] = td
                out[k, 3] = t
                out[k, 5] = events[td]
                out[k, 16] = z[td]
                out[k, 12] = t - entry_bar
                out[k, 6] = pnl_y
                out[k, 7] = pnl_x
                out[k, 8] = trading
                out[k, 9] = borrow
                out[k, 10] = pnl_y + pnl_x - trading - borrow
                out[k, 11] = out[k, 10] / e_start
            if side != 0:
                k += 1
                entry_bar = t
                e_start = e_prev
                trading = e_prev * k_trade * (abs(wy[t]) + abs(wx[t]))
                pnl_y = 0.0
                pnl_x = 0.0
                borrow = 0.0
                out[k, 0] = td
                out[k, 1] = t
                out[k, 4] = side
                out[k, 13] = wy[t]
                out[k, 14] = wx[t]
                out[k, 15] = z[td]
        side_prev = side
        e_prev = equity[t]
    if side_prev != 0:
        out[k, 2] = -1.0
        out[k, 3] = -1.0
        out[k, 5] = REASON_OPEN
        out[k, 12] = T - 1 - entry_bar
        out[k, 6] = pnl_y
        out[k, 7] = pnl_x
        out[k, 8] = trading
        out[k, 9] = borrow
        out[k, 10] = pnl_y + pnl_x - trading - borrow
        out[k, 11] = out[k, 10] / e_start
    return out[: k + 1]
