"""Exceptions raised by the market-data layer (:mod:`engine.data`).

Every error that a data source can cause derives from :class:`DataError`, so callers (the
web layer, the task registry) can catch one type and report its message to the user.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from engine.data.http import SymbolError


EXCERPT_CHARS = 64


def excerpt(value: object, limit: int = EXCERPT_CHARS) -> object:
    """``value`` itself, or for a string longer than ``limit`` its first ``limit``
    characters and how long it was: answers that quote rejected input stay small (a 29 kB
    upload of 30 kB tickers once produced a 30 MB answer)."""
    if isinstance(value, str) and len(value) > limit:
        return f"{value[:limit]}... ({len(value):,} characters)"
    return value


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


class DataTooLarge(DataFormatError):
    """A compressed file whose content is larger than the limit the caller set (a
    decompression bomb, or a real file over the limit): refused before it is all expanded.

    Attributes
    ----------
    limit : int
        The limit, in decompressed bytes.
    """

    def __init__(self, message: str, *, limit: int = 0) -> None:
        super().__init__(message)
        self.limit = limit

    def __reduce__(self) -> tuple[Any, ...]:  # raised in compute processes: must pickle
        return (type(self), (self.args[0],), {"limit": self.limit})
