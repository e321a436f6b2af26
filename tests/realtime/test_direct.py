"""Direct frame writes: byte-exact frames, and the outbox only bypasses its queue when
nothing is ahead (order kept) and the connection takes the bytes at once."""

from __future__ import annotations

import asyncio

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
