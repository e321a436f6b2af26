"""Shared literal types and array aliases for the engine's public signatures."""

from __future__ import annotations

from typing import Literal

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

Timeframe = Literal["1m", "5m", "15m", "1h", "1d", "1w", "1mo"]
TIMEFRAMES: tuple[Timeframe, ...] = ("1m", "5m", "15m", "1h", "1d", "1w", "1mo")
#: Timeframes labelled by calendar date (engine.data.timeframes).
COARSE_TIMEFRAMES: tuple[Timeframe, ...] = ("1d", "1w", "1mo")

Trend = Literal["n", "c", "ct", "ctt"]
Autolag = Literal["aic", "bic", "t-stat"]
HedgeMethod = Literal["ols", "tls", "kalman"]
Objective = Literal["sharpe", "sortino", "calmar"]
WindowKind = Literal["rolling", "anchored"]
