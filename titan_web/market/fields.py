"""Ticker input: one rule for every endpoint that takes symbols.

A ticker is stripped and upper-cased (``ko`` is ``KO``), then must match
:data:`engine.data.validate.TICKER_PATTERN`: a letter, digit or ``^``, then up to 31
letters, digits and ``. - ^ = _`` (``BRK.B``, ``^GSPC``, ``EURUSD=X``). Bars ingested from files
and rows follow the same rule (``engine.data.validate``).
"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from engine.data.validate import TICKER_PATTERN, is_valid_ticker, normalize_ticker

TICKER_HELP = "ticker, case-insensitive (stored upper case): " + TICKER_PATTERN


def clean_ticker(value: str) -> str:
    """The stored form of a ticker; a ValidationError when it is not one."""
    ticker = normalize_ticker(value)
    if not is_valid_ticker(ticker):
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
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> str:
        return clean_ticker(super().to_internal_value(data))


class TickerListField(serializers.CharField):
    """Comma-separated tickers in one query parameter (``symbols=KO,PEP``)."""

    def __init__(self, *, max_items: int = 50, **kwargs: Any) -> None:
        self.max_items = max_items
        kwargs.setdefault("help_text", "comma-separated tickers, case-insensitive")
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> list[str]:  # type: ignore[override]
        text = super().to_internal_value(data)
        tickers = [clean_ticker(t) for t in text.split(",") if t.strip()]
        if not tickers:
            raise serializers.ValidationError("name at least one symbol")
        if len(tickers) > self.max_items:
            raise serializers.ValidationError(f"at most {self.max_items} symbols per request")
        if len(set(tickers)) != len(tickers):
            raise serializers.ValidationError("symbols must be distinct")
        return tickers
