"""One application error type and one exception handler rendering RFC 9457 problem+json."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

logger = logging.getLogger("titan.errors")

PROBLEM_CONTENT_TYPE = "application/problem+json"
PROBLEM_BASE = "https://titan.dev/problems/"


class ApplicationError(Exception):
    """A domain error with an HTTP status: raised by services, rendered as problem+json.

    ``errors`` maps a field name to a list of reasons, for validation problems found in
    services (for example an unknown symbol named in a request body).
    """

    status_code: int = status.HTTP_400_BAD_REQUEST
    slug = "bad-request"
    title = "Bad request"

    def __init__(
        self,
        detail: str,
        *,
        status_code: int | None = None,
        slug: str | None = None,
        title: str | None = None,
        errors: dict[str, list[str]] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        if status_code is not None:
            self.status_code = status_code
        if slug is not None:
            self.slug = slug
        if title is not None:
            self.title = title
        self.errors = errors or {}
        self.extra = extra or {}


class NotFoundError(ApplicationError):
    status_code = status.HTTP_404_NOT_FOUND
    slug = "not-found"
    title = "Not found"


class ConflictError(ApplicationError):
    status_code = status.HTTP_409_CONFLICT
    slug = "conflict"
    title = "Conflict"


def protected_conflict(exc: Exception, *, what: str) -> ConflictError:
    """A 409 for a delete refused because other rows still refer to ``what`` (Django's
    ``ProtectedError``), naming those rows (``errors.used_by``)."""
    objects = list(getattr(exc, "protected_objects", []))[:20]
    names = [f"{type(o).__name__.lower()} {o.pk}" for o in objects]
    return ConflictError(
        f"{what} is still used by {', '.join(names) or 'other objects'}; delete those first.",
        errors={"used_by": names or ["other objects"]},
    )


# An error answer quotes at most this much of any one string of the request (a value, a key,
# a message that repeats a value) and this many items of any list or object in it.
MAX_QUOTED_CHARS = 1000
MAX_QUOTED_ITEMS = 1000


def bounded(value: Any) -> Any:
    """``value`` with every string cut to an excerpt and every list and object to its first
    items (see the limits above): a 29 kB upload once produced a 30 MB error answer."""
    if isinstance(value, str):
        if len(value) <= MAX_QUOTED_CHARS:
            return value
        return f"{value[:MAX_QUOTED_CHARS]}... ({len(value):,} characters)"
    if isinstance(value, dict):
        items = list(value.items())[:MAX_QUOTED_ITEMS]
        return {bounded(k) if isinstance(k, str) else k: bounded(v) for k, v in items}
    if isinstance(value, (list, tuple)):
        return [bounded(v) for v in value[:MAX_QUOTED_ITEMS]]
    return value


def problem(
    status_code: int,
    *,
    title: str,
    detail: str,
    slug: str,
    errors: dict[str, Any] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": PROBLEM_BASE + slug,
        "title": title,
        "status": status_code,
        "detail": bounded(detail),
    }
    if errors:
        body["errors"] = bounded(errors)
    body.update(bounded(extra))
    return body


def _flatten(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested validation detail as {"field.sub.0": ["reason", ...]}."""
    out: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            if key == "non_field_errors" and not prefix:
                name = "non_field_errors"
            out.update(_flatten(value, name))
    elif isinstance(detail, list):
        if all(not isinstance(v, (dict, list)) for v in detail):
            out[prefix or "non_field_errors"] = [str(v) for v in detail]
        else:
            for i, value in enumerate(detail):
                if value:
                    out.update(_flatten(value, f"{prefix}.{i}" if prefix else str(i)))
    else:
        out[prefix or "non_field_errors"] = [str(detail)]
    return out


_SLUGS = {
    400: ("bad-request", "Bad request"),
    401: ("not-authenticated", "Not authenticated"),
    403: ("forbidden", "Forbidden"),
    404: ("not-found", "Not found"),
    405: ("method-not-allowed", "Method not allowed"),
    406: ("not-acceptable", "Not acceptable"),
    409: ("conflict", "Conflict"),
    413: ("payload-too-large", "Payload too large"),
    415: ("unsupported-media-type", "Unsupported media type"),
    429: ("throttled", "Too many requests"),
    503: ("service-unavailable", "Service unavailable"),
}


