"""Private helpers of :mod:`engine.data.files`: reading raw tables, column aliases, layouts."""

from __future__ import annotations

import csv
import io
import os
import re
import zlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from engine.data.errors import DataFormatError, DataTooLarge

Layout = Literal["auto", "long", "wide"]
FileFormat = Literal["auto", "csv", "parquet"]
Source = str | os.PathLike[str] | bytes | bytearray | io.IOBase

# Field -> accepted column names (after normalization), in priority order.
ALIASES: dict[str, tuple[str, ...]] = {
    "ts": ("ts", "timestamp", "datetime", "date_time", "date", "time", "dt"),
    "open": ("open", "o", "open_price"),
    "high": ("high", "h", "high_price"),
    "low": ("low", "l", "low_price"),
    "close": (
        "close",
        "c",
        "last",
        "price",
        "close_price",
        "adj_close",
        "adjclose",
        "adjusted_close",
    ),
    "volume": ("volume", "v", "vol"),
    "symbol": ("symbol", "ticker", "sym"),
    "timeframe": ("timeframe", "interval", "tf"),
}
_TEXT_KEYS = frozenset(ALIASES["ts"] + ALIASES["symbol"] + ALIASES["timeframe"])
# Fields where several matching columns are resolved by the priority above, not an error.
_PRIORITY_FIELDS = ("close",)
_ALIAS_HELP = {
    "ts": "Date, Datetime, Timestamp, Time or ts",
    "close": "Close, c, Adj Close, adj_close or price",
}


def normalize_name(name: Any) -> str:
    """Column name -> lookup key: lower case, no BOM or <>, separators as underscores."""
    text = str(name).replace("\ufeff", "").strip().strip("<>").strip().lower()
    return re.sub(r"[\s\-\.]+", "_", text)


def describe_source(source: Source) -> str:
    if isinstance(source, (str, os.PathLike)):
        return str(source)
    if isinstance(source, (bytes, bytearray)):
        return f"<{len(source)} bytes>"
    return f"<{type(source).__name__}>"


def _read_bytes(source: Source) -> tuple[bytes, str]:
    """Return the raw content and a lower-case name hint (path suffixes)."""
    if isinstance(source, (bytes, bytearray)):
        return bytes(source), ""
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        try:
            return path.read_bytes(), path.name.lower()
        except OSError as exc:
            raise DataFormatError(f"cannot read {path}: {exc.strerror or exc}") from exc
    if hasattr(source, "read"):
        data = source.read()
        if isinstance(data, str):
            data = data.encode("utf-8")
        name = str(getattr(source, "name", "")).lower()
        return bytes(data), name
    raise DataFormatError(f"unsupported source type {type(source).__name__}")


def detect_format(raw: bytes, name: str, file_format: FileFormat) -> Literal["csv", "parquet"]:
    if file_format != "auto":
        return file_format
    if raw[:4] == b"PAR1" or name.endswith((".parquet", ".pq")):
        return "parquet"
    return "csv"


GUNZIP_CHUNK = 1 << 20


def gunzip(raw: bytes, desc: str, *, limit: int | None) -> bytes:
    """Decompress gzip data (every member) in 1 MiB steps, refusing (:class:`DataTooLarge`)
    as soon as the output would pass ``limit`` bytes: a bomb (300 MB from 292 kB) costs
    ``limit`` bytes of memory and the time to expand them, never its full size."""
    if limit is None:
        limit = 1 << 62
    out = bytearray()
    try:
        while raw:
            d = zlib.decompressobj(wbits=31)
            data = raw
            while data:
                out += d.decompress(data, GUNZIP_CHUNK)
                if len(out) > limit:
                    raise DataTooLarge(
                        f"{desc}: decompresses to more than {limit:,} bytes "
                        f"(the limit for compressed uploads)",
                        limit=limit,
                    )
                data = d.unconsumed_tail
            if not d.eof:
                raise DataFormatError(f"{desc}: corrupt gzip data (truncated)")
            raw = d.unused_data.lstrip(b"\x00")  # concatenated members; trailing padding
    except zlib.error as exc:
        raise DataFormatError(f"{desc}: corrupt gzip data ({exc})") from exc
    return bytes(out)


