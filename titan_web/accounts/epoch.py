"""The revocation epoch: a counter every process can read cheaply, bumped by every write that
can invalidate an authenticated user (logout, refresh reuse, a user saved or deleted).

- With ``REDIS_URL``: a Redis key (``<TITAN_CHANNEL_PREFIX>:auth:epoch``), ``INCR`` to bump,
  ``GET`` to read (an async client per event loop: no thread hop).
- Embedded: a file under ``var/`` (``auth-epoch``), replaced atomically under a lock file, so
  several processes on one machine share it too.

The bump happens after the database write is committed and before the request that made it
answers; a reader compares the epoch with the one its cache is synchronised to
(``authcache.py``, docs/decisions.md).
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import os
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings


class EpochStore(Protocol):
    async def aget(self) -> int: ...

    def bump(self) -> int: ...


class RedisEpoch:
    """The epoch in Redis. Concurrent readers on one event loop share a ``GET``: a reader
    joins the read that has not been sent yet, if there is one, else starts the next. A
    shared read is sent after every reader that joined it has arrived, so each still sees
    every bump made before it asked, and under load one ``GET`` serves the requests that
    arrived in the same turn of the loop instead of one each."""

    def __init__(self, url: str, key: str) -> None:
        self.url, self.key = url, key
        self._sync: Any = None
        self._clients: dict[asyncio.AbstractEventLoop, Any] = {}
        self._unsent: dict[asyncio.AbstractEventLoop, asyncio.Future[int]] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self.reads = 0  # GETs sent (tests)

    def _client(self, loop: asyncio.AbstractEventLoop) -> Any:
        client = self._clients.get(loop)
        if client is None:
            import redis.asyncio

            for old in [k for k in self._clients if k.is_closed()]:
                del self._clients[old]
                self._unsent.pop(old, None)
            client = redis.asyncio.Redis.from_url(self.url, socket_connect_timeout=2)
            self._clients[loop] = client
        return client

    async def aget(self) -> int:
        loop = asyncio.get_running_loop()
        future = self._unsent.get(loop)
        if future is None:
            future = self._unsent[loop] = loop.create_future()
            task = loop.create_task(self._read(loop, future))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        # shield: a reader that is cancelled must not cancel the read the others wait for
        return await asyncio.shield(future)

    async def _read(self, loop: asyncio.AbstractEventLoop, future: asyncio.Future[int]) -> None:
        if self._unsent.get(loop) is future:
            del self._unsent[loop]  # from here on, a new reader starts the next read
        try:
            self.reads += 1
            value = await self._client(loop).get(self.key)
        except asyncio.CancelledError:
            future.cancel()  # the loop is closing
            raise
        except Exception as exc:
            if not future.done():
                future.set_exception(exc)
        else:
            if not future.done():
                future.set_result(int(value or 0))

    def bump(self) -> int:
        if self._sync is None:
            import redis

            self._sync = redis.Redis.from_url(self.url, socket_connect_timeout=2)
        return int(self._sync.incr(self.key))


class FileEpoch:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.lock = path.with_name(path.name + ".lock")

    def _read(self) -> int:
        try:
            return int(self.path.read_bytes() or b"0")
        except FileNotFoundError:
            return 0

    async def aget(self) -> int:
        # A few microseconds (the page cache): not worth a thread.
        return self._read()

    def bump(self) -> int:
        with self.lock.open("ab") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                value = self._read() + 1
                tmp = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
                tmp.write_bytes(str(value).encode())
                os.replace(tmp, self.path)
                return value
            finally:
                with contextlib.suppress(OSError):
                    fcntl.flock(lock, fcntl.LOCK_UN)


_store: EpochStore | None = None


def store() -> EpochStore:
    global _store
    if _store is None:
        redis_url = getattr(settings, "REDIS_URL", "")
        if redis_url:
            layers: dict[str, Any] = settings.CHANNEL_LAYERS
            prefix = str(layers["default"]["CONFIG"].get("prefix", "titan"))
            _store = RedisEpoch(redis_url, f"{prefix}:auth:epoch")
        else:
            _store = FileEpoch(Path(settings.VAR_DIR) / "auth-epoch")
    return _store
