"""A lean keep-alive HTTP/1.1 load generator shared by the benchmarks (loop_lag.py, http.py).

The load generator shares the machine with the server, so it must cost little per request:
httpx's connection pool alone added up to ~70 ms at p99 with 32 concurrent clients here (same
server, same load: this client p99 3.6 ms, httpx p99 76 ms).
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import time
from typing import Any


def percentile(values: list[float], q: float) -> float:
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(1, math.ceil(q / 100 * len(ordered))) - 1]


class KeepAliveClient:
    """A minimal HTTP/1.1 keep-alive client on asyncio streams (GET, or a body with POST)."""

    def __init__(self, host: str, port: int, headers: dict[str, str] | None = None) -> None:
        self.host, self.port = host, port
        self.set_headers(headers)
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.last_body = b""

    def set_headers(self, headers: dict[str, str] | None) -> None:
        """The extra header fields of every later request (a refreshed token, say)."""
        extra = "".join(f"{k}: {v}\r\n" for k, v in (headers or {}).items())
        self._head = f"Host: {self.host}\r\n{extra}"

    async def request(self, method: str, path: str, body: bytes | None = None) -> int:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        head = f"{method} {path} HTTP/1.1\r\n{self._head}"
        if body is not None:
            head += f"content-type: application/json\r\ncontent-length: {len(body)}\r\n"
        self.writer.write((head + "\r\n").encode() + (body or b""))
        raw = await self.reader.readuntil(b"\r\n\r\n")
        lines = raw.split(b"\r\n")
        status = int(lines[0].split()[1])
        fields = {
            k.strip().lower(): v.strip()
            for k, _, v in (line.partition(b":") for line in lines[1:] if line)
        }
        if b"content-length" in fields:
            self.last_body = await self.reader.readexactly(int(fields[b"content-length"]))
        else:  # chunked
            parts = []
            while size := int((await self.reader.readuntil(b"\r\n")).strip(), 16):
                parts.append((await self.reader.readexactly(size + 2))[:-2])
            await self.reader.readuntil(b"\r\n")
            self.last_body = b"".join(parts)
        return status

    async def get(self, path: str) -> int:
        return await self.request("GET", path)

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(Exception):
                await self.writer.wait_closed()
            self.reader = self.writer = None


async def closed_loop(
    host: str,
    port: int,
    path: str,
    *,
    connections: int,
    seconds: float,
    headers: dict[str, str] | None = None,
    max_requests: int = 1_000_000,
    warmup: int = 2,
) -> dict[str, Any]:
    """``connections`` keep-alive clients each sending GET ``path`` back to back for
    ``seconds`` (bounded by ``max_requests``). Each client first sends ``warmup`` untimed
    requests (opening its connection). Returns requests/s, latency percentiles (ms) and the
    count of non-200 answers."""
    latencies: list[float] = []
    errors = 0
    clients = [KeepAliveClient(host, port, headers) for _ in range(connections)]

    async def warm(client: KeepAliveClient) -> None:
        for _ in range(warmup):
            await client.get(path)

    await asyncio.gather(*(warm(c) for c in clients))
    deadline = time.perf_counter() + seconds

    async def run(client: KeepAliveClient) -> None:
        nonlocal errors
        while time.perf_counter() < deadline and len(latencies) + errors < max_requests:
            start = time.perf_counter()
            try:
                ok = await client.get(path) == 200
            except (OSError, ValueError, asyncio.IncompleteReadError):
                ok = False
                await client.close()
            if ok:
                latencies.append(time.perf_counter() - start)
            else:
                errors += 1

    started = time.perf_counter()
    try:
        await asyncio.gather(*(run(c) for c in clients))
    finally:
        elapsed = time.perf_counter() - started
        await asyncio.gather(*(c.close() for c in clients))
    ms = [v * 1e3 for v in latencies]
    return {
        "requests": len(latencies),
        "errors": errors,
        "rps": round(len(latencies) / elapsed, 1) if elapsed > 0 else 0.0,
        "p50_ms": round(percentile(ms, 50), 2),
        "p99_ms": round(percentile(ms, 99), 2),
        "max_ms": round(max(ms), 2) if ms else math.nan,
    }
