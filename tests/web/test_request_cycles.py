"""A read through TITAN's ASGI handler leaves nothing for the cyclic garbage collector: the
view, request and response of a DRF view are freed when the request ends (asgi_handler.py,
``_release_view``), not by collections that also walk every request still in flight."""

from __future__ import annotations

import asyncio
import gc
from typing import Any

import pytest
from asgiref.sync import sync_to_async

from tests import factories
from tests.asgi_scope import http_scope
from tests.conftest import issue_tokens

OURS = ("django.", "rest_framework.", "adrf.", "titan_web.")


async def _get(path: str, token: str, server: str = "uvicorn") -> int:
    """One GET on a keep-alive connection. After the request, ``receive`` answers
    ``http.disconnect`` once the response is sent, as uvicorn's does (the handler's disconnect
    listener then ends with ``RequestAborted``), or, with ``server="waits"``, waits as long as
    the client stays (the listener is cancelled)."""
    from titan_web.asgi import django_asgi_app

    scope = http_scope("GET", path, [(b"authorization", f"Bearer {token}".encode())])
    request_sent = False
    status: list[int] = []
    complete = asyncio.Event()

    async def receive() -> dict[str, Any]:
        nonlocal request_sent
        if not request_sent:
            request_sent = True
            return {"type": "http.request", "body": b"", "more_body": False}
        if server == "waits":
            await asyncio.Event().wait()
            raise AssertionError("unreachable")
        await complete.wait()
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            status.append(message["status"])
        elif message["type"] == "http.response.body" and not message.get("more_body"):
            complete.set()

    await django_asgi_app(scope, receive, send)
    return status[0]


async def _cyclic_garbage(path: str, token: str, n: int, server: str) -> dict[str, int]:
    assert await _get(path, token, server) in (200, 404)  # warm: imports, caches
    gc.collect()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        for _ in range(n):
            await _get(path, token, server)
        gc.collect()
        found: dict[str, int] = {}
        for obj in gc.garbage:
            name = f"{type(obj).__module__}.{type(obj).__qualname__}"
            if name.startswith(OURS) or name == "builtins.frame":
                found[name] = found.get(name, 0) + 1
        return found
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()


@pytest.mark.parametrize("server", ["uvicorn", "waits"])
@pytest.mark.parametrize(
    "which", ["pair", "missing", "me", "schema", "pairs", "tasks", "backtests", "bars"]
)
async def test_a_read_leaves_no_cyclic_garbage(user: Any, which: str, server: str) -> None:
    pair = await sync_to_async(factories.make_pair)(owner=user, stats={"x": 1})
    await sync_to_async(factories.make_task)(owner=user)
    path = {
        "pair": f"/api/pairs/{pair.pk}/",
        "missing": f"/api/pairs/{pair.pk + 1000}/",
        "me": "/api/auth/me",
        "schema": "/api/schema/",
        # lists: the page parameters, the query serializers and the output serializer
        "pairs": "/api/pairs/?limit=10",
        "tasks": "/api/tasks/",
        "backtests": "/api/backtests/?limit=50",
        "bars": f"/api/bars/?symbols={pair.symbol_1.ticker}&start=2021-01-01T00:00:00Z"
        "&end=2021-12-31T23:59:59Z",
    }[which]
    token = (await sync_to_async(issue_tokens)(user))["access"]
    assert await _cyclic_garbage(path, token, 20, server) == {}
