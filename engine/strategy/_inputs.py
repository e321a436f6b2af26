"""Input checks shared by the strategy and the backtest wrappers (pandas stays here)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from engine._typing import FloatArray
from engine.strategy._params import StrategyParams

DatetimeArray = npt.NDArray[np.datetime64]


def check_index(obj: Any, index: Any, n: int) -> DatetimeArray | None:
    """Timestamps of ``n`` bars: ``index`` if given, else a Series' DatetimeIndex, else None.

    Time-zone-aware timestamps are converted to naive UTC ``datetime64[ns]``.
    """
    if index is None and isinstance(obj, pd.Series) and isinstance(obj.index, pd.DatetimeIndex):
        index = obj.index
    if index is None:
        return None
    idx = pd.DatetimeIndex(index)
    if idx.tz is not None:
        idx = idx.tz_convert("UTC").tz_localize(None)
    out = np.asarray(idx.values, dtype="datetime64[ns]")
    if out.shape != (n,):
        raise ValueError(f"index has {out.shape[0]} timestamps for {n} bars")
    return out


def check_prices(a: Any, name: str, *, ndim: int, allow_nan: bool) -> FloatArray:
    """A C-contiguous float64 copy-free view (or copy) of prices, checked.

    Prices must be > 0 where finite; NaN is allowed only when ``allow_nan``.
    """
    arr = np.ascontiguousarray(np.asarray(a, dtype=np.float64))
    if arr.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-dimensional, got shape {arr.shape}")
    if arr.shape[-1] < 2:
        raise ValueError(f"{name} needs at least 2 bars")
    finite = np.isfinite(arr)
    if not allow_nan and not finite.all():
        raise ValueError(f"{name} has non-finite prices")
    if np.isinf(arr).any():
        raise ValueError(f"{name} has infinite prices")
    if (arr[finite] <= 0).any():
        raise ValueError(f"{name} has non-positive prices")
    return arr


def check_hedge(
    value: Any, name: str, *, hedge: str, n_pairs: int | None, n_bars: int, allow_nan: bool
) -> FloatArray:
    """β or α as a 2-D ``(P, 1)`` (static) or ``(P, T)`` (dynamic) float64 array.

    ``n_pairs=None`` means the single-pair API: static is a scalar, dynamic a ``(T,)``
    array. In the batched API static is a scalar or ``(P,)``, dynamic ``(P, T)``. A
    dynamic hedge accepts a scalar ``alpha`` (fixed intercept).
    """
    arr = np.asarray(value, dtype=np.float64)
    p = 1 if n_pairs is None else n_pairs
    if hedge == "static":
        if arr.ndim == 0:
            out = np.full((p, 1), float(arr))
        elif n_pairs is not None and arr.shape == (p,):
            out = arr.reshape(p, 1).copy()
        else:
            want = "a scalar" if n_pairs is None else f"a scalar or shape ({p},)"
            raise ValueError(f"static {name} must be {want}, got shape {arr.shape}")
        if not np.isfinite(out).all():
            raise ValueError(f"static {name} must be finite")
        return out
    want_shape = (n_bars,) if n_pairs is None else (p, n_bars)
    if arr.ndim == 0 and name == "alpha":  # a dynamic beta with a fixed intercept
        arr = np.full(want_shape, float(arr))
    if arr.shape != want_shape:
        raise ValueError(f"dynamic {name} must have shape {want_shape}, got {arr.shape}")
    if np.isinf(arr).any() or (not allow_nan and np.isnan(arr).any()):
        raise ValueError(f"dynamic {name} has invalid values")
    return np.ascontiguousarray(arr.reshape(p, n_bars))


def params_arrays(
    params: StrategyParams | Sequence[StrategyParams], n_pairs: int
) -> tuple[tuple[StrategyParams, ...], dict[str, np.ndarray]]:
    """Per-pair kernel arrays from one ``StrategyParams`` or a sequence of P of them."""
    if isinstance(params, StrategyParams):
        plist: tuple[StrategyParams, ...] = (params,) * n_pairs
    else:
        plist = tuple(params)
        if len(plist) != n_pairs:
            raise ValueError(f"got {len(plist)} StrategyParams for {n_pairs} pairs")
        for p in plist:
            if not isinstance(p, StrategyParams):
                raise TypeError("params must be StrategyParams or a sequence of them")
        if len({p.hedge for p in plist}) > 1:
            raise ValueError("all pairs of one batch must use the same hedge mode")
    arrays = {
        "lookback": np.array([p.lookback for p in plist], dtype=np.int64),
        "entry_z": np.array([p.entry_z for p in plist], dtype=np.float64),
        "exit_z": np.array([p.exit_z for p in plist], dtype=np.float64),
        "stop_z": np.array([p.stop_value for p in plist], dtype=np.float64),
        "max_holding": np.array([p.max_holding_value for p in plist], dtype=np.int64),
        "execution_lag": np.array([p.execution_lag for p in plist], dtype=np.int64),
    }
    return plist, arrays
