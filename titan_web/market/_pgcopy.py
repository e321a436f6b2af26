"""PostgreSQL binary COPY encoding and decoding with numpy, no per-row Python.

Binary COPY (https://www.postgresql.org/docs/current/sql-copy.html, "Binary Format"): a
19-byte header (signature, flags, extension length), then per tuple an int16 field count and
per field an int32 byte length followed by the value in network byte order, then an int16
-1 trailer. When every field has a fixed width and no NULLs, every tuple has the same size,
so a numpy structured dtype describes a whole tuple and one ``tobytes()`` / ``frombuffer()``
encodes or decodes millions of rows. ``timestamptz`` is int64 microseconds since
2000-01-01 UTC; ``float8`` is IEEE 754 big-endian; NULL volume travels as NaN and is turned
back into NULL in SQL.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

HEADER = b"PGCOPY\n\xff\r\n\x00" + b"\x00\x00\x00\x00" + b"\x00\x00\x00\x00"
TRAILER = b"\xff\xff"
PG_EPOCH_US = np.int64(946_684_800_000_000)  # 2000-01-01T00:00:00Z in Unix microseconds

# Staging row: (series int4, ts timestamptz, open, high, low, close, volume float8)
STAGE_DTYPE = np.dtype(
    [
        ("nf", ">i2"),
        ("l_series", ">i4"),
        ("series", ">i4"),
        ("l_ts", ">i4"),
        ("ts", ">i8"),
        ("l_open", ">i4"),
        ("open", ">f8"),
        ("l_high", ">i4"),
        ("high", ">f8"),
        ("l_low", ">i4"),
        ("low", ">f8"),
        ("l_close", ">i4"),
        ("close", ">f8"),
        ("l_volume", ">i4"),
        ("volume", ">f8"),
    ]
)

# Read row for close matrices: (sym int4, ts timestamptz, close float8)
CLOSE_DTYPE = np.dtype(
    [
        ("nf", ">i2"),
        ("l_sym", ">i4"),
        ("sym", ">i4"),
        ("l_ts", ">i4"),
        ("ts", ">i8"),
        ("l_close", ">i4"),
        ("close", ">f8"),
    ]
)

# Read row for full bars: (ts, open, high, low, close, volume) with volume NaN for NULL.
BAR_DTYPE = np.dtype(
    [
        ("nf", ">i2"),
        ("l_ts", ">i4"),
        ("ts", ">i8"),
        ("l_open", ">i4"),
        ("open", ">f8"),
        ("l_high", ">i4"),
        ("high", ">f8"),
        ("l_low", ">i4"),
        ("low", ">f8"),
        ("l_close", ">i4"),
        ("close", ">f8"),
        ("l_volume", ">i4"),
        ("volume", ">f8"),
    ]
)


def datetime64_to_pg(ts: np.ndarray) -> np.ndarray:
    """UTC ``datetime64`` values to PostgreSQL microseconds since 2000-01-01."""
    return ts.astype("datetime64[us]").astype(np.int64) - PG_EPOCH_US


def pg_to_datetime64(us: np.ndarray) -> np.ndarray:
    return (us.astype(np.int64) + PG_EPOCH_US).astype("datetime64[us]").astype("datetime64[ns]")


def _fill_lengths(rows: np.ndarray) -> None:
    dtype = rows.dtype
    rows["nf"] = sum(1 for name in dtype.names or () if name.startswith("l_"))
    for name in dtype.names or ():
        if name.startswith("l_"):
            rows[name] = dtype[name[2:]].itemsize


def encode_stage(
    series: np.ndarray,
    *,
    ts: np.ndarray,
    open: np.ndarray,
    high: np.ndarray,
    low: np.ndarray,
    close: np.ndarray,
    volume: np.ndarray,
) -> bytes:
    """Binary COPY payload of staging rows; ``volume`` NaN stands for NULL."""
    rows = np.empty(len(ts), dtype=STAGE_DTYPE)
    _fill_lengths(rows)
    rows["series"] = series
    rows["ts"] = datetime64_to_pg(ts)
    rows["open"], rows["high"], rows["low"], rows["close"] = open, high, low, close
    rows["volume"] = volume
    return HEADER + rows.tobytes() + TRAILER


def decode(payload: bytes, dtype: np.dtype) -> np.ndarray:
    """Decode a binary COPY payload whose tuples all have ``dtype``'s fixed layout."""
    if not payload.startswith(HEADER[:11]):
        raise ValueError("not a PostgreSQL binary COPY payload")
    ext = int.from_bytes(payload[15:19], "big")
    start = 19 + ext
    end = len(payload) - 2 if payload.endswith(TRAILER) else len(payload)
    body = memoryview(payload)[start:end]
    if len(body) % dtype.itemsize:
        raise ValueError("COPY payload has variable-width tuples (a NULL where none is allowed?)")
    return np.frombuffer(body, dtype=dtype)


