"""What the web layer tells ``realtime``: who may follow a topic, and what a subscriber missed.

Registered in ``SignalsConfig.ready()`` through :func:`realtime.hooks.register`.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import QuerySet

from realtime.hooks import Topic
from titan_web.common.timefmt import format_ts
from titan_web.research.models import TradingPair
from titan_web.signals.models import Signal
from titan_web.tasks.models import TaskRun

REPLAY_LIMIT = 10_000


def signal_event(signal: Signal) -> dict[str, Any]:
    """The WebSocket frame of a stored signal (docs/api.md, WebSocket)."""
    return {
        "type": "signal",
        "topic": f"pair:{signal.pair_id}",
        "seq": signal.seq,
        "data": {
            "pair_id": signal.pair_id,
            "ts": format_ts(signal.ts),
            "kind": signal.kind,
            "zscore": signal.zscore,
            "spread": signal.spread,
            "price_1": signal.price_1,
            "price_2": signal.price_2,
            "regime": signal.regime,
            "params_id": signal.params_id,
            **(signal.detail or {}),
            "source": signal.source,
        },
    }


async def authorize(user: Any, topic: Topic) -> bool:
    """Owners (and staff) may follow their pairs and tasks; every user may follow ``signals``
    (it carries only the signals of their own monitors)."""
    if topic.kind == "signals":
        return True
    qs: QuerySet[Any]
    if topic.kind == "pair":
        if not topic.key.isdigit():
            return False
        qs = TradingPair.objects.filter(pk=int(topic.key))
    elif topic.kind == "task":
        try:
            qs = TaskRun.objects.filter(pk=uuid.UUID(topic.key))
        except ValueError:
            return False
    else:
        return False
    if not user.is_staff:
        qs = qs.filter(owner=user)
    return await qs.aexists()


async def replay(user: Any, topic: Topic, since_seq: int) -> list[dict[str, Any]]:
    """Stored signals of a pair after ``since_seq``, in order (authorization already done)."""
    if topic.kind != "pair":
        return []
    qs = Signal.objects.filter(pair_id=int(topic.key), seq__gt=since_seq).order_by("seq")
    return [signal_event(s) async for s in qs[:REPLAY_LIMIT]]
