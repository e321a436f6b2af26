"""Bar batches and the provider protocol.

A *provider* is any object with an async-generator method ``batches()`` that yields
:class:`BarBatch` objects: one symbol and one timeframe per batch, timestamps in UTC and
strictly increasing. CSV/Parquet files, the synthetic universe, the bundled demo data set
and the HTTP providers all follow this protocol, so the ingest path has a single shape::

    async for batch in provider.batches():
        await store(batch)

Timestamps are ``numpy.datetime64[ns]`` values without a zone that *represent UTC*
(numpy has no time-zone-aware dtype); :meth:`BarBatch.to_frame` returns a frame with a
UTC-aware ``DatetimeIndex``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator, Iterable
from typing import Any, Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt
import pandas as pd

from engine._results import Result
from engine._typing import TIMEFRAMES, FloatArray, Timeframe

DatetimeArray = npt.NDArray[np.datetime64]

_PRICE_FIELDS = ("open", "high", "low", "close", "volume")


def _frozen_array(value: Any, dtype: str) -> np.ndarray:
    """Return ``value`` as a read-only array of ``dtype`` without touching the caller's array."""
    # Always a view: never flip the writeable flag of an array someone else owns.
    arr = np.asarray(value, dtype=dtype).view()
    arr.flags.writeable = False
    return arr


@dataclasses.dataclass(frozen=True)
class BarBatch(Result):
    """OHLCV bars of one symbol and one timeframe.

    Parameters
    ----------
    symbol : str
        Ticker.
    timeframe : {"1m", "5m", "15m", "1h", "1d", "1w", "1mo"}
        Bar length. An intraday bar is labelled by its *start* (left edge), in UTC; daily
        and coarser bars are labelled 00:00 UTC of their (exchange-local) calendar date, of
        their week's Monday (``1w``) or of their month's first day (``1mo``); see
        :mod:`engine.data.timeframes`.
    ts : ndarray of datetime64[ns]
        Bar timestamps, UTC (zone-less values), strictly increasing, no NaT.
    open, high, low, close : ndarray of float64
        Prices, same length as ``ts``.
    volume : ndarray of float64
        Volume; NaN where the source has none (for example close-only data sets).

    Notes
    -----
    The arrays are stored read-only. Construction checks shapes and ordering only; use
    :func:`engine.data.validate.validate_bars` to check the prices themselves.
    """

    symbol: str
    timeframe: Timeframe
    ts: DatetimeArray
    open: FloatArray
    high: FloatArray
    low: FloatArray
    close: FloatArray
    volume: FloatArray

    def __post_init__(self) -> None:
        if self.timeframe not in TIMEFRAMES:
            raise ValueError(f"unknown timeframe {self.timeframe!r}; expected one of {TIMEFRAMES}")
        if not isinstance(self.symbol, str) or not self.symbol:
            raise ValueError("symbol must be a non-empty string")
        ts = _frozen_array(self.ts, "datetime64[ns]")
        if ts.ndim != 1:
            raise ValueError("ts must be one-dimensional")
        n = ts.shape[0]
        object.__setattr__(self, "ts", ts)
        for name in _PRICE_FIELDS:
            arr = _frozen_array(getattr(self, name), "float64")
            if arr.shape != (n,):
                raise ValueError(f"{name} has shape {arr.shape}, expected ({n},) like ts")
            object.__setattr__(self, name, arr)
        if n and np.isnat(ts).any():
            raise ValueError("ts contains NaT")
        if n > 1 and not bool(np.all(np.diff(ts.view(np.int64)) > 0)):
            raise ValueError(f"ts of {self.symbol} must be strictly increasing")

    def __len__(self) -> int:
        return int(self.ts.shape[0])

    @property
    def first(self) -> np.datetime64 | None:
        """First timestamp, or ``None`` for an empty batch."""
        return self.ts[0] if len(self) else None

    @property
    def last(self) -> np.datetime64 | None:
        """Last timestamp, or ``None`` for an empty batch."""
        return self.ts[-1] if len(self) else None

    def to_frame(self) -> pd.DataFrame:
        """Return the bars as a frame indexed by a UTC ``DatetimeIndex`` named ``ts``."""
        index = pd.DatetimeIndex(self.ts.astype("datetime64[ns]"), name="ts").tz_localize("UTC")
        return pd.DataFrame(
            {name: np.array(getattr(self, name)) for name in _PRICE_FIELDS}, index=index
        )

    def slice(self, start: int, stop: int) -> BarBatch:
        """Return bars ``start:stop`` (positional) as a new batch."""
        return BarBatch(
            self.symbol,
            self.timeframe,
            self.ts[start:stop],
            self.open[start:stop],
            self.high[start:stop],
            self.low[start:stop],
            self.close[start:stop],
            self.volume[start:stop],
        )

    def summary(self) -> str:
        """Return a one-paragraph description (symbol, timeframe, span, count)."""
        span = f"{self.first} .. {self.last}" if len(self) else "empty"
        return f"BarBatch {self.symbol} {self.timeframe}: {len(self)} bars, {span} (UTC)"

    @classmethod
    def from_frame(cls, frame: pd.DataFrame, *, symbol: str, timeframe: Timeframe) -> BarBatch:
        """Build a batch from a frame indexed by time with OHLC(V) columns.

        A zone-aware index is converted to UTC; a naive index is taken as UTC. A missing
        ``volume`` column gives NaN volumes. Rows are sorted by time.
        """
        idx = pd.DatetimeIndex(frame.index)
        idx = idx.tz_convert("UTC").tz_localize(None) if idx.tz is not None else idx
        order = np.argsort(idx.asi8, kind="stable")
        ts = idx.as_unit("ns").to_numpy()[order]
        cols = {}
        for name in _PRICE_FIELDS:
            if name in frame.columns:
                cols[name] = frame[name].to_numpy(dtype="float64")[order]
            elif name == "volume":
                cols[name] = np.full(len(frame), np.nan)
            else:
                raise ValueError(f"frame has no {name!r} column")
        return cls(symbol, timeframe, ts, **cols)


