"""HTTP bar providers: Yahoo-Finance-style chart JSON and Stooq-style CSV.

Both share one fetch engine (:class:`HttpBarProvider`):

* an injectable ``httpx.AsyncClient`` (tests pass one built on ``httpx.MockTransport``);
  without one, a client with ``timeout`` seconds is created and closed per fetch;
* retries on 429, 500, 502, 503, 504 and transport errors/timeouts, with capped
  exponential backoff and jitter, honouring ``Retry-After`` (see
  :class:`~engine.data._http.RetryPolicy`);
* a client-side token bucket (``rate_limit`` requests per second, ``burst``) shared by every
  request of the provider, retries included;
* bounded concurrency across symbols (``asyncio.Semaphore(max_concurrency)``);
* per-symbol outcome: a symbol's failure (HTTP 404 / unknown symbol, another 4xx, a
  malformed payload, retries exhausted) becomes a :class:`SymbolError` and never stops the
  other symbols. Rows the provider sent with nulls, or that fail
  :func:`~engine.data.validate.validate_bars`, are dropped and listed in
  :attr:`FetchReport.dropped`.

``start`` and ``end`` are inclusive and read as UTC (a date means its 00:00 UTC).
No live network is used by the tests: they replay recorded responses.
"""

from __future__ import annotations

import abc
import asyncio
import dataclasses
import datetime as dt
import random
import time
from collections.abc import AsyncIterator, Sequence
from typing import Any, Literal

import httpx
import pandas as pd

from engine._results import Result
from engine._typing import TIMEFRAMES, Timeframe
from engine.data._formats import PayloadError, parse_stooq_csv, parse_yahoo_chart
from engine.data._http import (
    Clock,
    RequestFailed,
    RetryPolicy,
    Sleep,
    TokenBucket,
    get_with_retries,
)
from engine.data.base import BarBatch
from engine.data.errors import ProviderFetchError
from engine.data.validate import validate_bars

ErrorKind = Literal[
    "not_found", "http", "throttled", "timeout", "transport", "malformed", "no_data", "provider"
]
OnError = Literal["raise", "skip"]
TimeLike = str | dt.date | dt.datetime | pd.Timestamp

_BAR = {
    "1m": "1min",
    "5m": "5min",
    "15m": "15min",
    "1h": "1h",
    "1d": "1D",
    "1w": "7D",
    "1mo": "31D",
}


@dataclasses.dataclass(frozen=True)
class SymbolError(Result):
    """Why one symbol could not be fetched.

    Attributes
    ----------
    symbol : str
    kind : str
        ``not_found`` (404 or the provider's "no such symbol"), ``http`` (another status),
        ``throttled`` (429 until retries ran out, or a provider quota), ``timeout``,
        ``transport``, ``malformed`` (payload not in the expected format), ``no_data``
        (no bars in the range), ``provider`` (an error object in the payload).
    message : str
    status : int or None
        Last HTTP status.
    attempts : int
        Requests made for this symbol.
    """

    symbol: str
    kind: str
    message: str
    status: int | None
    attempts: int


@dataclasses.dataclass(frozen=True)
class FetchReport(Result):
    """Outcome of :meth:`HttpBarProvider.fetch`.

    Attributes
    ----------
    batches : tuple of BarBatch
        One batch per symbol that succeeded, in request order.
    errors : tuple of SymbolError
    dropped : tuple of dict
        ``{symbol, row, reason}`` (plus ``ts`` when known) for every row of a successful
        payload that was not kept: nulls in the arrays, or a failed validation rule.
    attempts : dict of str to int
        Requests per symbol (1 means no retry).
    """

    batches: tuple[BarBatch, ...]
    errors: tuple[SymbolError, ...]
    dropped: tuple[dict[str, Any], ...]
    attempts: dict[str, int]

    def summary(self) -> str:
        """Counts of fetched, failed and dropped."""
        lines = [
            f"FetchReport: {len(self.batches)} symbol(s) fetched "
            f"({sum(len(b) for b in self.batches)} bars), {len(self.errors)} failed, "
            f"{len(self.dropped)} row(s) dropped"
        ]
        lines += [f"  {e.symbol}: {e.kind} {e.message}" for e in self.errors]
        return "\n".join(lines)


