"""CSV and Parquet bar providers.

Two layouts are understood:

* **long**: one row per symbol and timestamp, columns for the timestamp, optional symbol
  and timeframe, ``open``, ``high``, ``low``, ``close`` and optional ``volume``. A file
  without a symbol column holds one symbol: pass ``symbol=`` or let the file name decide
  (``AAPL.csv`` -> ``AAPL``). A long file with only a close column gets
  ``open = high = low = close``.
* **wide**: a date column plus one column of closes per symbol (the bundled S&P 500 file);
  every cell becomes one bar with ``open = high = low = close`` and NaN volume.

Column names are matched case-insensitively, ignoring spaces, dots, hyphens and ``<>``:

=========  ==============================================================
field      accepted names
=========  ==============================================================
ts         Date, Datetime, Timestamp, Time, ts, dt (or separate Date + Time)
open       Open, o          high    High, h           low     Low, l
close      Close, c, Last, Price, Adj Close, adj_close (``Close`` wins if both)
volume     Volume, v, vol   symbol  Symbol, Ticker, sym
timeframe  Timeframe, Interval, tf (otherwise the ``timeframe=`` option)
=========  ==============================================================

``layout="auto"`` picks *long* when a symbol, timeframe or volume column or any of
open/high/low/close is present, *wide* otherwise. Duplicate or empty header names are
errors. Problems with the file itself (empty, not UTF-8, malformed CSV,
no timestamp column, a price column without a single number, ambiguous columns) raise
:class:`~engine.data.errors.DataFormatError`; problems with individual values become
rejected rows of the :class:`~engine.data.validate.ValidationReport` (see
:mod:`engine.data.validate` for the rules, the timestamp policy and the row numbering:
row 0 is the first data line; in the wide layout one file row yields one entry per
symbol, told apart by the entry's ``symbol``).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import numpy as np
import pandas as pd

from engine._typing import Timeframe
from engine.data import _files as F
from engine.data._files import FileFormat, Layout, Source
from engine.data.base import BarBatch
from engine.data.errors import DataFormatError
from engine.data.validate import (
    DuplicatePolicy,
    MismatchPolicy,
    ValidationReport,
    validate_bars,
)


def read_bars(
    source: Source,
    *,
    file_format: FileFormat = "auto",
    layout: Layout = "auto",
    symbol: str | None = None,
    timeframe: Timeframe = "1d",
    naive_tz: str | None = "UTC",
    known_symbols: set[str] | frozenset[str] | None = None,
    duplicates: DuplicatePolicy = "reject_all",
    ts_format: str | None = None,
    on_mismatch: MismatchPolicy = "reject",
    max_decompressed: int | None = None,
) -> ValidationReport:
    """Read a CSV or Parquet file of bars and validate every row.

    Parameters
    ----------
    source : path, bytes or binary file object
        The file. ``.csv.gz`` and gzip bytes are decompressed; Parquet is recognised by
        its suffix or its ``PAR1`` magic bytes.
    file_format : {"auto", "csv", "parquet"}
    layout : {"auto", "long", "wide"}
    symbol : str, optional
        Symbol of a single-symbol long file (default: the file name without suffixes).
    timeframe : {"1m", "5m", "15m", "1h", "1d", "1w", "1mo"}, default "1d"
        Timeframe when the file has no timeframe column.
    naive_tz, known_symbols, duplicates, ts_format, on_mismatch
        Passed to :func:`~engine.data.validate.validate_bars`.
    max_decompressed : int, optional
        The most bytes a gzip file may expand to (and a Parquet file's columns may
        decompress to); beyond it :class:`~engine.data.errors.DataTooLarge` is raised as
        soon as that is known, without expanding the rest.

    Returns
    -------
    ValidationReport
        ``n_accepted + n_rejected == n_input`` where ``n_input`` is the number of data rows
        (long) or data rows times symbol columns (wide).

    Raises
    ------
    DataFormatError
        The file cannot be read as bars at all; the message says why.
    """
    frame, desc = F.read_table(source, file_format, max_decompressed=max_decompressed)
    frame = frame.loc[:, [not F.is_blank_column(frame[c], str(c)) for c in frame.columns]]
    if frame.shape[1] == 0:
        raise DataFormatError(f"{desc}: no columns")
    if len(frame) == 0:
        raise DataFormatError(f"{desc}: no data rows (only a header)")
    for i, c in enumerate(frame.columns):
        if str(c).startswith("Unnamed:"):
            raise DataFormatError(f"{desc}: column {i + 1} has values but no header name")
    found = F.resolve_columns(frame, desc)
    if "ts" not in found:
        names = ", ".join(repr(str(c)) for c in frame.columns[:8])
        raise DataFormatError(
            f"{desc}: no timestamp column (looked for {F._ALIAS_HELP['ts']}; found {names})"
        )
    has_ohlc = any(k in found for k in ("open", "high", "low", "close"))
    if layout == "auto":
        long_keys = ("symbol", "volume", "timeframe")
        layout = "long" if (has_ohlc or any(k in found for k in long_keys)) else "wide"
    if layout == "long":
        cols, rows = _long_columns(
            frame, found, desc, source=source, symbol=symbol, timeframe=timeframe
        )
    elif layout == "wide":
        cols, rows = _wide_columns(frame, found, desc, timeframe=timeframe)
    else:
        raise ValueError(f"layout must be 'auto', 'long' or 'wide', got {layout!r}")
    return validate_bars(
        cols,
        naive_tz=naive_tz,
        known_symbols=known_symbols,
        duplicates=duplicates,
        ts_format=ts_format,
        row_index=rows,
        on_mismatch=on_mismatch,
    )


def _long_columns(
    frame: pd.DataFrame,
    found: dict[str, str],
    desc: str,
    *,
    source: Source,
    symbol: str | None,
    timeframe: Timeframe,
) -> tuple[dict[str, Any], np.ndarray]:
    n = len(frame)
    if "close" not in found:
        raise DataFormatError(
            f"{desc}: long layout needs a close column ({F._ALIAS_HELP['close']})"
        )
    ohl = [k for k in ("open", "high", "low") if k in found]
    if ohl and len(ohl) != 3:
        absent = [k for k in ("open", "high", "low") if k not in found]
        raise DataFormatError(
            f"{desc}: has {', '.join(ohl)} but no {', '.join(absent)} column; give all of "
            "open/high/low or only close"
        )
    for field in ("open", "high", "low", "close", "volume"):
        if field in found:
            F.check_numeric_column(frame[found[field]], found[field], desc)
    cols: dict[str, Any] = {"ts": F.ts_column(frame, found)}
    for field in ("open", "high", "low", "close"):
        cols[field] = frame[found.get(field, found["close"])]
    if "volume" in found:
        cols["volume"] = frame[found["volume"]]
    if "symbol" in found:
        if symbol is not None:
            raise DataFormatError(
                f"{desc}: symbol={symbol!r} given but the file has a symbol column "
                f"{found['symbol']!r}"
            )
        cols["symbol"] = frame[found["symbol"]]
    else:
        sym = symbol if symbol is not None else F.default_symbol(source)
        if not sym:
            raise DataFormatError(
                f"{desc}: no symbol column (Symbol, Ticker, sym); pass symbol= for a "
                "single-symbol file"
            )
        cols["symbol"] = np.full(n, sym, dtype=object)
    cols["timeframe"] = (
        frame[found["timeframe"]] if "timeframe" in found else np.full(n, timeframe, dtype=object)
    )
    return cols, np.arange(n, dtype=np.int64)


def _wide_columns(
    frame: pd.DataFrame, found: dict[str, str], desc: str, *, timeframe: Timeframe
) -> tuple[dict[str, Any], np.ndarray]:
    ts_cols = {found["ts"], found.get("_date"), found.get("_time")}
    symbol_cols = [str(c) for c in frame.columns if str(c) not in ts_cols]
    if not symbol_cols:
        raise DataFormatError(f"{desc}: wide layout needs one price column per symbol; found none")
    for c in symbol_cols:
        if not str(c).strip():
            raise DataFormatError(f"{desc}: a price column has an empty name")
        F.check_numeric_column(frame[c], c, desc)
    cols, rows = F.wide_to_long(frame, F.ts_column(frame, found), symbol_cols)
    for field in ("open", "high", "low"):
        cols[field] = cols["close"]
    cols["timeframe"] = np.full(rows.shape[0], timeframe, dtype=object)
    return cols, rows


class FileProvider:
    """Bar provider over one CSV or Parquet file (see the module notes for layouts).

    ``batches()`` reads and validates the file in a worker thread (the event loop never
    blocks on parsing) and yields the accepted bars per symbol in chunks of at most
    ``batch_size`` bars. Rejected rows do not stop the stream; call :meth:`report` (or
    :func:`read_bars`) to see them, or pass ``strict=True`` to raise
    :class:`~engine.data.errors.DataFormatError` when any row is rejected.

    Parameters
    ----------
    source : path, bytes or binary file object
    batch_size : int, default 10_000
    strict : bool, default False
    **options
        Keyword options of :func:`read_bars`.
    """

    def __init__(
        self,
        source: Source,
        *,
        file_format: FileFormat = "auto",
        layout: Layout = "auto",
        symbol: str | None = None,
        timeframe: Timeframe = "1d",
        naive_tz: str | None = "UTC",
        known_symbols: set[str] | frozenset[str] | None = None,
        duplicates: DuplicatePolicy = "reject_all",
        ts_format: str | None = None,
        batch_size: int = 10_000,
        strict: bool = False,
    ) -> None:
        if batch_size < 1:
            raise ValueError("batch_size must be >= 1")
        self.source = source
        self.batch_size = batch_size
        self.strict = strict
        self._options: dict[str, Any] = {
            "file_format": file_format,
            "layout": layout,
            "symbol": symbol,
            "timeframe": timeframe,
            "naive_tz": naive_tz,
            "known_symbols": known_symbols,
            "duplicates": duplicates,
            "ts_format": ts_format,
        }

    def report(self) -> ValidationReport:
        """Read and validate the file (synchronously) and return the full report."""
        return read_bars(self.source, **self._options)

    async def batches(self) -> AsyncIterator[BarBatch]:
        """Yield accepted bars, one symbol per batch, at most ``batch_size`` bars each."""
        report = await asyncio.to_thread(self.report)
        if self.strict and report.rejected:
            first = report.rejected[0]
            raise DataFormatError(
                f"{F.describe_source(self.source)}: {report.n_rejected} row(s) rejected; "
                f"first: row {first['row']}: {first['reason']}"
            )
        for batch in report.batches(batch_size=self.batch_size):
            yield batch


class CsvProvider(FileProvider):
    """:class:`FileProvider` that always reads CSV (``file_format="csv"``)."""

    def __init__(self, source: Source, **options: Any) -> None:
        super().__init__(source, **{**options, "file_format": "csv"})


class ParquetProvider(FileProvider):
    """:class:`FileProvider` that always reads Parquet (``file_format="parquet"``)."""

    def __init__(self, source: Source, **options: Any) -> None:
        super().__init__(source, **{**options, "file_format": "parquet"})
