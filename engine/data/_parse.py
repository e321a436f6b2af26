"""Vectorized parsing kernels for the validator: timestamps, numbers, labels.

Every parser returns the parsed values plus an ``int8`` status per element, so the caller
can attach a reason to each rejected row without ever raising on bad data.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from engine._typing import IntArray

# status codes shared by the parsers
OK = 0
MISSING = 1
INVALID = 2  # unparseable timestamp / non-numeric number
NAIVE_REJECTED = 3  # naive timestamp while naive_tz is None
LOCAL_INVALID = 4  # naive timestamp ambiguous or nonexistent in naive_tz
OUT_OF_RANGE = 5  # timestamp outside 1677-09-22 .. 2262-04-11 (datetime64[ns] range)
NON_FINITE = 6  # +/-inf, or a number too large for float64

NAT = np.iinfo(np.int64).min

_NS_PER_UNIT = {"s": 1_000_000_000, "ms": 1_000_000, "us": 1_000, "ns": 1}
_INT64_MAX = np.iinfo(np.int64).max

# A zone suffix after a time of day: Z, +hh, +hhmm, +hh:mm (after optional whitespace).
_ZONE_RE = r"\d{1,2}:?\d{2}(?::?\d{2}(?:[.,]\d+)?)?\s*(?:[zZ]|[+-]\d{2}(?::?\d{2})?)$"
_UTC_WORD_RE = r"\s+(?:UTC|GMT)$"
_NA_TOKENS = frozenset({"", "nan", "na", "n/a", "null", "none", "-nan", "#n/a", "<na>", "nat"})


def as_object_array(values: Any) -> np.ndarray:
    """Return ``values`` as a 1-D object array (pandas extension arrays included)."""
    if isinstance(values, (pd.Series, pd.Index)):
        return np.asarray(values.astype(object), dtype=object)
    arr = np.asarray(values, dtype=object)
    return arr.reshape(-1) if arr.ndim != 1 else arr


def _factorize(
    arr: np.ndarray, *, tokens: bool = True
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Factorize an object array; return codes, uniques and a per-unique 'missing' mask.

    Working on the distinct values keeps the string operations cheap for long columns
    with few distinct labels or timestamps.
    """
    try:
        codes, uniques = pd.factorize(pd.Series(arr, dtype=object))
    except TypeError:  # unhashable cells (lists, dicts): compare them by their text
        text = np.array([v if _hashable(v) else repr(v) for v in arr], dtype=object)
        codes, uniques = pd.factorize(pd.Series(text, dtype=object))
    uniq = np.asarray(uniques, dtype=object)
    u_missing = np.asarray(pd.isna(uniq), dtype=bool)
    if tokens:
        u_missing |= na_tokens(uniq)
    return codes, uniq, u_missing


def na_tokens(uniq: np.ndarray) -> np.ndarray:
    """True for strings that spell a missing value (blank, "NaN", "null", "N/A", ...)."""
    out = np.zeros(uniq.shape[0], dtype=bool)
    if pd.api.types.infer_dtype(uniq, skipna=True) == "string":
        is_str = ~np.asarray(pd.isna(uniq), dtype=bool)
    else:
        is_str = np.fromiter((type(v) is str for v in uniq), dtype=bool, count=uniq.shape[0])
    if is_str.any():
        low = pd.Series(uniq[is_str], dtype=object).str.strip().str.lower()
        out[is_str] = low.isin(_NA_TOKENS).to_numpy()
    return out


def _hashable(v: Any) -> bool:
    try:
        hash(v)
    except TypeError:
        return False
    return True


def parse_labels(values: Any) -> tuple[np.ndarray, np.ndarray, IntArray]:
    """Parse symbol/timeframe labels: strings stripped of whitespace.

    Returns
    -------
    labels : ndarray of object (str, or None where missing)
    status : ndarray of int8 (OK, MISSING)
    codes : ndarray of int64
        Dense code per distinct (stripped) label, -1 where missing; equal labels share a
        code, so callers can group without hashing strings again.
    """
    arr = as_object_array(values)
    codes, uniq, u_missing = _factorize(arr)
    u_labels = np.array(
        [v.strip() if isinstance(v, str) else str(v) for v in uniq], dtype=object
    ).reshape(-1)
    u_missing = u_missing | (u_labels == "")
    u_labels[u_missing] = None
    # " A" and "A" are the same label once stripped: re-code the distinct values
    u_codes, _ = pd.factorize(pd.Series(u_labels, dtype=object))
    n = arr.shape[0]
    labels = np.empty(n, dtype=object)
    status = np.full(n, MISSING, dtype=np.int8)
    out_codes = np.full(n, -1, dtype=np.int64)
    sel = codes >= 0
    labels[sel] = u_labels[codes[sel]]
    status[sel] = np.where(u_missing[codes[sel]], MISSING, OK)
    out_codes[sel] = u_codes[codes[sel]]
    return labels, status, out_codes