def _bar_dtype(src_len: int, with_volume: bool) -> np.dtype:
    fields: list[tuple[str, str]] = [
        ("nf", ">i2"),
        ("l_series", ">i4"), ("series", ">i4"),
        ("l_ts", ">i4"), ("ts", ">i8"),
        ("l_open", ">i4"), ("open", ">f8"),
        ("l_high", ">i4"), ("high", ">f8"),
        ("l_low", ">i4"), ("low", ">f8"),
        ("l_close", ">i4"), ("close", ">f8"),
        ("l_volume", ">i4"),
    ]  # fmt: skip
    if with_volume:
        fields.append(("volume", ">f8"))
    fields += [("l_source", ">i4"), ("source", f"S{src_len}")]
    return np.dtype(fields)


BAR_COLUMNS = ("series_id", "ts", "open", "high", "low", "close", "volume", "source")


CHUNK_ROWS = 32_768  # ~3 MB of COPY data per chunk


def encode_bars(
    series: np.ndarray,
    *,
    ts: np.ndarray,
    open: np.ndarray,
    high: np.ndarray,
    low: np.ndarray,
    close: np.ndarray,
    volume: np.ndarray,
    source: str,
) -> Iterator[bytes]:
    """Binary COPY payload of complete bar rows (``BAR_COLUMNS`` order), in chunks of about
    ``CHUNK_ROWS`` rows (the first starts with the header, the last is the trailer).

    Every field but volume and source has a fixed width, and source is one string for the
    batch, so within a chunk all rows with a volume share one tuple size and all rows without
    one another: each is one structured array (a NaN volume travels as NULL: field length -1,
    no bytes). Rows keep their order, except that within a chunk the rows without a volume
    follow those with one.
    """
    src = source.encode()
    yield HEADER
    for start in range(0, len(ts), CHUNK_ROWS):
        part = slice(start, start + CHUNK_ROWS)
        yield _encode_bar_rows(
            series[part],
            ts[part],
            {"open": open[part], "high": high[part], "low": low[part], "close": close[part]},
            volume[part],
            src,
        )
    yield TRAILER


def _encode_bar_rows(
    series: np.ndarray,
    ts: np.ndarray,
    prices: dict[str, np.ndarray],
    volume: np.ndarray,
    src: bytes,
) -> bytes:
    has_vol = ~np.isnan(volume)
    parts = []
    for with_volume in (True, False):
        idx = np.flatnonzero(has_vol == with_volume)
        if not len(idx):
            continue
        every = len(idx) == len(ts)
        rows = np.empty(len(idx), dtype=_bar_dtype(len(src), with_volume))
        rows["nf"] = len(BAR_COLUMNS)
        rows["l_series"], rows["series"] = 4, series if every else series[idx]
        rows["l_ts"], rows["ts"] = 8, datetime64_to_pg(ts if every else ts[idx])
        for name, col in prices.items():
            rows[f"l_{name}"], rows[name] = 8, col if every else col[idx]
        if with_volume:
            rows["l_volume"], rows["volume"] = 8, volume if every else volume[idx]
        else:
            rows["l_volume"] = -1
        rows["l_source"], rows["source"] = len(src), src
        parts.append(rows.tobytes())
    return parts[0] if len(parts) == 1 else b"".join(parts)
