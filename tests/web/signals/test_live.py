"""The live signal service: bars ingested one day at a time produce exactly the decisions of
the vectorized backtest (``engine.strategy.generate_signals``), stored with per-pair seqs,
then published to ``pair:<id>`` and to the owner's ``signals`` topic."""

from __future__ import annotations

import asyncio
from typing import Any

import numpy as np
import pandas as pd
import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import connections

from engine.strategy import EVENT_LABELS, generate_signals
from tests.conftest import aissue_tokens
from tests.web.signals import _data
from titan_web.asgi import application
from titan_web.market import services as market
from titan_web.signals import services
from titan_web.signals.models import Monitor, Signal


async def ws(user: Any) -> WebsocketCommunicator:
    comm = WebsocketCommunicator(application, "/ws/stream/")
    assert (await comm.connect(timeout=3))[0]
    await comm.send_json_to({"type": "auth", "token": (await aissue_tokens(user))["access"]})
    assert (await comm.receive_json_from(timeout=3))["type"] == "authenticated"
    return comm


async def subscribe(comm: WebsocketCommunicator, topic: str) -> None:
    await comm.send_json_to({"type": "subscribe", "topic": topic})
    assert await comm.receive_json_from(timeout=3) == {"type": "subscribed", "topic": topic}


async def setup_pair(user: Any) -> tuple[Any, Any, pd.DataFrame]:
    frame = _data.closes("2014-01-01", "2019-12-31")
    history = frame.loc[:"2018-12-31"]
    await market.abars_ingest_rows(rows=_data.rows(history))
    pair, ps = await sync_to_async(_data.make_pair_and_params)(user, history)
    return pair, ps, frame


@pytest.mark.slow
async def test_replaying_2019_live_equals_the_backtest(user: Any, other_user: Any) -> None:
    pair, ps, frame = await setup_pair(user)
    monitor = await services.monitor_create(user=user, pair_id=pair.pk, parameter_set_id=ps.pk)
    assert monitor.state["last_ts"] == "2018-12-31T00:00:00.000000Z"
    assert await Signal.objects.acount() == 0  # warm-up emits nothing

    pair_ws, mine, theirs = await ws(user), await ws(user), await ws(other_user)
    await subscribe(pair_ws, f"pair:{pair.pk}")
    await subscribe(mine, "signals")
    await subscribe(theirs, "signals")

    live = frame.loc["2019-01-01":]
    for day in range(len(live)):
        await market.abars_ingest_rows(rows=_data.rows(live.iloc[day : day + 1]), source="replay")

    stored = [s async for s in Signal.objects.filter(pair_id=pair.pk).order_by("seq")]
    # The backtest over the same bars (warm-up history included), same params and hedge.
    result = generate_signals(
        frame["KO"], frame["PEP"], params=_data.PARAMS, beta=pair.hedge_ratio, alpha=pair.intercept
    )
    in_2019 = np.asarray(frame.index >= pd.Timestamp("2019-01-01", tz="UTC"))
    idx = np.flatnonzero(in_2019 & (result.events != 0))
    expected = [(frame.index[i].to_pydatetime(), EVENT_LABELS[result.events[i]]) for i in idx]
    assert len(expected) >= 6, "the fixture should trade several times in 2019"
    assert {k for _, k in expected} >= {"enter_long", "enter_short", "exit"}
    assert [(s.ts, s.kind) for s in stored] == expected
    np.testing.assert_allclose([s.zscore for s in stored], result.zscore[idx], rtol=1e-9)
    assert [s.seq for s in stored] == list(range(1, len(stored) + 1))
    assert {s.monitor_id for s in stored} == {monitor.pk}
    assert {s.params_id for s in stored} == {ps.pk}

    got = [await pair_ws.receive_json_from(timeout=3) for _ in stored]
    assert [(m["seq"], m["data"]["kind"]) for m in got] == [(s.seq, s.kind) for s in stored]
    assert all(m["topic"] == f"pair:{pair.pk}" for m in got)
    own = [await mine.receive_json_from(timeout=3) for _ in stored]
    assert [(m["topic"], m["seq"]) for m in own] == [("signals", s.seq) for s in stored]
    assert await theirs.receive_nothing(timeout=0.3)
    for comm in (pair_ws, mine, theirs):
        await comm.disconnect()

    state = (await Monitor.objects.aget(pk=monitor.pk)).state
    assert state["last_ts"] == "2019-12-31T00:00:00.000000Z"
    assert state["strategy"]["position"] == int(result.position[-1])


