r"""Vectorized (and batched) z-score pair signals over history.

Spread and z-score (binding conventions, docs/architecture.md section 4):

.. math::

    s_t = \log y_t - \beta_t \log x_t - \alpha_t, \qquad
    z_t = \frac{s_t - \bar s_t}{\hat\sigma_t}, \quad
    \bar s_t = \frac1L \sum_{i=t-L+1}^{t} s_i, \quad
    \hat\sigma_t^2 = \frac1{L-1} \sum_{i=t-L+1}^{t} (s_i - \bar s_t)^2

with ``L = lookback``; z is NaN for the first ``L - 1`` bars, when the window holds a
non-finite spread, and when the window is constant. β and α are either static (one value
per pair, from a formation window) or per-bar arrays from a causal dynamic estimator
(β_t, α_t must use data up to t only).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from engine._results import Result
from engine._typing import FloatArray
from engine.strategy import _kernels as K
from engine.strategy._inputs import (
    DatetimeArray,
    check_hedge,
    check_index,
    check_prices,
    params_arrays,
)
from engine.strategy._params import EVENT_LABELS, StrategyParams

Int8Array = npt.NDArray[np.int8]


@dataclasses.dataclass(frozen=True)
class SignalResult(Result):
    """Signals of one pair (arrays of shape ``(T,)``) or of P pairs (shape ``(P, T)``).

    Attributes
    ----------
    spread, zscore : ndarray
        The spread s_t and its rolling z-score z_t (NaN where undefined).
    events : ndarray of int8
        The decision taken at the close of bar t (:class:`~engine.strategy.Event` codes).
    position : ndarray of int8
        The position decided at bar t (+1 long spread, -1 short, 0 flat), in force from
        the close of bar ``t + execution_lag``.
    held : ndarray of int8
        The position held over ``(t, t+1]``: ``held[t] = position[t - execution_lag]``
        (0 for ``t < execution_lag``). This is what the backtest trades.
    params : tuple of StrategyParams
        One per pair (one element for a single pair).
    index : ndarray of datetime64 or None
        Bar timestamps (UTC) when known.
    """

    spread: FloatArray
    zscore: FloatArray
    events: Int8Array
    position: Int8Array
    held: Int8Array
    params: tuple[StrategyParams, ...]
    index: DatetimeArray | None = None

    def event_records(self, pair: int | None = None) -> list[dict[str, Any]]:
        """Non-``hold`` decisions as ``{bar, ts, event, zscore, position}`` dicts.

        ``pair`` selects a row of a batched result (required there).
        """
        ev, z, pos = self.events, self.zscore, self.position
        if ev.ndim == 2:
            if pair is None:
                raise ValueError("pair is required for a batched SignalResult")
            ev, z, pos = ev[pair], z[pair], pos[pair]
        out: list[dict[str, Any]] = []
        for t in np.flatnonzero(ev):
            ts = (
                None if self.index is None else str(np.datetime_as_string(self.index[t], "s")) + "Z"
            )
            out.append(
                {
                    "bar": int(t),
                    "ts": ts,
                    "event": EVENT_LABELS[int(ev[t])],
                    "zscore": float(z[t]),
                    "position": int(pos[t]),
                }
            )
        return out


def compute_spread(
    y: Any, x: Any, *, beta: Any, alpha: Any = 0.0, hedge: str | None = None
) -> FloatArray:
    r"""Spread :math:`s_t = \log y_t - \beta \log x_t - \alpha` of one or P pairs.

    Parameters
    ----------
    y, x : array_like, shape (T,) or (P, T)
        Prices (> 0; NaN propagates).
    beta, alpha : float or array_like
        Static: scalar (or ``(P,)`` for 2-D input). Dynamic: same shape as ``y``.
    hedge : {"static", "dynamic"}, optional
        Inferred from the shape of ``beta`` when omitted.

    Returns
    -------
    ndarray
        Same shape as ``y``.
    """
    ndim = np.ndim(y)
    Y = check_prices(y, "y", ndim=ndim, allow_nan=True)
    X = check_prices(x, "x", ndim=ndim, allow_nan=True)
    if Y.shape != X.shape:
        raise ValueError(f"y and x shapes differ: {Y.shape} vs {X.shape}")
    Y2, X2 = Y.reshape(-1, Y.shape[-1]), X.reshape(-1, X.shape[-1])
    n_pairs = None if ndim == 1 else Y2.shape[0]
    mode = hedge or ("dynamic" if np.ndim(beta) == ndim and np.size(beta) == Y.size else "static")
    T = Y.shape[-1]
    B = check_hedge(beta, "beta", hedge=mode, n_pairs=n_pairs, n_bars=T, allow_nan=True)
    A = check_hedge(alpha, "alpha", hedge=mode, n_pairs=n_pairs, n_bars=T, allow_nan=True)
    out = np.empty_like(Y2)
    for p in range(Y2.shape[0]):
        K.spread_row(Y2[p], X2[p], B[p], A[p], out[p])
    return out.reshape(Y.shape)


def rolling_zscore(spread: Any, *, lookback: int) -> FloatArray:
    r"""Rolling z-score (ddof=1) over ``lookback`` bars ending at t, along the last axis.

    .. math:: z_t = (s_t - \bar s_t) / \hat\sigma_t

    Equal to ``(s - s.rolling(L).mean()) / s.rolling(L).std()`` in pandas to rounding
    (O(1) per bar with periodically re-anchored running sums); NaN for ``t < L - 1``, for a
    window with a non-finite value and for a constant window.
    """
    if isinstance(lookback, bool) or not isinstance(lookback, (int, np.integer)) or lookback < 2:
        raise ValueError(f"lookback must be an integer >= 2, got {lookback!r}")
    s = np.ascontiguousarray(np.asarray(spread, dtype=np.float64))
    if s.ndim not in (1, 2):
        raise ValueError(f"spread must be 1- or 2-dimensional, got shape {s.shape}")
    s2 = s.reshape(-1, s.shape[-1])
    out = np.empty_like(s2)
    K.zscore_batch(s2, int(lookback), out)
    return out.reshape(s.shape)


def _held(position: Int8Array, lags: npt.NDArray[np.int64]) -> Int8Array:
    held = np.zeros_like(position)
    for p in range(position.shape[0]):
        lag = int(lags[p])
        if lag == 0:
            held[p] = position[p]
        elif lag < position.shape[1]:
            held[p, lag:] = position[p, :-lag]
    return held


def generate_signals(
    y: Any,
    x: Any,
    *,
    params: StrategyParams | Sequence[StrategyParams],
    beta: Any,
    alpha: Any = 0.0,
    index: Any = None,
) -> SignalResult:
    """Run the z-score pair strategy over history, for one pair or P pairs at once.

    Parameters
    ----------
    y, x : array_like or pandas.Series, shape (T,) or (P, T)
        Prices of the two legs (> 0; NaN allowed: z is NaN while the window holds it).
    params : StrategyParams or sequence of P StrategyParams
        One set for all pairs, or one per pair (all with the same ``hedge``).
    beta, alpha : float or array_like
        ``hedge="static"``: scalar, or ``(P,)`` in the batched case. ``hedge="dynamic"``:
        ``(T,)`` or ``(P, T)`` per-bar values from a causal estimator (NaN allowed).
    index : array_like of datetimes, optional
        Bar timestamps (taken from a Series' DatetimeIndex when omitted).

    Returns
    -------
    SignalResult
        Arrays with the shape of ``y``.

    Notes
    -----
    The decision at bar t uses data up to and including the close of t. Decisions are
    identical to :class:`~engine.strategy.LiveStrategy` fed the same bars one at a time.
    """
    ndim = np.ndim(y)
    Y = check_prices(y, "y", ndim=ndim, allow_nan=True)
    X = check_prices(x, "x", ndim=ndim, allow_nan=True)
    if Y.shape != X.shape or ndim not in (1, 2):
        raise ValueError(f"y and x must have the same 1-D or 2-D shape: {Y.shape} vs {X.shape}")
    T = Y.shape[-1]
    Y2, X2 = Y.reshape(-1, T), X.reshape(-1, T)
    P = Y2.shape[0]
    if ndim == 1 and not isinstance(params, StrategyParams):
        raise TypeError("a single pair takes one StrategyParams")
    plist, pa = params_arrays(params, P)
    n_pairs = None if ndim == 1 else P
    hedge = plist[0].hedge
    B = check_hedge(beta, "beta", hedge=hedge, n_pairs=n_pairs, n_bars=T, allow_nan=True)
    A = check_hedge(alpha, "alpha", hedge=hedge, n_pairs=n_pairs, n_bars=T, allow_nan=True)
    idx = check_index(y, index, T)
    spread = np.empty((P, T))
    z = np.empty((P, T))
    events = np.empty((P, T), dtype=np.int8)
    pos = np.empty((P, T), dtype=np.int8)
    K.signals_batch(
        Y2,
        X2,
        B,
        A,
        pa["lookback"],
        pa["entry_z"],
        pa["exit_z"],
        pa["stop_z"],
        pa["max_holding"],
        spread,
        z,
        events,
        pos,
    )
    held = _held(pos, pa["execution_lag"])
    shape = Y.shape
    return SignalResult(
        spread=spread.reshape(shape),
        zscore=z.reshape(shape),
        events=events.reshape(shape),
        position=pos.reshape(shape),
        held=held.reshape(shape),
        params=plist,
        index=idx,
    )


def signals_from_zscore(z: Any, *, params: StrategyParams) -> SignalResult:
    """Run only the state machine over a given z-score path (shape ``(T,)``).

    Useful for hand-made paths, externally computed z-scores (regime models) and tests.
    ``params.lookback`` and ``hedge`` are ignored; ``spread`` in the result is NaN.
    """
    zz = np.ascontiguousarray(np.asarray(z, dtype=np.float64))
    if zz.ndim != 1:
        raise ValueError(f"z must be 1-dimensional, got shape {zz.shape}")
    if np.isinf(zz).any():
        raise ValueError("z must not be infinite")
    T = zz.shape[0]
    events = np.empty(T, dtype=np.int8)
    pos = np.empty(T, dtype=np.int8)
    K.transition_row(
        zz, params.entry_z, params.exit_z, params.stop_value, params.max_holding_value, events, pos
    )
    held = _held(pos.reshape(1, T), np.array([params.execution_lag], dtype=np.int64))
    return SignalResult(
        spread=np.full(T, np.nan),
        zscore=zz.copy(),
        events=events,
        position=pos,
        held=held.reshape(T),
        params=(params,),
    )
