"""problem+json handlers for 404 and 500 outside DRF views."""

from __future__ import annotations

import sys
from typing import Any

from django.http import HttpRequest, JsonResponse

from titan_web.common.errors import (
    PROBLEM_CONTENT_TYPE,
    RETRY_AFTER,
    problem_response,
    unavailable_body,
    unavailable_service,
)


def not_found(request: HttpRequest, exception: Any = None) -> JsonResponse:
    return problem_response(404, f"No resource at {request.path}.")


def server_error(request: HttpRequest) -> JsonResponse:
    """500, or 503 when the error escaping outside a DRF view (middleware, sessions, the
    admin) says the database or Redis is unavailable."""
    service = unavailable_service(sys.exc_info()[1])
    if service is not None:
        response = JsonResponse(
            unavailable_body(service), status=503, content_type=PROBLEM_CONTENT_TYPE
        )
        response["Retry-After"] = RETRY_AFTER
        return response
    return problem_response(500, "An unexpected error occurred.")
