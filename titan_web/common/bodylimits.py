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


def check(scope: dict[str, Any], path: str) -> tuple[JsonResponse | None, int | None]:
    """``(answer, None)`` for a request refused on its headers alone, else ``(None, limit)``
    with the limit to apply while reading (None: the framing already bounds the body).

    The URL is resolved only when the body may be larger than the default limit: a
    ``Content-Length`` within it is enforced by the server's HTTP framing, and a GET,
    HEAD or OPTIONS with neither ``Content-Length`` nor ``Transfer-Encoding`` has no body.
    """
    encoding = length_raw = chunked = None
    for name, value in scope.get("headers", ()):
        name = name.lower()
        if name == b"content-encoding":
            encoding = value.decode("latin-1").strip().lower()
        elif name == b"content-length":
            length_raw = value
        elif name == b"transfer-encoding":
            chunked = value
    if encoding not in (None, "", "identity"):
        return (
            JsonResponse(
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
            ),
            None,
        )
    default = int(settings.TITAN["MAX_BODY_BYTES"])
    if length_raw is not None:
        try:
            length = int(length_raw)
        except ValueError:
            return None, default  # the server (h11, httptools) refuses a malformed length first
        if length <= default:
            return None, None
        limit = limit_for(path)
        return (too_large(limit, length), None) if length > limit else (None, limit)
    if chunked is None and scope.get("method") in ("GET", "HEAD", "OPTIONS"):
        return None, None  # no body: HTTP/1.1 sends one with a length or chunked only
    return None, limit_for(path)  # chunked, or a protocol that frames bodies itself
