"""Letting go of the DRF objects a request built, so they are freed by reference counting.

DRF links a serializer and its fields both ways (serializer -> ``BindingDict`` -> field ->
``parent``; a ``many=True`` serializer or a ``ListField`` -> ``child`` -> ``parent``), so every
serializer a request builds is a cycle that only the cyclic garbage collector frees. Under
load the young collections find such cycles still referenced by requests in flight and
promote them, and full collections then stall every request in flight (issue 13: up to
200 ms at 64 connections). Once its result has been read, nothing reads a serializer again:
dropping its links frees it, and everything it reached, as soon as the request lets go of it.
"""

from __future__ import annotations

from typing import Any


def release_serializer(serializer: Any) -> None:
    """Drop the links of ``serializer`` and of every field and child under it. Read what it
    validated or rendered first (``validated_data``, ``data``): it is empty afterwards."""
    state = getattr(serializer, "__dict__", None)
    if not isinstance(state, dict):
        return
    # Only what was built: ``fields`` is a cached property, so it is read from the state
    # rather than through the attribute, which would build it.
    child, fields = state.get("child"), state.get("fields")
    state.clear()
    if child is not None:
        release_serializer(child)
    if fields is not None:
        for field in fields.values():
            release_serializer(field)
