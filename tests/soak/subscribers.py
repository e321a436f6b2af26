"""The soak's WebSocket subscribers: many lean ``websockets`` clients in a few processes.

Each subscriber speaks the protocol of docs/api.md as a trading client would: it connects,
authenticates with a first ``auth`` frame, subscribes to its topics and records every signal
frame it gets (pair, seq, kind, and the delay from the frame's ``published_at`` to its
receipt). A ``resync`` on a pair topic is answered the documented way (subscribe again with
``since_seq``); on ``signals`` the missed ranges are recorded and count as lost (the soak
must not overflow any outbox).

The subscribers of one process are driven by the soak through a pipe (:func:`worker`):
``ready`` once all are subscribed, then ``progress``, ``complete`` (how many have not yet
received every expected seq) and ``verify`` (each stream against the stored signals).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import itertools
import json
import resource
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np

CONNECT_BATCH = 25  # connections opened at once per process
OPEN_TIMEOUT = 120.0  # a busy 2-core machine: the handshake can take long
KEEP_ERRORS = 20  # error messages kept per process (the count is always exact)


def parse_ts(text: str) -> float:
    """An API timestamp (``...Z``) as POSIX seconds."""
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


@dataclass
class Subscriber:
    """One connection and what it received per topic."""

    topics: list[str]
    got: dict[str, list[tuple[int, int, str]]] = field(default_factory=dict)  # (pair, seq, kind)
    latency_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    resyncs: int = 0
    missed: int = 0  # seqs a ``signals`` resync said were dropped
    subscribed: set[str] = field(default_factory=set)
    ready: asyncio.Event = field(default_factory=asyncio.Event)
    closing: bool = False
    pending: list[dict[str, Any]] = field(default_factory=list)  # frames to send next
    ws: Any = None
    task: asyncio.Task[None] | None = None

    def last_seq(self, topic: str, pair: int) -> int:
        for p, seq, _ in reversed(self.got.get(topic, ())):
            if p == pair:
                return seq
        return 0

    async def run(self, url: str, token: str) -> None:
        from websockets.asyncio.client import connect
        from websockets.exceptions import ConnectionClosed

        try:
            # No client pings: the server pings (uvicorn's default), the client answers.
            self.ws = await connect(
                url, max_queue=None, open_timeout=OPEN_TIMEOUT, ping_interval=None
            )
            await self.ws.send(json.dumps({"type": "auth", "token": token}))
            async for text in self.ws:
                self.handle(json.loads(text), time.time())
                if not self.ready.is_set() and self.subscribed >= set(self.topics):
                    self.ready.set()
                if self.pending:
                    frames, self.pending = self.pending, []
                    for frame in frames:
                        await self.ws.send(json.dumps(frame))
            if not self.closing:
                self.errors.append(f"closed by the server: {self.ws.close_code}")
        except ConnectionClosed as exc:
            if not self.closing:
                self.errors.append(f"connection lost: {exc!r}")
        except Exception as exc:
            self.errors.append(f"{type(exc).__name__}: {exc}")
        finally:
            self.ready.set()

    def handle(self, frame: dict[str, Any], now: float) -> None:
        kind = frame.get("type")
        if kind == "signal":
            data = frame.get("data") or {}
            topic = str(frame.get("topic"))
            self.got.setdefault(topic, []).append(
                (int(data.get("pair_id", 0)), int(frame["seq"]), str(data.get("kind")))
            )
            if "published_at" in frame:
                self.latency_ms.append((now - parse_ts(frame["published_at"])) * 1e3)
        elif kind == "authenticated":
            self.pending.extend({"type": "subscribe", "topic": t} for t in self.topics)
        elif kind == "subscribed":
            self.subscribed.add(str(frame.get("topic")))
        elif kind == "resync":
            self.resyncs += 1
            topic = str(frame.get("topic"))
            if topic.startswith("pair:"):
                pair = int(topic.split(":", 1)[1])
                since = frame.get("since_seq")
                since = self.last_seq(topic, pair) if since is None else int(since)
                self.pending.append({"type": "subscribe", "topic": topic, "since_seq": since})
            else:
                for first, last in (frame.get("missed") or {}).values():
                    self.missed += int(last) - int(first) + 1
        elif kind == "error":
            self.errors.append(f"error frame: {frame}")
        # pong, unsubscribed, task frames: nothing to record

    async def close(self) -> None:
        self.closing = True
        if self.ws is not None:
            with contextlib.suppress(Exception):
                await self.ws.close()
        if self.task is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.task, 10)


def check_stream(
    received: list[tuple[int, int, str]], expected: list[tuple[int, str]]
) -> dict[str, int]:
    """One stream (a pair topic, or one pair's part of ``signals``) against the stored signals
    ``expected`` ((seq, kind) in seq order): exactly once each, in order, same kind."""
    seqs = [seq for _, seq, _ in received]
    want = [seq for seq, _ in expected]
    counts = Counter(seqs)
    kinds = dict(expected)
    return {
        "expected": len(want),
        "received": len(seqs),
        "lost": len(set(want) - set(seqs)),
        "duplicated": sum(n - 1 for n in counts.values() if n > 1),
        "unexpected": len(set(seqs) - set(want)),
        "out_of_order": sum(1 for a, b in itertools.pairwise(seqs) if b <= a),
        "wrong_kind": sum(1 for _, seq, k in received if seq in kinds and kinds[seq] != k),
    }


def verify(subs: list[Subscriber], expected: dict[int, list[tuple[int, str]]]) -> dict[str, Any]:
    """Every subscriber's streams against ``expected`` (pair id -> stored (seq, kind))."""
    total: Counter[str] = Counter()
    streams = 0
    bad_subscribers = 0
    for sub in subs:
        bad = False
        for topic in sub.topics:
            rows = sub.got.get(topic, [])
            pairs = [int(topic.split(":", 1)[1])] if topic.startswith("pair:") else list(expected)
            for pair in pairs:
                part = [r for r in rows if r[0] == pair]
                result = check_stream(part, expected.get(pair, []))
                streams += 1
                total.update(result)
                if any(result[k] for k in result if k not in ("expected", "received")):
                    bad = True
            if not topic.startswith("pair:"):
                stray = [r for r in rows if r[0] not in expected]
                total["unexpected"] += len(stray)
                bad = bad or bool(stray)
        total["lost"] += sub.missed
        bad_subscribers += bad or bool(sub.missed)
    return {"streams": streams, "subscribers_with_problems": bad_subscribers, **total}


async def _main(url: str, token: str, topic_lists: list[list[str]], conn: Any) -> None:
    subs = [Subscriber(topics=list(t)) for t in topic_lists]
    for i in range(0, len(subs), CONNECT_BATCH):
        batch = subs[i : i + CONNECT_BATCH]
        for sub in batch:
            sub.task = asyncio.create_task(sub.run(url, token))
        await asyncio.gather(*(sub.ready.wait() for sub in batch))
    loop = asyncio.get_running_loop()
    conn.send({"ready": sum(1 for s in subs if not s.errors), "errors": _errors(subs)})
    while True:
        cmd, arg = await loop.run_in_executor(None, conn.recv)
        if cmd == "progress":
            conn.send(
                {
                    "received": sum(len(v) for s in subs for v in s.got.values()),
                    "open": sum(1 for s in subs if s.task is not None and not s.task.done()),
                    "errors": sum(len(s.errors) for s in subs),
                }
            )
        elif cmd == "complete":  # arg: pair -> highest stored seq
            conn.send(
                sum(
                    1
                    for s in subs
                    if any(
                        s.last_seq(t, p) < top
                        for t in s.topics
                        for p, top in arg.items()
                        if t == f"pair:{p}" or not t.startswith("pair:")
                    )
                )
            )
        elif cmd == "verify":
            report = verify(subs, arg)
            report["resyncs"] = sum(s.resyncs for s in subs)
            report["errors"] = _errors(subs)
            report["latency_ms"] = np.array(
                [v for s in subs for v in s.latency_ms], dtype=np.float64
            )
            conn.send(report)
        elif cmd == "close":
            await asyncio.gather(*(s.close() for s in subs))
            conn.send("closed")
            return


def _errors(subs: list[Subscriber]) -> dict[str, Any]:
    messages = [e for s in subs for e in s.errors]
    return {"count": len(messages), "first": messages[:KEEP_ERRORS]}


def worker(url: str, token: str, topic_lists: list[list[str]], conn: Any) -> None:
    """Process entry point (multiprocessing, spawn)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = min(hard, max(soft, 2 * len(topic_lists) + 256))
    resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
    asyncio.run(_main(url, token, topic_lists, conn))


class Subscribers:
    """``topic_lists`` (one list of topics per subscriber) spread over ``processes``."""

    def __init__(self, url: str, token: str, topic_lists: list[list[str]], processes: int) -> None:
        import multiprocessing as mp

        ctx = mp.get_context("spawn")
        self.conns: list[Any] = []
        self.procs: list[Any] = []
        for k in range(processes):
            share = topic_lists[k::processes]
            if not share:
                continue
            parent, child = ctx.Pipe()
            proc = ctx.Process(target=worker, args=(url, token, share, child), daemon=True)
            proc.start()
            self.conns.append(parent)
            self.procs.append(proc)

    def _ask(self, cmd: str, arg: Any = None) -> list[Any]:
        for c in self.conns:
            c.send((cmd, arg))
        return [c.recv() for c in self.conns]

    async def ready(self) -> dict[str, Any]:
        out = await asyncio.to_thread(lambda: [c.recv() for c in self.conns])
        return {
            "ready": sum(o["ready"] for o in out),
            "errors": sum(o["errors"]["count"] for o in out),
            "first_errors": [e for o in out for e in o["errors"]["first"]][:KEEP_ERRORS],
        }

    async def progress(self) -> dict[str, int]:
        out = await asyncio.to_thread(self._ask, "progress")
        return {k: sum(o[k] for o in out) for k in ("received", "open", "errors")}

    async def wait_complete(self, tops: dict[int, int], timeout: float) -> int:
        """Wait until every subscriber has every pair's highest stored seq; returns how many
        have not (0 when all are complete) when ``timeout`` runs out."""
        deadline = time.monotonic() + timeout
        while True:
            behind = sum(await asyncio.to_thread(self._ask, "complete", tops))
            if behind == 0 or time.monotonic() > deadline:
                return behind
            await asyncio.sleep(0.5)

    async def verify(self, expected: dict[int, list[tuple[int, str]]]) -> dict[str, Any]:
        out = await asyncio.to_thread(self._ask, "verify", expected)
        total: Counter[str] = Counter()
        for o in out:
            total.update({k: v for k, v in o.items() if isinstance(v, int)})
        total["errors"] = sum(o["errors"]["count"] for o in out)
        result: dict[str, Any] = dict(total)
        result["first_errors"] = [e for o in out for e in o["errors"]["first"]][:KEEP_ERRORS]
        result["latency_ms"] = np.concatenate([o["latency_ms"] for o in out])
        return result

    async def close(self) -> None:
        with contextlib.suppress(Exception):
            await asyncio.wait_for(asyncio.to_thread(self._ask, "close"), 60)
        for p in self.procs:
            p.join(10)
            if p.is_alive():
                p.kill()
