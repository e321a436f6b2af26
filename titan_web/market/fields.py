"""Ticker input: one rule for every endpoint that takes symbols.

A ticker is a letter, digit or ``^``, then up to 31 letters, digits and ``. - ^ = _``
(``BRK.B``, ``^GSPC``, ``EURUSD=X``), in either case: it is stored upper-cased (``ko`` is
``KO``, :data:`engine.data.validate.TICKER_PATTERN`). The input is checked as sent, against
:data:`TICKER_INPUT_PATTERN` (the pattern the OpenAPI document gives): ASCII letters only,
no surrounding spaces, so what the schema refuses the server refuses too (``"ß"``, which
upper-cases to ``SS``, is not a ticker). Bars ingested from files and rows follow the stored
rule (``engine.data.validate``).
"""

from __future__ import annotations

import re
from typing import Any

from rest_framework import serializers

from engine.data.validate import TICKER_PATTERN, is_valid_ticker, normalize_ticker

_TICKER = r"[A-Za-z0-9^][A-Za-z0-9.\-^=_]{0,31}"
TICKER_INPUT_PATTERN = f"^{_TICKER}$"
_TICKER_INPUT_RE = re.compile(TICKER_INPUT_PATTERN)
TICKER_HELP = "ticker, case-insensitive (stored upper case): " + TICKER_PATTERN


def clean_ticker(value: str) -> str:
    """The stored form of a ticker; a ValidationError when it is not one."""
    ticker = normalize_ticker(value)
    if not _TICKER_INPUT_RE.fullmatch(value) or not is_valid_ticker(ticker):
        raise serializers.ValidationError(
            f"{value!r} is not a ticker (a letter, digit or ^, then up to 31 letters, digits "
            "and . - ^ = _)"
        )
    return ticker


class TickerField(serializers.CharField):
    """A ticker (see the module notes)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 32)
        kwargs.setdefault("help_text", TICKER_HELP)
        kwargs.setdefault("trim_whitespace", False)  # " KO" is refused, as the pattern says
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> str:
        return clean_ticker(super().to_internal_value(data))


class TickerListField(serializers.CharField):
    """Comma-separated tickers in one query parameter (``symbols=KO,PEP``): 1 to
    ``max_items``, no blanks or spaces (:attr:`pattern`); a repeated one counts once."""

    def __init__(self, *, max_items: int = 50, **kwargs: Any) -> None:
        self.max_items = max_items
        self.pattern = f"^{_TICKER}(,{_TICKER}){{0,{max_items - 1}}}$"
        self._re = re.compile(self.pattern)
        kwargs.setdefault("help_text", "comma-separated tickers, case-insensitive")
        kwargs.setdefault("trim_whitespace", False)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> list[str]:  # type: ignore[override]
        text = super().to_internal_value(data)
        tickers = [clean_ticker(t) for t in text.split(",")]
        if len(tickers) > self.max_items:
            raise serializers.ValidationError(f"at most {self.max_items} symbols per request")
        if not self._re.fullmatch(text):
            raise serializers.ValidationError("comma-separated tickers, no blanks or spaces")
        return list(dict.fromkeys(tickers))
