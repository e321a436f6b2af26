"""POST /api/replay/: stored history played forward for one user's monitors, as a task, with
the shared bar store untouched; PATCH /api/monitors/<id>/ pauses and resumes a monitor."""

from __future__ import annotations

import asyncio
from typing import Any

import numpy as np
import pandas as pd
import pytest
from asgiref.sync import sync_to_async

from engine.strategy import EVENT_LABELS, generate_signals
from tests.conftest import Api
from tests.web.signals import _data
from tests.web.signals.test_live import subscribe, ws
from titan_web.market import services as market
from titan_web.signals import services
from titan_web.signals.models import Monitor, Signal
from titan_web.tasks.services import atask_wait


async def setup(user: Any) -> tuple[Any, Any, pd.DataFrame]:
    frame = _data.closes("2017-01-01", "2019-12-31")
    await market.abars_ingest_rows(rows=_data.rows(frame))
    pair, ps = await sync_to_async(_data.make_pair_and_params)(user, frame.loc[:"2018-12-31"])
    return pair, ps, frame


async def bars_seen_by(api: Api) -> dict[str, Any]:
    r = await api.get("/api/bars/?symbols=KO,PEP&timeframe=1d")
    assert r.status_code == 200, r.content
    return r.json()


@pytest.mark.slow
async def test_replay_equals_the_backtest_and_leaves_the_bars_alone(
    api: Api, other_api: Api, user: Any, other_user: Any
) -> None:
    pair, ps, frame = await setup(user)
    monitor = await services.monitor_create(user=user, pair_id=pair.pk, parameter_set_id=ps.pk)
    state_before = (await Monitor.objects.aget(pk=monitor.pk)).state
    bars_before = await bars_seen_by(other_api)
    mine, theirs = await ws(user), await ws(other_user)
    await subscribe(mine, f"pair:{pair.pk}")
    await subscribe(theirs, "signals")

    r = await api.post(
        "/api/replay/", {"pair": pair.pk, "start": "2019-01-01T00:00:00Z", "speed": 0}
    )
    assert r.status_code == 202, r.content
    task = await atask_wait(task_id=r.json()["id"], timeout=60)
    assert task.status == "succeeded", task.error
    assert task.kind == "replay"

    stored = [s async for s in Signal.objects.filter(pair_id=pair.pk).order_by("seq")]
    # The backtest over the same bars (warm-up history included), same params and hedge.
    result = generate_signals(
        frame["KO"], frame["PEP"], params=_data.PARAMS, beta=pair.hedge_ratio, alpha=pair.intercept
    )
    in_2019 = np.asarray(frame.index >= pd.Timestamp("2019-01-01", tz="UTC"))
    idx = np.flatnonzero(in_2019 & (result.events != 0))
    expected = [(frame.index[i].to_pydatetime(), EVENT_LABELS[result.events[i]]) for i in idx]
    assert len(expected) >= 6
    assert [(s.ts, s.kind) for s in stored] == expected
    np.testing.assert_allclose([s.zscore for s in stored], result.zscore[idx], rtol=1e-9)
    assert [s.seq for s in stored] == list(range(1, len(expected) + 1))
    assert {s.source for s in stored} == {"replay"}
    assert task.result["signals"] == len(expected) and task.result["monitors"] == 1
    assert task.result["timestamps"] == task.result["replayed"] == int(in_2019.sum())

    got = [await mine.receive_json_from(timeout=3) for _ in stored]
    assert [(m["seq"], m["data"]["kind"]) for m in got] == [(s.seq, s.kind) for s in stored]
    assert {m["data"]["source"] for m in got} == {"replay"}
    assert {m["data"]["replay"] for m in got} == {str(task.pk)}
    assert await theirs.receive_nothing(timeout=0.3)  # only the owner's topics
    for comm in (mine, theirs):
        await comm.disconnect()

    assert await bars_seen_by(other_api) == bars_before
    assert (await Monitor.objects.aget(pk=monitor.pk)).state == state_before
    live = (await api.get(f"/api/signals/?pair={pair.pk}&source=live")).json()
    assert live["results"] == []
    replayed = (await api.get(f"/api/signals/?pair={pair.pk}&source=replay")).json()
    assert [row["seq"] for row in replayed["results"]] == [s.seq for s in stored]


