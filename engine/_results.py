"""Base for the engine's frozen result dataclasses.

Every public engine function returns a frozen dataclass that subclasses :class:`Result`.
``to_dict()`` yields JSON primitives only (numpy scalars become Python numbers, arrays become
lists, NaN and infinities become ``None``, datetimes become ISO 8601 strings) and
``summary()`` a short human-readable text.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Mapping
from typing import Any

import numpy as np


def to_json_value(value: Any) -> Any:
    """Convert ``value`` recursively into JSON primitives (NaN/inf become ``None``)."""
    if isinstance(value, Result):
        return value.to_dict()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_json_value(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(k): to_json_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_json_value(v) for v in value]
    if isinstance(value, np.ndarray):
        if value.dtype.kind == "M":
            return [
                None if np.isnat(v) else str(np.datetime_as_string(v, unit="s")) + "Z"
                for v in value
            ]
        return [to_json_value(v) for v in value.tolist()]
    if isinstance(value, (np.bool_, bool)):
        return bool(value)
    if isinstance(value, (np.integer, int)):
        return int(value)
    if isinstance(value, (np.floating, float)):
        f = float(value)
        return f if math.isfinite(f) else None
    if isinstance(value, np.datetime64):
        return None if np.isnat(value) else str(np.datetime_as_string(value, unit="s")) + "Z"
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    if value is None or isinstance(value, str):
        return value
    raise TypeError(f"cannot convert {type(value).__name__} to JSON")


@dataclasses.dataclass(frozen=True)
class Result:
    """Mixin base of all engine results: ``to_dict()`` and ``summary()``."""

    def to_dict(self) -> dict[str, Any]:
        """Return the result as a dict of JSON primitives."""
        return {f.name: to_json_value(getattr(self, f.name)) for f in dataclasses.fields(self)}

    def summary(self) -> str:
        """Return a short, human-readable multi-line description."""
        lines = [type(self).__name__]
        for f in dataclasses.fields(self):
            v = getattr(self, f.name)
            if isinstance(v, np.ndarray):
                text = f"array(shape={v.shape}, dtype={v.dtype})"
            elif isinstance(v, float):
                text = f"{v:.6g}"
            else:
                text = repr(v)
                if len(text) > 72:
                    text = text[:69] + "..."
            lines.append(f"  {f.name:<22} {text}")
        return "\n".join(lines)