def read_table(
    source: Source, file_format: FileFormat, *, max_decompressed: int | None = None
) -> tuple[pd.DataFrame, str]:
    """Read a CSV (all columns as text) or Parquet file into a frame; errors as DataFormatError.

    ``max_decompressed`` bounds the size of a gzip file's content and of a Parquet file's
    uncompressed columns (:class:`DataTooLarge` beyond it). Returns the frame and a
    description of the source for messages.
    """
    desc = describe_source(source)
    raw, name = _read_bytes(source)
    if not raw.strip():
        raise DataFormatError(f"{desc}: empty file")
    fmt = detect_format(raw, name, file_format)
    if fmt == "parquet":
        return _read_parquet(raw, desc, max_decompressed), desc
    if raw[:2] == b"\x1f\x8b":
        raw = gunzip(raw, desc, limit=max_decompressed)
        if not raw.strip():
            raise DataFormatError(f"{desc}: empty file")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataFormatError(
            f"{desc}: not UTF-8 text (byte {exc.start}); save the file as UTF-8 CSV"
        ) from exc
    if "\x00" in text:
        raise DataFormatError(f"{desc}: binary content (NUL bytes) in a CSV file")
    try:
        first = next(csv.reader(io.StringIO(text.split("\n", 1)[0])), [])
    except csv.Error as exc:
        raise DataFormatError(f"{desc}: malformed CSV header ({exc})") from exc
    seen: set[str] = set()
    for name in first:
        key = normalize_name(name)
        if key and key in seen:
            raise DataFormatError(f"{desc}: duplicate column name {name.strip()!r}")
        seen.add(key)
    try:
        # Labels and timestamps stay text (a ticker "0700" must keep its zero); price
        # columns get pandas' type inference (fast path), text where values are mixed.
        header = pd.read_csv(io.StringIO(text), nrows=0)
        text_cols = {c: object for c in header.columns if normalize_name(c) in _TEXT_KEYS}
        frame = pd.read_csv(
            io.StringIO(text),
            dtype=text_cols,
            skipinitialspace=True,
            skip_blank_lines=True,
            low_memory=False,
        )
    except pd.errors.EmptyDataError as exc:
        raise DataFormatError(f"{desc}: empty file (no header line)") from exc
    except (pd.errors.ParserError, csv.Error, ValueError, OverflowError) as exc:
        msg = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise DataFormatError(f"{desc}: malformed CSV ({msg})") from exc
    return frame, desc


def _read_parquet(raw: bytes, desc: str, limit: int | None = None) -> pd.DataFrame:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        if limit is not None:
            # Column chunks are compressed: their uncompressed sizes are in the footer, and
            # a page that expands past its declared size is a decoding error.
            meta = pq.ParquetFile(io.BytesIO(raw)).metadata
            size = sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups))
            if size > limit:
                raise DataTooLarge(
                    f"{desc}: Parquet columns decompress to {size:,} bytes, more than "
                    f"{limit:,} (the limit for compressed uploads)",
                    limit=limit,
                )
        table = pq.read_table(io.BytesIO(raw))
    except (pa.ArrowException, OSError, ValueError) as exc:
        raise DataFormatError(f"{desc}: not a readable Parquet file ({exc})") from exc
    try:
        return table.to_pandas()
    except (pa.ArrowException, ValueError, OverflowError) as exc:
        raise DataFormatError(f"{desc}: Parquet columns cannot be converted ({exc})") from exc