async def test_seqs_stay_unique_when_monitors_of_a_pair_run_concurrently(
    user: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    pair, ps, frame = await setup_pair(user)
    from titan_web.research.models import ParameterSet

    ps2 = await ParameterSet.objects.acreate(
        owner=user, pair=pair, lookback=10, entry_z=1.0, exit_z=0.0, stop_z=None
    )
    m1 = await services.monitor_create(user=user, pair_id=pair.pk, parameter_set_id=ps.pk)
    m2 = await services.monitor_create(user=user, pair_id=pair.pk, parameter_set_id=ps2.pk)
    monkeypatch.setattr(market, "_ingest_listeners", [])  # evaluate by hand, concurrently
    await market.abars_ingest_rows(rows=_data.rows(frame.loc["2019-01-01":"2019-06-30"]))
    await asyncio.gather(
        services.monitor_evaluate(monitor_id=m1.pk),
        services.monitor_evaluate(monitor_id=m2.pk),
        services.monitor_evaluate(monitor_id=m1.pk),
        services.monitor_evaluate(monitor_id=m2.pk),
    )
    stored = [s async for s in Signal.objects.filter(pair_id=pair.pk).order_by("seq")]
    assert len(stored) > 4
    assert [s.seq for s in stored] == list(range(1, len(stored) + 1))
    keys = [(s.monitor_id, s.ts) for s in stored]
    assert len(keys) == len(set(keys)), "a decision was stored twice"
    assert {s.monitor_id for s in stored} == {m1.pk, m2.pk}
    # Evaluating again finds nothing new.
    assert await services.monitor_evaluate(monitor_id=m1.pk) == []


async def test_seq_commits_from_parallel_threads_never_collide(user: Any) -> None:
    """What two workers do at once: commit decisions of different monitors of one pair from
    separate threads (no in-process lock). PostgreSQL serializes them with the advisory lock."""
    if connections["timescale"].vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time and no advisory locks")
    pair, ps, _ = await setup_pair(user)
    monitors = [
        await services.monitor_create(user=user, pair_id=pair.pk, parameter_set_id=ps.pk)
        for _ in range(4)
    ]

    def decisions(day0: int) -> list[dict[str, Any]]:
        return [
            {
                "ts": f"2020-01-{day0 + d:02d}T00:00:00Z",
                "kind": "enter_long",
                "zscore": -2.0,
                "spread": 0.1,
                "price_1": 50.0,
                "price_2": 60.0,
                "regime": None,
                "params_id": ps.pk,
            }
            for d in range(5)
        ]

    commit = sync_to_async(services._commit, thread_sensitive=False)
    results = await asyncio.gather(
        *(
            commit(
                monitor_id=m.pk,
                pair_id=pair.pk,
                expected_last_ts=m.state["last_ts"],
                state=m.state,
                decisions=decisions(1 + 5 * k),
            )
            for k, m in enumerate(monitors)
        )
    )
    assert all(r is not None and len(r) == 5 for r in results)
    seqs = sorted(
        [s async for s in Signal.objects.filter(pair_id=pair.pk).values_list("seq", flat=True)]
    )
    assert seqs == list(range(1, 21))


async def test_replay_feed_plays_history_forward_as_live_bars(user: Any) -> None:
    from titan_web.signals.management.commands.replay import areplay

    frame = _data.closes("2017-01-01", "2019-12-31")
    await market.abars_ingest_rows(rows=_data.rows(frame))  # 2019 is already stored
    pair, ps = await sync_to_async(_data.make_pair_and_params)(user, frame.loc[:"2018-12-31"])
    monitor = await services.monitor_create(user=user, pair_id=pair.pk, parameter_set_id=ps.pk)
    assert monitor.state["last_ts"].startswith("2019-12-31")
    result = await areplay(
        symbols=["KO", "PEP"],
        start=pd.Timestamp("2019-01-01", tz="UTC").to_pydatetime(),
        speed=0,
        progress=False,
    )
    assert result["timestamps"] == len(frame.loc["2019-01-01":]) and result["monitors"] == 1
    stored = [s async for s in Signal.objects.filter(pair_id=pair.pk).order_by("seq")]
    res = generate_signals(
        frame["KO"], frame["PEP"], params=_data.PARAMS, beta=pair.hedge_ratio, alpha=pair.intercept
    )
    in_2019 = np.asarray(frame.index >= pd.Timestamp("2019-01-01", tz="UTC"))
    idx = np.flatnonzero(in_2019 & (res.events != 0))
    assert result["signals"] == len(stored) == len(idx) > 0
    assert [s.ts for s in stored] == [frame.index[i].to_pydatetime() for i in idx]


@pytest.mark.parametrize("stop", ["error", "cancel"])
async def test_replay_stopped_part_way_puts_every_bar_back(
    user: Any, monkeypatch: pytest.MonkeyPatch, stop: str
) -> None:
    """``manage.py replay`` takes the window's bars out of the store first: a failure or a
    Ctrl-C (the run cancelled) part way ingests the bars not replayed yet before it stops,
    so the store holds the same bars afterwards, value for value."""
    from titan_web.market import store
    from titan_web.signals.management.commands.replay import areplay

    frame = _data.closes("2018-01-01", "2019-12-31")
    await market.abars_ingest_rows(rows=_data.rows(frame))
    pair, ps = await sync_to_async(_data.make_pair_and_params)(user, frame.loc[:"2018-12-31"])
    await services.monitor_create(user=user, pair_id=pair.pk, parameter_set_id=ps.pk)
    before = {s: await store.abars(s, timeframe="1d") for s in ("KO", "PEP")}

    ingest = market.abars_ingest_rows
    calls = 0
    fifth = asyncio.Event()

    async def flaky(**kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls == 6 and stop == "error":
            raise RuntimeError("database went away")
        if calls == 5:
            fifth.set()
        return await ingest(**kwargs)

    monkeypatch.setattr(market, "abars_ingest_rows", flaky)
    run = asyncio.ensure_future(
        areplay(
            symbols=["KO", "PEP"],
            start=pd.Timestamp("2019-01-01", tz="UTC").to_pydatetime(),
            speed=0 if stop == "error" else 50,
            progress=False,
        )
    )
    if stop == "error":
        with pytest.raises(RuntimeError, match="went away"):
            await run
    else:
        await fifth.wait()
        run.cancel()
        with pytest.raises(asyncio.CancelledError):
            await run
    assert calls >= 6  # five bars replayed, then the rest put back in one ingest
    after = {s: await store.abars(s, timeframe="1d") for s in ("KO", "PEP")}
    for s in before:
        assert len(after[s].ts) == len(before[s].ts) == len(frame)
        np.testing.assert_array_equal(after[s].ts, before[s].ts)
        for col in ("open", "high", "low", "close"):
            np.testing.assert_array_equal(getattr(after[s], col), getattr(before[s], col))


@pytest.mark.slow
async def test_an_adaptive_monitor_live_equals_the_adaptive_backtest(user: Any) -> None:
    """An adaptive monitor (a parameter set per regime label, switched as the regime changes)
    fed 2019 one day at a time stores exactly the decisions of the engine's vectorized
    adaptive backtest over the same bars and labels: kind, z-score, regime, parameter set."""
    from engine.params import ParameterSet as EngineParameterSet
    from engine.params import backtest_adaptive
    from engine.strategy import StrategyParams
    from titan_web.research.models import ParameterSet, Regime

    pair, fallback, frame = await setup_pair(user)
    # Regime spans with two switches inside 2019 (and several in the warm-up years).
    spans = [
        ("2014-01-01", "2016-06-30", 0),
        ("2016-07-01", "2017-12-31", 1),
        ("2018-01-01", "2019-03-31", 0),
        ("2019-04-01", "2019-08-30", 1),
        ("2019-09-03", None, 0),
    ]
    for start, end, label in spans:
        await Regime.objects.acreate(
            owner=user,
            pair=pair,
            method="volatility",
            label=label,
            start=pd.Timestamp(start, tz="UTC").to_pydatetime(),
            end=None if end is None else pd.Timestamp(end, tz="UTC").to_pydatetime(),
        )
    calm = StrategyParams(lookback=20, entry_z=1.5, exit_z=0.25, stop_z=3.0, max_holding=40)
    wild = StrategyParams(lookback=30, entry_z=1.0, exit_z=0.1, stop_z=2.5, max_holding=20)
    ids = {}
    for label, p in ((0, calm), (1, wild)):
        ps = await ParameterSet.objects.acreate(
            owner=user,
            pair=pair,
            regime_method="volatility",
            regime_label=label,
            **_data.param_fields(p),
        )
        ids[p] = ps.pk
    monitor = await services.monitor_create(
        user=user, pair_id=pair.pk, parameter_set_id=fallback.pk, adaptive=True
    )
    live = frame.loc["2019-01-01":]
    for day in range(len(live)):
        await market.abars_ingest_rows(rows=_data.rows(live.iloc[day : day + 1]), source="replay")
    stored = [s async for s in Signal.objects.filter(pair_id=pair.pk).order_by("seq")]

    # The labels written out by hand from the spans (each bar: the span that covers it).
    labels = np.full(len(frame), -1, dtype=np.int64)
    for start, end, label in spans:
        hit = frame.index >= pd.Timestamp(start, tz="UTC")
        if end is not None:
            hit &= frame.index <= pd.Timestamp(end, tz="UTC")
        labels[hit] = label
    assert (labels >= 0).all()
    res = backtest_adaptive(
        frame["KO"].to_numpy(),
        frame["PEP"].to_numpy(),
        labels,
        parameter_set=EngineParameterSet(regimes=((0, calm), (1, wild)), fallback=_data.PARAMS),
        beta=pair.hedge_ratio,
        alpha=pair.intercept,
    )
    in_2019 = np.asarray(frame.index >= pd.Timestamp("2019-01-01", tz="UTC"))
    idx = np.flatnonzero(in_2019 & (res.events != 0))
    expected = [(frame.index[i].to_pydatetime(), EVENT_LABELS[res.events[i]]) for i in idx]
    assert len(expected) >= 6, "the fixture should trade several times in 2019"
    assert {int(labels[i]) for i in idx} == {0, 1}, "both regimes should trade in 2019"
    assert [(s.ts, s.kind) for s in stored] == expected
    np.testing.assert_allclose([s.zscore for s in stored], res.zscore[idx], rtol=1e-9)
    assert [s.regime for s in stored] == [int(labels[i]) for i in idx]
    assert [s.params_id for s in stored] == [ids[res.sets[res.governing_set[i]]] for i in idx]
    assert {s.monitor_id for s in stored} == {monitor.pk}
    state = (await Monitor.objects.aget(pk=monitor.pk)).state
    assert state["last_ts"] == "2019-12-31T00:00:00.000000Z"
