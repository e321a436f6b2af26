"""TITAN's base ``APIView``: adrf's, with the request's preliminaries run on the event loop.

adrf runs DRF's ``initial()`` (content negotiation, authentication, permissions, throttles)
in ``sync_to_async``: a thread hop per request, and with Django's per-request
``ThreadSensitiveContext`` a new thread. Here authentication awaits an authenticator's
``aauthenticate`` when it has one (``JWTAuthentication`` does: authcache.py), permissions
known not to do I/O run inline, and only what may block (sync-only authenticators, other
permissions, throttles: they use the cache) still goes to a thread.
"""

from __future__ import annotations

from inspect import iscoroutinefunction
from typing import Any

from adrf.views import APIView as AdrfAPIView
from asgiref.sync import sync_to_async
from django.utils.functional import classproperty
from django.views.generic.base import View
from rest_framework import exceptions, permissions
from rest_framework.request import Request
from rest_framework.response import Response

# Permissions that only look at request.user / request.method: safe on the event loop.
LOOP_SAFE_PERMISSIONS: set[type] = {
    permissions.AllowAny,
    permissions.IsAuthenticated,
    permissions.IsAdminUser,
    permissions.IsAuthenticatedOrReadOnly,
}


def loop_safe_permission(cls: type) -> type:
    """Class decorator: this permission does no I/O (runs on the event loop)."""
    LOOP_SAFE_PERMISSIONS.add(cls)
    return cls


# Django's View.view_is_async inspects every handler of the class, and adrf's dispatch asks
# it on every request: the answer never changes, so it is kept per class.
_view_is_async = View.__dict__["view_is_async"].fget
_async_views: dict[type, bool] = {}


class APIView(AdrfAPIView):
    @classproperty
    def view_is_async(cls) -> bool:
        try:
            return _async_views[cls]
        except KeyError:
            is_async = _async_views[cls] = bool(_view_is_async(cls))
            return is_async

    async def async_dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        self.args = args
        self.kwargs = kwargs
        request = self.initialize_request(request, *args, **kwargs)
        self.request = request
        self.headers = self.default_response_headers
        try:
            await self.ainitial(request, *args, **kwargs)
            method = (request.method or "GET").lower()
            handler: Any = self.http_method_not_allowed
            if method in self.http_method_names:
                handler = getattr(self, method, self.http_method_not_allowed)
            if iscoroutinefunction(handler):
                response = await handler(request, *args, **kwargs)
            else:
                response = await sync_to_async(handler)(request, *args, **kwargs)
        except Exception as exc:
            response = self.handle_exception(exc)
        self.response = self.finalize_response(request, response, *args, **kwargs)
        return self.response

    async def ainitial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        """DRF's ``initial()``, awaiting what can be awaited."""
        self.format_kwarg = self.get_format_suffix(**kwargs)
        neg = self.perform_content_negotiation(request)
        request.accepted_renderer, request.accepted_media_type = neg
        version, scheme = self.determine_version(request, *args, **kwargs)
        request.version, request.versioning_scheme = version, scheme
        await self.aperform_authentication(request)
        perms = self.get_permissions()
        if all(type(p) in LOOP_SAFE_PERMISSIONS for p in perms):
            self.check_permissions(request)
        else:
            await sync_to_async(self.check_permissions)(request)
        if self.throttle_classes:
            await sync_to_async(self.check_throttles)(request)

    async def aperform_authentication(self, request: Any) -> None:
        for authenticator in request.authenticators or ():
            aauthenticate = getattr(authenticator, "aauthenticate", None)
            try:
                if aauthenticate is not None:
                    user_auth = await aauthenticate(request)
                else:
                    user_auth = await sync_to_async(authenticator.authenticate)(request)
            except exceptions.APIException:
                request._not_authenticated()
                raise
            if user_auth is not None:
                request._authenticator = authenticator
                request.user, request.auth = user_auth
                return
        request._not_authenticated()