@dataclasses.dataclass(frozen=True)
class _Outcome:
    symbol: str
    batch: BarBatch | None
    error: SymbolError | None
    dropped: list[dict[str, Any]]
    attempts: int


def _utc(value: TimeLike | None) -> pd.Timestamp | None:
    if value is None:
        return None
    ts = pd.Timestamp(value)
    return ts.tz_localize("UTC") if ts.tz is None else ts.tz_convert("UTC")


class HttpBarProvider(abc.ABC):
    """Shared engine of the HTTP providers (see the module notes).

    Parameters
    ----------
    symbols : sequence of str
    start, end : str, date or datetime, optional
        Inclusive range, UTC.
    timeframe : {"1m", "5m", "15m", "1h", "1d", "1w", "1mo"}, default "1d"
    client : httpx.AsyncClient, optional
        Used as is and never closed by the provider.
    base_url : str, optional
        Provider root (the real one by default).
    timeout : float, default 10.0
        Seconds, for the client the provider creates itself.
    max_retries, backoff_base, backoff_max, max_retry_after
        See :class:`~engine.data._http.RetryPolicy`.
    rate_limit : float, default 2.0
        Requests per second (token bucket).
    burst : int, default 1
    max_concurrency : int, default 4
        Symbols in flight at once.
    on_error : {"raise", "skip"}, default "raise"
        What :meth:`batches` does after yielding every good symbol if some failed: raise
        :class:`~engine.data.errors.ProviderFetchError` (with ``.errors``) or stay silent.
    seed : int, optional
        Seed of the jitter generator (reproducible delays).
    clock, sleep : callables, optional
        Time source and sleep of the limiter and the backoff (tests inject fakes).
    """

    default_base_url = ""

    def __init__(
        self,
        symbols: Sequence[str],
        *,
        start: TimeLike | None = None,
        end: TimeLike | None = None,
        timeframe: Timeframe = "1d",
        client: httpx.AsyncClient | None = None,
        base_url: str | None = None,
        timeout: float = 10.0,
        max_retries: int = 4,
        backoff_base: float = 0.5,
        backoff_max: float = 30.0,
        max_retry_after: float = 120.0,
        rate_limit: float = 2.0,
        burst: int = 1,
        max_concurrency: int = 4,
        on_error: OnError = "raise",
        seed: int | None = None,
        clock: Clock | None = None,
        sleep: Sleep | None = None,
    ) -> None:
        if isinstance(symbols, str):
            raise TypeError("symbols must be a sequence of str, not one str")
        if timeframe not in TIMEFRAMES:
            raise ValueError(f"unknown timeframe {timeframe!r}")
        if max_concurrency < 1 or max_retries < 0 or timeout <= 0:
            raise ValueError("need max_concurrency >= 1, max_retries >= 0, timeout > 0")
        if on_error not in ("raise", "skip"):
            raise ValueError("on_error must be 'raise' or 'skip'")
        self.symbols = tuple(dict.fromkeys(symbols))
        self.start = _utc(start)
        self.end = _utc(end)
        if self.start is not None and self.end is not None and self.end < self.start:
            raise ValueError("end is before start")
        self.timeframe: Timeframe = timeframe
        self.client = client
        self.base_url = (base_url or self.default_base_url).rstrip("/")
        self.timeout = timeout
        self.policy = RetryPolicy(
            max_retries=max_retries,
            backoff_base=backoff_base,
            backoff_max=backoff_max,
            max_retry_after=max_retry_after,
        )
        self.max_concurrency = max_concurrency
        self.on_error: OnError = on_error
        self._sleep: Sleep = sleep or asyncio.sleep
        self._clock: Clock = clock or time.monotonic
        self._rng = random.Random(seed)
        self.limiter = TokenBucket(rate_limit, burst=burst, clock=self._clock, sleep=self._sleep)

    # -- per-provider parts -------------------------------------------------------------
    @abc.abstractmethod
    def request(self, symbol: str) -> tuple[str, dict[str, str | int]]:
        """URL and query parameters for one symbol."""

    @abc.abstractmethod
    def parse(self, symbol: str, body: bytes) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """Long-layout columns (with ``_row``) and rows dropped while parsing."""

    # -- engine ---------------------------------------------------------------------------
    async def fetch(self) -> FetchReport:
        """Fetch every symbol; return batches, per-symbol errors and dropped rows."""
        outcomes = [o async for o in self._run()]
        order = {s: i for i, s in enumerate(self.symbols)}
        outcomes.sort(key=lambda o: order[o.symbol])
        return FetchReport(
            batches=tuple(o.batch for o in outcomes if o.batch is not None),
            errors=tuple(o.error for o in outcomes if o.error is not None),
            dropped=tuple(d for o in outcomes for d in o.dropped),
            attempts={o.symbol: o.attempts for o in outcomes},
        )

    async def batches(self) -> AsyncIterator[BarBatch]:
        """Yield each symbol's bars as soon as its request completes.

        Failed symbols are collected; see ``on_error``.
        """
        errors: list[SymbolError] = []
        async for outcome in self._run():
            if outcome.batch is not None:
                yield outcome.batch
            elif outcome.error is not None:
                errors.append(outcome.error)
        if errors and self.on_error == "raise":
            raise ProviderFetchError(errors)

    async def _run(self) -> AsyncIterator[_Outcome]:
        if self.client is not None:
            async for outcome in self._run_with(self.client):
                yield outcome
            return
        async with httpx.AsyncClient(
            timeout=httpx.Timeout(self.timeout),
            headers={"User-Agent": "TITAN/0.1 (+statistical-arbitrage research)"},
            follow_redirects=True,
        ) as client:
            async for outcome in self._run_with(client):
                yield outcome

    async def _run_with(self, client: httpx.AsyncClient) -> AsyncIterator[_Outcome]:
        gate = asyncio.Semaphore(self.max_concurrency)

        async def one(symbol: str) -> _Outcome:
            async with gate:
                return await self._fetch_symbol(client, symbol)

        tasks = [asyncio.create_task(one(s)) for s in self.symbols]
        try:
            for next_done in asyncio.as_completed(tasks):
                yield await next_done
        finally:
            for task in tasks:  # consumer stopped early or was cancelled
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

    async def _fetch_symbol(self, client: httpx.AsyncClient, symbol: str) -> _Outcome:
        url, params = self.request(symbol)

        def fail(kind: str, message: str, status: int | None, attempts: int) -> _Outcome:
            return _Outcome(
                symbol, None, SymbolError(symbol, kind, message, status, attempts), [], attempts
            )

        try:
            response, attempts = await get_with_retries(
                client,
                url,
                params=params,
                policy=self.policy,
                limiter=self.limiter,
                sleep=self._sleep,
                rng=self._rng,
            )
        except RequestFailed as exc:
            return fail(exc.kind, str(exc), exc.status, exc.attempts)
        status = response.status_code
        if status >= 400 or status < 200:
            kind = "not_found" if status == 404 else "http"
            detail = _error_detail(response)
            return fail(kind, f"HTTP {status}{': ' + detail if detail else ''}", status, attempts)
        try:
            cols, dropped = self.parse(symbol, response.content)
        except PayloadError as exc:
            return fail(exc.kind, str(exc), status, attempts)
        rows = cols.pop("_row")
        report = validate_bars(cols, naive_tz="UTC", row_index=rows)
        dropped = dropped + [{"row": r["row"], "reason": r["reason"]} for r in report.rejected]
        for d in dropped:
            d["symbol"] = symbol
        dropped.sort(key=lambda d: int(d["row"]))
        batches = report.batches()
        if not batches:
            return _Outcome(
                symbol,
                None,
                SymbolError(symbol, "no_data", "no valid bars in the payload", status, attempts),
                dropped,
                attempts,
            )
        return _Outcome(symbol, batches[0], None, dropped, attempts)

    def _bounds(self) -> tuple[pd.Timestamp, pd.Timestamp]:
        """Start (default 1970-01-01) and exclusive end (``end`` + one bar, default now)."""
        start = self.start if self.start is not None else pd.Timestamp(0, tz="UTC")
        if self.end is not None:
            stop = self.end + pd.Timedelta(_BAR[self.timeframe])
        else:
            stop = pd.Timestamp.now(tz="UTC").ceil("D")
        return start, stop


