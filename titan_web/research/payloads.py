"""Pair payloads as plain dicts: ``PairSerializer`` / ``PairDetailSerializer`` output
without the field walk (titan_web/common/payloads.py)."""

from __future__ import annotations

from typing import Any

from titan_web.common.payloads import (
    stored_json,
    to_datetime,
    to_float,
    to_int,
    to_str,
    zone_is_utc,
)
from titan_web.research.models import TradingPair


def pair_payload(pair: TradingPair, *, detail: bool = False) -> dict[str, Any]:
    """What ``PairSerializer(pair).data`` is (``PairDetailSerializer`` with ``detail``);
    ``symbol_1`` and ``symbol_2`` must be loaded (``select_related``)."""
    utc = zone_is_utc()
    out: dict[str, Any] = {
        "id": pair.pk,
        "symbol_1": to_str(pair.symbol_1.ticker),
        "symbol_2": to_str(pair.symbol_2.ticker),
        "timeframe": to_str(pair.timeframe),
        "start": to_datetime(pair.start, utc),
        "end": to_datetime(pair.end, utc),
        "hedge_ratio": to_float(pair.hedge_ratio),
        "intercept": to_float(pair.intercept),
        "tstat": to_float(pair.tstat),
        "pvalue": to_float(pair.pvalue),
        "qvalue": to_float(pair.qvalue),
        "lag": to_int(pair.lag),
        "half_life": to_float(pair.half_life),
        "correlation": to_float(pair.correlation),
        "hurst": to_float(pair.hurst),
        "stability_score": to_float(pair.stability_score),
        "is_cointegrated": None if pair.is_cointegrated is None else bool(pair.is_cointegrated),
        "scan_id": to_str(pair.scan_id),
        "created_at": to_datetime(pair.created_at, utc),
    }
    if detail:
        raw = getattr(pair, "stats_json", None)  # pair_get_for_detail: the stored text
        out["stats"] = pair.stats if raw is None else stored_json(raw)
    return out
