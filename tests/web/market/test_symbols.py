"""Symbols CRUD, pagination and filters, bars query validation, data quality."""

from __future__ import annotations

from typing import Any

from asgiref.sync import sync_to_async

from tests import factories
from tests.conftest import Api, issue_tokens
from titan_web.market.models import Bar, Series, Symbol


async def test_create_list_filter_and_paginate(api: Api) -> None:
    for t in ["KO", "PEP", "XOM", "CVX", "JPM"]:
        r = await api.post(
            "/api/symbols/", {"ticker": t, "sector": "energy" if t in ("XOM", "CVX") else "x"}
        )
        assert r.status_code == 201, r.content
    page = (await api.get("/api/symbols/", {"limit": 2, "ordering": "ticker"})).json()
    assert page["count"] == 5 and [s["ticker"] for s in page["results"]] == ["CVX", "JPM"]
    assert "offset=2" in page["next"] and page["previous"] is None
    second = (
        await api.get("/api/symbols/", {"limit": 2, "offset": 2, "ordering": "ticker"})
    ).json()
    assert [s["ticker"] for s in second["results"]] == ["KO", "PEP"] and second["previous"]
    energy = (await api.get("/api/symbols/", {"sector": "energy", "ordering": "-ticker"})).json()
    assert [s["ticker"] for s in energy["results"]] == ["XOM", "CVX"]
    bad = await api.get("/api/symbols/", {"limit": 0})
    assert bad.status_code == 400 and "limit" in bad.json()["errors"]


async def test_duplicate_and_invalid_tickers(api: Api) -> None:
    assert (await api.post("/api/symbols/", {"ticker": "KO"})).status_code == 201
    dup = await api.post("/api/symbols/", {"ticker": "KO"})
    assert dup.status_code == 409 and dup.json()["errors"] == {"ticker": ["already exists"]}
    bad = await api.post("/api/symbols/", {"ticker": "bad ticker!"})
    assert bad.status_code == 400 and "ticker" in bad.json()["errors"]


async def test_only_staff_change_or_delete_symbols(api: Api, staff_user: Any) -> None:
    await Symbol.objects.acreate(ticker="KO")
    series = await Series.objects.acreate(symbol="KO", timeframe="1d")
    await Bar.objects.acreate(
        series=series, ts="2024-01-02T00:00:00Z", open=1, high=1, low=1, close=1
    )
    assert (await api.patch("/api/symbols/KO/", {"name": "Coca-Cola"})).status_code == 403
    assert (await api.delete("/api/symbols/KO/")).status_code == 403
    staff = Api((await sync_to_async(issue_tokens)(staff_user))["access"])
    r = await staff.patch("/api/symbols/KO/", {"name": "Coca-Cola"})
    assert r.status_code == 200 and r.json()["name"] == "Coca-Cola"
    assert (await staff.delete("/api/symbols/KO/")).status_code == 204
    assert not await Symbol.objects.filter(ticker="KO").aexists()
    assert await Bar.objects.filter(series__symbol="KO").acount() == 0
    assert not await Series.objects.filter(symbol="KO").aexists()
    assert (await api.get("/api/symbols/KO/")).status_code == 404


async def test_symbol_used_by_a_pair_cannot_be_deleted(user: Any, staff_user: Any) -> None:
    pair = await sync_to_async(factories.make_pair)(owner=user)
    staff = Api((await sync_to_async(issue_tokens)(staff_user))["access"])
    r = await staff.delete(f"/api/symbols/{pair.symbol_1.ticker}/")
    assert r.status_code == 409 and r["Content-Type"].startswith("application/problem+json")


async def test_bars_query_validation(api: Api) -> None:
    r = await api.get(
        "/api/bars/", {"symbols": "", "timeframe": "3d", "start": "2024-02-01", "end": "garbage"}
    )
    assert r.status_code == 400
    assert set(r.json()["errors"]) >= {"symbols", "timeframe", "end"}
    r = await api.get("/api/bars/", {"symbols": "KO", "start": "2024-02-01", "end": "2024-01-01"})
    assert r.status_code == 400 and "end" in r.json()["errors"]


async def test_bars_require_auth(anon_api: Api) -> None:
    assert (await anon_api.get("/api/bars/", {"symbols": "KO"})).status_code == 401


async def test_quality_report_finds_gap_stale_run_and_outlier(api: Api) -> None:
    import pandas as pd

    # 40 NYSE sessions with no holiday among them (2024-04-01 .. 2024-05-24)
    days = pd.bdate_range("2024-04-01", periods=40, tz="UTC")
    keep = [d for i, d in enumerate(days) if i not in (10, 11)]  # a two-day gap
    closes = [100.0 + 0.1 * i for i in range(len(keep))]
    for i in range(20, 28):  # eight unchanged closes
        closes[i] = closes[19]
    closes[33] = closes[32] * 3  # a bad tick
    rows = [
        {
            "symbol": "QQ",
            "timeframe": "1d",
            "ts": d.isoformat(),
            "open": c,
            "high": c,
            "low": c,
            "close": c,
        }
        for d, c in zip(keep, closes, strict=True)
    ]
    assert (await api.post("/api/bars/ingest", {"rows": rows})).status_code == 200
    r = await api.get("/api/symbols/QQ/quality", {"stale_bars": 5})
    assert r.status_code == 200, r.content
    q = r.json()
    assert q["count"] == 38 and q["expected"] == 40 and q["missing_count"] == 2
    assert q["missing"] == [
        days[10].strftime("%Y-%m-%dT%H:%M:%SZ"),
        days[11].strftime("%Y-%m-%dT%H:%M:%SZ"),
    ]
    assert len(q["stale_runs"]) == 1 and q["stale_runs"][0]["length"] >= 8
    assert {o["ts"][:10] for o in q["outliers"]} >= {keep[33].strftime("%Y-%m-%d")}
    assert (await api.get("/api/symbols/NOPE/quality")).status_code == 404
