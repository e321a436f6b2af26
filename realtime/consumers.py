"""The ``/ws/stream/`` consumer: first-message JWT handshake, topics, ping/pong, replay."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings

from realtime.hooks import Topic, registry
from realtime.protocol import (
    CLOSE_UNAUTHENTICATED,
    ProtocolError,
    parse_message,
    parse_subscribe,
    parse_topic,
)

logger = logging.getLogger("titan.realtime")


class StreamConsumer(AsyncJsonWebsocketConsumer):
    """One client connection.

    The client has ``WS_AUTH_TIMEOUT`` seconds (5) to send ``{"type": "auth", "token": ...}``;
    otherwise, or with a bad token, the connection closes with code 4401. Every other frame
    before authentication is refused the same way. Afterwards the client subscribes to topics;
    malformed frames get an error frame and the connection stays open.
    """

    user: Any = None
    topics: dict[str, Topic]
    _auth_timer: asyncio.Task[None] | None = None

    async def connect(self) -> None:
        self.topics = {}
        await self.accept()
        timeout = float(settings.TITAN.get("WS_AUTH_TIMEOUT", 5))  # type: ignore[arg-type]
        self._auth_timer = asyncio.create_task(self._close_if_unauthenticated(timeout))

    async def disconnect(self, code: int) -> None:
        if self._auth_timer is not None:
            self._auth_timer.cancel()
        for topic in list(self.topics.values()):
            await self.channel_layer.group_discard(topic.group, self.channel_name)
        self.topics.clear()

    async def _close_if_unauthenticated(self, timeout: float) -> None:
        await asyncio.sleep(timeout)
        if self.user is None:
            await self.send_json(
                {
                    "type": "error",
                    "code": "unauthenticated",
                    "message": "no auth message within the time limit",
                }
            )
            await self.close(code=CLOSE_UNAUTHENTICATED)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        try:
            message = parse_message(content)
            if self.user is None:
                await self._handshake(message)
                return
            kind = message["type"]
            if kind == "ping":
                await self.send_json({"type": "pong", "ts": message.get("ts")})
            elif kind == "pong":
                return
            elif kind == "subscribe":
                await self._subscribe(message)
            elif kind == "unsubscribe":
                await self._unsubscribe(message)
            elif kind == "auth":
                raise ProtocolError("already authenticated")
        except ProtocolError as exc:
            await self.send_json({"type": "error", "code": exc.code, "message": str(exc)})

    async def decode_json(self, text_data: str) -> Any:
        try:
            return await super().decode_json(text_data)
        except ValueError:
            return _Malformed()

    async def receive(
        self, text_data: str | None = None, bytes_data: bytes | None = None, **kwargs: Any
    ) -> None:
        if text_data is None:
            await self.send_json(
                {
                    "type": "error",
                    "code": "bad_request",
                    "message": "binary frames are not supported",
                }
            )
            return
        content = await self.decode_json(text_data)
        if isinstance(content, _Malformed):
            await self.send_json(
                {"type": "error", "code": "bad_request", "message": "frame is not valid JSON"}
            )
            return
        await self.receive_json(content, **kwargs)

    async def _handshake(self, message: dict[str, Any]) -> None:
        token = message.get("token")
        user = None
        if message["type"] == "auth" and isinstance(token, str) and registry.authenticate:
            user = await database_sync_to_async(registry.authenticate)(token)
        if user is None:
            await self.send_json(
                {
                    "type": "error",
                    "code": "unauthenticated",
                    "message": "authenticate first with a valid access token",
                }
            )
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        self.user = user
        if self._auth_timer is not None:
            self._auth_timer.cancel()
        await self.send_json({"type": "authenticated", "user": getattr(user, "username", None)})

    async def _subscribe(self, message: dict[str, Any]) -> None:
        request = parse_subscribe(message)
        topic = request.topic
        allowed = registry.authorize is not None and await registry.authorize(self.user, topic)
        if not allowed:
            raise ProtocolError(f"not allowed to subscribe to {topic.name}", code="forbidden")
        if topic.name not in self.topics:
            await self.channel_layer.group_add(topic.group, self.channel_name)
            self.topics[topic.name] = topic
        await self.send_json({"type": "subscribed", "topic": topic.name})
        if request.since_seq is not None and registry.replay is not None:
            for event in await registry.replay(self.user, topic, request.since_seq):
                await self.send_json(event)

    async def _unsubscribe(self, message: dict[str, Any]) -> None:
        topic = parse_topic(message.get("topic"))
        if self.topics.pop(topic.name, None) is not None:
            await self.channel_layer.group_discard(topic.group, self.channel_name)
        await self.send_json({"type": "unsubscribed", "topic": topic.name})

    async def stream_event(self, event: dict[str, Any]) -> None:
        """A published event (``realtime.publish``) for a topic this connection follows."""
        await self.send_json(event["event"])


class _Malformed:
    pass