async def test_cancel_stops_the_replay_within_one_bar_and_bars_stay(
    api: Api, other_api: Api, user: Any
) -> None:
    pair, ps, _ = await setup(user)
    await services.monitor_create(user=user, pair_id=pair.pk, parameter_set_id=ps.pk)
    bars_before = await bars_seen_by(other_api)
    r = await api.post(
        "/api/replay/", {"pair": pair.pk, "start": "2018-01-01T00:00:00Z", "speed": 50}
    )
    assert r.status_code == 202, r.content
    task_id = r.json()["id"]
    await asyncio.sleep(0.5)
    assert await bars_seen_by(other_api) == bars_before  # during the replay
    c = await api.post(f"/api/tasks/{task_id}/cancel")
    assert c.status_code in (200, 202), c.content
    task = await atask_wait(task_id=task_id, timeout=10)
    assert task.status == "cancelled"
    progress = task.progress
    await asyncio.sleep(0.3)
    stored = await Signal.objects.filter(pair_id=pair.pk).acount()
    # ~500 bars at 50/s would take 10 s; it stopped after ~0.5 s (at most one bar late).
    assert 0 < progress < 0.3
    await asyncio.sleep(0.3)
    assert await Signal.objects.filter(pair_id=pair.pk).acount() == stored
    assert await bars_seen_by(other_api) == bars_before


async def test_replay_validation(api: Api, other_api: Api, user: Any) -> None:
    pair, ps, _ = await setup(user)
    r = await api.post("/api/replay/", {"pair": pair.pk, "start": "2019-01-01T00:00:00Z"})
    assert r.status_code == 400 and "pair" in r.json()["errors"]  # no monitor yet
    await services.monitor_create(user=user, pair_id=pair.pk, parameter_set_id=ps.pk)
    r = await other_api.post("/api/replay/", {"pair": pair.pk, "start": "2019-01-01T00:00:00Z"})
    assert r.status_code == 400 and "pair" in r.json()["errors"]  # not their monitor
    r = await api.post("/api/replay/", {"start": "2019-01-01T00:00:00Z"})
    assert r.status_code == 400 and "pair" in r.json()["errors"]
    r = await api.post(
        "/api/replay/", {"pair": pair.pk, "start": "2019-01-01T00:00:00Z", "speed": -1}
    )
    assert r.status_code == 400 and "speed" in r.json()["errors"]
    r = await api.post(
        "/api/replay/",
        {"pair": pair.pk, "start": "2019-06-01T00:00:00Z", "end": "2019-01-01T00:00:00Z"},
    )
    assert r.status_code == 400 and "end" in r.json()["errors"]
    r = await api.post(
        "/api/replay/", {"symbols": ["KO"], "start": "2019-12-20T00:00:00Z", "speed": 0}
    )
    assert r.status_code == 202, r.content


async def test_pause_and_resume_a_monitor(api: Api, other_api: Api, user: Any) -> None:
    frame = _data.closes("2016-01-01", "2019-12-31")
    await market.abars_ingest_rows(rows=_data.rows(frame.loc[:"2018-12-31"]))
    pair, ps = await sync_to_async(_data.make_pair_and_params)(user, frame.loc[:"2018-12-31"])
    monitor = await services.monitor_create(user=user, pair_id=pair.pk, parameter_set_id=ps.pk)
    r = await api.patch(f"/api/monitors/{monitor.pk}/", {"active": False})
    assert r.status_code == 200 and r.json()["active"] is False, r.content
    assert (
        await other_api.patch(f"/api/monitors/{monitor.pk}/", {"active": True})
    ).status_code == 404
    assert (await api.patch(f"/api/monitors/{monitor.pk}/", {})).status_code == 400
    await market.abars_ingest_rows(rows=_data.rows(frame.loc["2019-01-01":]))
    assert await Signal.objects.acount() == 0  # paused: 2019 decides nothing
    r = await api.patch(f"/api/monitors/{monitor.pk}/", {"active": True})
    assert r.status_code == 200 and r.json()["active"] is True
    assert r.json()["last_ts"] == "2019-12-31T00:00:00.000000Z"
    assert await Signal.objects.acount() == 0  # no stale signals for the paused bars


async def test_bar_coverage(api: Api) -> None:
    frame = _data.closes("2018-01-01", "2018-12-31")
    await market.abars_ingest_rows(rows=_data.rows(frame))
    june = frame.loc["2018-06-01":"2018-06-30"]
    rows = [
        {**row, "symbol": {"KO": "XOM", "PEP": "CVX"}[row["symbol"]]} for row in _data.rows(june)
    ]
    await market.abars_ingest_rows(rows=rows)
    r = await api.get("/api/bars/coverage")
    assert r.status_code == 200, r.content
    got = {(row["symbol"], row["timeframe"]): row for row in r.json()}
    assert set(got) == {("KO", "1d"), ("PEP", "1d"), ("XOM", "1d"), ("CVX", "1d")}
    assert got[("KO", "1d")]["count"] == len(frame)
    assert got[("KO", "1d")]["first"].startswith(frame.index[0].strftime("%Y-%m-%d"))
    assert got[("KO", "1d")]["last"].startswith(frame.index[-1].strftime("%Y-%m-%d"))
    assert got[("XOM", "1d")]["count"] == len(june)
    r = await api.get("/api/bars/coverage?symbols=XOM&timeframe=1d")
    assert [row["symbol"] for row in r.json()] == ["XOM"]
    assert (await api.get("/api/bars/coverage?timeframe=7x")).status_code == 400
