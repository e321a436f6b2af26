"""Shared prices with owners and history (issue 12, item 4): a second, non-staff user cannot
rewrite KO's stored close; the owner's and staff's changes are recorded with old and new
values, readable at /api/bars/history. Runs on SQLite and on PostgreSQL (both stores)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from tests.conftest import Api, issue_tokens
from titan_web.market import services, store
from titan_web.market.models import Bar, BarChange, Series

INGEST = "/api/bars/ingest"
# KO closes of 2023-01-17..19 (the session of 2023-01-18 closed at 71.41 in the issue)
KO = [("2023-01-17", 71.72), ("2023-01-18", 71.41), ("2023-01-19", 70.83)]


def ko_rows(closes: list[tuple[str, float]]) -> list[dict[str, Any]]:
    return [
        {"symbol": "KO", "timeframe": "1d", "ts": d, "open": c, "high": c, "low": c, "close": c}
        for d, c in closes
    ]


async def ko_closes() -> list[float]:
    return [
        b.close
        async for b in Bar.objects.filter(series__symbol="KO", series__timeframe="1d").order_by(
            "ts"
        )
    ]


@pytest.fixture
def staff_api(staff_user: Any) -> Api:
    return Api(issue_tokens(staff_user)["access"])


async def test_a_second_user_cannot_change_shared_prices(
    api: Api, other_api: Api, user: Any
) -> None:
    r = await api.post(INGEST, {"rows": ko_rows(KO)})
    assert r.status_code == 200 and r.json()["inserted"] == 3
    series = await Series.objects.aget(symbol="KO", timeframe="1d")
    assert series.created_by_id == user.pk

    r = await other_api.post(INGEST, {"rows": ko_rows([("2023-01-18", 1.0)])})
    assert r.status_code == 409, r.content
    assert r["Content-Type"].startswith("application/problem+json")
    body = r.json()
    assert body["conflict_count"] == 1
    assert body["conflicts"] == [
        {
            "symbol": "KO",
            "timeframe": "1d",
            "ts": "2023-01-18T00:00:00Z",
            "stored": {"open": 71.41, "high": 71.41, "low": 71.41, "close": 71.41, "volume": None},
            "sent": {"open": 1.0, "high": 1.0, "low": 1.0, "close": 1.0, "volume": None},
        }
    ]
    assert await ko_closes() == [71.72, 71.41, 70.83]  # nothing changed
    assert await BarChange.objects.acount() == 0

    # one conflicting row refuses the whole upload, its new rows included
    mixed = ko_rows([("2023-01-18", 1.0), ("2023-01-20", 70.0)])
    assert (await other_api.post(INGEST, {"rows": mixed})).status_code == 409
    assert await ko_closes() == [71.72, 71.41, 70.83]

    # identical values and new timestamps are fine for anyone
    r = await other_api.post(INGEST, {"rows": ko_rows([*KO, ("2023-01-20", 70.0)])})
    assert r.status_code == 200, r.content
    assert (r.json()["inserted"], r.json()["updated"], r.json()["unchanged"]) == (1, 0, 3)
    assert await BarChange.objects.acount() == 0


async def test_system_series_are_changed_only_by_staff(other_api: Api, staff_api: Api) -> None:
    # demo data and manage.py ingest write as the system: no creator, so no user owns it
    await services.abars_ingest_rows(rows=ko_rows(KO), source="demo")
    r = await other_api.post(INGEST, {"rows": ko_rows([("2023-01-18", 1.0)])})
    assert r.status_code == 409
    r = await staff_api.post(INGEST, {"rows": ko_rows([("2023-01-18", 71.5)])})
    assert r.status_code == 200 and r.json()["updated"] == 1
    assert await ko_closes() == [71.72, 71.5, 70.83]


async def test_owner_and_staff_changes_are_recorded_with_old_and_new_values(
    api: Api, other_api: Api, staff_api: Api
) -> None:
    assert (await api.post(INGEST, {"rows": ko_rows(KO)})).status_code == 200
    r = await api.post(INGEST, {"rows": ko_rows([("2023-01-18", 71.5), ("2023-01-19", 70.83)])})
    assert r.status_code == 200
    assert (r.json()["updated"], r.json()["unchanged"]) == (1, 1)
    r = await staff_api.post(INGEST, {"rows": ko_rows([("2023-01-18", 71.45)])})
    assert r.status_code == 200 and r.json()["updated"] == 1

    changes = [c async for c in BarChange.objects.select_related("series").order_by("id")]
    assert [(c.username, c.old_close, c.new_close) for c in changes] == [
        ("alice", 71.41, 71.5),
        ("root", 71.5, 71.45),
    ]
    assert {(c.series.symbol, c.ts.date().isoformat(), c.source) for c in changes} == {
        ("KO", "2023-01-18", "api")
    }
    assert changes[0].old_source == "api" and changes[0].new_volume is None

    # the history is shared data: any signed-in user reads it, newest first
    h = await other_api.get("/api/bars/history", {"symbol": "KO"})
    assert h.status_code == 200, h.content
    page = h.json()
    assert page["count"] == 2
    assert [(c["user"], c["old"]["close"], c["new"]["close"]) for c in page["results"]] == [
        ("root", 71.5, 71.45),
        ("alice", 71.41, 71.5),
    ]
    assert page["results"][0]["ts"] == "2023-01-18T00:00:00Z"
    assert page["results"][0]["timeframe"] == "1d"
    none = await other_api.get("/api/bars/history", {"symbol": "KO", "start": "2023-01-19"})
    assert none.json()["count"] == 0
    assert (await Api().get("/api/bars/history")).status_code == 401


async def test_store_refusal_is_all_or_nothing_across_series(user: Any, other_user: Any) -> None:
    # the bulk path directly: one batch with a new series and a conflicting row of another
    # user's series writes nothing at all (the new series' bars included)
    owner = store.Writer.of(user)
    await store.aupsert(_columns("KO", ["2023-01-17", "2023-01-18"], [71.72, 71.41]), writer=owner)
    mallory = store.Writer.of(other_user)
    both = _concat(_columns("KO", ["2023-01-18"], [1.0]), _columns("NEWCO", ["2023-01-18"], [5.0]))
    with pytest.raises(store.SharedBarsConflict):
        await store.aupsert(both, writer=mallory)
    assert await ko_closes() == [71.72, 71.41]
    assert not await Bar.objects.filter(series__symbol="NEWCO").aexists()


def _columns(symbol: str, dates: list[str], closes: list[float]) -> store.BarColumns:
    c = np.asarray(closes, dtype=float)
    return store.BarColumns(
        symbol=np.array([symbol] * len(c), dtype=object),
        timeframe=np.array(["1d"] * len(c), dtype=object),
        ts=np.array(dates, dtype="datetime64[ns]"),
        open=c,
        high=c,
        low=c,
        close=c,
        volume=np.full(len(c), np.nan),
    )


def _concat(a: store.BarColumns, b: store.BarColumns) -> store.BarColumns:
    names = ("symbol", "timeframe", "ts", "open", "high", "low", "close", "volume")
    return store.BarColumns(**{n: np.concatenate([getattr(a, n), getattr(b, n)]) for n in names})
