"""Issue 12, point 8: bars of an unknown symbol are 404, tickers are case-insensitive and
validated everywhere, a file without a symbol column needs the ``symbol`` option, JSON rows
take what a CSV takes, ``order=desc`` returns the newest bars, error keys name the field."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.conftest import Api

INGEST = "/api/bars/ingest"
KO_CSV = (
    "symbol,ts,close\n"
    "ko,2024-01-02,59.81\nko,2024-01-03,60.11\nko,2024-01-04,60.23\nko,2024-01-05,60.38\n"
)


async def _upload(api: Api, content: bytes, name: str, **options: str) -> Any:
    return await api.client.post(
        INGEST, {"file": SimpleUploadedFile(name, content), **options}, headers=api._headers(None)
    )


async def test_bars_of_an_unknown_symbol_are_404(api: Api) -> None:
    assert (await _upload(api, KO_CSV.encode(), "ko.csv")).status_code == 200
    r = await api.get("/api/bars/", {"symbols": "KO,NOPE"})
    assert r.status_code == 404 and r["Content-Type"].startswith("application/problem+json")
    assert r.json()["errors"] == {"symbols.1": ["unknown symbol 'NOPE'"]}


async def test_tickers_are_upper_cased_everywhere(api: Api) -> None:
    r = await _upload(api, KO_CSV.encode(), "ko.csv")
    assert r.status_code == 200 and r.json()["symbols_created"] == ["KO"]
    # "ko" finds KO in bars, the symbol detail and its quality report.
    bars = (await api.get("/api/bars/", {"symbols": "ko"})).json()["symbols"]
    assert list(bars) == ["KO"] and bars["KO"]["close"] == [59.81, 60.11, 60.23, 60.38]
    assert (await api.get("/api/symbols/ko/")).json()["ticker"] == "KO"
    assert (await api.get("/api/symbols/ko/quality")).status_code == 200
    # Creating "ko" beside KO is the same symbol: a conflict, not a second one.
    r = await api.post("/api/symbols/", {"ticker": "ko"})
    assert r.status_code == 409
    assert (await api.get("/api/symbols/")).json()["count"] == 1
    # Rows in another case land on the same series.
    r = await api.post(INGEST, {"rows": [{"symbol": "Ko", "ts": "2024-01-08", "close": 61.0}]})
    assert r.status_code == 200 and r.json()["inserted"] == 1 and r.json()["symbols_created"] == []


@pytest.mark.parametrize("bad", ["KO PEP", "K/O", "", "-KO", "A" * 33, "ko;drop"])
async def test_malformed_tickers_are_refused(api: Api, bad: str) -> None:
    r = await api.post("/api/symbols/", {"ticker": bad})
    assert r.status_code == 400 and "ticker" in r.json()["errors"], r.content


async def test_a_malformed_ticker_in_a_file_is_a_rejected_row(api: Api) -> None:
    csv = "symbol,ts,close\nKO,2024-01-02,59.81\nK O,2024-01-02,1.0\n"
    r = await _upload(api, csv.encode(), "x.csv", on_error="skip")
    assert r.status_code == 200 and r.json()["inserted"] == 1
    assert r.json()["rejected"][0]["row"] == 1
    assert r.json()["rejected"][0]["reason"].startswith("invalid ticker")


async def test_a_file_without_a_symbol_column_needs_the_symbol_option(api: Api) -> None:
    csv = b"Date,Close\n2024-01-02,59.81\n2024-01-03,60.11\n"
    r = await _upload(api, csv, "prices.csv")
    assert r.status_code == 400, r.content
    assert "symbol option" in r.json()["errors"]["symbol"][0]
    assert (await api.get("/api/symbols/")).json()["count"] == 0, "no symbol named PRICES"
    r = await _upload(api, csv, "prices.csv", symbol="ko")
    assert r.status_code == 200 and r.json()["symbols_created"] == ["KO"]


async def test_json_rows_take_the_columns_and_aliases_of_a_csv(api: Api) -> None:
    # Close-only rows with CSV header aliases, the symbol and timeframe from the options.
    rows = [{"Date": "2024-01-02", "Adj Close": 59.81}, {"Date": "2024-01-03", "Adj Close": 60.11}]
    r = await api.post(INGEST, {"rows": rows, "symbol": "KO", "timeframe": "1d"})
    assert r.status_code == 200, r.content
    assert r.json()["inserted"] == 2 and r.json()["symbols_created"] == ["KO"]
    bars = (await api.get("/api/bars/", {"symbols": "KO"})).json()["symbols"]["KO"]
    assert bars["ts"] == ["2024-01-02T00:00:00Z", "2024-01-03T00:00:00Z"]
    assert bars["open"] == bars["close"] == [59.81, 60.11]
    # Full OHLCV rows with a Ticker column, as a CSV of that layout would be read.
    rows = [{"Ticker": "PEP", "Timestamp": "2024-01-02", "Open": 1, "High": 2, "Low": 0.5,
             "Close": 1.5, "Volume": 100}]  # fmt: skip
    r = await api.post(INGEST, {"rows": rows})
    assert r.status_code == 200 and r.json()["inserted"] == 1, r.content
    # Rows without a symbol and no symbol option: the reason names the option.
    r = await api.post(INGEST, {"rows": [{"ts": "2024-01-02", "close": 1.0}]})
    assert r.status_code == 400 and "symbol" in r.json()["errors"]


async def test_order_desc_with_limit_returns_the_newest_bars(api: Api) -> None:
    assert (await _upload(api, KO_CSV.encode(), "ko.csv")).status_code == 200
    asc = (await api.get("/api/bars/", {"symbols": "KO", "limit": 2})).json()["symbols"]["KO"]
    assert asc["close"] == [59.81, 60.11] and asc["truncated"] is True
    r = await api.get("/api/bars/", {"symbols": "KO", "limit": 2, "order": "desc"})
    desc = r.json()["symbols"]["KO"]
    assert desc["close"] == [60.38, 60.23]
    assert desc["ts"] == ["2024-01-05T00:00:00Z", "2024-01-04T00:00:00Z"]
    r = await api.get("/api/bars/", {"symbols": "KO", "order": "newest"})
    assert r.status_code == 400 and "order" in r.json()["errors"]


async def test_resampled_bars_honour_order_desc(api: Api) -> None:
    csv = "symbol,timeframe,ts,close\n" + "".join(
        f"KO,1h,2024-01-0{d}T{h:02d}:00:00Z,{d * 10 + h}\n" for d in (2, 3, 4) for h in (14, 15)
    )
    assert (await _upload(api, csv.encode(), "h.csv")).status_code == 200
    r = await api.get("/api/bars/", {"symbols": "KO", "limit": 2, "order": "desc"})
    body = r.json()["symbols"]["KO"]
    assert body["source_timeframe"] == "1h" and body["close"] == [55.0, 45.0]


async def test_unknown_symbols_are_reported_under_their_field(api: Api) -> None:
    assert (await _upload(api, KO_CSV.encode(), "ko.csv")).status_code == 200
    r = await api.post("/api/pairs/analyze", {"symbol_1": "KO", "symbol_2": "NOPE"})
    assert r.status_code == 404 and r.json()["errors"] == {"symbol_2": ["unknown symbol 'NOPE'"]}
    r = await api.post("/api/backtests/", {"symbol_1": "NOPE", "symbol_2": "KO"})
    assert r.status_code == 404 and set(r.json()["errors"]) == {"symbol_1"}
    r = await api.post("/api/pairs/scan", {"symbols": ["KO", "NOPE", "ZZZ"]})
    assert r.status_code == 404 and set(r.json()["errors"]) == {"symbols.1", "symbols.2"}
