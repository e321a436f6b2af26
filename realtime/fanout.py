"""Per-process fan-out: one channel-layer subscription per topic, local delivery to sockets.

Stock Channels gives every WebSocket connection its own layer channel and sends one layer
message per subscriber (``group_send`` to a group of N channels costs N writes to Redis and N
decodes). Here each process holds ONE channel (:attr:`Hub.channel`, the layer's default prefix:
channels-redis serves every process-specific channel from one list per prefix behind one
receive lock, so a channel with another prefix would starve the other receives) and adds it
once to each group that at least one local connection follows (reference-counted). The hub
encodes each published event (:func:`realtime.publish.publish`) to JSON once and hands that
same text to every local subscriber's :class:`Outbox`.

Slow consumers: each connection has a bounded outbox (``WS_OUTBOX_SIZE``, default 1,000
frames). When an event does not fit, the connection is not blocked and nothing is lost
silently: the subscription is marked *overflowed*, further events of that topic are dropped
for this connection, and once the outbox has drained the client receives
``{"type": "resync", "topic", "since_seq"}`` (the last seq it was sent) and is unsubscribed
from that topic; it resubscribes with ``since_seq`` and gets what it missed from the
database. For the ``signals`` topic (per-pair seqs) the frame carries ``missed``: per pair,
the first and last seq that were dropped; the subscription stays and delivery resumes
right after the frame, so the client fetches exactly those ranges (``GET /api/signals/``).

A failing layer (Redis stopped or restarted): events published meanwhile never arrive, and a
restarted Redis has forgotten every group membership. So on the first failed receive every
local subscription gets ``{"type": "resync", "topic", "since_seq", "reason":
"stream_unavailable"}`` (``since_seq``: the last seq it was sent, null for ``signals`` and
``task:`` topics) and is dropped; the client resubscribes (an ``unavailable`` error while the
layer is still down: retry) with ``since_seq`` and gets what it missed from the database, as
after an overflow. The hub retries its receive with backoff and re-joins its control groups
(:meth:`Hub.listen`) until a ``group_add`` succeeds again.

A publish that failed (:func:`realtime.publish.publish`, retried once first) lost one event
of one group: the publishing process's subscribers of that group get the same resync frame
at once (:meth:`Hub.resync_group`), and every other process's when the ``stream.resync``
notice the publisher sends once the layer works again reaches its hub. A live event with a
seq that is the very one a subscription was sent last (a retried send that had reached Redis
after all) is dropped: no duplicate.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from channels.layers import get_channel_layer

from realtime.direct import DirectWriter, text_frame

logger = logging.getLogger("titan.realtime")

REJOIN_EVERY = 600.0  # seconds between two group_add of a joined group (group expiry)


@dataclass
class FrameStats:
    """Frames this process handed to connections: written directly or queued to a writer."""

    direct: int = 0
    queued: int = 0


frame_stats = FrameStats()


def encode(frame: dict[str, Any]) -> str:
    """A server frame as compact JSON text (the one encoding per event)."""
    return json.dumps(frame, separators=(",", ":"), allow_nan=False)


class Outbox:
    """A bounded queue of text frames for one connection, drained by one writer task."""

    def __init__(self, send: Callable[[str], Awaitable[None]], maxsize: int) -> None:
        self._send = send
        self.maxsize = maxsize
        self._items: deque[str] = deque()
        self._wake = asyncio.Event()
        self._writer: asyncio.Task[None] | None = None
        self._after_drain: list[Callable[[], str | None]] = []
        self._sending = False  # the writer task is inside ``_send``
        self.direct: DirectWriter | None = None  # see realtime/direct.py
        self.sent = 0
        self.sent_direct = 0

    def start(self) -> None:
        if self._writer is None:
            self._writer = asyncio.create_task(self._run())

    async def stop(self) -> None:
        if self._writer is not None:
            self._writer.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._writer
            self._writer = None
        self._items.clear()

    def __len__(self) -> int:
        return len(self._items)

    def full(self) -> bool:
        return len(self._items) >= self.maxsize

    def push(self, text: str, *, force: bool = False, frame: bytes | None = None) -> bool:
        """Send ``text`` now when the connection takes it directly and nothing is ahead of it;
        else queue it. False (nothing queued) when full, unless ``force``. ``frame``: the
        text already framed (:func:`~realtime.direct.text_frame`), shared by subscribers."""
        nothing_ahead = not (self._items or self._sending or self._after_drain)
        if nothing_ahead and self.direct is not None:
            if frame is None:
                frame = text_frame(text.encode())
            if self.direct.write(frame):
                self.sent += 1
                self.sent_direct += 1
                frame_stats.direct += 1
                return True
        if not force and len(self._items) >= self.maxsize:
            return False
        frame_stats.queued += 1
        self._items.append(text)
        self._wake.set()
        return True

    def after_drain(self, make_frame: Callable[[], str | None]) -> None:
        """Send ``make_frame()`` (if not None) once the frames queued so far are sent."""
        self._after_drain.append(make_frame)
        self._wake.set()

    async def _run(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            while self._items:
                text = self._items.popleft()
                self._sending = True
                try:
                    await self._send(text)
                finally:
                    self._sending = False
                self.sent += 1
            while self._after_drain and not self._items:
                frame = self._after_drain.pop(0)()
                if frame is not None:
                    self._sending = True
                    try:
                        await self._send(frame)
                    finally:
                        self._sending = False


@dataclass(eq=False)
class Subscription:
    """One connection's subscription to one topic, as the hub sees it."""

    topic: str  # the name the client used ("pair:7", "signals")
    group: str
    outbox: Outbox
    per_pair: bool = False  # ``signals``: seqs are per pair, resync lists missed ranges
    on_overflow: Callable[[Subscription], None] | None = None
    buffering: bool = False  # replay in progress: hold live events in ``buffer``
    buffer: list[tuple[int | None, str, Any]] = field(default_factory=list)
    buffer_limit: int = 10_000
    last_seq: int | None = None  # last seq queued to the client (pair topics)
    last_text: str | None = None  # the last live event queued (a duplicate is dropped)
    overflowed: bool = False
    missed: dict[str, list[int]] = field(default_factory=dict)  # signals: pair -> [first, last]
    active: bool = True

    def deliver(self, seq: int | None, text: str, pair: Any, frame: bytes | None = None) -> None:
        if not self.active:
            return
        if self.buffering:
            if len(self.buffer) >= self.buffer_limit:
                self._overflow(seq, pair)
            else:
                self.buffer.append((seq, text, pair))
            return
        if self.overflowed and not self.per_pair:
            return  # waiting for the client to resubscribe with since_seq
        if seq is not None and text == self.last_text:
            return  # the event just sent, again (a retried publish that had reached Redis)
        if self.overflowed and self.per_pair:
            self._record_missed(seq, pair)
            return
        if self.outbox.push(text, frame=frame):
            self.last_text = text
            if seq is not None:
                self.last_seq = seq
        else:
            self._overflow(seq, pair)

    def flush_buffer(self, after_seq: int | None) -> None:
        """End of replay: queue the held events newer than ``after_seq``, go live."""
        held, self.buffer = self.buffer, []
        self.buffering = False
        for seq, text, pair in held:
            if after_seq is not None and seq is not None and seq <= after_seq:
                continue
            self.deliver(seq, text, pair)

    def _record_missed(self, seq: int | None, pair: Any) -> None:
        if seq is None or pair is None:
            return
        rng = self.missed.setdefault(str(pair), [seq, seq])
        rng[0], rng[1] = min(rng[0], seq), max(rng[1], seq)

    def _overflow(self, seq: int | None, pair: Any) -> None:
        first = not self.overflowed
        self.overflowed = True
        self.buffering = False
        self.buffer = []
        if self.per_pair:
            self._record_missed(seq, pair)
        if first:
            self.outbox.after_drain(self._resync_frame)
            if self.on_overflow is not None:
                self.on_overflow(self)

    def _resync_frame(self) -> str | None:
        if not self.overflowed:
            return None
        if self.per_pair:
            frame: dict[str, Any] = {
                "type": "resync",
                "topic": self.topic,
                "reason": "slow_consumer",
                "missed": self.missed,
            }
            self.overflowed, self.missed = False, {}
            return encode(frame)
        self.active = False
        return encode(
            {
                "type": "resync",
                "topic": self.topic,
                "since_seq": self.last_seq,
                "reason": "slow_consumer",
            }
        )


