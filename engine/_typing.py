"""Shared literal types and array aliases for the engine's public signatures."""

from __future__ import annotations

from typing import Literal

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

Timeframe = Literal["1m", "5m", "15m", "1h", "1d"]
TIMEFRAMES: tuple[Timeframe, ...] = ("1m", "5m", "15m", "1h", "1d")

Trend = Literal["n", "c", "ct", "ctt"]
Autolag = Literal["aic", "bic", "t-stat"]
HedgeMethod = Literal["ols", "tls", "kalman"]
Objective = Literal["sharpe", "sortino", "calmar"]
WindowKind = Literal["rolling", "anchored"]
