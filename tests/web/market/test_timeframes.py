"""Time that means what it says, over the API (issue 12, items 2 and 3), on the data sets the
tests ship (tests/fixtures): daily data with New York offsets across a DST change, monthly
KO/PEP closes. Runs on SQLite and on PostgreSQL like the rest of tests/web."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.conftest import Api

INGEST = "/api/bars/ingest"
FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def _file(content: bytes, name: str) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


async def upload(api: Api, name: str, **fields: Any) -> Any:
    content = (FIXTURES / name).read_bytes()
    return await api.client.post(
        INGEST,
        {"file": _file(content, name), **fields},
        headers={"Authorization": f"Bearer {api.token}"},
    )


async def test_daily_bars_with_offsets_are_stored_at_their_date(api: Api) -> None:
    r = await upload(api, "ko_daily_2022_ny_offsets.csv")
    assert r.status_code == 200, r.content
    assert r.json()["inserted"] == 144
    got = (await api.get("/api/bars/", {"symbols": "KO", "limit": 1000})).json()["symbols"]["KO"]
    assert got["ts"][0] == "2022-01-03T00:00:00Z"  # not 05:00Z
    assert "2022-03-11T00:00:00Z" in got["ts"] and "2022-03-14T00:00:00Z" in got["ts"]
    assert got["ts"][-1] == "2022-07-29T00:00:00Z"  # -04:00 in summer, same rule
    # aligns with other daily bars: a plain-date series on the same days
    rows = [
        {
            "symbol": "KX",
            "timeframe": "1d",
            "ts": t[:10],
            "open": 1,
            "high": 1,
            "low": 1,
            "close": 1,
        }
        for t in got["ts"]
    ]
    assert (await api.post(INGEST, {"rows": rows})).status_code == 200
    kx = (await api.get("/api/bars/", {"symbols": "KX", "limit": 1000})).json()["symbols"]["KX"]
    assert kx["ts"] == got["ts"]

    # NYSE holidays in the span (MLK day 2022-01-17, Independence Day 2022-07-04, ...) are
    # not gaps: the report uses the exchange calendar
    q = (await api.get("/api/symbols/KO/quality")).json()
    assert q["calendar"] == "XNYS" and q["missing_count"] == 0 and q["coverage"] == 1.0
    assert q["expected"] == 144 and q["warnings"] == []


async def test_two_daily_bars_on_one_date_are_refused(api: Api) -> None:
    rows = [
        {"symbol": "DD", "timeframe": "1d", "ts": ts, "open": 5, "high": 5, "low": 5, "close": 5}
        for ts in ("2021-01-04T09:30:00-05:00", "2021-01-04T16:00:00-05:00")
    ]
    r = await api.post(INGEST, {"rows": rows})
    assert r.status_code == 422
    reasons = {item["reason"] for item in r.json()["rejected"]}
    assert len(reasons) == 1 and reasons.pop().startswith(
        "duplicate (symbol, timeframe, date) within the batch"
    )


async def test_monthly_data_declared_daily_is_refused_then_stored_as_1mo(api: Api) -> None:
    r = await upload(api, "ko_pep_monthly_1990_2022.csv", timeframe="1d")
    assert r.status_code == 422, r.content
    body = r.json()
    assert "declared 1d but the bars are spaced like 1mo (median 31 days)" in body["detail"]
    assert {c["detected"] for c in body["timeframe_checks"]} == {"1mo"}
    assert body["rejected"][0]["reason"] == (
        "declared 1d but the bars are spaced like 1mo (median 31 days)"
    )
    # The refused batch created nothing: KO is not a symbol yet.
    assert (await api.get("/api/bars/", {"symbols": "KO"})).status_code == 404

    r = await upload(api, "ko_pep_monthly_1990_2022.csv", timeframe="1d", on_mismatch="detect")
    assert r.status_code == 200, r.content
    assert [c["action"] for c in r.json()["timeframe_checks"]] == ["stored as detected"] * 2
    got = (await api.get("/api/bars/", {"symbols": "KO", "timeframe": "1mo"})).json()
    assert got["symbols"]["KO"]["count"] == 396
    assert got["symbols"]["KO"]["ts"][:2] == ["1990-01-01T00:00:00Z", "1990-02-01T00:00:00Z"]
    bad = await upload(api, "ko_pep_monthly_1990_2022.csv", on_mismatch="guess")
    assert bad.status_code == 400 and "on_mismatch" in bad.json()["errors"]
