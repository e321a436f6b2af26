"""Open authenticated connections by session key (the token's refresh family) and user, so
that a revocation closes them (code 4401) at once.

The web layer calls :func:`close` when it applies a revocation (``auth.revoke``) or a
deactivation (``auth.user_changed`` with ``active`` false), in this process, whether the
event was made here or came over the channel layer; it may call it from any thread.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import Awaitable
from typing import Any, Protocol

logger = logging.getLogger("titan.realtime")


class Revocable(Protocol):
    def revoked(self) -> Awaitable[None]: ...


_by_key: dict[str, weakref.WeakSet[Any]] = {}
_by_user: dict[Any, weakref.WeakSet[Any]] = {}
_loop: asyncio.AbstractEventLoop | None = None


def add(conn: Revocable, *, key: str | None, user_id: Any) -> None:
    global _loop
    _loop = asyncio.get_running_loop()
    if key:
        _by_key.setdefault(key, weakref.WeakSet()).add(conn)
    _by_user.setdefault(user_id, weakref.WeakSet()).add(conn)


def discard(conn: Revocable, *, key: str | None, user_id: Any) -> None:
    indexes: tuple[tuple[dict[Any, weakref.WeakSet[Any]], Any], ...] = (
        (_by_key, key),
        (_by_user, user_id),
    )
    for index, name in indexes:
        conns = index.get(name)
        if conns is not None:
            conns.discard(conn)
            if not conns:
                index.pop(name, None)


def count() -> int:
    return sum(len(v) for v in _by_user.values())


def close(*, family: str | None = None, user_id: Any = None) -> None:
    """Close the connections of session ``family`` and/or of user ``user_id`` (any thread)."""
    targets: set[Any] = set()
    if family:
        targets.update(_by_key.get(family, ()))
    if user_id is not None:
        targets.update(_by_user.get(user_id, ()))
    if not targets or _loop is None or _loop.is_closed():
        return
    loop = _loop

    def schedule() -> None:
        for conn in targets:
            task = loop.create_task(conn.revoked())
            task.add_done_callback(_log_failure)

    try:
        running = asyncio.get_running_loop()
    except RuntimeError:
        running = None
    if running is loop:
        schedule()
    else:
        loop.call_soon_threadsafe(schedule)


def _log_failure(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        logger.error("closing a revoked connection failed", exc_info=task.exception())
