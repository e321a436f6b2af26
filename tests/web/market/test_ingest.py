"""Bar ingestion over the API. These tests run twice in `make test`: on SQLite (ORM store)
and on PostgreSQL (asyncpg binary COPY store), so both stores meet the same contract."""

from __future__ import annotations

import io
from typing import Any

import numpy as np
import pandas as pd
import pytest

from tests.conftest import Api
from titan_web.market import store
from titan_web.market.models import Bar, Symbol

INGEST = "/api/bars/ingest"


def row(
    ts: str, price: float, *, symbol: str = "AAA", tf: str = "1d", **over: Any
) -> dict[str, Any]:
    base = {
        "symbol": symbol,
        "timeframe": tf,
        "ts": ts,
        "open": price,
        "high": price + 1,
        "low": price - 1,
        "close": price,
        "volume": 1000.0,
    }
    base.update(over)
    return base


GOOD = [row(f"2024-01-0{d}T00:00:00Z", 10.0 + d) for d in range(2, 6)]


async def count_bars(**filters: Any) -> int:
    return await Bar.objects.filter(**filters).acount()


async def test_ingest_json_rows_round_trip(api: Api) -> None:
    r = await api.post(INGEST, {"rows": GOOD})
    assert r.status_code == 200, r.content
    assert r.json() == {
        "rows": 4,
        "inserted": 4,
        "updated": 0,
        "unchanged": 0,
        "rejected": [],
        "symbols_created": ["AAA"],
        "timeframe_checks": [],
    }
    assert await Symbol.objects.filter(ticker="AAA").aexists()
    got = (await api.get("/api/bars/", {"symbols": "AAA", "timeframe": "1d"})).json()["symbols"][
        "AAA"
    ]
    assert got["ts"] == [
        "2024-01-02T00:00:00Z",
        "2024-01-03T00:00:00Z",
        "2024-01-04T00:00:00Z",
        "2024-01-05T00:00:00Z",
    ]
    assert got["close"] == [12.0, 13.0, 14.0, 15.0]
    assert got["high"] == [13.0, 14.0, 15.0, 16.0] and got["volume"] == [1000.0] * 4


async def test_reingest_is_idempotent_and_changes_are_updates(api: Api) -> None:
    await api.post(INGEST, {"rows": GOOD})
    again = (await api.post(INGEST, {"rows": GOOD})).json()
    assert (again["inserted"], again["updated"], again["unchanged"]) == (0, 0, 4)
    changed = [*GOOD[:3], row("2024-01-05T00:00:00Z", 99.0), row("2024-01-08T00:00:00Z", 20.0)]
    third = (await api.post(INGEST, {"rows": changed})).json()
    assert (third["inserted"], third["updated"], third["unchanged"]) == (1, 1, 3)
    closes = (await api.get("/api/bars/", {"symbols": "AAA"})).json()["symbols"]["AAA"]["close"]
    assert closes == [12.0, 13.0, 14.0, 99.0, 20.0]


async def test_missing_volume_round_trips_as_null(api: Api) -> None:
    rows = [row("2024-02-01T00:00:00Z", 5.0, volume=None), row("2024-02-02T00:00:00Z", 5.5)]
    del rows[1]["volume"]
    assert (await api.post(INGEST, {"rows": rows})).status_code == 200
    got = (await api.get("/api/bars/", {"symbols": "AAA"})).json()["symbols"]["AAA"]
    assert got["volume"] == [None, None]
    again = (await api.post(INGEST, {"rows": rows})).json()
    assert again["unchanged"] == 2, "NULL volume compares equal to NULL: no spurious update"


BAD_CASES = [
    (row("2024-01-09T00:00:00Z", 10, close=None), "close"),
    (row("2024-01-09T00:00:00Z", 10, low=-1.0, open=0.5, close=0.5), "non-positive"),
    (row("2024-01-09T00:00:00Z", 10, high=5.0), "high < low"),
    (row("2024-01-09T00:00:00Z", 10, open=50.0), "open"),
    (row("2024-01-09T00:00:00Z", 10, tf="2h"), "timeframe"),
    (row("not a date", 10), "timestamp"),
    (row("2024-01-09T00:00:00Z", 10, volume=-5.0), "volume"),
]


