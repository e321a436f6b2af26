"""The ``/ws/stream/`` consumer: first-message JWT handshake, topics, ping/pong, replay.

Topic events do not travel through a per-connection layer channel: the process's
:data:`realtime.fanout.hub` holds one subscription per topic and queues the already encoded
text into this connection's bounded :class:`~realtime.fanout.Outbox`. Every frame the
connection sends (replies included) goes through that outbox, so they keep their order.
"""

from __future__ import annotations

import asyncio
import logging
from inspect import iscoroutinefunction
from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings

from realtime import jsonlimits, sessions
from realtime.direct import DirectWriter
from realtime.fanout import Outbox, Subscription, encode, hub
from realtime.hooks import Topic, registry
from realtime.protocol import (
    CLOSE_UNAUTHENTICATED,
    ProtocolError,
    parse_message,
    parse_subscribe,
    parse_topic,
)
from realtime.publish import signals_group

logger = logging.getLogger("titan.realtime")

OUTBOX_SIZE = 1_000
WS_MAX_FRAME = 64 * 1024  # characters: protocol frames are tiny; bigger ones close the socket
CLOSE_TOO_BIG = 1009  # RFC 6455 "message too big"


def _setting(name: str, default: float) -> float:
    return float(settings.TITAN.get(name, default))  # type: ignore[arg-type]


