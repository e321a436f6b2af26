"""A large JSON ingest body, parsed and checked in a compute worker (no Django here).

``json.loads`` is one C call that holds the GIL from start to end: a 49 MB body parsed in
a thread still stops the event loop for the whole parse (3-3.7 s on this machine). So a
JSON ingest body above ``TITAN_OFFLOAD_BODY_BYTES`` is sent as bytes to a compute process,
which checks its depth, parses it, checks the shape of ``rows`` (what DRF's
``ListField(child=DictField(), max_length=...)`` checks, with DRF's messages) and writes the
rows as the CSV text ``engine.data.rows`` reads. Only the small envelope (the other keys)
and that CSV come back: the event loop never builds the row objects. The view validates the
envelope with its serializer and then reads the CSV in the compute executor like an upload.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from engine.data.errors import DataError
from engine.data.rows import rows_to_csv
from realtime.jsonlimits import TooDeep
from realtime.jsonlimits import loads as limited_loads

BAD_ITEM = 'Expected a dictionary of items but got type "{t}".'
NOT_LIST = 'Expected a list of items but got type "{t}".'
TOO_LONG = "Ensure this field has no more than {n} elements."
MAX_ITEM_ERRORS = 20


@dataclass
class ParsedRows:
    """What the worker sends back (small, apart from ``csv``)."""

    parse_error: str | None = None
    not_object: str | None = None
    envelope: dict[str, Any] = field(default_factory=dict)
    has_rows: bool = False
    rows_errors: Any = None
    data_error: DataError | None = None
    csv: bytes = b""


def _strict_constant(value: str) -> Any:
    raise ValueError(f'Out of range float values are not JSON compliant: "{value}"')


def parse_rows_body(raw: bytes, *, max_depth: int, max_rows: int) -> ParsedRows:
    """Parse and check a JSON ingest body (see the module notes)."""
    try:
        body = limited_loads(raw, max_depth=max_depth, parse_constant=_strict_constant)
    except TooDeep as exc:
        return ParsedRows(parse_error=str(exc))
    except ValueError as exc:  # JSONDecodeError, UnicodeDecodeError, NaN
        return ParsedRows(parse_error=f"JSON parse error - {exc}")
    if not isinstance(body, dict):
        return ParsedRows(not_object=type(body).__name__)
    rows = body.pop("rows", None)
    out = ParsedRows(envelope=body, has_rows=rows is not None)
    if rows is None:
        return out
    if not isinstance(rows, list):
        out.rows_errors = [NOT_LIST.format(t=type(rows).__name__)]
        return out
    if len(rows) > max_rows:
        out.rows_errors = [TOO_LONG.format(n=max_rows)]
        return out
    bad = {
        str(i): [BAD_ITEM.format(t=type(r).__name__)]
        for i, r in enumerate(rows)
        if not isinstance(r, dict)
    }
    if bad:
        out.rows_errors = dict(list(bad.items())[:MAX_ITEM_ERRORS])
        return out
    if not rows:
        out.has_rows = False  # [] counts as no rows, as in the serializer
        return out
    try:
        out.csv = rows_to_csv(rows)
    except DataError as exc:
        out.data_error = exc
    return out