def _error_detail(response: httpx.Response) -> str:
    """A short reason from an error body (Yahoo's ``chart.error.description`` or text)."""
    try:
        data = response.json()
        err = data.get("chart", {}).get("error") or data.get("error")
        if isinstance(err, dict):
            return str(err.get("description") or err.get("code") or "")[:200]
    except (ValueError, AttributeError, TypeError):
        pass
    return response.text.strip()[:120]


class YahooChartProvider(HttpBarProvider):
    """Yahoo-Finance-style chart API: ``GET {base}/v8/finance/chart/{symbol}``.

    Query: ``period1``/``period2`` (Unix seconds, ``period2`` exclusive: ``end`` plus one
    bar), ``interval`` (``1m, 5m, 15m, 60m, 1d``), ``includePrePost=false``,
    ``events=div,split``. Unadjusted OHLC from ``indicators.quote[0]``. Null entries in the
    arrays (Yahoo sends them for halted or missing bars) drop that bar and are reported.
    """

    default_base_url = "https://query1.finance.yahoo.com"
    _INTERVAL = {
        "1m": "1m",
        "5m": "5m",
        "15m": "15m",
        "1h": "60m",
        "1d": "1d",
        "1w": "1wk",
        "1mo": "1mo",
    }

    def request(self, symbol: str) -> tuple[str, dict[str, str | int]]:
        start, stop = self._bounds()
        return (
            f"{self.base_url}/v8/finance/chart/{symbol}",
            {
                "period1": int(start.timestamp()),
                "period2": int(stop.timestamp()),
                "interval": self._INTERVAL[self.timeframe],
                "includePrePost": "false",
                "events": "div,split",
            },
        )

    def parse(self, symbol: str, body: bytes) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        return parse_yahoo_chart(body, symbol, self.timeframe)