class StreamConsumer(AsyncJsonWebsocketConsumer):
    """One client connection.

    The client has ``WS_AUTH_TIMEOUT`` seconds (5) to send ``{"type": "auth", "token": ...}``;
    otherwise, or with a bad token, the connection closes with code 4401. Every other frame
    before authentication is refused the same way. Afterwards the client subscribes to topics;
    malformed frames get an error frame and the connection stays open.
    """

    # No layer channel per connection: the process-level hub fans events out (fanout.py).
    channel_layer_alias = None  # type: ignore[assignment]

    user: Any = None
    session_key: str | None = None
    topics: dict[str, Subscription]
    outbox: Outbox
    _auth_timer: asyncio.Task[None] | None = None

    async def connect(self) -> None:
        self.topics = {}
        self.outbox = Outbox(self._send_text, int(_setting("WS_OUTBOX_SIZE", OUTBOX_SIZE)))
        await self.accept()
        self.outbox.direct = DirectWriter.for_send(self.base_send)
        self.outbox.start()
        timeout = _setting("WS_AUTH_TIMEOUT", 5)
        self._auth_timer = asyncio.create_task(self._close_if_unauthenticated(timeout))

    async def disconnect(self, code: int) -> None:
        if self._auth_timer is not None:
            self._auth_timer.cancel()
        if self.user is not None:
            sessions.discard(self, key=self.session_key, user_id=self.user.pk)
        for sub in list(self.topics.values()):
            await hub.remove(sub)
        self.topics.clear()
        await self.outbox.stop()

    async def _send_text(self, text: str) -> None:
        # Straight to the server (what ``send(text_data=...)`` ends in, minus its checks).
        await self.base_send({"type": "websocket.send", "text": text})

    def reply(self, frame: dict[str, Any]) -> None:
        """Queue a protocol reply (never dropped: replies are small and client-paced)."""
        self.outbox.push(encode(frame), force=True)

    def _bad_request(self, message: str) -> None:
        self.reply({"type": "error", "code": "bad_request", "message": message})

    async def _close_if_unauthenticated(self, timeout: float) -> None:
        await asyncio.sleep(timeout)
        if self.user is None:
            await self._refuse("no auth message within the time limit")

    async def _refuse(self, message: str) -> None:
        await self.send_json({"type": "error", "code": "unauthenticated", "message": message})
        await self.close(code=CLOSE_UNAUTHENTICATED)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        try:
            message = parse_message(content)
            if self.user is None:
                await self._handshake(message)
                return
            kind = message["type"]
            if kind == "ping":
                self.reply({"type": "pong", "ts": message.get("ts")})
            elif kind == "pong":
                return
            elif kind == "subscribe":
                await self._subscribe(message)
            elif kind == "unsubscribe":
                await self._unsubscribe(message)
            elif kind == "auth":
                raise ProtocolError("already authenticated")
        except ProtocolError as exc:
            if self.user is None:
                await self._refuse("authenticate first with a valid access token")
            else:
                self.reply({"type": "error", "code": exc.code, "message": str(exc)})

    async def receive(
        self, text_data: str | None = None, bytes_data: bytes | None = None, **kwargs: Any
    ) -> None:
        if text_data is None:
            if self.user is None:
                await self._refuse("authenticate first with a valid access token")
                return
            self._bad_request("binary frames are not supported")
            return
        if len(text_data) > WS_MAX_FRAME:
            # Far beyond any protocol frame: say why, then close with "message too big".
            message = f"frame larger than {WS_MAX_FRAME} characters"
            await self.send(
                text_data=encode({"type": "error", "code": "too_big", "message": message})
            )
            await self.close(code=CLOSE_TOO_BIG)
            return
        try:
            content = jsonlimits.loads(text_data)
        except jsonlimits.TooDeep as exc:
            if self.user is None:
                await self._refuse("authenticate first with a valid access token")
                return
            self._bad_request(str(exc))
            return
        except ValueError:
            if self.user is None:
                await self._refuse("authenticate first with a valid access token")
                return
            self._bad_request("frame is not valid JSON")
            return
        await self.receive_json(content, **kwargs)

    async def _handshake(self, message: dict[str, Any]) -> None:
        token = message.get("token")
        user = None
        if message["type"] == "auth" and isinstance(token, str) and registry.authenticate:
            if iscoroutinefunction(registry.authenticate):
                user = await registry.authenticate(token)
            else:
                user = await database_sync_to_async(registry.authenticate)(token)
        if user is None:
            await self._refuse("authenticate first with a valid access token")
            return
        assert isinstance(token, str)
        self.user = user
        self.session_key = registry.session_key(token) if registry.session_key else None
        sessions.add(self, key=self.session_key, user_id=user.pk)
        if self._auth_timer is not None:
            self._auth_timer.cancel()
        self.reply({"type": "authenticated", "user": getattr(user, "username", None)})

    async def revoked(self) -> None:
        """The session was revoked (logout, refresh reuse, user deactivated): close 4401."""
        if self.user is None:
            return
        sessions.discard(self, key=self.session_key, user_id=self.user.pk)
        await self._refuse("session revoked: sign in again")

    def _group(self, topic: Topic) -> str:
        if topic.kind == "signals":
            return signals_group(self.user.pk)
        return topic.group

    async def _subscribe(self, message: dict[str, Any]) -> None:
        request = parse_subscribe(message)
        topic = request.topic
        allowed = registry.authorize is not None and await registry.authorize(self.user, topic)
        if not allowed:
            raise ProtocolError(f"not allowed to subscribe to {topic.name}", code="forbidden")
        replay = request.since_seq is not None and topic.kind == "pair"
        old = self.topics.pop(topic.name, None)
        if old is not None:
            await hub.remove(old)
        sub = Subscription(
            topic=topic.name,
            group=self._group(topic),
            outbox=self.outbox,
            per_pair=topic.kind == "signals",
            on_overflow=self._on_overflow,
            buffering=replay,
            buffer_limit=self.outbox.maxsize,
        )
        self.topics[topic.name] = sub
        # Live first (held in the subscription's buffer), then the stored events, then the
        # held ones newer than the last replayed: no gap, no duplicate.
        try:
            await hub.add(sub)
        except Exception:
            self.topics.pop(topic.name, None)
            logger.exception("subscribe to %s failed", topic.name)
            raise ProtocolError("the stream is unavailable; retry", code="unavailable") from None
        self.reply({"type": "subscribed", "topic": topic.name})
        if not replay:
            return
        assert request.since_seq is not None
        last = request.since_seq
        events = await registry.replay(self.user, topic, last) if registry.replay else []
        for event in events:
            self.outbox.push(encode(event), force=True)
            last = max(last, int(event.get("seq", last)))
        sub.last_seq = last
        if registry.replay_limit and len(events) >= registry.replay_limit:
            # More than one page missed: the client continues from ``last``.
            sub.buffer = []
            sub._overflow(None, None)
            return
        sub.flush_buffer(last)

    def _on_overflow(self, sub: Subscription) -> None:
        if not sub.per_pair and self.topics.get(sub.topic) is sub:
            del self.topics[sub.topic]
            asyncio.get_running_loop().create_task(hub.remove(sub))
            sub.active = False

    async def _unsubscribe(self, message: dict[str, Any]) -> None:
        topic = parse_topic(message.get("topic"))
        sub = self.topics.pop(topic.name, None)
        if sub is not None:
            await hub.remove(sub)
        self.reply({"type": "unsubscribed", "topic": topic.name})
