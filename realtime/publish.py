"""Publishing events to a topic's group on the channel layer."""

from __future__ import annotations

from typing import Any

from channels.layers import get_channel_layer

from realtime.protocol import parse_topic


async def publish(topic: str, event: dict[str, Any]) -> None:
    """Send ``event`` (a complete server frame, with ``type`` and ``topic``) to subscribers."""
    layer = get_channel_layer()
    if layer is None:
        return
    await layer.group_send(parse_topic(topic).group, {"type": "stream.event", "event": event})
