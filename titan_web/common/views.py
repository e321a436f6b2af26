"""problem+json handlers for 404 and 500 outside DRF views."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, JsonResponse

from titan_web.common.errors import problem_response


def not_found(request: HttpRequest, exception: Any = None) -> JsonResponse:
    return problem_response(404, f"No resource at {request.path}.")


def server_error(request: HttpRequest) -> JsonResponse:
    return problem_response(500, "An unexpected error occurred.")
