"""HTTP providers on recorded responses (httpx.MockTransport): parsing, errors, retries, limits."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import numpy as np
import pandas as pd
import pytest

from engine.data import (
    ProviderFetchError,
    StooqProvider,
    YahooChartProvider,
    collect,
    compare_sources,
)
from engine.data._http import TokenBucket, parse_retry_after

FIXTURES = Path(__file__).parent / "fixtures"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


class FakeTime:
    """A clock that only moves when someone sleeps; records every sleep."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def provider(cls, symbols, handler, fake=None, **kw):
    fake = fake or FakeTime()
    client = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    opts = {
        "start": "2023-10-02",
        "end": "2023-10-09",
        "rate_limit": 1000.0,
        "seed": 7,
        "clock": fake.clock,
        "sleep": fake.sleep,
        **kw,
    }
    return cls(symbols, client=client, **opts), fake


def yahoo_handler(calls: list[httpx.Request], routes: dict[str, list[httpx.Response]]):
    def handle(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        symbol = request.url.path.rsplit("/", 1)[-1]
        queue = routes[symbol]
        return queue.pop(0) if len(queue) > 1 else queue[0]

    return handle


def ok(name="yahoo_chart_GS_1d.json"):
    return httpx.Response(200, content=fixture(name), headers={"content-type": "application/json"})


async def test_yahoo_parses_recorded_response():
    calls: list[httpx.Request] = []
    p, _ = provider(YahooChartProvider, ["GS"], yahoo_handler(calls, {"GS": [ok()]}))
    report = await p.fetch()
    assert report.errors == () and report.dropped == ()
    (batch,) = report.batches
    assert batch.symbol == "GS" and batch.timeframe == "1d"
    # timestamps are 13:30 UTC market opens; daily bars are labelled by New York date
    assert pd.DatetimeIndex(batch.ts).strftime("%Y-%m-%d").tolist() == [
        "2023-10-02",
        "2023-10-03",
        "2023-10-04",
        "2023-10-05",
        "2023-10-06",
        "2023-10-09",
    ]
    assert (pd.DatetimeIndex(batch.ts).hour == 0).all()
    np.testing.assert_allclose(batch.close[:2], [318.5, 306.1199951171875], rtol=0, atol=0)
    np.testing.assert_allclose(batch.volume, [1303800, 3118600, 1872000, 1584600, 1595100, 1094400])
    assert batch.open[5] == 308.8999938964844 and batch.high[5] == 313.4800109863281
    q = calls[0].url.params
    assert calls[0].url.path == "/v8/finance/chart/GS"
    assert q["interval"] == "1d"
    assert int(q["period1"]) == int(pd.Timestamp("2023-10-02", tz="UTC").timestamp())
    assert int(q["period2"]) == int(pd.Timestamp("2023-10-10", tz="UTC").timestamp())
    assert report.attempts == {"GS": 1}


async def test_yahoo_partial_data_nulls_are_dropped_and_reported():
    p, _ = provider(
        YahooChartProvider, ["GS"], yahoo_handler([], {"GS": [ok("yahoo_chart_GS_1d_nulls.json")]})
    )
    report = await p.fetch()
    (batch,) = report.batches
    assert len(batch) == 5
    assert "2023-10-04" not in pd.DatetimeIndex(batch.ts).strftime("%Y-%m-%d").tolist()
    assert report.dropped == (
        {
            "row": 2,
            "ts": "2023-10-04T00:00:00Z",
            "reason": "null open, high, low, close in provider payload",
            "symbol": "GS",
        },
    )


async def test_yahoo_unknown_symbol_404_and_malformed_json_per_symbol():
    routes = {
        "GS": [ok()],
        "NOPE": [httpx.Response(404, content=fixture("yahoo_chart_not_found.json"))],
        "BROKEN": [httpx.Response(200, content=fixture("yahoo_chart_GS_1d_truncated.json"))],
        "DENIED": [httpx.Response(403, text="Forbidden")],
    }
    p, _ = provider(
        YahooChartProvider, ["GS", "NOPE", "BROKEN", "DENIED"], yahoo_handler([], routes)
    )
    report = await p.fetch()
    assert [b.symbol for b in report.batches] == ["GS"]
    errors = {e.symbol: e for e in report.errors}
    assert errors["NOPE"].kind == "not_found" and errors["NOPE"].status == 404
    assert errors["NOPE"].message == "HTTP 404: No data found, symbol may be delisted"
    assert errors["BROKEN"].kind == "malformed"
    assert errors["BROKEN"].message.startswith("response is not JSON")
    assert errors["DENIED"].kind == "http" and errors["DENIED"].message == "HTTP 403: Forbidden"
    assert report.attempts == {"GS": 1, "NOPE": 1, "BROKEN": 1, "DENIED": 1}  # no retry on 4xx


async def test_yahoo_error_object_and_unequal_arrays():
    data = json.loads(fixture("yahoo_chart_GS_1d.json"))
    data["chart"]["result"][0]["indicators"]["quote"][0]["close"].pop()
    routes = {
        "SHORT": [httpx.Response(200, json=data)],
        "EMPTY": [
            httpx.Response(
                200,
                json={
                    "chart": {
                        "result": [{"meta": {}, "indicators": {"quote": [{}]}}],
                        "error": None,
                    }
                },
            )
        ],
    }
    p, _ = provider(
        YahooChartProvider, ["SHORT", "EMPTY"], yahoo_handler([], routes), on_error="skip"
    )
    report = await p.fetch()
    errors = {e.symbol: (e.kind, e.message) for e in report.errors}
    assert errors == {
        "SHORT": ("malformed", "partial data: 5 close values for 6 timestamps"),
        "EMPTY": ("no_data", "no bars in the requested range"),
    }


async def test_retry_429_then_success_honours_retry_after():
    calls: list[httpx.Request] = []
    routes = {
        "GS": [
            httpx.Response(429, headers={"Retry-After": "3"}),
            httpx.Response(429, headers={"Retry-After": "1"}),
            ok(),
        ]
    }
    p, fake = provider(YahooChartProvider, ["GS"], yahoo_handler(calls, routes), backoff_base=0.5)
    report = await p.fetch()
    assert len(report.batches) == 1 and report.attempts == {"GS": 3}
    assert len(calls) == 3
    # backoff delays: attempt 0 in [0.25, 0.5] -> Retry-After 3 wins; attempt 1 in [0.5, 1.0]
    # -> Retry-After 1 wins (>= both). Limiter sleeps none at 1000 req/s after the waits.
    backoff = [s for s in fake.sleeps if s >= 0.25]
    assert backoff == [3.0, 1.0]


async def test_retry_500_then_success_and_backoff_grows():
    calls: list[httpx.Request] = []
    routes = {"GS": [httpx.Response(500), httpx.Response(503), httpx.Response(502), ok()]}
    p, fake = provider(YahooChartProvider, ["GS"], yahoo_handler(calls, routes), backoff_base=1.0)
    report = await p.fetch()
    assert report.attempts == {"GS": 4} and len(report.batches) == 1
    waits = [s for s in fake.sleeps if s >= 0.5]
    assert len(waits) == 3
    for k, w in enumerate(waits):  # equal jitter: [d/2, d] with d = 2**k
        assert 2**k / 2 <= w <= 2**k


async def test_retries_exhausted_and_transport_errors():
    def handler(request: httpx.Request) -> httpx.Response:
        if "TIMEOUT" in request.url.path:
            raise httpx.ReadTimeout("read timed out", request=request)
        return httpx.Response(503)

    p, _ = provider(
        YahooChartProvider, ["DOWN", "TIMEOUT"], handler, max_retries=2, backoff_base=0.01
    )
    report = await p.fetch()
    errors = {e.symbol: e for e in report.errors}
    assert errors["DOWN"].kind == "http" and errors["DOWN"].attempts == 3
    assert errors["DOWN"].message == "gave up after 3 attempts; last: HTTP 503"
    assert errors["TIMEOUT"].kind == "timeout" and errors["TIMEOUT"].status is None
    assert errors["TIMEOUT"].attempts == 3


async def test_retry_after_too_long_gives_up():
    routes = {"GS": [httpx.Response(429, headers={"Retry-After": "3600"})]}
    p, fake = provider(YahooChartProvider, ["GS"], yahoo_handler([], routes))
    report = await p.fetch()
    (err,) = report.errors
    assert err.kind == "throttled" and err.attempts == 1
    assert "retry after 3600 s" in err.message
    assert all(s < 3600 for s in fake.sleeps)


async def test_rate_limit_spaces_requests():
    fake = FakeTime()
    stamps: list[float] = []

    def handler(request: httpx.Request) -> httpx.Response:
        stamps.append(fake.now)
        return ok()

    symbols = [f"S{i}" for i in range(8)]
    p, _ = provider(
        YahooChartProvider, symbols, handler, fake=fake, rate_limit=4.0, burst=2, max_concurrency=8
    )
    report = await p.fetch()
    assert len(report.batches) == 8
    gaps = np.diff(stamps)
    # burst of 2 at once, then one request every 1/4 s
    assert stamps[1] == stamps[0]
    np.testing.assert_allclose(gaps[1:], 0.25, atol=1e-9)
    assert stamps[-1] - stamps[0] == pytest.approx(6 * 0.25)


async def test_bounded_concurrency():
    import asyncio

    active = 0
    peak = 0

    async def slow(request: httpx.Request) -> httpx.Response:
        nonlocal active, peak
        active += 1
        peak = max(peak, active)
        await asyncio.sleep(0.01)
        active -= 1
        return ok()

    client = httpx.AsyncClient(transport=httpx.MockTransport(slow))
    p = YahooChartProvider(
        [f"S{i}" for i in range(9)], client=client, max_concurrency=3, rate_limit=10_000.0
    )
    report = await p.fetch()
    assert len(report.batches) == 9 and peak == 3


async def test_batches_yields_good_then_raises_for_failures():
    routes = {
        "GS": [ok()],
        "NOPE": [httpx.Response(404, content=fixture("yahoo_chart_not_found.json"))],
    }
    p, _ = provider(YahooChartProvider, ["GS", "NOPE"], yahoo_handler([], routes))
    seen: list[str] = []

    async def drain() -> None:
        async for batch in p.batches():
            seen.append(batch.symbol)

    with pytest.raises(ProviderFetchError) as info:
        await drain()
    assert seen == ["GS"]
    assert [(e.symbol, e.kind) for e in info.value.errors] == [("NOPE", "not_found")]
    p2, _ = provider(YahooChartProvider, ["GS", "NOPE"], yahoo_handler([], routes), on_error="skip")
    assert [b.symbol for b in await collect(p2)] == ["GS"]


def stooq_handler(calls, bodies):
    def handle(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return httpx.Response(
            200, content=bodies[request.url.params["s"]], headers={"content-type": "text/csv"}
        )

    return handle


async def test_stooq_csv_and_compare_with_yahoo():
    calls: list[httpx.Request] = []
    bodies = {"gs.us": fixture("stooq_gs_us_d.csv"), "zzzz.us": fixture("stooq_no_data.csv")}
    p, _ = provider(
        StooqProvider, ["GS", "ZZZZ"], stooq_handler(calls, bodies), suffix=".us", end="2023-10-10"
    )
    report = await p.fetch()
    (stooq,) = report.batches
    assert stooq.symbol == "GS" and len(stooq) == 6
    assert stooq.close.tolist() == [318.5, 306.12, 308.6, 310.5, 312.48, 317.51]
    assert stooq.volume[0] == 1303800
    (err,) = report.errors
    assert (err.symbol, err.kind, err.message) == (
        "ZZZZ",
        "not_found",
        "Stooq has no data for this symbol",
    )
    params = {r.url.params["s"]: dict(r.url.params) for r in calls}
    assert params["gs.us"] == {"s": "gs.us", "i": "d", "d1": "20231002", "d2": "20231010"}

    yp, _ = provider(YahooChartProvider, ["GS"], yahoo_handler([], {"GS": [ok()]}))
    (yahoo,) = (await yp.fetch()).batches
    cmp = compare_sources(yahoo, stooq)
    assert cmp.n_aligned == 5
    assert pd.DatetimeIndex(cmp.only_in_a).strftime("%Y-%m-%d").tolist() == ["2023-10-09"]
    assert pd.DatetimeIndex(cmp.only_in_b).strftime("%Y-%m-%d").tolist() == ["2023-10-10"]
    assert cmp.max_abs_diff == pytest.approx(312.4800109863281 - 312.48, abs=1e-12)
    assert pd.Timestamp(cmp.worst_ts) == pd.Timestamp("2023-10-06")
    assert cmp.max_rel_diff == pytest.approx((312.4800109863281 - 312.48) / 312.48)


async def test_stooq_bad_rows_are_dropped_with_reasons():
    p, _ = provider(StooqProvider, ["GS"], stooq_handler([], {"gs": fixture("stooq_bad_rows.csv")}))
    report = await p.fetch()
    (batch,) = report.batches
    assert batch.close.tolist() == [318.5]
    reasons = {d["row"]: d["reason"] for d in report.dropped}
    assert reasons[1] == (
        "non-numeric value in open; non-numeric value in high; non-numeric value in low; "
        "non-numeric value in close; non-numeric value in volume"
    )
    assert reasons[2] == "high < low; open outside [low, high]; close outside [low, high]"


async def test_stooq_malformed_and_quota():
    bodies = {"a": b"<html>blocked</html>", "b": b"Exceeded the daily hits limit"}
    p, _ = provider(StooqProvider, ["A", "B"], stooq_handler([], bodies))
    errors = {e.symbol: e.kind for e in (await p.fetch()).errors}
    assert errors == {"A": "malformed", "B": "throttled"}
    with pytest.raises(ValueError, match="daily bars only"):
        StooqProvider(["A"], timeframe="1h")


async def test_token_bucket_alone():
    fake = FakeTime()
    bucket = TokenBucket(2.0, burst=1, clock=fake.clock, sleep=fake.sleep)
    t0 = fake.now
    for _ in range(5):
        await bucket.acquire()
    assert fake.now - t0 == pytest.approx(2.0)  # 4 waits of 0.5 s


def test_parse_retry_after():
    import datetime as dt

    now = dt.datetime(2024, 1, 2, 12, 0, tzinfo=dt.UTC)
    assert parse_retry_after("7") == 7.0
    assert parse_retry_after("Tue, 02 Jan 2024 12:00:30 GMT", now=now) == 30.0
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None