def empty_batch(symbol: str, timeframe: Timeframe) -> BarBatch:
    """Return a batch with no bars."""
    e = np.empty(0)
    return BarBatch(symbol, timeframe, np.empty(0, "datetime64[ns]"), e, e, e, e, e)


def concat_batches(batches: Iterable[BarBatch]) -> BarBatch:
    """Concatenate batches of one symbol and timeframe into one, sorted by time.

    Raises
    ------
    ValueError
        If the batches mix symbols or timeframes, are empty, or overlap in time.
    """
    items = list(batches)
    if not items:
        raise ValueError("no batches to concatenate")
    keys = {(b.symbol, b.timeframe) for b in items}
    if len(keys) != 1:
        raise ValueError(f"cannot concatenate batches of different series: {sorted(keys)}")
    ts = np.concatenate([b.ts for b in items])
    order = np.argsort(ts, kind="stable")
    cols = {
        name: np.concatenate([getattr(b, name) for b in items])[order] for name in _PRICE_FIELDS
    }
    return BarBatch(items[0].symbol, items[0].timeframe, ts[order], **cols)


@runtime_checkable
class BarProvider(Protocol):
    """Anything that yields :class:`BarBatch` objects asynchronously.

    Implementations write ``batches`` as an async generator (``async def`` with ``yield``).
    """

    def batches(self) -> AsyncIterator[BarBatch]:
        """Yield bar batches (one symbol and timeframe each)."""
        ...


async def collect(provider: BarProvider) -> list[BarBatch]:
    """Drain ``provider.batches()`` into a list (tests, small data sets)."""
    return [batch async for batch in provider.batches()]


async def collect_by_symbol(provider: BarProvider) -> dict[str, BarBatch]:
    """Drain a provider and join the chunks of each symbol into one batch per symbol.

    Raises
    ------
    ValueError
        If one symbol arrives in two timeframes.
    """
    parts: dict[str, list[BarBatch]] = {}
    async for batch in provider.batches():
        parts.setdefault(batch.symbol, []).append(batch)
    return {sym: concat_batches(items) for sym, items in parts.items()}
