"""Writing an already framed event straight to a connection's socket.

A server-to-client WebSocket frame is not masked (RFC 6455, section 5.1), so without a
per-connection compression context the frame of an event is the same bytes for every
subscriber: the hub frames each event once (:func:`text_frame`) and each connection's
:class:`DirectWriter` hands those bytes to its transport. That skips, per subscriber, the
writer task's wake-up, the ASGI ``send`` chain and the framing in Python that the ordinary
path costs (``tests/benchmarks/fanout.py`` measures both).

It applies only where it is provably equivalent to the ASGI ``send``: uvicorn's
``websockets-sansio`` protocol (found through the bound ``send`` it passes), an open
connection with no extension negotiated (permessage-deflate compresses per connection),
and a transport that is not paused and holds less than :data:`MAX_BUFFERED` bytes. Anything
else (another server, a compressed connection, a slow reader) takes the ordinary path, which
keeps the bounded outbox and its resync semantics.

It reads private attributes of uvicorn's protocol (``pyproject.toml`` bounds uvicorn to the
release this is tested with). Should one of them change, the first write that fails switches
the direct path off for the whole process (:data:`state`) and answers False: that frame and
every later one go through the ordinary ASGI path, in order, and nothing is lost.
"""

from __future__ import annotations

import logging
import struct
from dataclasses import dataclass
from typing import Any

from websockets.protocol import State

logger = logging.getLogger("titan.realtime")

MAX_BUFFERED = 256 * 1024  # bytes waiting in the transport before we stop writing directly

_OPEN = State.OPEN


@dataclass
class DirectState:
    """Whether this process still writes frames directly, and why it stopped."""

    enabled: bool = True
    failure: str | None = None

    def disable(self, exc: BaseException) -> None:
        if self.enabled:
            self.enabled = False
            self.failure = f"{type(exc).__name__}: {exc}"
            logger.error(
                "direct WebSocket writes failed (%s); using the ASGI send path from now on",
                self.failure,
            )


state = DirectState()


def text_frame(payload: bytes) -> bytes:
    """One unmasked, final WebSocket text frame carrying ``payload`` (UTF-8 text)."""
    n = len(payload)
    if n < 126:
        return bytes((0x81, n)) + payload
    if n < 1 << 16:
        return struct.pack("!BBH", 0x81, 126, n) + payload
    return struct.pack("!BBQ", 0x81, 127, n) + payload


class DirectWriter:
    """Writes pre-framed text frames to one uvicorn ``websockets-sansio`` connection."""

    __slots__ = ("_proto",)

    def __init__(self, proto: Any) -> None:
        self._proto = proto

    @classmethod
    def for_send(cls, send: Any) -> DirectWriter | None:
        """A writer for the connection behind the ASGI ``send`` callable, or None when it is
        not an open, uncompressed uvicorn ``websockets-sansio`` connection."""
        if not state.enabled:
            return None
        proto: Any = getattr(send, "__self__", None)
        if proto is None or type(proto).__name__ != "WebSocketsSansIOProtocol":
            return None
        conn = getattr(proto, "conn", None)
        try:
            if conn is None or getattr(conn, "extensions", None) or not proto.handshake_complete:
                return None
        except Exception as exc:  # an attribute of uvicorn's protocol is gone
            state.disable(exc)
            return None
        return cls(proto)

    def write(self, frame: bytes) -> bool:
        """Write ``frame`` now, or answer False (nothing written) if the connection is not in
        a state where the ASGI path would write it at once. The first failure switches the
        direct path off for the process (the caller then sends the frame the ordinary way)."""
        if not state.enabled:
            return False
        p = self._proto
        try:
            if p.close_sent or p.disconnected or not p.writable.is_set():
                return False
            transport = p.transport
            if transport.is_closing() or transport.get_write_buffer_size() > MAX_BUFFERED:
                return False
            if p.conn.state is not _OPEN:
                return False
            transport.write(frame)
        except Exception as exc:
            state.disable(exc)
            return False
        return True
