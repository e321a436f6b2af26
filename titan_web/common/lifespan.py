"""Start-up and shutdown hooks run by the ASGI lifespan protocol (uvicorn sends it).

Apps register coroutines with :func:`on_startup` / :func:`on_shutdown` in their
``AppConfig.ready()``; :class:`LifespanApp` runs them in registration order at start-up and in
reverse order at shutdown. A failing start-up hook fails the start (uvicorn exits) rather
than serving half a platform.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from titan_web.common.gcfreeze import freeze_startup_heap

logger = logging.getLogger("titan.lifespan")

Hook = Callable[[], Awaitable[None]]
_startup: list[Hook] = []
_shutdown: list[Hook] = []


def on_startup(hook: Hook) -> Hook:
    if hook not in _startup:
        _startup.append(hook)
    return hook


def on_shutdown(hook: Hook) -> Hook:
    if hook not in _shutdown:
        _shutdown.append(hook)
    return hook


async def run_startup() -> None:
    for hook in _startup:
        logger.info("start-up: %s", getattr(hook, "__qualname__", hook))
        await hook()


async def run_shutdown() -> None:
    for hook in reversed(_shutdown):
        try:
            await hook()
        except Exception:
            logger.exception("shutdown hook %s failed", getattr(hook, "__qualname__", hook))


class LifespanApp:
    """ASGI app for the ``lifespan`` scope."""

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                try:
                    await run_startup()
                except Exception as exc:
                    logger.exception("start-up failed")
                    await send({"type": "lifespan.startup.failed", "message": repr(exc)})
                    return
                freeze_startup_heap()
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await run_shutdown()
                await send({"type": "lifespan.shutdown.complete"})
                return
