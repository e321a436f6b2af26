"""Async-native middleware. Django's ``MiddlewareMixin`` classes hop to a thread for every
request under ASGI; these run on the event loop. Session, auth, messages and CSRF, which only
the admin needs, are applied to ``/admin/`` paths alone by :class:`AdminStackMiddleware`.
"""

from __future__ import annotations

import math
import time
from collections.abc import Awaitable, Callable
from typing import Any

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.conf import settings
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from whitenoise.middleware import WhiteNoiseMiddleware

from titan_web.common import metrics
from titan_web.common.errors import problem_response

GetResponse = Callable[[HttpRequest], Awaitable[HttpResponse]]


class _AsyncMiddleware:
    async_capable = True
    sync_capable = False

    def __init__(self, get_response: GetResponse) -> None:
        if not iscoroutinefunction(get_response):
            raise TypeError(f"{type(self).__name__} needs an async get_response")
        self.get_response = get_response
        markcoroutinefunction(self)  # type: ignore[type-var]


class HostValidationMiddleware(_AsyncMiddleware):
    """Enforce ``ALLOWED_HOSTS``: Django checks it only when something calls ``get_host()``."""

    async def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            request.get_host()
        except DisallowedHost:
            return problem_response(400, "Host not allowed.")
        return await self.get_response(request)


class SecurityHeadersMiddleware(_AsyncMiddleware):
    async def __call__(self, request: HttpRequest) -> HttpResponse:
        response = await self.get_response(request)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        return response


class MetricsMiddleware(_AsyncMiddleware):
    """Count requests and their latency per method, route and status for ``/metrics``."""

    async def __call__(self, request: HttpRequest) -> HttpResponse:
        start = time.perf_counter()
        response = await self.get_response(request)
        match = getattr(request, "resolver_match", None)
        route = match.route if match is not None and match.route else "unmatched"
        metrics.observe_request(
            request.method or "GET", route, response.status_code, time.perf_counter() - start
        )
        return response


class AsyncWhiteNoiseMiddleware(WhiteNoiseMiddleware):
    """WhiteNoise with an async ``__call__``: the file lookup is a dict access."""

    async_capable = True
    sync_capable = False

    def __init__(self, get_response: GetResponse) -> None:
        super().__init__(get_response)
        markcoroutinefunction(self)

    async def __call__(self, request: HttpRequest) -> HttpResponse:  # type: ignore[override]
        static_file = self.files.get(request.path_info)
        if static_file is not None:
            return self.serve(static_file, request)
        return await self.get_response(request)  # type: ignore[misc,no-any-return]


class AdminStackMiddleware(_AsyncMiddleware):
    """Run session, auth, messages and CSRF middleware for admin paths only."""

    def __init__(self, get_response: GetResponse) -> None:
        super().__init__(get_response)
        handler: Any = get_response
        for cls in (
            CsrfViewMiddleware,
            MessageMiddleware,
            AuthenticationMiddleware,
            SessionMiddleware,
        ):
            handler = cls(handler)
        self.admin_handler = handler
        self.prefix = getattr(settings, "TITAN_ADMIN_PREFIX", "/admin/")

    async def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.startswith(self.prefix):
            if request.method == "POST" and request.path_info == self.prefix + "login/":
                from titan_web.accounts.throttles import admin_login_wait

                wait = admin_login_wait(request)
                if wait is not None:
                    response = problem_response(429, "Too many login attempts.")
                    response["Retry-After"] = str(max(1, math.ceil(wait)))
                    return response
            return await self.admin_handler(request)  # type: ignore[no-any-return]
        return await self.get_response(request)
