"""Publishing events to a topic's group on the channel layer.

One layer message per event and group; every process that follows the topic receives it
once, encodes it to JSON once and hands that text to its local subscribers
(:mod:`realtime.fanout`). The message keeps the ``{"type": "stream.event", "event": ...}``
shape of a plain group subscriber (the task tests listen that way).

A ``signal`` frame gets ``published_at`` here (ISO 8601 UTC with microseconds, ``Z``): when
it left its publisher, so a subscriber can tell how late it arrived (the soak,
``tests/soak/soak.py``, measures delivery latency from it). Signals a client fetches with
``since_seq`` were not published to it and carry none.

A layer that fails (Redis down) does not fail the caller: every event published here is
stored before it is sent (signals, task rows), and the hub tells every subscriber to resync
from the database when its own receive fails (``realtime/fanout.py``). The failure is logged
(at most once every 10 s) and counted in :data:`publish_failures`.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from typing import Any

from channels.layers import get_channel_layer

from realtime.hooks import Topic
from realtime.protocol import parse_topic

logger = logging.getLogger("titan.realtime")

publish_failures = 0
_last_logged = 0.0


def signals_group(user_id: Any) -> str:
    """The group of one user's ``signals`` topic (only their own monitors' signals)."""
    return f"{Topic('signals', '').group}.{user_id}"


def published_at() -> str:
    """Now as ISO 8601 UTC with microseconds and a ``Z`` (the API's timestamp form)."""
    now = dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")
    return now.removesuffix("+00:00") + "Z"


async def publish(topic: str, event: dict[str, Any], *, user_id: Any = None) -> None:
    """Send ``event`` (a complete server frame, with ``type`` and ``topic``) to subscribers.

    ``signals`` is per user: pass the owner's ``user_id``. A signal event's ``seq`` and
    ``data.pair_id`` travel beside the text so that no process has to decode it.
    """
    layer = get_channel_layer()
    if layer is None:
        return
    parsed = parse_topic(topic)
    if parsed.kind == "signals":
        if user_id is None:
            raise ValueError("the signals topic is per user: pass user_id")
        group = signals_group(user_id)
    else:
        group = parsed.group
    if event.get("type") == "signal":
        event = {**event, "published_at": published_at()}
    data = event.get("data")
    message = {
        "type": "stream.event",
        "group": group,
        "event": event,
        "seq": event.get("seq"),
        "pair": data.get("pair_id") if isinstance(data, dict) else None,
    }
    try:
        await layer.group_send(group, message)
    except Exception as exc:
        global publish_failures, _last_logged
        publish_failures += 1
        if time.monotonic() - _last_logged > 10.0:
            _last_logged = time.monotonic()
            logger.warning("publishing to %s failed (%r); subscribers will resync", group, exc)
