"""The API's JSON renderer: DRF's output, encoded by orjson.

DRF's ``JSONRenderer`` runs ``json.dumps`` with a Python ``default`` hook: for an 8 KB pair
detail that was a quarter of the request's CPU. orjson encodes the same payloads 5-10x
faster, to the same bytes for everything TITAN returns (compact separators, UTF-8 text,
``Z`` for UTC datetimes, U+2028/U+2029 escaped as DRF escapes them). Two differences:

- a non-finite float (NaN, +-inf) becomes ``null``: DRF's strict renderer raised instead,
  answering 500 for a statistic that could not be computed (``null`` is the API's "no value"
  everywhere else);
- :class:`StoredJSON` values are written as they are (an :class:`orjson.Fragment`): stored
  JSON (a pair's ``stats``) goes from the database to the response without being decoded
  and encoded again.

Whatever orjson does not know (``Decimal``, lazy translation strings, querysets, numpy
scalars...) goes through DRF's encoder (the ``default`` hook), and an indented rendering
(``Accept: application/json; indent=4``, the browsable API) or a value orjson refuses (an
integer beyond 64 bits) falls back to DRF's own ``json.dumps`` path.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import orjson
from rest_framework import renderers
from rest_framework.utils import encoders

OPTIONS = orjson.OPT_UTC_Z | orjson.OPT_NON_STR_KEYS | orjson.OPT_SERIALIZE_NUMPY
_LS, _PS = "\u2028".encode(), "\u2029".encode()


class StoredJSON:
    """JSON text that is already valid JSON (a JSON column as stored): written out as it is."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return f"StoredJSON({self.text[:40]!r})"


class JSONEncoder(encoders.JSONEncoder):
    """DRF's encoder, plus :class:`StoredJSON` (decoded) for the fallback path."""

    def default(self, obj: Any) -> Any:
        if type(obj) is StoredJSON:
            return json.loads(obj.text)
        return super().default(obj)


_drf_encoder = JSONEncoder()


def _default(obj: Any) -> Any:
    if type(obj) is StoredJSON:
        return orjson.Fragment(obj.text)
    return _drf_encoder.default(obj)


def dumps(data: Any) -> bytes:
    """``data`` as the API's compact JSON (see the module docstring)."""
    try:
        out = orjson.dumps(data, default=_default, option=OPTIONS)
    except TypeError:  # orjson.JSONEncodeError: e.g. an integer beyond 64 bits
        out = json.dumps(
            data, cls=JSONEncoder, ensure_ascii=False, allow_nan=False, separators=(",", ":")
        ).encode()
    if _LS in out or _PS in out:  # JSON, and also a strict JavaScript subset (as DRF does)
        out = out.replace(_LS, b"\\u2028").replace(_PS, b"\\u2029")
    return out


class JSONRenderer(renderers.JSONRenderer):
    encoder_class = JSONEncoder

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Mapping[str, Any] | None = None,
    ) -> bytes:
        if data is None:
            return b""
        if self.get_indent(accepted_media_type or "", renderer_context or {}) is not None:
            return super().render(data, accepted_media_type, renderer_context)  # type: ignore[no-any-return]
        return dumps(data)