@pytest.mark.parametrize(("bad", "reason"), BAD_CASES)
async def test_rejected_row_aborts_the_batch_and_names_the_reason(
    api: Api, bad: dict[str, Any], reason: str
) -> None:
    r = await api.post(INGEST, {"rows": [*GOOD, bad]})
    assert r.status_code == 422, r.content
    problem = r.json()
    assert problem["rejected_count"] == 1
    assert problem["rejected"][0]["row"] == 4
    assert reason.lower() in problem["rejected"][0]["reason"].lower()
    assert await count_bars() == 0, "a rejected batch writes nothing"
    assert not await Symbol.objects.filter(ticker="AAA").aexists()


async def test_nan_is_refused_in_json_and_rejected_in_a_file(api: Api) -> None:
    # Strict JSON has no NaN: the body is refused before validation.
    text = '{"rows": [{"symbol": "AAA", "timeframe": "1d", "ts": "2024-01-02T00:00:00Z", '
    text += '"open": 1, "high": 1, "low": 1, "close": NaN}]}'
    r = await api.post(INGEST, text, raw=True)
    assert r.status_code == 400 and "body" in r.json()["errors"]
    # In a file, NaN is a value like any other and is rejected row by row.
    csv = b"Date,Ticker,Close\n2024-01-02,AAA,10\n2024-01-03,AAA,NaN\n"
    r = await api.client.post(
        INGEST, {"file": _file(csv, "nan.csv")}, headers={"Authorization": f"Bearer {api.token}"}
    )
    assert r.status_code == 422, r.content
    assert [x["row"] for x in r.json()["rejected"]] == [1]
    assert "close" in r.json()["rejected"][0]["reason"]
    assert await count_bars() == 0


async def test_duplicates_in_batch_are_rejected(api: Api) -> None:
    r = await api.post(INGEST, {"rows": [*GOOD, GOOD[1]]})
    assert r.status_code == 422
    rows = {x["row"] for x in r.json()["rejected"]}
    assert rows == {1, 4} and all("duplicate" in x["reason"] for x in r.json()["rejected"])


async def test_on_error_skip_writes_valid_rows_and_reports_the_rest(api: Api) -> None:
    r = await api.post(
        INGEST, {"rows": [*GOOD, row("2024-01-09T00:00:00Z", 10, high=1.0)], "on_error": "skip"}
    )
    assert r.status_code == 200
    body = r.json()
    assert body["inserted"] == 4 and len(body["rejected"]) == 1 and body["rejected"][0]["row"] == 4
    assert await count_bars(series__symbol="AAA") == 4


async def test_unknown_symbols_reject_policy(api: Api) -> None:
    await Symbol.objects.acreate(ticker="KNOWN")
    rows = [
        row("2024-01-02T00:00:00Z", 10, symbol="KNOWN"),
        row("2024-01-02T00:00:00Z", 10, symbol="NEW"),
    ]
    r = await api.post(INGEST, {"rows": rows, "unknown_symbols": "reject"})
    assert r.status_code == 422
    assert r.json()["rejected"] == [{"row": 1, "reason": "unknown symbol", "symbol": "NEW"}]


