"""``/healthz`` at the ASGI layer (titan_web/common/liveness.py), through the real ASGI
application that uvicorn serves."""

from __future__ import annotations

import httpx

from titan_web.asgi import application
from titan_web.common import metrics


def client() -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=application)
    return httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1")


def probes_counted() -> int:
    return metrics._requests[("GET", "healthz", "200")]


async def test_healthz_answers_before_django() -> None:
    async with client() as c:
        before = probes_counted()
        r = await c.get("/healthz")
        assert probes_counted() == before + 1, "the probe still counts in /metrics"
        assert r.status_code == 200 and r.json() == {"status": "ok"}
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["cache-control"] == "no-store"
        assert "x-frame-options" not in r.headers, "not a Django response"
        head = await c.head("/healthz")
        assert head.status_code == 200 and head.content == b""
        # A probe may name the pod's address as Host: liveness does not validate it.
        assert (await c.get("/healthz", headers={"Host": "10.1.2.3"})).status_code == 200


async def test_everything_else_still_goes_to_django() -> None:
    async with client() as c:
        post = await c.post("/healthz")
        assert post.headers["x-frame-options"] == "DENY", "other methods reach Django"
        assert (await c.get("/healthz/")).status_code == 404
        ready = await c.get("/readyz", headers={"Host": "evil.example"})
        assert ready.status_code == 400, "Django still validates Host for everything else"
