"""Array kernels of the z-score pair strategy (numba, no pandas, no validation).

One state transition (:func:`transition`) serves both the vectorized/batched path
(:func:`signal_row`, :func:`signals_batch`) and the bar-by-bar live path
(:func:`live_step`). The rolling z-score has a fast O(1)-per-bar path for the batch and an
exact two-pass path (:func:`window_zscore`) used by the live path; the batch falls back to
the exact path whenever the fast value lies within ``Z_GUARD`` of a decision threshold, so
both paths take the same decisions bar for bar.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

from engine._typing import FloatArray

HOLD = 0
ENTER_LONG = 1
ENTER_SHORT = 2
EXIT = 3
STOP = 4
TIME_STOP = 5

#: A fast z-score this close (absolute) to a threshold is recomputed exactly.
Z_GUARD = 1e-8
#: A fast variance below this share of the mean square of the anchored window is
#: recomputed exactly: the running-sum variance has a relative error of about
#: eps * mean_square / variance, so this keeps it near 1e-12 (the window mean drifted more
#: than 100 standard deviations from the anchor, or the window is constant).
VAR_GUARD = 1e-4


@njit(cache=True)
def spread_value(y: float, x: float, beta: float, alpha: float) -> float:
    """``log(y) - beta * log(x) - alpha``; NaN unless both prices are > 0."""
    if not (y > 0.0 and x > 0.0):
        return np.nan
    return math.log(y) - beta * math.log(x) - alpha


@njit(cache=True)
def window_zscore(buf: FloatArray, head: int, n: int) -> float:
    """Exact two-pass z-score of the newest value of a circular window.

    ``buf`` holds ``n`` values, the oldest at ``head`` (chronological order is
    ``buf[(head + i) % n]``). NaN when a value is not finite or the window is constant.
    """
    s = 0.0
    for i in range(n):
        v = buf[(head + i) % n]
        if not math.isfinite(v):
            return np.nan
        s += v
    mean = s / n
    ss = 0.0
    for i in range(n):
        d = buf[(head + i) % n] - mean
        ss += d * d
    if not ss > 0.0:
        return np.nan
    return (buf[(head + n - 1) % n] - mean) / math.sqrt(ss / (n - 1))


@njit(cache=True)
def transition(
    z: float,
    pos: int,
    held: int,
    stopped: bool,
    last_z: float,
    entry_z: float,
    exit_z: float,
    stop_z: float,
    max_holding: int,
) -> tuple[int, int, int, bool, float]:
    """One bar of the strategy's state machine.

    Returns ``(event, pos, held, stopped, last_z)`` after the bar. ``last_z`` is the last
    finite z-score seen (NaN before the first); ``held`` counts bars since the entry
    decision. See :mod:`engine.strategy` for the rules.
    """
    event = HOLD
    finite = math.isfinite(z)
    if pos != 0:
        held += 1
        if finite:
            if (pos > 0 and z <= -stop_z) or (pos < 0 and z >= stop_z):
                event = STOP
            elif (pos > 0 and z >= -exit_z) or (pos < 0 and z <= exit_z):
                event = EXIT
        if event == HOLD and held >= max_holding:
            event = TIME_STOP
        if event != HOLD:
            pos = 0
            held = 0
            if event != EXIT:
                stopped = True
    elif finite:
        az = abs(z)
        if stopped:
            if az < entry_z:
                stopped = False
        elif az < stop_z and math.isfinite(last_z):
            if z >= entry_z and last_z < entry_z:
                event = ENTER_SHORT
                pos = -1
                held = 0
            elif z <= -entry_z and last_z > -entry_z:
                event = ENTER_LONG
                pos = 1
                held = 0
    if finite:
        last_z = z
    return event, pos, held, stopped, last_z


@njit(cache=True)
def spread_row(
    y: FloatArray, x: FloatArray, beta: FloatArray, alpha: FloatArray, out: FloatArray
) -> None:
    """Spread of one pair; ``beta``/``alpha`` have length 1 (static) or ``len(y)``."""
    dyn_b = beta.shape[0] > 1
    dyn_a = alpha.shape[0] > 1
    for t in range(y.shape[0]):
        b = beta[t] if dyn_b else beta[0]
        a = alpha[t] if dyn_a else alpha[0]
        out[t] = spread_value(y[t], x[t], b, a)


@njit(cache=True)
def zscore_row(
    spread: FloatArray,
    lookback: int,
    entry_z: float,
    exit_z: float,
    stop_z: float,
    out: FloatArray,
) -> None:
    """Rolling z-score (ddof=1) of one series, O(1) per bar.

    Running sums of ``spread - c`` with the anchor ``c`` reset to the exact window mean
    every ``lookback`` bars keep the error at the rounding level; values within
    ``Z_GUARD`` of ``±entry_z``, ``±exit_z`` or ``±stop_z`` (pass NaN for none) and
    near-constant windows are recomputed exactly with :func:`window_zscore`.
    """
    n = spread.shape[0]
    L = lookback
    all_finite = True
    for t in range(n):
        if not math.isfinite(spread[t]):
            all_finite = False
            break
    if not all_finite:
        _zscore_row_nan(spread, L, entry_z, exit_z, stop_z, out)
        return
    for t in range(min(L - 1, n)):
        out[t] = np.nan
    c = 0.0
    s1 = 0.0
    s2 = 0.0
    since_anchor = L
    inv_n = 1.0 / L
    inv_n1 = 1.0 / (L - 1)
    guard = VAR_GUARD / L
    for t in range(L - 1, n):
        if since_anchor >= L:
            since_anchor = 0
            # re-anchor on the exact window mean and recompute the sums exactly
            acc = 0.0
            for i in range(t - L + 1, t + 1):
                acc += spread[i]
            c = acc / L
            s1 = 0.0
            s2 = 0.0
            for i in range(t - L + 1, t + 1):
                d = spread[i] - c
                s1 += d
                s2 += d * d
        else:
            d = spread[t] - c
            u = spread[t - L] - c
            s1 += d - u
            s2 += d * d - u * u
        since_anchor += 1
        mean_d = s1 * inv_n
        var = (s2 - s1 * mean_d) * inv_n1
        zt = np.nan
        if var > guard * s2:
            zt = (spread[t] - c - mean_d) / math.sqrt(var)
            az = abs(zt)
            if (
                abs(az - entry_z) < Z_GUARD
                or abs(az - exit_z) < Z_GUARD
                or abs(az - stop_z) < Z_GUARD
            ):
                zt = np.nan
        if math.isnan(zt):
            zt = window_zscore(spread[t - L + 1 : t + 1], 0, L)
        out[t] = zt


@njit(cache=True)
def _z_from_sums(
    spread: FloatArray,
    t: int,
    L: int,
    c: float,
    s1: float,
    s2: float,
    entry_z: float,
    exit_z: float,
    stop_z: float,
) -> float:
    """z at t from the anchored window sums, exact near thresholds or constant windows."""
    mean_d = s1 / L
    var = (s2 - s1 * mean_d) / (L - 1)
    if var > VAR_GUARD * (s2 / L):
        zt = (spread[t] - c - mean_d) / math.sqrt(var)
        az = abs(zt)
        if not (
            abs(az - entry_z) < Z_GUARD or abs(az - exit_z) < Z_GUARD or abs(az - stop_z) < Z_GUARD
        ):
            return zt
    return window_zscore(spread[t - L + 1 : t + 1], 0, L)


@njit(cache=True)
def _zscore_row_nan(
    spread: FloatArray,
    L: int,
    entry_z: float,
    exit_z: float,
    stop_z: float,
    out: FloatArray,
) -> None:
    """:func:`zscore_row` for a series with non-finite values (NaN while in the window)."""
    n = spread.shape[0]
    c = 0.0
    s1 = 0.0
    s2 = 0.0
    nbad = 0
    since_anchor = L
    for t in range(n):
        v = spread[t]
        if math.isfinite(v):
            d = v - c
            s1 += d
            s2 += d * d
        else:
            nbad += 1
        if t >= L:
            u = spread[t - L]
            if math.isfinite(u):
                d = u - c
                s1 -= d
                s2 -= d * d
            else:
                nbad -= 1
        since_anchor += 1
        if t < L - 1 or nbad > 0:
            out[t] = np.nan
            continue
        if since_anchor >= L:
            acc = 0.0
            for i in range(t - L + 1, t + 1):
                acc += spread[i]
            c = acc / L
            s1 = 0.0
            s2 = 0.0
            for i in range(t - L + 1, t + 1):
                d = spread[i] - c
                s1 += d
                s2 += d * d
            since_anchor = 0
        out[t] = _z_from_sums(spread, t, L, c, s1, s2, entry_z, exit_z, stop_z)


@njit(cache=True)
def transition_row(
    z: FloatArray,
    entry_z: float,
    exit_z: float,
    stop_z: float,
    max_holding: int,
    events: np.ndarray,
    pos_out: np.ndarray,
) -> None:
    """Run the state machine over a z-score path from the flat initial state."""
    pos = 0
    held = 0
    stopped = False
    last_z = np.nan
    for t in range(z.shape[0]):
        ev, pos, held, stopped, last_z = transition(
            z[t], pos, held, stopped, last_z, entry_z, exit_z, stop_z, max_holding
        )
        events[t] = ev
        pos_out[t] = pos


@njit(cache=True)
def log_row(p: FloatArray, out: FloatArray) -> None:
    """``log(p)`` where ``p > 0``, NaN elsewhere (the same operation as :func:`spread_value`)."""
    for t in range(p.shape[0]):
        out[t] = math.log(p[t]) if p[t] > 0.0 else np.nan


@njit(cache=True)
def spread_row_log(
    ly: FloatArray, lx: FloatArray, beta: FloatArray, alpha: FloatArray, out: FloatArray
) -> None:
    """:func:`spread_row` from log prices (bit-identical to it)."""
    dyn_b = beta.shape[0] > 1
    dyn_a = alpha.shape[0] > 1
    for t in range(ly.shape[0]):
        b = beta[t] if dyn_b else beta[0]
        a = alpha[t] if dyn_a else alpha[0]
        out[t] = ly[t] - b * lx[t] - a


@njit(cache=True)
def signal_row_log(
    ly: FloatArray,
    lx: FloatArray,
    beta: FloatArray,
    alpha: FloatArray,
    lookback: int,
    entry_z: float,
    exit_z: float,
    stop_z: float,
    max_holding: int,
    spread: FloatArray,
    z: FloatArray,
    events: np.ndarray,
    pos_out: np.ndarray,
) -> None:
    """Spread, z-score, events and decided position of one pair from log prices."""
    spread_row_log(ly, lx, beta, alpha, spread)
    zscore_row(spread, lookback, entry_z, exit_z, stop_z, z)
    transition_row(z, entry_z, exit_z, stop_z, max_holding, events, pos_out)


@njit(cache=True)
def signal_row(
    y: FloatArray,
    x: FloatArray,
    beta: FloatArray,
    alpha: FloatArray,
    lookback: int,
    entry_z: float,
    exit_z: float,
    stop_z: float,
    max_holding: int,
    spread: FloatArray,
    z: FloatArray,
    events: np.ndarray,
    pos_out: np.ndarray,
) -> None:
    """Spread, z-score, events and decided position of one pair (the vectorized path)."""
    spread_row(y, x, beta, alpha, spread)
    zscore_row(spread, lookback, entry_z, exit_z, stop_z, z)
    transition_row(z, entry_z, exit_z, stop_z, max_holding, events, pos_out)


@njit(cache=True, parallel=True)
def signals_batch(
    Y: FloatArray,
    X: FloatArray,
    B: FloatArray,
    A: FloatArray,
    lookback: np.ndarray,
    entry_z: FloatArray,
    exit_z: FloatArray,
    stop_z: FloatArray,
    max_holding: np.ndarray,
    spread: FloatArray,
    z: FloatArray,
    events: np.ndarray,
    pos_out: np.ndarray,
) -> None:
    """:func:`signal_row` over P pairs in parallel (rows of the 2-D arrays)."""
    for p in prange(Y.shape[0]):
        signal_row(
            Y[p],
            X[p],
            B[p],
            A[p],
            lookback[p],
            entry_z[p],
            exit_z[p],
            stop_z[p],
            max_holding[p],
            spread[p],
            z[p],
            events[p],
            pos_out[p],
        )


@njit(cache=True, parallel=True)
def zscore_batch(spread: FloatArray, lookback: int, out: FloatArray) -> None:
    """:func:`zscore_row` (no threshold guard) over the rows of a 2-D array."""
    for p in prange(spread.shape[0]):
        zscore_row(spread[p], lookback, np.nan, np.nan, np.nan, out[p])


@njit(cache=True)
def live_step(
    buf: FloatArray,
    n_seen: int,
    y: float,
    x: float,
    beta: float,
    alpha: float,
    entry_z: float,
    exit_z: float,
    stop_z: float,
    max_holding: int,
    pos: int,
    held: int,
    stopped: bool,
    last_z: float,
) -> tuple[float, float, int, int, int, bool, float]:
    """One live bar: write the spread into the circular window ``buf`` and transition.

    ``buf`` has length ``lookback``; the new spread goes to ``buf[n_seen % lookback]``.
    Returns ``(spread, z, event, pos, held, stopped, last_z)``.
    """
    L = buf.shape[0]
    s = spread_value(y, x, beta, alpha)
    buf[n_seen % L] = s
    n = n_seen + 1
    z = window_zscore(buf, n % L, L) if n >= L else np.nan
    ev, pos, held, stopped, last_z = transition(
        z, pos, held, stopped, last_z, entry_z, exit_z, stop_z, max_holding
    )
    return s, z, ev, pos, held, stopped, last_z
