"""Read-only payloads built as plain dicts, without a DRF serializer's field walk.

A ``ModelSerializer`` builds its fields (``get_fields``: a deep copy of declared fields, a
model field to serializer field mapping) for every instance it serializes, then calls each
field's ``get_attribute`` and ``to_representation``: most of the CPU of a detail GET and
of a 50-row list. The builders here produce the same values with the same DRF conversions
(``to_datetime`` is ``DateTimeField.to_representation``), so the rendered JSON is byte for
byte the serializer's; tests/web/test_payloads.py compares them on representative objects.
The serializers stay the API's documented shape (OpenAPI) and the reference.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.utils import timezone
from rest_framework import serializers

from titan_web.common.renderers import StoredJSON

_DATETIME = serializers.DateTimeField()


def zone_is_utc() -> bool:
    """True when the current zone is UTC (TIME_ZONE, nothing activated): a payload asks once
    and passes it to each :func:`to_datetime` (the lookup costs more than the formatting)."""
    return timezone.get_current_timezone_name() == "UTC"


def to_datetime(value: Any, utc: bool | None = None) -> str | None:
    """``DateTimeField().to_representation``: ISO 8601 in the current zone, ``Z`` for UTC.
    An aware value when the current zone is UTC (``utc``: :func:`zone_is_utc`, asked here
    when not given) takes a shortcut with the same result."""
    if value is None:
        return None
    aware = isinstance(value, dt.datetime) and value.tzinfo is not None
    if aware and (utc if utc is not None else zone_is_utc()):
        return value.astimezone(dt.UTC).isoformat()[:-6] + "Z"
    return _DATETIME.to_representation(value)


def to_float(value: Any) -> float | None:
    return None if value is None else float(value)


def to_int(value: Any) -> int | None:
    return None if value is None else int(value)


def to_str(value: Any) -> str | None:
    return None if value is None else str(value)


_NON_FINITE = ("NaN", "Infinity")


def stored_json(text: str | None) -> Any:
    """A JSON column's stored text as a payload value that the API's renderer writes out as
    it is (:class:`~titan_web.common.renderers.StoredJSON`: no decoding, no encoding): the
    column's own value, in the database's spacing (SQLite keeps ``json.dumps``'s,
    PostgreSQL prints jsonb its way). Text with a non-finite number (``json.dumps`` writes
    ``NaN`` into SQLite: not JSON) is decoded instead; the renderer writes those as null."""
    if text is None:
        return None
    if any(token in text for token in _NON_FINITE):
        return json.loads(text)
    return StoredJSON(text)