def _unavailable_types() -> tuple[tuple[type[BaseException], ...], tuple[type[BaseException], ...]]:
    """Exception types meaning "the database is unreachable or refuses sessions" and "Redis is
    unreachable"; imported lazily (asyncpg and redis are optional on the embedded default)."""
    from django.db import InterfaceError, OperationalError

    database: list[type[BaseException]] = [OperationalError, InterfaceError]
    cache: list[type[BaseException]] = []
    try:
        import psycopg
        import psycopg_pool

        database += [psycopg.OperationalError, psycopg_pool.PoolTimeout]
    except ImportError:  # pragma: no cover - psycopg is a dependency
        pass
    try:
        import asyncpg

        database += [
            asyncpg.PostgresConnectionError,
            asyncpg.TooManyConnectionsError,
            asyncpg.CannotConnectNowError,
            asyncpg.AdminShutdownError,
            asyncpg.CrashShutdownError,
            asyncpg.ConnectionDoesNotExistError,
            asyncpg.InterfaceError,
        ]
    except ImportError:  # pragma: no cover
        pass
    try:
        import redis

        cache += [redis.ConnectionError, redis.TimeoutError]
    except ImportError:  # pragma: no cover
        pass
    return tuple(database), tuple(cache)


def unavailable_service(exc: BaseException | None) -> str | None:
    """``"database"`` or ``"redis"`` when ``exc`` (or an exception it was raised from) says
    that service is down, restarting or out of connections; else None."""
    database, cache = _unavailable_types()
    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, database):
            return "database"
        if isinstance(exc, cache):
            return "redis"
        if isinstance(exc, ConnectionRefusedError | ConnectionResetError):
            return "database"
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return None


def unavailable_body(service: str) -> dict[str, Any]:
    what = "The database" if service == "database" else "The cache and channel layer (Redis)"
    return problem(
        503,
        title="Service unavailable",
        detail=f"{what} is unavailable or out of connections; retry shortly.",
        slug="service-unavailable",
        service=service,
    )


RETRY_AFTER = "1"  # seconds: a restart or a connection shortage is usually short


def problem_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF exception handler: every error leaves as ``application/problem+json``; a database
    or Redis that is down or out of connections is a 503 with ``Retry-After``, not a 500."""
    service = unavailable_service(exc)
    if service is not None:
        logger.warning("%s unavailable in %s: %r", service, context.get("view"), exc)
        return Response(
            unavailable_body(service),
            status=503,
            content_type=PROBLEM_CONTENT_TYPE,
            headers={"Retry-After": RETRY_AFTER},
        )
    if isinstance(exc, ApplicationError):
        body = problem(
            exc.status_code,
            title=exc.title,
            detail=exc.detail,
            slug=exc.slug,
            errors=exc.errors or None,
            **exc.extra,
        )
        return Response(body, status=exc.status_code, content_type=PROBLEM_CONTENT_TYPE)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        logger.exception("unhandled error in %s", context.get("view"), exc_info=exc)
        body = problem(
            500,
            title="Internal server error",
            detail="An unexpected error occurred.",
            slug="internal",
        )
        return Response(body, status=500, content_type=PROBLEM_CONTENT_TYPE)
    slug, title = _SLUGS.get(response.status_code, ("error", "Error"))
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
        detail = "Invalid input: " + "; ".join(f"{k}: {v[0]}" for k, v in list(errors.items())[:5])
        body = problem(
            response.status_code,
            title="Validation failed",
            detail=detail,
            slug="validation",
            errors=errors,
        )
    elif isinstance(exc, exceptions.ParseError):
        body = problem(
            400,
            title="Malformed request body",
            detail=str(exc.detail),
            slug="malformed-body",
            errors={"body": [str(exc.detail)]},
        )
    else:
        detail = str(exc.detail) if isinstance(exc, exceptions.APIException) else str(exc)
        body = problem(response.status_code, title=title, detail=detail, slug=slug)
        wait = getattr(exc, "wait", None)
        if isinstance(exc, exceptions.Throttled) and wait is not None:
            body["retry_after"] = int(wait)
    response.data = body
    response.content_type = PROBLEM_CONTENT_TYPE
    return response


def problem_response(status_code: int, detail: str) -> JsonResponse:
    """A problem+json response for plain Django views and the 404/500 handlers."""
    slug, title = _SLUGS.get(status_code, ("internal", "Internal server error"))
    return JsonResponse(
        problem(status_code, title=title, detail=detail, slug=slug),
        status=status_code,
        content_type=PROBLEM_CONTENT_TYPE,
    )
