"""REST: /api/monitors/ (owner-only, 404 otherwise) and /api/signals/ (seq cursor)."""

from __future__ import annotations

from typing import Any

from asgiref.sync import sync_to_async

from tests import factories
from tests.conftest import Api
from tests.web.signals import _data
from titan_web.market import services as market
from titan_web.signals.models import Monitor, Signal


async def make_pair(user: Any) -> tuple[Any, Any]:
    history = _data.closes("2017-01-01", "2018-12-31")
    await market.abars_ingest_rows(rows=_data.rows(history))
    return await sync_to_async(_data.make_pair_and_params)(user, history)


async def test_monitor_create_list_get_delete(api: Api, other_api: Api, user: Any) -> None:
    pair, ps = await make_pair(user)
    r = await api.post("/api/monitors/", {"pair": pair.pk, "parameter_set": ps.pk})
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["pair_id"] == pair.pk and body["parameter_set_id"] == ps.pk
    assert (body["symbol_1"], body["symbol_2"], body["timeframe"]) == ("KO", "PEP", "1d")
    assert body["last_ts"] == "2018-12-31T00:00:00.000000Z" and body["position"] in (-1, 0, 1)
    monitor = await Monitor.objects.aget(pk=body["id"])
    assert monitor.state["bars"] == 502 and monitor.owner_id == user.pk

    listed = (await api.get("/api/monitors/")).json()
    assert listed["count"] == 1 and listed["results"][0]["id"] == body["id"]
    assert (await other_api.get("/api/monitors/")).json()["count"] == 0
    assert (await other_api.get(f"/api/monitors/{body['id']}/")).status_code == 404
    assert (await other_api.delete(f"/api/monitors/{body['id']}/")).status_code == 404
    assert (await api.get(f"/api/monitors/{body['id']}/")).status_code == 200
    assert (await api.delete(f"/api/monitors/{body['id']}/")).status_code == 204
    assert not await Monitor.objects.filter(pk=body["id"]).aexists()


async def test_monitor_create_validation(api: Api, other_api: Api, user: Any) -> None:
    pair, ps = await make_pair(user)
    r = await api.post("/api/monitors/", {"pair": pair.pk})
    assert r.status_code == 400 and "parameter_set" in r.json()["errors"]
    r = await other_api.post("/api/monitors/", {"pair": pair.pk, "parameter_set": ps.pk})
    assert r.status_code == 404  # another user's pair
    r = await api.post("/api/monitors/", {"pair": pair.pk, "parameter_set": 999999})
    assert r.status_code == 400 and "parameter_set" in r.json()["errors"]
    bare = await sync_to_async(factories.make_pair)(owner=user)  # never analyzed: no hedge
    r = await api.post("/api/monitors/", {"pair": bare.pk, "parameter_set": ps.pk})
    assert r.status_code == 422 and "pair" in r.json()["errors"]
    r = await api.post("/api/monitors/", {"pair": pair.pk, "adaptive": True})
    assert r.status_code == 201, r.content  # the pair's parameter set is the fallback


async def test_signal_history_is_owner_only_and_seq_paginated(
    api: Api, other_api: Api, user: Any, other_user: Any
) -> None:
    pair = await sync_to_async(factories.make_pair)(owner=user)
    foreign = await sync_to_async(factories.make_pair)(owner=other_user)
    for p in (pair, foreign):
        for seq in range(1, 8):
            await Signal.objects.acreate(
                pair_id=p.pk,
                seq=seq,
                ts=f"2024-01-{seq:02d}T00:00:00Z",
                monitor_id=1,
                kind="enter_long",
                zscore=-2.0,
                spread=0.1,
                price_1=1.0,
                price_2=2.0,
            )
    r = await api.get("/api/signals/", {"pair": pair.pk, "since_seq": 2, "limit": 3})
    page = r.json()
    assert [s["seq"] for s in page["results"]] == [3, 4, 5]
    assert "since_seq=5" in page["next"]
    nxt = (await api.get(page["next"])).json()
    assert [s["seq"] for s in nxt["results"]] == [6, 7] and nxt["next"] is None
    r = await api.get("/api/signals/", {"pair": pair.pk, "since_seq": 2, "until_seq": 4})
    assert [s["seq"] for s in r.json()["results"]] == [3, 4]
    r = await api.get("/api/signals/", {"pair": pair.pk, "start": "2024-01-06T00:00:00Z"})
    assert [s["seq"] for s in r.json()["results"]] == [6, 7]
    everything = (await api.get("/api/signals/")).json()["results"]
    assert {s["pair_id"] for s in everything} == {pair.pk}
    assert (await other_api.get("/api/signals/", {"pair": pair.pk})).status_code == 404
    assert (await api.get("/api/signals/", {"since_seq": 1})).status_code == 400
    assert (await api.get("/api/signals/", {"limit": 0})).status_code == 400