class StooqProvider(HttpBarProvider):
    """Stooq-style daily CSV: ``GET {base}/q/d/l/?s={symbol}&i=d&d1=YYYYMMDD&d2=YYYYMMDD``.

    Only ``timeframe="1d"``. ``suffix`` is appended to the lower-cased symbol in the request
    (Stooq names US stocks ``aapl.us``: pass ``suffix=".us"``); batches keep the symbol as
    given. An unknown symbol (body ``No data``) is a ``not_found`` error.
    """

    default_base_url = "https://stooq.com"

    def __init__(self, symbols: Sequence[str], *, suffix: str = "", **options: Any) -> None:
        if options.get("timeframe", "1d") != "1d":
            raise ValueError("StooqProvider serves daily bars only (timeframe='1d')")
        super().__init__(symbols, **options)
        self.suffix = suffix

    def request(self, symbol: str) -> tuple[str, dict[str, str | int]]:
        params: dict[str, str | int] = {"s": f"{symbol.lower()}{self.suffix}", "i": "d"}
        if self.start is not None:
            params["d1"] = self.start.strftime("%Y%m%d")
        if self.end is not None:
            params["d2"] = self.end.strftime("%Y%m%d")
        return f"{self.base_url}/q/d/l/", params

    def parse(self, symbol: str, body: bytes) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        return parse_stooq_csv(body, symbol), []


__all__ = [
    "FetchReport",
    "HttpBarProvider",
    "StooqProvider",
    "SymbolError",
    "YahooChartProvider",
]
