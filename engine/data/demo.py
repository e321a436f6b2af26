"""The bundled demo data set: daily closes of 20 S&P 500 stocks, 1990-2022.

The file ``datasets/sp500_daily_1990_2022.csv.gz`` is copied byte for byte from the
``skfolio`` package (BSD 3-Clause; provenance and licence in ``datasets/README.md``).
It holds adjusted closes only, in wide layout (``Date`` then one column per ticker), so
the bars it yields have ``open = high = low = close`` and NaN volume, timeframe ``"1d"``,
labelled 00:00 UTC of each trading date. skfolio's own caution applies: a stale data set for
tests and examples, not authoritative market data.
"""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator, Sequence
from importlib import resources

import numpy as np
import pandas as pd

from engine.data.base import BarBatch

DEMO_FILE = "sp500_daily_1990_2022.csv.gz"
DEMO_SYMBOLS: tuple[str, ...] = (
    "AAPL",
    "AMD",
    "BAC",
    "BBY",
    "CVX",
    "GE",
    "HD",
    "JNJ",
    "JPM",
    "KO",
    "LLY",
    "MRK",
    "MSFT",
    "PEP",
    "PFE",
    "PG",
    "RRC",
    "UNH",
    "WMT",
    "XOM",
)


@functools.lru_cache(maxsize=1)
def _load() -> pd.DataFrame:
    ref = resources.files("engine.data").joinpath("datasets", DEMO_FILE)
    with resources.as_file(ref) as path:
        frame = pd.read_csv(path, compression="gzip")
    index = pd.DatetimeIndex(pd.to_datetime(frame.pop("Date"), format="%Y-%m-%d"), name="ts")
    frame.index = index.tz_localize("UTC").as_unit("ns")
    frame.columns = [str(c) for c in frame.columns]
    return frame.astype("float64")


def load_demo_closes(symbols: Sequence[str] | None = None) -> pd.DataFrame:
    """Return the demo closes: UTC ``DatetimeIndex`` named ``ts``, one column per ticker.

    Parameters
    ----------
    symbols : sequence of str, optional
        Columns to return (default: all 20, in file order).

    Returns
    -------
    DataFrame
        A fresh copy (8,313 rows from 1990-01-02 to 2022-12-28 for all symbols).

    Raises
    ------
    KeyError
        A requested symbol is not in the data set.
    """
    frame = _load()
    if symbols is not None:
        unknown = [s for s in symbols if s not in frame.columns]
        if unknown:
            raise KeyError(f"not in the demo data set: {unknown}; available: {DEMO_SYMBOLS}")
        frame = frame[list(symbols)]
    return frame.copy()


class DemoProvider:
    """Bar provider over the demo data set (daily, ``open=high=low=close``, NaN volume).

    Parameters
    ----------
    symbols : sequence of str, optional
        Tickers to yield (default: all 20).
    start, end : str, optional
        Inclusive date range (``"2010-01-01"``), interpreted in UTC.
    batch_size : int, default 10_000
    """

    def __init__(
        self,
        symbols: Sequence[str] | None = None,
        *,
        start: str | None = None,
        end: str | None = None,
        batch_size: int = 10_000,
    ) -> None:
        if batch_size < 1:
            raise ValueError("batch_size must be >= 1")
        self.symbols = tuple(symbols) if symbols is not None else DEMO_SYMBOLS
        unknown = [s for s in self.symbols if s not in DEMO_SYMBOLS]
        if unknown:
            raise KeyError(f"not in the demo data set: {unknown}")
        self.start = start
        self.end = end
        self.batch_size = batch_size

    async def batches(self) -> AsyncIterator[BarBatch]:
        """Yield each ticker's bars in chunks of at most ``batch_size``."""
        closes = load_demo_closes(self.symbols)
        lo = pd.Timestamp(self.start, tz="UTC") if self.start else None
        hi = pd.Timestamp(self.end, tz="UTC") if self.end else None
        closes = closes.loc[lo:hi]
        ts = pd.DatetimeIndex(closes.index).tz_localize(None).as_unit("ns").to_numpy()
        for sym in self.symbols:
            c = closes[sym].to_numpy(dtype="float64")
            ok = np.isfinite(c)
            for i in range(0, int(ok.sum()), self.batch_size):
                sel = np.flatnonzero(ok)[i : i + self.batch_size]
                vol = np.full(sel.shape[0], np.nan)
                yield BarBatch(sym, "1d", ts[sel], c[sel], c[sel], c[sel], c[sel], vol)
