"""Direct frame writes: byte-exact frames, and the outbox only bypasses its queue when
nothing is ahead (order kept) and the connection takes the bytes at once."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from websockets.frames import Frame, Opcode

from realtime.direct import DirectWriter, text_frame
from realtime.fanout import Outbox


@pytest.mark.parametrize("size", [0, 1, 125, 126, 65_535, 65_536, 70_000])
def test_text_frame_is_what_websockets_writes(size: int) -> None:
    payload = ("x" * size).encode()
    reference = Frame(Opcode.TEXT, payload).serialize(mask=False, extensions=[])
    assert text_frame(payload) == reference


def test_no_direct_writer_for_other_servers() -> None:
    async def plain_send(message: object) -> None:
        return None

    assert DirectWriter.for_send(plain_send) is None
    assert DirectWriter.for_send(object()) is None


class FakeDirect:
    def __init__(self) -> None:
        self.frames: list[bytes] = []
        self.accepting = True

    def write(self, frame: bytes) -> bool:
        if self.accepting:
            self.frames.append(frame)
        return self.accepting


async def test_outbox_writes_directly_only_with_nothing_queued() -> None:
    sent: list[str] = []
    release = asyncio.Event()

    async def slow_send(text: str) -> None:
        await release.wait()
        sent.append(text)

    outbox = Outbox(slow_send, maxsize=10)
    direct = FakeDirect()
    outbox.direct = direct  # type: ignore[assignment]
    outbox.start()
    assert outbox.push("a") and direct.frames == [text_frame(b"a")]
    direct.accepting = False  # e.g. the transport is paused: queue instead
    assert outbox.push("b")
    await asyncio.sleep(0.01)  # the writer task is now inside send("b")
    direct.accepting = True
    assert outbox.push("c")  # "b" is being sent: "c" must queue behind it
    assert direct.frames == [text_frame(b"a")]
    release.set()
    for _ in range(100):
        await asyncio.sleep(0.005)
        if sent == ["b", "c"]:
            break
    assert sent == ["b", "c"]
    assert outbox.push("d", frame=b"framed d") and direct.frames[-1] == b"framed d"
    assert (outbox.sent, outbox.sent_direct) == (4, 2)
    await outbox.stop()


class FakeTransport:
    """A transport whose ``write`` raises once ``fail_at`` frames have been written, the way a
    renamed or changed private attribute of a uvicorn release would fail the direct path."""

    def __init__(self, log: list[str], fail_at: int | None = None) -> None:
        self.log, self.fail_at, self.writes = log, fail_at, 0

    def is_closing(self) -> bool:
        return False

    def get_write_buffer_size(self) -> int:
        return 0

    def write(self, frame: bytes) -> None:
        if self.fail_at is not None and self.writes >= self.fail_at:
            raise AttributeError("'WebSocketsSansIOProtocol' object has no attribute 'conn'")
        self.writes += 1
        self.log.append(Frame.parse_frame_bytes(frame))


class WebSocketsSansIOProtocol:
    """What DirectWriter reads of uvicorn's protocol of that name."""

    close_sent = False
    disconnected = False
    handshake_complete = True

    def __init__(self, transport: FakeTransport) -> None:
        from websockets.protocol import State

        self.transport = transport
        self.writable = asyncio.Event()
        self.writable.set()
        self.conn = type("Conn", (), {"state": State.OPEN, "extensions": []})()

    async def send(self, message: object) -> None:
        raise AssertionError("the test's outboxes send through their own callables")


def _parse(frame: bytes) -> str:
    # A server frame: FIN+text, then the 7/16/64-bit length, then the payload.
    n = frame[1] & 0x7F
    start = 2 if n < 126 else 4 if n == 126 else 10
    return frame[start:].decode()


Frame.parse_frame_bytes = staticmethod(_parse)  # type: ignore[attr-defined]


@pytest.fixture
def direct_state() -> Iterator[None]:
    from realtime import direct

    yield
    direct.state.enabled, direct.state.failure = True, None  # the next test starts enabled


async def test_a_transport_that_raises_mid_broadcast_loses_no_event(direct_state: None) -> None:
    import json

    from realtime import direct
    from realtime.fanout import Hub, Subscription

    hub = Hub()
    logs: list[list[str]] = [[] for _ in range(4)]
    outboxes = []
    for i, log in enumerate(logs):

        async def send(text: str, log: list[str] = log) -> None:
            log.append(text)

        outbox = Outbox(send, maxsize=100)
        # Subscriber 1's transport fails on the third event, in the middle of the broadcast.
        proto = WebSocketsSansIOProtocol(FakeTransport(log, 2 if i == 1 else None))
        outbox.direct = DirectWriter.for_send(proto.send)
        assert outbox.direct is not None
        outbox.start()
        outboxes.append(outbox)
        hub._groups.setdefault("pair.7", set()).add(Subscription("pair:7", "pair.7", outbox))
    events = [{"type": "signal", "seq": s} for s in range(1, 7)]
    for event in events:
        hub.dispatch({"type": "stream.event", "group": "pair.7", "event": event, "seq": 1})
    for _ in range(200):
        await asyncio.sleep(0.005)
        if all(len(log) == len(events) for log in logs):
            break
    expected = [e["seq"] for e in events]
    for log in logs:
        assert [json.loads(text)["seq"] for text in log] == expected
    assert direct.state.enabled is False and "AttributeError" in (direct.state.failure or "")
    # Off for new connections too.
    assert DirectWriter.for_send(WebSocketsSansIOProtocol(FakeTransport([])).send) is None
    for outbox in outboxes:
        await outbox.stop()