def parse_numbers(values: Any) -> tuple[np.ndarray, np.ndarray]:
    """Parse a price/volume column to float64.

    Returns
    -------
    numbers : ndarray of float64 (NaN where status is not OK)
    status : ndarray of int8 (OK, MISSING, INVALID, NON_FINITE)
    """
    if (
        isinstance(values, (pd.Series, pd.Index))
        and pd.api.types.is_numeric_dtype(values.dtype)
        and not pd.api.types.is_bool_dtype(values.dtype)
    ):
        values = values.to_numpy(dtype="float64", na_value=np.nan)
    if isinstance(values, np.ndarray) and values.dtype.kind in "fiu":
        x = values.astype("float64", copy=True).reshape(-1)
        status = np.where(np.isnan(x), MISSING, np.where(np.isinf(x), NON_FINITE, OK))
        x[status != OK] = np.nan  # later range checks then ignore the bad value
        return x, status.astype(np.int8)
    arr = as_object_array(values)
    codes, uniq, u_missing = _factorize(arr, tokens=False)
    # parse each distinct value once; bools and other objects are not numbers
    if pd.api.types.infer_dtype(uniq, skipna=True) in ("string", "floating", "integer", "empty"):
        u_cand = ~u_missing
    else:
        numeric_types = (str, int, float, np.floating, np.integer)
        u_cand = (
            np.array(
                [
                    isinstance(v, numeric_types) and not isinstance(v, (bool, np.bool_))
                    for v in uniq
                ],
                dtype=bool,
            ).reshape(-1)
            & ~u_missing
        )
    u_x = np.full(uniq.shape[0], np.nan)
    if u_cand.any():
        parsed = pd.to_numeric(pd.Series(uniq[u_cand], dtype=object), errors="coerce")
        try:
            u_x[u_cand] = np.asarray(parsed, dtype="float64")
        except (OverflowError, TypeError, ValueError):  # e.g. integers beyond float64
            u_x[u_cand] = [_safe_float(v) for v in parsed]
    failed = np.isnan(u_x) & ~u_missing  # only these can be spelled-out NA tokens
    if failed.any():
        u_missing[failed] = na_tokens(uniq[failed])
    u_status = np.full(uniq.shape[0], INVALID, dtype=np.int8)
    u_status[u_missing] = MISSING
    u_status[~u_missing & np.isfinite(u_x)] = OK
    u_status[~u_missing & np.isinf(u_x)] = NON_FINITE
    u_x[u_status != OK] = np.nan
    n = arr.shape[0]
    x = np.full(n, np.nan)
    status = np.full(n, MISSING, dtype=np.int8)
    sel = codes >= 0
    x[sel] = u_x[codes[sel]]
    status[sel] = u_status[codes[sel]]
    return x, status


def _safe_float(v: Any) -> float:
    try:
        return float(v)
    except (OverflowError, TypeError, ValueError):
        return float("inf") if isinstance(v, int) else float("nan")


def _index_to_ns(idx: pd.DatetimeIndex) -> tuple[np.ndarray, np.ndarray]:
    """Int64 nanoseconds of a (UTC or naive) index plus an out-of-range mask."""
    unit = str(getattr(idx, "unit", "ns"))
    raw = idx.asi8.copy()
    nat = raw == NAT
    factor = _NS_PER_UNIT[unit]
    limit = _INT64_MAX // factor
    oob = ~nat & (np.abs(raw) > limit)
    ns = np.where(nat | oob, NAT, raw * np.where(oob, 0, factor))
    return ns.astype(np.int64), oob


def _localize(ns: np.ndarray, naive_tz: str) -> np.ndarray:
    """Interpret naive ns (wall time in ``naive_tz``) and return UTC ns; NaT if invalid."""
    if naive_tz.upper() == "UTC":
        return ns
    idx = pd.DatetimeIndex(ns.view("datetime64[ns]"))
    local = idx.tz_localize(naive_tz, ambiguous="NaT", nonexistent="NaT").tz_convert("UTC")
    return local.tz_localize(None).as_unit("ns").asi8.copy()


