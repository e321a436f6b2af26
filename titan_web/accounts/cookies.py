"""The refresh token as a cookie, for the dashboard (docs/dashboard.md, "Where the tokens live").

``titan_refresh``: HttpOnly (page scripts cannot read it), SameSite=Strict (never sent on a
cross-site request), ``Path=/api/auth/`` (sent to the auth endpoints only, not to every API
call), ``Secure`` in production or over HTTPS, and as long-lived as the refresh token itself.
It is read only when the request carries ``X-Titan-Refresh: cookie``.
"""

from __future__ import annotations

from django.conf import settings
from rest_framework.request import Request
from rest_framework.response import Response

from titan_web.accounts.tokens import TokenPair
from titan_web.common.errors import ApplicationError, problem_exception_handler

COOKIE_NAME = "titan_refresh"
COOKIE_PATH = "/api/auth/"
HEADER = "HTTP_X_TITAN_REFRESH"  # X-Titan-Refresh
HEADER_VALUE = "cookie"


def wants_cookie(request: Request) -> bool:
    return request.META.get(HEADER, "").strip().lower() == HEADER_VALUE


def read(request: Request) -> str | None:
    value = request.COOKIES.get(COOKIE_NAME)
    return value or None


def _secure(request: Request) -> bool:
    return bool(getattr(settings, "PRODUCTION", False) or request.is_secure())


def pair_response(request: Request, pair: TokenPair, *, as_cookie: bool) -> Response:
    """The token answer: the pair in the body, or the access token in the body and the
    refresh token in the cookie."""
    body = pair.to_dict()
    if not as_cookie:
        return Response(body)
    refresh = body.pop("refresh")
    response = Response(body)
    response.set_cookie(
        COOKIE_NAME,
        refresh,
        max_age=int(settings.JWT["REFRESH_LIFETIME"].total_seconds()),
        path=COOKIE_PATH,
        secure=_secure(request),
        httponly=True,
        samesite="Strict",
    )
    response["Cache-Control"] = "no-store"
    return response


def clear(response: Response) -> None:
    response.delete_cookie(COOKIE_NAME, path=COOKIE_PATH, samesite="Strict")


def clear_on_error(exc: ApplicationError) -> Response:
    """A refused cookie (spent, revoked, expired): the problem answer, and the cookie goes."""
    response = problem_exception_handler(exc, {})
    assert response is not None
    clear(response)
    return response


def reraise(exc: ApplicationError) -> Response:
    raise exc
