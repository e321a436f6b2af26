"""Deletes refused while other rows use the object answer 409 naming them, never 500
(issue 12: deleting a pair that a monitor uses raised ProtectedError)."""

from __future__ import annotations

from typing import Any

from asgiref.sync import sync_to_async

from tests import factories
from tests.conftest import Api, issue_tokens


def _watched_pair(owner: Any, *, adaptive: bool = False) -> tuple[int, int, int]:
    from titan_web.research.models import ParameterSet
    from titan_web.signals.models import Monitor

    pair = factories.make_pair(owner=owner)
    pset = ParameterSet.objects.create(owner=owner, pair=pair)
    monitor = Monitor.objects.create(
        owner=owner, pair=pair, parameter_set=None if adaptive else pset, adaptive=adaptive
    )
    return pair.pk, pset.pk, monitor.pk


async def test_deleting_a_watched_pair_is_409_naming_the_monitors(api: Api, user: Any) -> None:
    pair_id, pset_id, monitor_id = await sync_to_async(_watched_pair)(user)
    r = await api.delete(f"/api/pairs/{pair_id}/")
    assert r.status_code == 409 and r["Content-Type"].startswith("application/problem+json")
    body = r.json()
    assert body["monitors"] == [monitor_id] and body["errors"]["monitors"] == [str(monitor_id)]
    assert f"monitor(s) {monitor_id}" in body["detail"]
    assert (await api.get(f"/api/pairs/{pair_id}/")).status_code == 200, "nothing deleted"
    # Once the monitor is gone the pair can go.
    assert (await api.delete(f"/api/monitors/{monitor_id}/")).status_code == 204
    assert (await api.delete(f"/api/pairs/{pair_id}/")).status_code == 204
    assert (await api.get(f"/api/parameters/{pset_id}/")).status_code == 404


async def test_an_adaptive_monitor_protects_its_pair_too(api: Api, user: Any) -> None:
    pair_id, _, monitor_id = await sync_to_async(_watched_pair)(user, adaptive=True)
    r = await api.delete(f"/api/pairs/{pair_id}/")
    assert r.status_code == 409 and r.json()["monitors"] == [monitor_id]


async def test_deleting_a_parameter_set_a_monitor_trades_is_409(api: Api, user: Any) -> None:
    _, pset_id, monitor_id = await sync_to_async(_watched_pair)(user)
    r = await api.delete(f"/api/parameters/{pset_id}/")
    assert r.status_code == 409 and r["Content-Type"].startswith("application/problem+json")
    assert r.json()["errors"]["used_by"] == [f"monitor {monitor_id}"]


async def test_deleting_a_symbol_used_by_a_pair_is_409_naming_the_pair(staff_user: Any) -> None:
    api = Api((await sync_to_async(issue_tokens)(staff_user))["access"])
    pair = await sync_to_async(factories.make_pair)(owner=staff_user)
    r = await api.delete(f"/api/symbols/{pair.symbol_1.ticker}/")
    assert r.status_code == 409 and r.json()["errors"]["used_by"] == [f"tradingpair {pair.pk}"]
