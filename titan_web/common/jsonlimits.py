"""DRF's JSON parser with the nesting depth limit of :mod:`realtime.jsonlimits`."""

from __future__ import annotations

from typing import Any

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser
from rest_framework.utils.json import strict_constant

from realtime.jsonlimits import TooDeep, loads


class DepthLimitedJSONParser(JSONParser):
    """DRF's JSON parser with the depth limit (a 400 ``errors.body`` beyond it)."""

    def parse(self, stream: Any, media_type: Any = None, parser_context: Any = None) -> Any:
        raw = stream.read() if stream is not None else b""
        try:
            # DRF's strict JSON: NaN and Infinity are refused like any other malformed body.
            return loads(raw, parse_constant=strict_constant if self.strict else None)
        except TooDeep as exc:
            raise ParseError(str(exc)) from None
        except ValueError as exc:
            raise ParseError(f"JSON parse error - {exc}") from None
