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

import numpy as np

HEADER = b"PGCOPY\n\xff\r\n\x00" + b"\x00\x00\x00\x00" + b"\x00\x00\x00\x00"
TRAILER = b"\xff\xff"
PG_EPOCH_US = np.int64(946_684_800_000_000)  # 2000-01-01T00:00:00Z in Unix microseconds

# Staging row: (sym int4, tf int2, ts timestamptz, open, high, low, close, volume float8)
STAGE_DTYPE = np.dtype(
    [
        ("nf", ">i2"),
        ("l_sym", ">i4"),
        ("sym", ">i4"),
        ("l_tf", ">i4"),
        ("tf", ">i2"),
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
    sym: np.ndarray,
    tf: np.ndarray,
    ts: np.ndarray,
    open_: np.ndarray,
    high: np.ndarray,
    low: np.ndarray,
    close: np.ndarray,
    volume: np.ndarray,
) -> bytes:
    """Binary COPY payload of staging rows. ``sym``/``tf`` are 1-based codes into arrays
    passed with the INSERT; ``volume`` NaN stands for NULL."""
    rows = np.empty(len(ts), dtype=STAGE_DTYPE)
    _fill_lengths(rows)
    rows["sym"] = sym
    rows["tf"] = tf
    rows["ts"] = datetime64_to_pg(ts)
    rows["open"], rows["high"], rows["low"], rows["close"] = open_, high, low, close
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


def _bar_dtype(sym_len: int, tf_len: int, src_len: int, with_volume: bool) -> np.dtype:
    fields: list[tuple[str, str]] = [
        ("nf", ">i2"),
        ("l_symbol", ">i4"), ("symbol", f"S{sym_len}"),
        ("l_timeframe", ">i4"), ("timeframe", f"S{tf_len}"),
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


BAR_COLUMNS = ("symbol", "timeframe", "ts", "open", "high", "low", "close", "volume", "source")


def encode_bars(
    symbol: np.ndarray,
    timeframe: np.ndarray,
    ts: np.ndarray,
    open_: np.ndarray,
    high: np.ndarray,
    low: np.ndarray,
    close: np.ndarray,
    volume: np.ndarray,
    source: str,
) -> bytes:
    """Binary COPY payload of complete bar rows (``BAR_COLUMNS`` order).

    Text fields make tuples variable-width, but within one (symbol, timeframe, has-volume)
    group every tuple has the same size, so each group is one structured array. A NaN volume
    travels as NULL (field length -1, no bytes).
    """
    import pandas as pd

    src = source.encode()
    sym_codes, sym_names = pd.factorize(symbol, sort=False)
    tf_codes, tf_names = pd.factorize(timeframe, sort=False)
    has_vol = ~np.isnan(volume)
    group = (sym_codes.astype(np.int64) * len(tf_names) + tf_codes) * 2 + has_vol
    order = np.argsort(group, kind="stable")
    sorted_groups = group[order]
    bounds = np.flatnonzero(sorted_groups[1:] != sorted_groups[:-1]) + 1
    parts = [HEADER]
    for start, end in zip(np.r_[0, bounds], np.r_[bounds, len(order)], strict=True):
        idx = order[start:end]
        first = idx[0]
        s = str(sym_names[sym_codes[first]]).encode()
        t = str(tf_names[tf_codes[first]]).encode()
        v = bool(has_vol[first])
        rows = np.empty(len(idx), dtype=_bar_dtype(len(s), len(t), len(src), v))
        rows["nf"] = len(BAR_COLUMNS)
        rows["l_symbol"], rows["symbol"] = len(s), s
        rows["l_timeframe"], rows["timeframe"] = len(t), t
        rows["l_ts"], rows["ts"] = 8, datetime64_to_pg(ts[idx])
        for name, col in (("open", open_), ("high", high), ("low", low), ("close", close)):
            rows[f"l_{name}"], rows[name] = 8, col[idx]
        if v:
            rows["l_volume"], rows["volume"] = 8, volume[idx]
        else:
            rows["l_volume"] = -1
        rows["l_source"], rows["source"] = len(src), src
        parts.append(rows.tobytes())
    parts.append(TRAILER)
    return b"".join(parts)
