"""Reference ASGI apps for ``http.py``, served by uvicorn like TITAN:

- ``tests.benchmarks.http_refs:starlette_app``: a bare Starlette JSON endpoint (the ceiling);
- ``tests.benchmarks.http_refs:django_app``: a bare Django async view, no middleware, no
  database, through Django's stock ``ASGIHandler``.

Both answer ``GET /json`` with the same small JSON object.
"""

from __future__ import annotations

from typing import Any

PAYLOAD = {"id": 1, "username": "bench", "is_staff": False, "capital": "1000000.00"}


def _starlette() -> Any:
    from starlette.applications import Starlette
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    async def endpoint(request: Any) -> JSONResponse:
        return JSONResponse(PAYLOAD)

    return Starlette(routes=[Route("/json", endpoint)])


def _django() -> Any:
    import django
    from django.conf import settings
    from django.http import JsonResponse
    from django.urls import path

    async def view(request: Any) -> JsonResponse:
        return JsonResponse(PAYLOAD)

    global urlpatterns
    urlpatterns = [path("json", view)]
    settings.configure(
        DEBUG=False,
        ROOT_URLCONF=__name__,
        ALLOWED_HOSTS=["*"],
        MIDDLEWARE=[],
        INSTALLED_APPS=[],
        SECRET_KEY="bench-only-not-a-secret-0123456789abcdef",
    )
    django.setup(set_prefix=False)
    from django.core.handlers.asgi import ASGIHandler

    handler = ASGIHandler()

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":  # started with --lifespan on, like TITAN
            while (await receive())["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            await send({"type": "lifespan.shutdown.complete"})
            return
        await handler(scope, receive, send)

    return app


urlpatterns: list[Any] = []
_apps: dict[str, Any] = {}


def __getattr__(name: str) -> Any:
    # uvicorn looks the attribute up after import: build only the app it asks for, once.
    builders = {"starlette_app": _starlette, "django_app": _django}
    if name not in builders:
        raise AttributeError(name)
    if name not in _apps:
        _apps[name] = builders[name]()
    return _apps[name]