def parse_timestamps(
    values: Any, *, naive_tz: str | None, ts_format: str | None = None
) -> tuple[IntArray, np.ndarray]:
    """Parse timestamps to UTC int64 nanoseconds.

    Policy: a timestamp carrying a zone or offset is converted to UTC. A naive one (no
    zone; a bare date counts as naive) is read as wall time in ``naive_tz``; with
    ``naive_tz=None`` it is rejected. Strings must be ISO 8601 (``2024-01-02``,
    ``2024-01-02T14:30:00-05:00``, ``2024-01-02 14:30Z``, a trailing `` UTC``) unless
    ``ts_format`` (a ``strptime`` pattern) is given.

    Returns
    -------
    ns : ndarray of int64 (``NAT`` where status is not OK)
    status : ndarray of int8 (OK, MISSING, INVALID, NAIVE_REJECTED, LOCAL_INVALID,
        OUT_OF_RANGE)
    """
    ns, status, _ = _parse_timestamps(values, naive_tz, ts_format, want_wall=False)
    return ns, status


def parse_timestamps_wall(
    values: Any, *, naive_tz: str | None, ts_format: str | None = None
) -> tuple[IntArray, np.ndarray, IntArray]:
    """Like :func:`parse_timestamps`, plus each timestamp's local *wall time as given*.

    The wall time is in the timestamp's own offset when it has one, in ``naive_tz`` when it
    is naive, as nanoseconds since the epoch read as if UTC: its calendar date is the date the
    source wrote (``2021-01-04 00:00-05:00`` has wall time 2021-01-04 00:00, UTC 05:00).
    """
    ns, status, wall = _parse_timestamps(values, naive_tz, ts_format, want_wall=True)
    assert wall is not None
    return ns, status, wall


def _parse_timestamps(
    values: Any, naive_tz: str | None, ts_format: str | None, *, want_wall: bool
) -> tuple[IntArray, np.ndarray, IntArray | None]:
    if isinstance(values, (pd.Series, pd.Index)) and isinstance(values.dtype, pd.DatetimeTZDtype):
        idx = pd.DatetimeIndex(values).tz_convert("UTC").tz_localize(None)
        ns, oob = _index_to_ns(idx)
        wall = _index_to_ns(pd.DatetimeIndex(values).tz_localize(None))[0] if want_wall else None
        ns, status = _finish(ns, np.zeros(ns.shape[0], bool), oob, None, naive_tz)
        return ns, status, _wall_ok(wall, status)
    if isinstance(values, (pd.Series, pd.Index)) and values.dtype.kind == "M":
        values = values.to_numpy()
    if isinstance(values, np.ndarray) and values.dtype.kind == "M":
        arr = values.reshape(-1)
        nat = np.isnat(arr)
        lo, hi = np.datetime64("1677-09-22", "D"), np.datetime64("2262-04-10", "D")
        oob = ~nat & ((arr < lo) | (arr > hi))
        ns = np.where(nat | oob, NAT, arr.astype("datetime64[ns]").view(np.int64))
        wall = ns.astype(np.int64) if want_wall else None
        ns, status = _finish(ns.astype(np.int64), ~nat, oob, None, naive_tz)
        return ns, status, _wall_ok(wall, status)
    return _parse_objects(
        as_object_array(values), naive_tz=naive_tz, ts_format=ts_format, want_wall=want_wall
    )


def _wall_ok(wall: np.ndarray | None, status: np.ndarray) -> IntArray | None:
    if wall is None:
        return None
    return np.where(status == OK, wall, NAT).astype(np.int64)


_OFFSET_RE = r"(?:(?P<z>[zZ])|(?P<sign>[+-])(?P<hh>\d{2}):?(?P<mm>\d{2})?)$"


def _offsets_ns(texts: pd.Series, aware: np.ndarray, fmt: str, explicit: bool) -> np.ndarray:
    """UTC offset (ns) of each aware text; 0 for the others."""
    out = np.zeros(texts.shape[0], dtype=np.int64)
    if not aware.any():
        return out
    sub = texts[aware]
    if explicit:
        vals = []
        for t in sub:
            stamp = _one(t, fmt, utc=False)
            off = stamp.utcoffset() if stamp is not pd.NaT else None
            vals.append(0 if off is None else int(off.total_seconds() * 1e9))
        out[aware] = vals
        return out
    parts = sub.str.extract(_OFFSET_RE)
    sign = np.where(parts["sign"].to_numpy(dtype=object) == "-", -1, 1)
    hh = pd.to_numeric(parts["hh"], errors="coerce").fillna(0).to_numpy(dtype=np.int64)
    mm = pd.to_numeric(parts["mm"], errors="coerce").fillna(0).to_numpy(dtype=np.int64)
    out[aware] = sign * (hh * 3600 + mm * 60) * 10**9
    return out


