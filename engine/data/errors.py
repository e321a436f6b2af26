"""Exceptions raised by the market-data layer (:mod:`engine.data`).

Every error that a data source can cause derives from :class:`DataError`, so callers (the
web layer, the task registry) can catch one type and report its message to the user.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from engine.data.http import SymbolError


class DataError(Exception):
    """Base class of every error raised by :mod:`engine.data`."""


class DataFormatError(DataError):
    """A file or payload cannot be read as bars: empty, missing columns, wrong types.

    The message names the problem (which column, which file) in words a user can act on.
    """


class ProviderError(DataError):
    """A remote provider failed for one symbol (HTTP 4xx, malformed payload, exhausted retries).

    Parameters
    ----------
    symbol : str
        The symbol whose request failed.
    message : str
        What went wrong.
    status : int or None
        The last HTTP status seen, ``None`` for transport errors and malformed payloads.
    """

    def __init__(self, symbol: str, message: str, *, status: int | None = None) -> None:
        super().__init__(f"{symbol}: {message}")
        self.symbol = symbol
        self.status = status


class ProviderFetchError(DataError):
    """Raised by an HTTP provider's ``batches()`` after the good symbols were yielded,
    when one or more symbols failed and ``on_error="raise"``.

    Attributes
    ----------
    errors : tuple of SymbolError
        One entry per failed symbol.
    """

    def __init__(self, errors: Sequence[SymbolError]) -> None:
        self.errors = tuple(errors)
        names = ", ".join(f"{e.symbol} ({e.kind}: {e.message})" for e in self.errors)
        super().__init__(f"{len(self.errors)} symbol(s) failed: {names}")
