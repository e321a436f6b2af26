"""Private HTTP plumbing of :mod:`engine.data.http`: token bucket, retries, GET with retries."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import email.utils
import random
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import httpx

Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[Any]]

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


class TokenBucket:
    """Client-side rate limiter: at most ``rate`` requests per second, bursts of ``burst``.

    Tokens refill continuously at ``rate`` per second up to ``burst``; each request takes
    one, waiting (through ``sleep``) when none is left. Waiters are served in order (one
    lock), so the limit holds across concurrent symbols and across retries.
    """

    def __init__(
        self,
        rate: float,
        *,
        burst: int = 1,
        clock: Clock = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        if rate <= 0 or burst < 1:
            raise ValueError("rate must be > 0 and burst >= 1")
        self.rate = float(rate)
        self.burst = int(burst)
        self._clock = clock
        self._sleep = sleep
        self._tokens = float(burst)
        self._stamp: float | None = None
        self._lock = asyncio.Lock()

    async def acquire(self) -> None:
        """Take one token, waiting until one is available."""
        async with self._lock:
            while True:
                now = self._clock()
                if self._stamp is not None:
                    elapsed = max(0.0, now - self._stamp)
                    self._tokens = min(self.burst, self._tokens + elapsed * self.rate)
                self._stamp = now
                if self._tokens >= 1.0 - 1e-9:  # tolerance: float refill can land a hair short
                    self._tokens = max(0.0, self._tokens - 1.0)
                    return
                await self._sleep((1.0 - self._tokens) / self.rate)


@dataclasses.dataclass(frozen=True)
class RetryPolicy:
    """Retries on 429/5xx and transport errors with capped exponential backoff and jitter.

    The delay before retry ``k`` (0-based) is ``d/2 + U(0, d/2)`` with
    ``d = min(backoff_max, backoff_base * 2**k)`` ("equal jitter"). A ``Retry-After``
    header (seconds or an HTTP date) is honoured: the delay is at least that long; a
    server asking for more than ``max_retry_after`` seconds ends the retries.
    """

    max_retries: int = 4
    backoff_base: float = 0.5
    backoff_max: float = 30.0
    max_retry_after: float = 120.0
    retry_statuses: frozenset[int] = RETRY_STATUSES

    def delay(self, attempt: int, rng: random.Random) -> float:
        d = min(self.backoff_max, self.backoff_base * 2.0**attempt)
        return d / 2.0 + rng.uniform(0.0, d / 2.0)


def parse_retry_after(value: str | None, *, now: dt.datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` value (delta-seconds or HTTP date)."""
    if value is None:
        return None
    text = value.strip()
    try:
        return max(0.0, float(text))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    now = now or dt.datetime.now(dt.UTC)
    return max(0.0, (when - now).total_seconds())


class RequestFailed(Exception):
    """All attempts failed (retryable status or transport error each time)."""

    def __init__(self, message: str, *, status: int | None, attempts: int, kind: str) -> None:
        super().__init__(message)
        self.status = status
        self.attempts = attempts
        self.kind = kind


async def get_with_retries(
    client: httpx.AsyncClient,
    url: str,
    *,
    params: Mapping[str, str | int],
    policy: RetryPolicy,
    limiter: TokenBucket,
    sleep: Sleep,
    rng: random.Random,
) -> tuple[httpx.Response, int]:
    """GET ``url``, retrying per ``policy``; return the final response and the attempt count.

    A non-retryable response (2xx, 3xx, most 4xx) is returned as is for the caller to judge.

    Raises
    ------
    RequestFailed
        Retries exhausted, or the server asked to wait longer than ``max_retry_after``.
    """
    for attempt in range(policy.max_retries + 1):
        await limiter.acquire()
        retry_after: float | None = None
        try:
            response = await client.get(url, params=dict(params))
        except httpx.TransportError as exc:  # connect/read errors and timeouts
            status: int | None = None
            kind = "timeout" if isinstance(exc, httpx.TimeoutException) else "transport"
            message = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        else:
            if response.status_code not in policy.retry_statuses:
                return response, attempt + 1
            status = response.status_code
            kind = "throttled" if status == 429 else "http"
            message = f"HTTP {status}"
            retry_after = parse_retry_after(response.headers.get("Retry-After"))
        if attempt == policy.max_retries:
            raise RequestFailed(
                f"gave up after {attempt + 1} attempts; last: {message}",
                status=status,
                attempts=attempt + 1,
                kind=kind,
            )
        delay = policy.delay(attempt, rng)
        if retry_after is not None:
            if retry_after > policy.max_retry_after:
                raise RequestFailed(
                    f"server asked to retry after {retry_after:.0f} s "
                    f"(more than max_retry_after={policy.max_retry_after:.0f} s); last: {message}",
                    status=status,
                    attempts=attempt + 1,
                    kind=kind,
                )
            delay = max(delay, retry_after)
        await sleep(delay)
    raise AssertionError("unreachable")  # pragma: no cover
