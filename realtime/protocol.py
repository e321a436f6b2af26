"""Parsing and validating client frames of the ``/ws/stream/`` protocol (docs/api.md)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from realtime.hooks import Topic

CLOSE_UNAUTHENTICATED = 4401
TOPIC_RE = re.compile(r"^(?:(?P<kind>pair|task):(?P<key>[0-9A-Za-z-]{1,64})|(?P<signals>signals))$")
CLIENT_TYPES = {"auth", "subscribe", "unsubscribe", "ping", "pong"}


class ProtocolError(ValueError):
    """A malformed client frame: answered with an error frame, the connection stays."""

    def __init__(self, message: str, *, code: str = "bad_request") -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Subscribe:
    topic: Topic
    since_seq: int | None


def parse_topic(raw: Any) -> Topic:
    if not isinstance(raw, str):
        raise ProtocolError("topic must be a string like 'pair:7', 'task:<id>' or 'signals'")
    match = TOPIC_RE.match(raw)
    if match is None:
        raise ProtocolError(
            f"unknown topic {raw[:80]!r}; expected 'pair:<id>', 'task:<id>' or 'signals'"
        )
    if match.group("signals"):
        return Topic("signals", "")
    return Topic(match.group("kind"), match.group("key"))


def parse_message(content: Any) -> dict[str, Any]:
    if not isinstance(content, dict):
        raise ProtocolError("a frame must be a JSON object")
    kind = content.get("type")
    if kind not in CLIENT_TYPES:
        raise ProtocolError(f"unknown message type {str(kind)[:40]!r}")
    return content


def parse_subscribe(content: dict[str, Any]) -> Subscribe:
    topic = parse_topic(content.get("topic"))
    since = content.get("since_seq")
    if since is not None and (not isinstance(since, int) or isinstance(since, bool) or since < 0):
        raise ProtocolError("since_seq must be a non-negative integer")
    return Subscribe(topic, since)
