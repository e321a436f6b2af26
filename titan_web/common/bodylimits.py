"""Request body limits, applied by the ASGI handler before and while the body is read.

Only the bar ingest takes large bodies (uploads and JSON rows); every other endpoint's body
is a few kilobytes. A 49 MB JSON body sent anywhere used to be read, then parsed on the
event loop (``/healthz`` stalled 3-3.7 s). Now:

- a view class with ``accepts_uploads = True`` takes bodies up to ``TITAN_MAX_UPLOAD_BYTES``
  (``DATA_UPLOAD_MAX_MEMORY_SIZE``), every other path up to ``TITAN_MAX_BODY_BYTES``;
- a ``Content-Length`` over the limit is answered 413 before a byte of the body is read,
  and a body without one (chunked) is answered 413 as soon as it passes the limit;
- a ``Content-Encoding`` other than ``identity`` is answered 415: TITAN does not decode
  compressed request bodies (a compressed upload is a ``.csv.gz`` file, whose expansion is
  capped: ``engine.data._files.gunzip``).

The answers are problem+json with the limit in ``limit_bytes``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import JsonResponse
from django.urls import Resolver404, resolve

from titan_web.common.errors import PROBLEM_CONTENT_TYPE, problem


class BodyTooLarge(Exception):
    pass


def upload_limit() -> int:
    return int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)


def limit_for(path: str) -> int:
    """The largest body the view at ``path`` accepts (in bytes)."""
    try:
        match = resolve(path)
    except Resolver404:
        return int(settings.TITAN["MAX_BODY_BYTES"])
    view_class = getattr(match.func, "view_class", None) or getattr(match.func, "cls", None)
    if getattr(view_class, "accepts_uploads", False):
        return upload_limit()
    return int(settings.TITAN["MAX_BODY_BYTES"])


def _headers(scope: dict[str, Any]) -> dict[bytes, bytes]:
    return {k.lower(): v for k, v in scope.get("headers", ())}


def too_large(limit: int, length: int | None = None) -> JsonResponse:
    size = f" ({length:,} bytes)" if length is not None else ""
    detail = f"The request body{size} is larger than this endpoint accepts: {limit:,} bytes."
    return JsonResponse(
        problem(
            413,
            title="Payload too large",
            detail=detail,
            slug="payload-too-large",
            errors={"body": [f"at most {limit:,} bytes"]},
            limit_bytes=limit,
        ),
        status=413,
        content_type=PROBLEM_CONTENT_TYPE,
    )


def refusal(scope: dict[str, Any], limit: int) -> JsonResponse | None:
    """The answer to a request refused on its headers alone, or None."""
    headers = _headers(scope)
    encoding = headers.get(b"content-encoding", b"").decode("latin-1").strip().lower()
    if encoding not in ("", "identity"):
        return JsonResponse(
            problem(
                415,
                title="Unsupported media type",
                detail=f"Content-Encoding {encoding[:40]!r} is not accepted: send the body "
                "uncompressed (upload compressed data as a .csv.gz file).",
                slug="unsupported-media-type",
                errors={"Content-Encoding": ["only identity is accepted"]},
            ),
            status=415,
            content_type=PROBLEM_CONTENT_TYPE,
        )
    raw = headers.get(b"content-length")
    if raw is not None:
        try:
            length = int(raw)
        except ValueError:
            return None  # the server (h11, httptools) refuses a malformed length first
        if length > limit:
            return too_large(limit, length)
    return None
