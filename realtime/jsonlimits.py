"""JSON nesting depth limit for request bodies and WebSocket frames.

A body nested 10,000 deep used to get past the parser and fail later with RecursionError (a
500), and on the WebSocket it killed the connection without a close frame. :func:`json_depth`
measures the nesting of raw JSON text without parsing it, at C speed (the strings are cut
out with one regular expression, the brackets kept with ``bytes.translate``, the depth is a
cumulative sum): REST bodies deeper than ``MAX_DEPTH`` are refused with 400
(``errors.body``, ``titan_web/common/jsonlimits.py``) and WebSocket frames with an error frame
(``realtime/consumers.py``). Pure Python and numpy: no Django here.
"""

from __future__ import annotations

import json
import re
from typing import Any

import numpy as np

MAX_DEPTH = 64

_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')
_DELETE = bytes(b for b in range(256) if b not in b"[]{}")
_OPEN = np.frombuffer(b"[", dtype=np.uint8)[0], np.frombuffer(b"{", dtype=np.uint8)[0]


def json_depth(raw: bytes | str) -> int:
    """The deepest nesting of arrays and objects in JSON text (0 for a scalar)."""
    data = raw.encode() if isinstance(raw, str) else raw
    return _bracket_depth(_STRING.sub(b"", data) if b'"' in data else data)


def _bracket_depth(data: bytes) -> int:
    brackets = np.frombuffer(data.translate(None, _DELETE), dtype=np.uint8)
    if brackets.size == 0:
        return 0
    steps = np.where((brackets == _OPEN[0]) | (brackets == _OPEN[1]), 1, -1).astype(np.int32)
    return int(np.cumsum(steps, dtype=np.int64).max())


def deeper_than(raw: bytes | str, limit: int) -> int | None:
    """The nesting depth if it is over ``limit``, else None. Brackets inside strings can only
    add to the count, so the exact measure (which cuts strings out, the slow part) runs only
    when counting every bracket finds too many."""
    data = raw.encode() if isinstance(raw, str) else raw
    if _bracket_depth(data) <= limit:
        return None
    depth = json_depth(data)
    return depth if depth > limit else None


class TooDeep(ValueError):
    pass


def loads(raw: bytes | str, *, max_depth: int = MAX_DEPTH, parse_constant: Any = None) -> Any:
    """``json.loads`` that refuses (:class:`TooDeep`) text nested deeper than ``max_depth``."""
    depth = deeper_than(raw, max_depth)
    if depth is not None:
        raise TooDeep(f"JSON nested {depth} levels deep; at most {max_depth} are accepted")
    try:
        return json.loads(raw, parse_constant=parse_constant)
    except RecursionError:  # pragma: no cover - the depth check comes first
        raise TooDeep(f"JSON nested too deep; at most {max_depth} levels") from None