def _parse_objects(
    arr: np.ndarray, *, naive_tz: str | None, ts_format: str | None, want_wall: bool = False
) -> tuple[IntArray, np.ndarray, IntArray | None]:
    n = arr.shape[0]
    codes, uniq, u_missing = _factorize(arr)
    texts = pd.Series([_to_text(v) for v in uniq], dtype=object)
    texts = texts.str.strip().str.replace(_UTC_WORD_RE, "Z", regex=True)
    fmt = ts_format if ts_format is not None else "ISO8601"
    try:
        parsed = pd.to_datetime(texts, utc=True, format=fmt, errors="coerce")
    except (ValueError, TypeError, OverflowError):
        parsed = pd.Series([_one(t, fmt) for t in texts], dtype="datetime64[ns, UTC]")
    u_ns, u_oob = _index_to_ns(pd.DatetimeIndex(parsed).tz_localize(None))
    if ts_format is None:
        has_zone = texts.str.contains(_ZONE_RE, regex=True).to_numpy(dtype=bool)
    else:  # an explicit format decides the zone by itself
        has_zone = np.array(
            [_one(t, fmt, utc=False).tzinfo is not None for t in texts], dtype=bool
        ).reshape(-1)
    sel = codes >= 0
    ns = np.full(n, NAT, dtype=np.int64)
    oob = np.zeros(n, bool)
    aware = np.zeros(n, bool)
    missing = np.ones(n, bool)
    ns[sel] = u_ns[codes[sel]]
    oob[sel] = u_oob[codes[sel]]
    aware[sel] = has_zone[codes[sel]]
    missing[sel] = u_missing[codes[sel]]
    ns[missing] = NAT
    oob[missing] = False
    wall = None
    if want_wall:
        ok_u = (u_ns != NAT) & has_zone
        u_off = _offsets_ns(texts, ok_u, fmt, ts_format is not None)
        wall = ns.copy()
        wall[sel] = np.where(u_ns[codes[sel]] != NAT, u_ns[codes[sel]] + u_off[codes[sel]], NAT)
        wall[missing] = NAT
    ns, status = _finish(ns, ~aware & ~missing, oob, missing, naive_tz)
    return ns, status, _wall_ok(wall, status)


def _one(text: Any, fmt: str, *, utc: bool = True) -> Any:
    """Parse one text (NaT on failure); the slow fallback path."""
    if not isinstance(text, str) or not text:
        return pd.NaT
    try:
        return pd.to_datetime(text, utc=utc, format=fmt)
    except (ValueError, TypeError, OverflowError):
        return pd.NaT


def _to_text(v: Any) -> Any:
    """Objects that are not strings: datetimes become ISO text, the rest stays invalid."""
    if isinstance(v, str):
        return v
    if isinstance(v, pd.Timestamp) and v is not pd.NaT:
        return v.isoformat()
    if isinstance(v, np.datetime64):
        return None if np.isnat(v) else str(v)
    if hasattr(v, "isoformat") and not isinstance(v, (int, float)):
        try:
            return str(v.isoformat())
        except (TypeError, ValueError):
            return "\x00invalid"
    return "\x00invalid"  # numbers, bools, containers: never a timestamp


def _finish(
    ns: np.ndarray,
    naive: np.ndarray,
    oob: np.ndarray,
    missing: np.ndarray | None,
    naive_tz: str | None,
) -> tuple[IntArray, np.ndarray]:
    status = np.zeros(ns.shape[0], dtype=np.int8)
    is_nat = ns == NAT
    status[is_nat] = INVALID
    status[oob] = OUT_OF_RANGE
    if missing is None:  # datetime inputs: NaT means missing
        status[is_nat & ~oob] = MISSING
    else:
        status[missing] = MISSING
    ok = status == OK
    if naive_tz is None:
        status[ok & naive] = NAIVE_REJECTED
    elif (ok & naive).any():
        sel = ok & naive
        local = _localize(ns[sel], naive_tz)
        bad = local == NAT
        ns = ns.copy()
        ns[sel] = local
        sub = status[sel]
        sub[bad] = LOCAL_INVALID
        status[sel] = sub
    ns = np.where(status == OK, ns, NAT)
    return ns.astype(np.int64), status
