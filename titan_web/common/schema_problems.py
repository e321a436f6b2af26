"""The problem+json errors of each operation in the OpenAPI document.

Every error leaves as ``application/problem+json`` (:mod:`titan_web.common.errors`). Which
statuses an operation can answer follows from what the view is, found here from the view
and the operation drf-spectacular built, not listed by hand:

* **401**: a permission other than ``AllowAny`` (no valid access token);
* **403**: a permission that refuses a signed-in user who is not staff for this method
  (asked of the permission itself with such a user);
* **404**: a path parameter (no such object of yours);
* **400**: a request body or query parameters (invalid or unknown input, a malformed body);
* **413**: a request body (past the body limits of ``titan_web.common.bodylimits``, which
  apply before any view runs);
* **415**: a request body (a content type the view has no parser for);
* **406**: every operation (an ``Accept`` header that JSON does not satisfy);
* **503**: every operation (the database or the channel layer unavailable or out of
  connections: ``titan_web.common.errors``, with ``Retry-After``);
* **429**: a throttled view, or an operation that submits a task (its 202 answer is a
  ``Task``: the per-user limit of queued tasks, ``titan_web.tasks.conf.user_limit``).

What only the service knows (409 for a delete refused while other rows use the object, 422
for data that does not support the request, 403 for a staff-only service) the view
declares in its ``extend_schema(responses=...)`` with :func:`problem`; this module gives
every 4xx and the 503 response the problem body. ``tests/web/test_schema_statuses.py``
checks the rules and the schema fuzz (``tests/e2e/test_schema_fuzz.py``) that nothing
else is answered.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.utils import OpenApiResponse
from rest_framework.permissions import AllowAny

from titan_web.common.errors import PROBLEM_CONTENT_TYPE

PROBLEM_COMPONENT = "Problem"
PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "An RFC 9457 problem: `errors` names each invalid field or parameter.",
    "properties": {
        "type": {"type": "string", "format": "uri"},
        "title": {"type": "string"},
        "status": {"type": "integer", "minimum": 400, "maximum": 599},
        "detail": {"type": "string"},
        "errors": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
    "required": ["type", "title", "status", "detail"],
}

REASONS = {
    400: "Invalid input: a malformed body, or a field or query parameter that breaks its "
    "rules or is unknown (`errors` names each).",
    401: "No valid access token (missing, expired, revoked or malformed).",
    403: "Signed in, but not allowed (staff only).",
    404: "No such object, or not yours.",
    406: "The Accept header asks for something other than JSON.",
    409: "Conflicts with the object's current state.",
    413: "The request body is too large.",
    415: "The request body is not of a media type this operation takes.",
    422: "Well-formed, but the stored data does not support it.",
    429: "Too many requests, or too many of your tasks already queued or running (the "
    "answer says the limit).",
    503: "A service the request needs (the database, the channel layer) is unavailable or "
    "out of connections; retry after `Retry-After` seconds.",
}


def problem(description: str) -> OpenApiResponse:
    """A problem+json response for ``extend_schema(responses={409: problem("...")})``."""
    return OpenApiResponse(description=description)


def _requires_auth(view: Any) -> bool:
    return not any(isinstance(p, AllowAny) for p in view.get_permissions())


def _forbids_non_staff(view: Any, method: str) -> bool:
    """Whether a permission of ``view`` refuses a signed-in user without staff rights."""
    user = SimpleNamespace(
        is_authenticated=True, is_staff=False, is_superuser=False, is_active=True
    )
    request = SimpleNamespace(method=method, user=user, auth=None)
    for permission in view.get_permissions():
        if isinstance(permission, AllowAny):
            continue
        try:
            if not permission.has_permission(request, view):
                return True
        except Exception:  # a permission that needs more than this asks: assume it may refuse
            return True
    return False


def _submits_task(operation: dict[str, Any]) -> bool:
    accepted = operation.get("responses", {}).get("202", {})
    for media in accepted.get("content", {}).values():
        if media.get("schema", {}).get("$ref", "").endswith(f"/{_task_component()}"):
            return True
    return False


def _task_component() -> str:
    return "Task"


def derived_statuses(view: Any, method: str, operation: dict[str, Any]) -> set[int]:
    """The error statuses ``operation`` can answer by what its view is (module notes)."""
    params = operation.get("parameters", [])
    body = "requestBody" in operation
    # Every operation reads the database (at least to authenticate), so every one can answer
    # 503 when it is down or out of connections (titan_web.common.errors).
    out = {406, 503}
    if _requires_auth(view):
        out.add(401)
        if _forbids_non_staff(view, method):
            out.add(403)
    if any(p.get("in") == "path" for p in params):
        out.add(404)
    if body or any(p.get("in") == "query" for p in params):
        out.add(400)
    if body:
        # The body limits (titan_web.common.bodylimits) apply before any view runs.
        out.update((413, 415))
    if getattr(view, "throttle_classes", None) or _submits_task(operation):
        out.add(429)
    return out


def add_problem_responses(auto_schema: Any, operation: dict[str, Any]) -> None:
    """Add the derived error responses to ``operation`` and give every 4xx and the 503
    the problem body."""
    auto_schema.registry.register_on_missing(
        ResolvedComponent(
            name=PROBLEM_COMPONENT,
            type=ResolvedComponent.SCHEMA,
            object=PROBLEM_COMPONENT,
            schema=PROBLEM_SCHEMA,
        )
    )
    responses = operation.setdefault("responses", {})
    for code in derived_statuses(auto_schema.view, auto_schema.method, operation):
        responses.setdefault(str(code), {"description": REASONS[code]})
    content = {
        PROBLEM_CONTENT_TYPE: {"schema": {"$ref": f"#/components/schemas/{PROBLEM_COMPONENT}"}}
    }
    for code, response in responses.items():
        if code.startswith("4") or code == "503":
            if not response.get("description"):
                response["description"] = REASONS.get(int(code), "")
            response["content"] = dict(content)
    operation["responses"] = dict(sorted(responses.items()))