class Hub:
    """The process's single layer channel and the local subscribers of each group."""

    def __init__(self) -> None:
        self.channel: str | None = None
        self._groups: dict[str, set[Subscription]] = {}
        self._joined: dict[str, float] = {}
        self._joining: dict[str, asyncio.Future[None]] = {}
        self._reader: asyncio.Task[None] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._lock: asyncio.Lock | None = None
        self.received = 0
        # Control groups: every message of the group goes to one callback (not to sockets).
        self.listeners: dict[str, Callable[[dict[str, Any]], None]] = {}

    async def _ensure_channel(self) -> Any:
        layer = get_channel_layer()
        if layer is None:
            raise RuntimeError("no channel layer configured")
        loop = asyncio.get_running_loop()
        if self._loop is not loop:  # a new event loop (tests): start afresh
            self._loop, self.channel, self._reader = loop, None, None
            self._groups, self._joined, self._joining = {}, {}, {}
            self._lock = asyncio.Lock()
        assert self._lock is not None
        async with self._lock:
            if self.channel is None:
                self.channel = await layer.new_channel()
            if self._reader is None or self._reader.done():
                self._reader = asyncio.create_task(self._read_loop())
        return layer

    async def add(self, sub: Subscription) -> None:
        """Register ``sub`` locally, then make sure this process's channel is in its group.

        Local registration comes first, so an event published after this returns is
        delivered to ``sub`` (events of a group the process already follows reach it at once).
        """
        layer = await self._ensure_channel()
        subs = self._groups.setdefault(sub.group, set())
        subs.add(sub)
        if sub.group in self._joined:
            return
        pending = self._joining.get(sub.group)
        if pending is not None:
            await asyncio.shield(pending)
            return
        fut: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._joining[sub.group] = fut
        try:
            await layer.group_add(sub.group, self.channel)
            self._joined[sub.group] = time.monotonic()
            fut.set_result(None)
        except BaseException as exc:
            fut.set_exception(exc)
            fut.exception()  # retrieved: no "never retrieved" warning
            subs.discard(sub)
            raise
        finally:
            self._joining.pop(sub.group, None)

    async def listen(self, group: str, callback: Callable[[dict[str, Any]], None]) -> None:
        """Follow ``group`` for good (re-joined like the others), handing each of its
        messages to ``callback`` (the web layer's auth events: a process joins at start-up)."""
        layer = await self._ensure_channel()
        self.listeners[group] = callback
        await layer.group_add(group, self.channel)
        self._joined[group] = time.monotonic()

    async def remove(self, sub: Subscription) -> None:
        sub.active = False
        subs = self._groups.get(sub.group)
        if subs is None:
            return
        subs.discard(sub)
        if subs:
            return
        del self._groups[sub.group]
        if self._joined.pop(sub.group, None) is not None:
            layer = get_channel_layer()
            if layer is not None and self.channel is not None:
                with contextlib.suppress(Exception):
                    await layer.group_discard(sub.group, self.channel)

    def subscribers(self, group: str) -> int:
        return len(self._groups.get(group, ()))

    def dispatch(self, message: dict[str, Any]) -> None:
        """Hand one layer message to every local subscriber of its group."""
        self.received += 1
        subs = self._groups.get(message.get("group", ""))
        if not subs:
            return
        text = encode(message["event"])  # once per event and process
        frame = text_frame(text.encode())  # the same bytes for every direct writer
        seq, pair = message.get("seq"), message.get("pair")
        for sub in tuple(subs):
            try:
                sub.deliver(seq, text, pair, frame)
            except Exception:  # one connection's failure must not cost the others the event
                logger.exception("fan-out delivery to one subscriber of %s failed", sub.group)

    def _layer_lost(self) -> None:
        """The layer failed: tell every local subscriber to resync, and forget the groups
        (a restarted Redis has forgotten their memberships too)."""
        groups, self._groups = self._groups, {}
        for group in groups:
            self._joined.pop(group, None)
        told = sum(self._tell_resync(subs) for subs in groups.values())
        if told:
            logger.warning("channel layer lost: %d subscription(s) told to resync", told)

    def resync_group(self, group: str) -> int:
        """An event of ``group`` was lost (a failed publish): tell its local subscribers to
        resync and drop them; forget the membership (it may be gone with a restarted Redis:
        the next subscriber joins afresh). Returns how many were told."""
        subs = self._groups.pop(group, set())
        self._joined.pop(group, None)
        told = self._tell_resync(subs)
        if told:
            logger.warning("an event of %s was lost: %d subscription(s) resync", group, told)
        return told

    def _tell_resync(self, subs: set[Subscription]) -> int:
        told = 0
        for sub in subs:
            if not sub.active:
                continue
            sub.active = False
            frame = {
                "type": "resync",
                "topic": sub.topic,
                "since_seq": None if sub.per_pair else sub.last_seq,
                "reason": "stream_unavailable",
            }
            try:
                sub.outbox.push(encode(frame), force=True)
                told += 1
            except Exception:
                logger.exception("telling a subscriber of %s to resync failed", sub.group)
        return told

    async def _rejoin_listeners(self, layer: Any) -> bool:
        """Re-join the control groups after a failure; False while the layer still fails."""
        try:
            for group in list(self.listeners):
                await layer.group_add(group, self.channel)
                self._joined[group] = time.monotonic()
        except Exception:
            return False
        logger.warning("channel layer back: control groups re-joined")
        return True

    async def _read_loop(self) -> None:
        layer = get_channel_layer()
        assert layer is not None and self.channel is not None
        backoff = 0.2
        lost = False
        while True:
            if lost:
                if not await self._rejoin_listeners(layer):
                    await asyncio.sleep(backoff)
                    backoff = min(backoff * 2, 5.0)
                    continue
                lost, backoff = False, 0.2
            try:
                message = await asyncio.wait_for(layer.receive(self.channel), REJOIN_EVERY / 2)
            except TimeoutError:
                await self._rejoin(layer)
                continue
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                if not lost:
                    logger.warning("fan-out channel failed (%r); resyncing subscribers", exc)
                    self._layer_lost()
                lost = True
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 5.0)
                continue
            listener = self.listeners.get(message.get("group", ""))
            if listener is not None:
                try:
                    listener(message)
                except Exception:
                    logger.exception("listener of %s failed", message.get("group"))
            elif message.get("type") == "stream.resync":
                # Another process lost an event of this group (its own subscribers know).
                if message.get("origin") != self.channel:
                    self.resync_group(str(message.get("group", "")))
            elif message.get("type") == "stream.event":
                try:
                    self.dispatch(message)
                except Exception:
                    logger.exception("fan-out dispatch failed")
            if self._joined and time.monotonic() - min(self._joined.values()) > REJOIN_EVERY:
                await self._rejoin(layer)

    async def _rejoin(self, layer: Any, *, force: bool = False) -> None:
        now = time.monotonic()
        for group, joined in list(self._joined.items()):
            if force or now - joined > REJOIN_EVERY:
                with contextlib.suppress(Exception):
                    await layer.group_add(group, self.channel)
                    self._joined[group] = now


hub = Hub()
