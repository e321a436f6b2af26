"""Input cleaning shared by the regime detectors."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from engine._typing import FloatArray
from engine.regimes.result import SeriesKind


def check_series(
    series: Any, *, kind: SeriesKind
) -> tuple[FloatArray, npt.NDArray[np.datetime64] | None]:
    """Return the returns of ``series`` as a fresh float array, and its datetime index.

    ``kind="prices"`` converts strictly positive prices to log returns
    :math:`r_t = \\log(p_t / p_{t-1})` with :math:`r_0` = NaN. Missing values stay NaN;
    infinities are rejected. The input is never modified.
    """
    index: npt.NDArray[np.datetime64] | None = None
    if isinstance(series, pd.DataFrame):
        if series.shape[1] != 1:
            raise ValueError("series must be one-dimensional (got a multi-column DataFrame)")
        series = series.iloc[:, 0]
    if isinstance(series, pd.Series):
        if isinstance(series.index, pd.DatetimeIndex):
            index = series.index.to_numpy(dtype="datetime64[ns]")
        values = series.to_numpy(dtype=np.float64, na_value=np.nan)
    else:
        values = np.asarray(series, dtype=np.float64)
    if values.ndim != 1:
        raise ValueError(f"series must be one-dimensional, got shape {values.shape}")
    values = np.array(values, dtype=np.float64, copy=True)
    if np.isinf(values).any():
        raise ValueError("series contains infinite values")
    if kind == "prices":
        finite = values[np.isfinite(values)]
        if (finite <= 0).any():
            raise ValueError("prices must be strictly positive")
        out = np.full(values.size, np.nan)
        if values.size > 1:
            out[1:] = np.log(values[1:]) - np.log(values[:-1])
        return out, index
    if kind != "returns":
        raise ValueError(f"kind must be 'returns' or 'prices', got {kind!r}")
    return values, index


def check_positive_int(name: str, value: int, *, minimum: int = 1) -> int:
    """Validate an integer option (bools rejected)."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an int, got {type(value).__name__}")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    return int(value)