async def test_timezones(api: Api) -> None:
    rows = [
        row("2024-03-01T09:30:00-05:00", 10, tf="1m"),  # zone given: converted to UTC
        row("2024-03-01T14:31:00", 10, tf="1m"),  # naive: read in naive_tz (UTC)
    ]
    assert (await api.post(INGEST, {"rows": rows})).status_code == 200
    got = (await api.get("/api/bars/", {"symbols": "AAA", "timeframe": "1m"})).json()["symbols"][
        "AAA"
    ]
    assert got["ts"] == ["2024-03-01T14:30:00Z", "2024-03-01T14:31:00Z"]

    ny = [row("2024-07-01T09:30:00", 10, symbol="NYC", tf="1m")]
    assert (await api.post(INGEST, {"rows": ny, "naive_tz": "America/New_York"})).status_code == 200
    got = (await api.get("/api/bars/", {"symbols": "NYC", "timeframe": "1m"})).json()["symbols"][
        "NYC"
    ]
    assert got["ts"] == ["2024-07-01T13:30:00Z"], "EDT is UTC-4 in July"

    r = await api.post(
        INGEST, {"rows": [row("2024-03-04T00:00:00", 1, symbol="NAIVE")], "naive_tz": None}
    )
    assert r.status_code == 422 and "naive" in r.json()["rejected"][0]["reason"]

    r = await api.post(INGEST, {"rows": GOOD, "naive_tz": "Mars/Base"})
    assert r.status_code == 400 and set(r.json()["errors"]) == {"naive_tz"}


async def test_csv_upload_long_and_wide_and_parquet(api: Api) -> None:
    long_csv = (
        "Date,Ticker,Open,High,Low,Close,Volume\n"
        "2024-01-02,KO,60,61,59,60.5,100\n2024-01-03,KO,60.5,62,60,61.5,120\n"
        "2024-01-02,PEP,170,171,169,170.5,50\n2024-01-03,PEP,170.5,172,170,171.0,60\n"
    )
    r = await api.client.post(
        INGEST,
        {"file": _file(long_csv.encode(), "prices.csv")},
        headers={"Authorization": f"Bearer {api.token}"},
    )
    assert r.status_code == 200, r.content
    assert r.json()["inserted"] == 4 and sorted(r.json()["symbols_created"]) == ["KO", "PEP"]

    wide_csv = "date,XOM,CVX\n2024-01-02,100.0,150.0\n2024-01-03,101.0,\n"
    r = await api.client.post(
        INGEST,
        {"file": _file(wide_csv.encode(), "wide.csv"), "on_error": "skip"},
        headers={"Authorization": f"Bearer {api.token}"},
    )
    body = r.json()
    assert r.status_code == 200 and body["inserted"] == 3 and len(body["rejected"]) == 1

    frame = pd.DataFrame(
        {"timestamp": pd.to_datetime(["2024-01-02", "2024-01-03"], utc=True), "close": [5.0, 5.5]}
    )
    buf = io.BytesIO()
    frame.to_parquet(buf)
    # No symbol column: the file name is not taken for one (issue 12), the option is needed.
    r = await api.client.post(
        INGEST,
        {"file": _file(buf.getvalue(), "MSFT.parquet")},
        headers={"Authorization": f"Bearer {api.token}"},
    )
    assert r.status_code == 400 and "symbol" in r.json()["errors"], r.content
    r = await api.client.post(
        INGEST,
        {"file": _file(buf.getvalue(), "MSFT.parquet"), "symbol": "msft"},
        headers={"Authorization": f"Bearer {api.token}"},
    )
    assert r.status_code == 200, r.content
    assert r.json()["symbols_created"] == ["MSFT"]
    closes = (await api.get("/api/bars/", {"symbols": "MSFT"})).json()["symbols"]["MSFT"]["close"]
    assert closes == [5.0, 5.5]


def _file(content: bytes, name: str) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"just,a,header\n",
        b"\x00\xff\xfe garbage",
        b"date,close\nyesterday,abc\n",
        b"a,b,c\n1,2,3\n",
    ],
)
async def test_unreadable_files_answer_4xx_and_write_nothing(api: Api, content: bytes) -> None:
    r = await api.client.post(
        INGEST,
        {"file": _file(content, "bad.csv")},
        headers={"Authorization": f"Bearer {api.token}"},
    )
    assert r.status_code in (400, 422), r.content
    assert r["Content-Type"].startswith("application/problem+json")
    assert await count_bars() == 0


async def test_neither_file_nor_rows(api: Api) -> None:
    r = await api.post(INGEST, {})
    assert r.status_code == 400 and "file" in r.json()["errors"]


