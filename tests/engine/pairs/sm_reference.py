"""statsmodels reference values for the pair tests (the outside reference)."""

from __future__ import annotations

from typing import Any

import numpy as np
from statsmodels.regression.linear_model import OLS
from statsmodels.tsa.stattools import adfuller, coint
from statsmodels.tsa.tsatools import add_trend


def sm_coint(y: np.ndarray, x: np.ndarray, **kw: Any) -> tuple[float, float, np.ndarray, int]:
    """statsmodels ``coint`` (statistic, p-value, critical values) and the lag its adfuller uses.

    ``coint`` does not return the lag, so it is recomputed with statsmodels' own calls
    ``OLS(y, add_trend(x, trend, prepend=False))`` and ``adfuller(resid, regression="n")``,
    the exact steps inside ``coint``.
    """
    trend = kw.get("trend", "c")
    autolag = kw.get("autolag", "aic")
    maxlag = kw.get("maxlag")
    stat, pvalue, crit = coint(y, x, trend=trend, autolag=autolag, maxlag=maxlag)
    xx = x[:, None] if trend == "n" else add_trend(x[:, None], trend=trend, prepend=False)
    resid = OLS(y, xx).fit().resid
    adf = adfuller(resid, maxlag=maxlag, regression="n", autolag=autolag, result_object=True)
    return float(stat), float(pvalue), np.asarray(crit, dtype=np.float64), int(adf.lags)
