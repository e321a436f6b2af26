"""Reads for research results: pairs visible to a user, aligned prices of a pair."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
from django.db.models import QuerySet, TextField
from django.db.models.functions import Cast

from titan_web.common.errors import ApplicationError
from titan_web.common.ownership import aget_visible, visible_to
from titan_web.market import store
from titan_web.market.models import Symbol
from titan_web.market.selectors import symbols_require
from titan_web.research.models import TradingPair

MIN_BARS = 30


def pair_list(*, user: Any) -> QuerySet[TradingPair]:
    return visible_to(TradingPair.objects.select_related("symbol_1", "symbol_2"), user)


async def pair_get(*, user: Any, pair_id: int) -> TradingPair:
    return await aget_visible(
        TradingPair.objects.select_related("symbol_1", "symbol_2"),
        user,
        shape="research.pair",
        pk=pair_id,
    )


async def pair_get_for_detail(*, user: Any, pair_id: int) -> TradingPair:
    """:func:`pair_get` for the detail payload: ``stats`` is read as its stored JSON text,
    ``stats_json``, which the payload writes out as it is (no decoding, no encoding: a
    tenth of the request's CPU); ``pair.stats`` itself is deferred, not to be touched."""
    return await aget_visible(_pair_detail_queryset, user, shape="research.pair.detail", pk=pair_id)


def _pair_detail_queryset() -> QuerySet[TradingPair]:
    return (
        TradingPair.objects.select_related("symbol_1", "symbol_2")
        .defer("stats")
        .annotate(stats_json=Cast("stats", output_field=TextField()))
    )


async def symbols_get(*, tickers: list[str], field: str | list[str] = "symbols") -> list[Symbol]:
    """The symbols of ``tickers``; 404 naming each unknown one under its request field
    (see :func:`titan_web.market.selectors.symbols_require`)."""
    return await symbols_require(tickers=tickers, field=field)


async def aligned_closes(
    tickers: list[str],
    *,
    timeframe: str,
    start: dt.datetime | None,
    end: dt.datetime | None,
    min_bars: int = MIN_BARS,
) -> tuple[np.ndarray, np.ndarray]:
    """Closes of ``tickers`` on the timestamps where all have a bar (inner join).

    Returns ``(ts, closes)`` with closes of shape (T, N)."""
    matrix = await store.aclose_matrix(tickers, timeframe=timeframe, start=start, end=end)
    complete = ~np.isnan(matrix.close).any(axis=1)
    ts, closes = matrix.ts[complete], matrix.close[complete]
    if len(ts) < min_bars:
        raise ApplicationError(
            f"Only {len(ts)} common {timeframe} bars for {', '.join(tickers)} in that range; "
            f"at least {min_bars} are needed.",
            status_code=422,
            slug="not-enough-data",
            title="Not enough data",
        )
    return ts, closes
