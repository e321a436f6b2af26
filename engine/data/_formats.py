"""Private payload parsers of the HTTP providers (Yahoo chart JSON, Stooq CSV).

Each parser turns a response body into long-layout columns for
:func:`engine.data.validate.validate_bars`, plus rows it had to drop itself (nulls in the
Yahoo arrays). It raises :class:`PayloadError` when the body is not the expected format.
"""

from __future__ import annotations

import io
import json
from typing import Any

import numpy as np
import pandas as pd

from engine._typing import Timeframe


class PayloadError(Exception):
    """The body is not the provider's format, or it says the symbol has no data."""

    def __init__(self, message: str, *, kind: str = "malformed") -> None:
        super().__init__(message)
        self.kind = kind


def parse_yahoo_chart(
    body: bytes, symbol: str, timeframe: Timeframe
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Parse a ``/v8/finance/chart/{symbol}`` response.

    Shape: ``{"chart": {"result": [{"meta": {...}, "timestamp": [...], "indicators":
    {"quote": [{"open": [...], "high": [...], "low": [...], "close": [...],
    "volume": [...]}]}}], "error": null}}``; timestamps are Unix seconds of the bar start.
    Rows with a null price are dropped and returned as ``{row, ts, reason}``; a null volume
    alone becomes NaN. Daily bars are relabelled 00:00 UTC of their exchange-local date
    (``meta.exchangeTimezoneName``, else ``meta.gmtoffset``).
    """
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise PayloadError(f"response is not JSON ({exc})") from exc
    if not isinstance(data, dict) or not isinstance(data.get("chart"), dict):
        raise PayloadError("JSON has no 'chart' object")
    chart = data["chart"]
    err = chart.get("error")
    if err:
        desc = err.get("description") if isinstance(err, dict) else str(err)
        code = err.get("code") if isinstance(err, dict) else None
        kind = "not_found" if code == "Not Found" else "provider"
        raise PayloadError(f"Yahoo error {code}: {desc}", kind=kind)
    results = chart.get("result")
    if not isinstance(results, list) or not results or not isinstance(results[0], dict):
        raise PayloadError("'chart.result' is empty or not a list")
    result = results[0]
    stamps = result.get("timestamp")
    if stamps is None or stamps == []:
        raise PayloadError("no bars in the requested range", kind="no_data")
    try:
        quote = result["indicators"]["quote"][0]
    except (KeyError, IndexError, TypeError) as exc:
        raise PayloadError("'indicators.quote[0]' is missing") from exc
    if not isinstance(stamps, list) or not isinstance(quote, dict):
        raise PayloadError("'timestamp' or 'indicators.quote[0]' has the wrong type")
    n = len(stamps)
    arrays: dict[str, np.ndarray] = {}
    for name in ("open", "high", "low", "close", "volume"):
        values = quote.get(name)
        if values is None and name == "volume":
            values = [None] * n
        if not isinstance(values, list):
            raise PayloadError(f"'indicators.quote[0].{name}' is missing")
        if len(values) != n:
            raise PayloadError(f"partial data: {len(values)} {name} values for {n} timestamps")
        try:
            arrays[name] = np.array([np.nan if v is None else v for v in values], dtype=float)
        except (TypeError, ValueError) as exc:
            raise PayloadError(f"non-numeric {name} values") from exc
    try:
        secs = np.array(stamps, dtype=np.int64)
    except (TypeError, ValueError, OverflowError) as exc:
        raise PayloadError("non-integer timestamps") from exc
    ts = _yahoo_labels(secs, result.get("meta") or {}, timeframe)
    null = np.zeros(n, bool)
    for name in ("open", "high", "low", "close"):
        null |= np.isnan(arrays[name])
    dropped = [
        {
            "row": int(i),
            "ts": str(np.datetime_as_string(ts[i], unit="s")) + "Z",
            "reason": "null "
            + ", ".join(k for k in ("open", "high", "low", "close") if np.isnan(arrays[k][i]))
            + " in provider payload",
        }
        for i in np.flatnonzero(null)
    ]
    keep = ~null
    cols: dict[str, Any] = {k: v[keep] for k, v in arrays.items()}
    cols["ts"] = ts[keep]
    cols["symbol"] = np.full(int(keep.sum()), symbol, dtype=object)
    cols["timeframe"] = np.full(int(keep.sum()), timeframe, dtype=object)
    cols["_row"] = np.flatnonzero(keep).astype(np.int64)
    return cols, dropped


def _yahoo_labels(secs: np.ndarray, meta: dict[str, Any], timeframe: Timeframe) -> np.ndarray:
    utc = pd.to_datetime(secs, unit="s", utc=True)
    if timeframe not in ("1d", "1w", "1mo"):
        return utc.tz_localize(None).as_unit("ns").to_numpy()
    zone = meta.get("exchangeTimezoneName")
    try:
        local = utc.tz_convert(zone) if isinstance(zone, str) else None
    except (KeyError, ValueError):
        local = None
    if local is None:
        offset = meta.get("gmtoffset")
        shift = pd.Timedelta(seconds=int(offset)) if isinstance(offset, int) else pd.Timedelta(0)
        days = (utc.tz_localize(None) + shift).normalize()
    else:
        days = local.tz_localize(None).normalize()
    return pd.DatetimeIndex(days).as_unit("ns").to_numpy()


def parse_stooq_csv(body: bytes, symbol: str) -> dict[str, Any]:
    """Parse a Stooq ``/q/d/l/?s=...&i=d`` CSV download (``Date,Open,High,Low,Close,Volume``).

    Stooq answers an unknown symbol with HTTP 200 and the body ``No data``, and a client
    over its daily quota with ``Exceeded the daily hits limit``; both raise
    :class:`PayloadError`. Dates are naive trading dates (read as 00:00 UTC). Indices come
    without a Volume column (NaN volume).
    """
    try:
        text = body.decode("utf-8-sig").strip()
    except UnicodeDecodeError as exc:
        raise PayloadError("response is not UTF-8 text") from exc
    low = text.lower()
    if low.startswith("no data") or not text:
        raise PayloadError("Stooq has no data for this symbol", kind="not_found")
    if "exceeded the daily hits limit" in low:
        raise PayloadError("Stooq daily hits limit exceeded", kind="throttled")
    first = text.splitlines()[0].lower()
    if not first.startswith("date,") or "close" not in first:
        raise PayloadError(f"unexpected CSV header {text.splitlines()[0][:80]!r}")
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=object)
    except (pd.errors.ParserError, ValueError) as exc:
        raise PayloadError(f"malformed CSV ({exc})") from exc
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    missing = [c for c in ("date", "open", "high", "low", "close") if c not in frame.columns]
    if missing:
        raise PayloadError(f"CSV lacks column(s) {', '.join(missing)}")
    n = len(frame)
    return {
        "symbol": np.full(n, symbol, dtype=object),
        "timeframe": np.full(n, "1d", dtype=object),
        "ts": frame["date"],
        "open": frame["open"],
        "high": frame["high"],
        "low": frame["low"],
        "close": frame["close"],
        "volume": frame["volume"] if "volume" in frame.columns else np.full(n, np.nan),
        "_row": np.arange(n, dtype=np.int64),
    }