async def test_failure_inside_the_write_leaves_the_store_unchanged(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    await api.post(INGEST, {"rows": GOOD})
    before = (await api.get("/api/bars/", {"symbols": "AAA"})).json()["symbols"]["AAA"]
    rows = [row(f"2024-01-0{d}T00:00:00Z", 50.0 + d) for d in range(2, 6)]
    rows += [row("2024-01-02T00:00:00Z", 7.0, symbol="BBB")]
    if store.uses_postgresql():
        monkeypatch.setattr(
            store, "_MERGE_SQL", store._MERGE_SQL.replace("FROM up", "FROM up_missing")
        )
    else:
        from django.db.models.query import QuerySet

        real = QuerySet.bulk_create
        calls = {"n": 0}

        def failing(self: Any, objs: Any, *a: Any, **kw: Any) -> Any:
            calls["n"] += 1
            if calls["n"] > 1:  # the first write succeeds, the second fails
                raise RuntimeError("disk full")
            return real(self, objs, *a, **kw)

        monkeypatch.setattr(QuerySet, "bulk_create", failing)
    r = await api.post(INGEST, {"rows": rows})
    assert r.status_code == 500 and r["Content-Type"].startswith("application/problem+json")
    assert "disk full" not in r.content.decode(), "internal errors do not leak details"
    after = (await api.get("/api/bars/", {"symbols": "AAA"})).json()["symbols"]["AAA"]
    assert after == before
    assert await count_bars(series__symbol="BBB") == 0


async def test_store_close_matrix_aligns_on_union_of_timestamps(api: Api) -> None:
    rows = [
        row("2024-01-02T00:00:00Z", 11.0, symbol="A1"),
        row("2024-01-03T00:00:00Z", 12.0, symbol="A1"),
        row("2024-01-03T00:00:00Z", 13.0, symbol="B1"),
        row("2024-01-04T00:00:00Z", 14.0, symbol="B1"),
    ]
    assert (await api.post(INGEST, {"rows": rows})).status_code == 200
    m = await store.aclose_matrix(["B1", "A1", "ZZ"], timeframe="1d")
    assert m.symbols == ["B1", "A1", "ZZ"]
    assert [str(t)[:10] for t in m.ts] == ["2024-01-02", "2024-01-03", "2024-01-04"]
    np.testing.assert_array_equal(
        m.close, [[np.nan, 11.0, np.nan], [13.0, 12.0, np.nan], [14.0, np.nan, np.nan]]
    )


async def test_resampled_read_matches_pandas(api: Api) -> None:
    rng = np.random.default_rng(7)
    idx = pd.date_range("2024-05-06 13:30", periods=180, freq="1min", tz="UTC")
    close = 100 + np.cumsum(rng.normal(0, 0.1, len(idx)))
    opens = close + rng.normal(0, 0.05, len(idx))
    high = np.maximum(opens, close) + 0.02
    low = np.minimum(opens, close) - 0.02
    vol = rng.integers(1, 100, len(idx)).astype(float)
    rows = [
        {
            "symbol": "RS",
            "timeframe": "1m",
            "ts": t.isoformat(),
            "open": o,
            "high": h,
            "low": lo,
            "close": c,
            "volume": v,
        }
        for t, o, h, lo, c, v in zip(idx, opens, high, low, close, vol, strict=True)
    ]
    assert (await api.post(INGEST, {"rows": rows})).status_code == 200
    got = (await api.get("/api/bars/", {"symbols": "RS", "timeframe": "1h"})).json()["symbols"][
        "RS"
    ]
    assert got["source_timeframe"] == "1m"
    frame = pd.DataFrame(
        {"open": opens, "high": high, "low": low, "close": close, "volume": vol}, index=idx
    )
    ref = (
        frame.resample("1h", label="left", closed="left")
        .agg({"open": "first", "high": "max", "low": "min", "close": "last", "volume": "sum"})
        .dropna()
    )
    assert got["ts"] == [t.strftime("%Y-%m-%dT%H:%M:%SZ") for t in ref.index]
    for col in ("open", "high", "low", "close", "volume"):
        np.testing.assert_allclose(got[col], ref[col].to_numpy(), rtol=0, atol=1e-12)