def resolve_columns(frame: pd.DataFrame, desc: str) -> dict[str, str]:
    """Map each field (ts, open, ..., symbol) to the frame column that holds it.

    Raises
    ------
    DataFormatError
        Two columns mean the same field (for example ``Open`` and ``open``).
    """
    keys: dict[str, list[str]] = {}
    for col in frame.columns:
        keys.setdefault(normalize_name(col), []).append(str(col))
    found: dict[str, str] = {}
    for field, aliases in ALIASES.items():
        matches = [(a, c) for a in aliases for c in keys.get(a, [])]
        if field == "ts" and {"date", "time"} <= keys.keys() and len(matches) == 2:
            found["ts"] = "\x00date+time"  # separate date and time columns: joined later
            found["_date"], found["_time"] = keys["date"][0], keys["time"][0]
            continue
        if len(matches) > 1 and field not in _PRIORITY_FIELDS:
            names = ", ".join(repr(c) for _, c in matches)
            raise DataFormatError(f"{desc}: columns {names} all mean {field!r}; keep one")
        if len(matches) > 1:
            by_alias = [c for a, c in matches if a == matches[0][0]]
            if len(by_alias) > 1:
                names = ", ".join(repr(c) for c in by_alias)
                raise DataFormatError(f"{desc}: columns {names} all mean {field!r}; keep one")
        if matches:
            found[field] = matches[0][1]
    return found


def ts_column(frame: pd.DataFrame, found: Mapping[str, str]) -> Any:
    if found["ts"] == "\x00date+time":
        date = frame[found["_date"]].astype(object)
        time = frame[found["_time"]].astype(object)
        both = date.notna() & time.notna()
        joined = pd.Series(None, index=frame.index, dtype=object)
        joined[both] = date[both].astype(str).str.strip() + " " + time[both].astype(str).str.strip()
        return joined
    return frame[found["ts"]]


def check_numeric_column(values: pd.Series, column: str, desc: str) -> None:
    """Raise when a column that must hold numbers holds none at all (a wrong-type column)."""
    if pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values.dtype):
        return
    present = values[values.notna()]
    if present.empty:
        return
    if pd.api.types.is_bool_dtype(values.dtype):
        raise DataFormatError(f"{desc}: column {column!r} holds booleans, expected numbers")
    text = present.astype(str).str.strip()
    text = text[text != ""]
    if text.empty:
        return
    numbers = pd.to_numeric(text, errors="coerce")
    if numbers.isna().all():
        raise DataFormatError(
            f"{desc}: column {column!r} has no numeric values (first value {text.iloc[0]!r}); "
            "expected prices"
        )


def default_symbol(source: Source) -> str | None:
    """File name without data suffixes, for single-symbol long files (``AAPL.csv`` -> AAPL)."""
    if not isinstance(source, (str, os.PathLike)):
        return None
    name = Path(source).name
    for suffix in (".gz", ".csv", ".txt", ".parquet", ".pq"):
        if name.lower().endswith(suffix):
            name = name[: -len(suffix)]
    return name or None


def is_blank_column(values: pd.Series, name: str) -> bool:
    """Trailing-comma artefacts: ``Unnamed: N`` columns with no values."""
    return name.startswith("Unnamed:") and bool(values.isna().all())


def wide_to_long(
    frame: pd.DataFrame, ts_values: Any, symbol_cols: list[str]
) -> tuple[dict[str, Any], np.ndarray]:
    """Melt a wide frame (one close column per symbol) into long columns.

    Returns the columns and the file row of each long row (rows repeat, one per symbol).
    """
    n_rows, n_sym = len(frame), len(symbol_cols)
    closes = [frame[c] for c in symbol_cols]
    if all(pd.api.types.is_numeric_dtype(c.dtype) for c in closes):
        close: Any = np.column_stack(
            [c.to_numpy(dtype="float64", na_value=np.nan) for c in closes]
        ).reshape(-1)
    else:
        close = np.column_stack([c.to_numpy(dtype=object) for c in closes]).reshape(-1)
    cols = {
        "symbol": np.tile(np.array([str(c).strip() for c in symbol_cols], dtype=object), n_rows),
        "ts": pd.Series(ts_values).repeat(n_sym).reset_index(drop=True),
        "close": close,
    }
    return cols, np.repeat(np.arange(n_rows, dtype=np.int64), n_sym)
