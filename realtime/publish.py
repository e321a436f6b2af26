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

A failed ``group_send`` is never lost silently, though: the first failure is retried once
on fresh connections (the idle pooled ones are dropped first: after a Redis restart a pooled
connection the old server closed fails its next command). When the retry fails too, this
process's subscribers of the group get ``resync`` (reason ``stream_unavailable``) at once,
and the group is remembered: as soon as the layer takes messages again (the next publish,
or a background retry with backoff), a ``stream.resync`` notice goes to the group, before
any newer event of it, so that every other process's hub tells its subscribers of the group
to resync too (their receive may never have failed). Counted in :data:`publish_retries`.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import time
from typing import Any

from channels.layers import get_channel_layer

from realtime.hooks import Topic
from realtime.protocol import parse_topic

logger = logging.getLogger("titan.realtime")

publish_failures = 0  # events whose group_send failed twice (their subscribers resync)
publish_retries = 0  # group_sends that failed once and were retried
_last_logged = 0.0
NOTICE = "stream.resync"  # the layer message that makes every hub resync one group
_unsent: set[str] = set()  # groups that lost an event and whose notice is not sent yet
_notifier: dict[str, Any] = {"task": None}


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
    if _unsent and not await _send_notices(layer):
        _unsent.add(group)  # the layer still fails: this event is not sent either
        _lost(group, None)
        _schedule_notices()
        return
    try:
        await _group_send(layer, group, message)
    except Exception as exc:
        _unsent.add(group)
        _lost(group, exc)
        _schedule_notices()


async def _group_send(layer: Any, group: str, message: dict[str, Any]) -> None:
    """``group_send``; after a failure, once more on fresh connections (raises if it fails
    again)."""
    global publish_retries
    try:
        await layer.group_send(group, message)
        return
    except Exception as exc:
        publish_retries += 1
        logger.info("publishing to %s failed (%r); retrying on a fresh connection", group, exc)
    await drop_idle_connections(layer)
    await layer.group_send(group, message)


async def drop_idle_connections(layer: Any) -> None:
    """Disconnect the idle pooled connections of ``layer`` (channels-redis) in this event
    loop, so that the next command connects afresh instead of taking one the server closed."""
    loop_layer = getattr(layer, "_layers", {}).get(asyncio.get_running_loop())
    for client in list(getattr(loop_layer, "_connections", {}).values()):
        with contextlib.suppress(Exception):
            await client.connection_pool.disconnect(inuse_connections=False)


def _lost(group: str, exc: BaseException | None) -> None:
    """An event of ``group`` was not sent: this process's subscribers resync now."""
    global publish_failures, _last_logged
    from realtime.fanout import hub

    publish_failures += 1
    hub.resync_group(group)
    if time.monotonic() - _last_logged > 10.0:
        _last_logged = time.monotonic()
        logger.warning("publishing to %s failed (%r); subscribers will resync", group, exc)


async def _send_notices(layer: Any) -> bool:
    """Send the pending ``stream.resync`` notices; False while the layer fails."""
    from realtime.fanout import hub

    for group in sorted(_unsent):
        try:
            await _group_send(layer, group, {"type": NOTICE, "group": group, "origin": hub.channel})
        except Exception:
            return False
        _unsent.discard(group)
        logger.warning("channel layer back: told every process to resync %s", group)
    return True


def _schedule_notices() -> None:
    """Retry the pending notices in the background until they are sent (backoff to 5 s)."""
    task, loop = _notifier["task"], asyncio.get_running_loop()
    if task is not None and not task.done() and task.get_loop() is loop:
        return
    _notifier["task"] = loop.create_task(_notice_loop())


async def _notice_loop() -> None:
    backoff = 0.2
    while _unsent:
        await asyncio.sleep(backoff)
        backoff = min(backoff * 2, 5.0)
        layer = get_channel_layer()
        if layer is None or await _send_notices(layer):
            return
