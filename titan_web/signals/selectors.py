"""Reads for live signals: monitors visible to a user, stored signals by pair and seq."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet

from titan_web.common.errors import ApplicationError, NotFoundError
from titan_web.common.ownership import aget_visible, visible_to
from titan_web.research.models import TradingPair
from titan_web.signals.models import Monitor, Signal

SIGNAL_PAGE = 500
SIGNAL_PAGE_MAX = 5_000


def monitor_list(*, user: Any) -> QuerySet[Monitor]:
    return visible_to(
        Monitor.objects.select_related("pair__symbol_1", "pair__symbol_2", "parameter_set"), user
    )


async def monitor_get(*, user: Any, monitor_id: int) -> Monitor:
    return await aget_visible(monitor_list(user=user), user, pk=monitor_id)


async def monitors_for_symbols(*, symbols: list[str], timeframe: str) -> list[Monitor]:
    """Active monitors whose pair has one of ``symbols`` as a leg, on ``timeframe``."""
    qs = Monitor.objects.select_related("pair__symbol_1", "pair__symbol_2")
    qs = qs.filter(active=True, pair__timeframe=timeframe).filter(
        Q(pair__symbol_1__ticker__in=symbols) | Q(pair__symbol_2__ticker__in=symbols)
    )
    return [m async for m in qs.order_by("pair_id", "id")]


async def signal_list(
    *,
    user: Any,
    pair_id: int | None = None,
    since_seq: int | None = None,
    until_seq: int | None = None,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    after: tuple[int, int] | None = None,
    limit: int = SIGNAL_PAGE,
    source: str | None = None,
) -> list[Signal]:
    """Stored signals of the user's pairs, ordered by ``(pair_id, seq)``.

    Keyset pagination: ``since_seq`` (with ``pair_id``) or ``after=(pair_id, seq)`` start
    after a given signal; the caller asks for ``limit + 1`` rows to know if more remain.
    """
    pairs = visible_to(TradingPair.objects.all(), user)
    if pair_id is not None:
        if not await pairs.filter(pk=pair_id).aexists():
            raise NotFoundError("No trading pair with that id.")
        qs = Signal.objects.filter(pair_id=pair_id)
    elif getattr(user, "is_staff", False):
        qs = Signal.objects.all()
    else:
        ids = [pk async for pk in pairs.values_list("pk", flat=True)]
        qs = Signal.objects.filter(pair_id__in=ids)
    if since_seq is not None:
        if pair_id is None:
            raise ApplicationError(
                "since_seq needs pair: seq numbers are per pair.",
                errors={"since_seq": ["requires pair"]},
            )
        qs = qs.filter(seq__gt=since_seq)
    if until_seq is not None:
        qs = qs.filter(seq__lte=until_seq)
    if start is not None:
        qs = qs.filter(ts__gte=start)
    if end is not None:
        qs = qs.filter(ts__lte=end)
    if source is not None:
        qs = qs.filter(source=source)
    if after is not None:
        qs = qs.filter(Q(pair_id__gt=after[0]) | Q(pair_id=after[0], seq__gt=after[1]))
    return [s async for s in qs.order_by("pair_id", "seq")[:limit]]
