"""``/api/schema/`` built once per process and served from the rendered bytes.

drf-spectacular walks every view and serializer on each request (~1.5 s here). The schema
depends only on the code and the settings, so :class:`CachedSchemaView` generates it once per
(API version, language) and :func:`schema` keeps the rendered body per (format, Accept,
language, version): a repeat request is answered on the event loop without a thread. The
start-up hook :func:`prebuild` builds the default rendering in the background.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from typing import Any

from asgiref.sync import sync_to_async
from django.http import HttpRequest, HttpResponse
from drf_spectacular.views import SpectacularAPIView
from rest_framework.response import Response

logger = logging.getLogger("titan.schema")

MAX_RENDERINGS = 32
_schemas: dict[tuple[Any, ...], dict[str, Any]] = {}
_rendered: dict[tuple[str, ...], tuple[bytes, str, str]] = {}
_build_lock = threading.Lock()


class CachedSchemaView(SpectacularAPIView):
    def _get_schema_response(self, request: Any) -> Response:
        version = self.api_version or request.version or self._get_version_parameter(request)
        key = (version, request.GET.get("lang"))
        with _build_lock:  # one build at a time: concurrent first requests wait for it
            data = _schemas.get(key)
            if data is None:
                generator = self.generator_class(
                    urlconf=self.urlconf, api_version=version, patterns=self.patterns
                )
                data = generator.get_schema(request=request, public=self.serve_public)
                _schemas[key] = data
        disposition = f'inline; filename="{self._get_filename(request, version)}"'
        return Response(data=data, headers={"Content-Disposition": disposition})


_view = CachedSchemaView.as_view()


def _key(request: HttpRequest) -> tuple[str, ...]:
    get = request.GET
    return (
        get.get("format", ""),
        request.headers.get("Accept", ""),
        get.get("lang", ""),
        get.get("version", ""),
    )


def _build(request: HttpRequest) -> Any:
    response = _view(request)
    response.render()
    return response


async def schema(request: HttpRequest) -> HttpResponse:
    if request.method not in ("GET", "HEAD"):
        return await sync_to_async(_build)(request)  # type: ignore[no-any-return]
    key = _key(request)
    hit = _rendered.get(key)
    if hit is None:
        response = await sync_to_async(_build)(request)
        if response.status_code == 200 and len(_rendered) < MAX_RENDERINGS:
            _rendered[key] = (
                response.content,
                response["Content-Type"],
                response.get("Content-Disposition", ""),
            )
        return response  # type: ignore[no-any-return]
    body, content_type, disposition = hit
    out = HttpResponse(body, content_type=content_type)
    if disposition:
        out["Content-Disposition"] = disposition
    return out


def clear() -> None:
    """Forget the built schemas (tests)."""
    _schemas.clear()
    _rendered.clear()


async def prebuild() -> None:
    """Start-up hook: build the schema in a thread in the background (never blocks)."""

    def build() -> None:
        from django.test import RequestFactory

        try:
            request = RequestFactory().get("/api/schema/", HTTP_HOST="localhost")
            response = _build(request)
            if response.status_code == 200:
                _rendered.setdefault(
                    _key(request),
                    (response.content, response["Content-Type"], response["Content-Disposition"]),
                )
        except Exception:
            logger.exception("building the OpenAPI schema at start-up failed")

    asyncio.get_running_loop().run_in_executor(None, build)
