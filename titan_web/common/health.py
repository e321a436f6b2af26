"""Liveness, readiness and Prometheus metrics: plain async Django views, no auth."""

from __future__ import annotations

import asyncio
import time
import uuid

from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from django.db import connections
from django.http import HttpRequest, HttpResponse, JsonResponse

from titan_web.common import metrics


async def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness: the process and its event loop answer."""
    return JsonResponse({"status": "ok"})


def _check_database(alias: str) -> dict[str, object]:
    start = time.perf_counter()
    conn = connections[alias]
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return {
            "ok": True,
            "vendor": conn.vendor,
            "ms": round((time.perf_counter() - start) * 1e3, 2),
        }
    except Exception as exc:
        return {"ok": False, "vendor": conn.vendor, "error": f"{type(exc).__name__}: {exc}"}
    finally:
        conn.close()


async def _check_channel_layer() -> dict[str, object]:
    layer = get_channel_layer()
    if layer is None:
        return {"ok": False, "error": "no channel layer configured"}
    start = time.perf_counter()
    try:
        # The default prefix, like the fan-out hub's channel (realtime/fanout.py): channels-redis
        # serves all process-specific channels of one prefix from one list behind one receive
        # lock, and the hub holds that lock while it waits. With another prefix this receive
        # waited behind the hub's and timed out on every call while anyone was subscribed;
        # with the same prefix whichever receive holds the lock hands the ping over.
        channel = await layer.new_channel()
        token = uuid.uuid4().hex
        await layer.send(channel, {"type": "readyz.ping", "token": token})
        message = await asyncio.wait_for(layer.receive(channel), timeout=2.0)
        ok = message.get("token") == token
        return {
            "ok": ok,
            "backend": type(layer).__name__,
            "ms": round((time.perf_counter() - start) * 1e3, 2),
        }
    except Exception as exc:
        return {
            "ok": False,
            "backend": type(layer).__name__,
            "error": f"{type(exc).__name__}: {exc}",
        }


async def readyz(request: HttpRequest) -> JsonResponse:
    """Readiness: both databases answer a query and the channel layer round-trips a message."""
    checks: dict[str, dict[str, object]] = {}
    for alias in ("default", "timescale"):
        checks[f"db:{alias}"] = await sync_to_async(_check_database, thread_sensitive=False)(alias)
    checks["channel_layer"] = await _check_channel_layer()
    ready = all(bool(c["ok"]) for c in checks.values())
    return JsonResponse(
        {"status": "ready" if ready else "unavailable", "checks": checks},
        status=200 if ready else 503,
    )


async def prometheus(request: HttpRequest) -> HttpResponse:
    return HttpResponse(metrics.render(), content_type="text/plain; version=0.0.4")
