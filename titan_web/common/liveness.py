"""``/healthz`` answered at the ASGI layer, in front of Django.

Liveness asks one thing: does this process's event loop still answer? Answering it costs a
few microseconds here, against a full pass through Django's ASGI handler (request object,
middleware, URL resolution, signals and its thread hops) that would measure Django rather
than the loop and, under a probe storm, compete with the real requests it is meant to
watch. It needs no Host validation either (probes often use a pod IP as Host) and returns
static bytes. Readiness (``/readyz``: databases, channel layer) stays a Django view.
"""

from __future__ import annotations

import time
from typing import Any

from titan_web.common import metrics

PATH = "/healthz"
BODY = b'{"status":"ok"}'
HEADERS = [
    (b"content-type", b"application/json"),
    (b"content-length", str(len(BODY)).encode()),
    (b"cache-control", b"no-store"),
    (b"x-content-type-options", b"nosniff"),
]


class LivenessApp:
    """Serves ``GET``/``HEAD /healthz`` itself and passes everything else to ``app``."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        probe = scope["type"] == "http" and scope["path"] == PATH
        if not probe or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        await send({"type": "http.response.start", "status": 200, "headers": HEADERS})
        await send(
            {"type": "http.response.body", "body": BODY if scope["method"] == "GET" else b""}
        )
        metrics.observe_request(scope["method"], "healthz", 200, time.perf_counter() - start)
