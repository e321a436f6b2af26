"""One timestamp format for REST answers and WebSocket frames: ISO 8601 in UTC ending in
``Z`` (``2024-01-02T14:30:00Z``), which is what DRF's ``DateTimeField`` writes for the UTC
datetimes the API returns."""

from __future__ import annotations

import datetime as dt


def format_ts(value: dt.datetime) -> str:
    """``value`` (aware; naive is taken as UTC) as ISO 8601 UTC with a ``Z`` suffix."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    text = value.astimezone(dt.UTC).isoformat()
    return text.removesuffix("+00:00") + "Z"
