"""Serving the built dashboard (``ui/dist``, built by ``make ui``; docs/dashboard.md).

WhiteNoise serves the files: hashed assets under ``/assets/`` are immutable for a year,
``index.html`` is never cached (``no-cache``: revalidated on every load, so a new build is
picked up at once). Client-side routes (``/pairs/3``, ``/live``) answer ``index.html`` from
:func:`spa_index`; ``/api/``, ``/ws/``, ``/admin/``, ``/static/`` and the health endpoints are
never routed here, and neither is a path whose last segment looks like a file name, so a
missing asset is a 404 rather than a page of HTML.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect

from titan_web.common.ui_headers import CSP
from titan_web.common.views import not_found

#: Client-side routes: everything except the server's own prefixes and file-like names.
SPA_ROUTE = (
    r"^(?!(?:api|ws|admin|static|healthz|readyz|metrics)(?:/|$))"  # the server's paths
    r"(?!.*\.[A-Za-z0-9]+$)"  # file-like names (a missing asset is a 404)
    r".*$"
)

_cache: dict[Path, tuple[float, bytes]] = {}


def _index_bytes() -> bytes | None:
    index = Path(settings.UI_DIST) / "index.html"
    try:
        mtime = index.stat().st_mtime
    except OSError:
        return None
    cached = _cache.get(index)
    if cached is None or cached[0] != mtime:
        cached = (mtime, index.read_bytes())
        _cache[index] = cached
    return cached[1]


async def spa_index(request: HttpRequest) -> HttpResponse:
    """``index.html`` for a client-side route. Without a build: ``/`` goes to the API docs,
    any other path is a 404."""
    body = _index_bytes()
    if body is None:
        if request.path == "/":
            return HttpResponseRedirect("/api/docs/")
        return not_found(request)
    if request.method not in ("GET", "HEAD"):
        return HttpResponse(status=405, headers={"Allow": "GET, HEAD"})
    content = b"" if request.method == "HEAD" else body
    response = HttpResponse(content, content_type="text/html; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["Content-Security-Policy"] = CSP
    return response
