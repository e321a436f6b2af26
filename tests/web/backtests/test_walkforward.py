"""Walk-forward over the API on a small real universe: folds, stitching, cancellation."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import numpy as np
import pandas as pd

from engine.backtest import Costs
from engine.walkforward import WalkForwardConfig, walk_forward
from tests.conftest import Api
from titan_web.backtests.models import WalkForwardRun
from titan_web.tasks.services import atask_wait

GRID = {"lookback": [20, 40], "entry_z": [1.5, 2.0], "exit_z": [0.5], "stop_z": [None]}
COSTS = {"cost_bps": 1.0, "slippage_bps": 0.0, "borrow_rate": 0.0}


async def test_walk_forward_folds_and_stitched_path(api: Api, universe: pd.DataFrame) -> None:
    config = {"train_bars": 300, "test_bars": 150, "embargo": 5, "top_k": 2, "grid": GRID,
              "min_trades": 1, "significance_level": 0.5}  # fmt: skip
    r = await api.post("/api/walkforward/", {"symbols": list(universe.columns), "config": config,
                                             "costs": COSTS, "capital": 100_000})  # fmt: skip
    assert r.status_code == 202, r.content
    task = await atask_wait(task_id=r.json()["id"], timeout=60)
    assert task.status == "succeeded", task.error
    assert task.result_url.startswith("/api/walkforward/")
    body = (await api.get(task.result_url)).json()
    assert body["status"] == "succeeded" and body["symbols"] == list(universe.columns)

    folds = body["folds"]
    # 900 bars: first test window at 300 + 5; windows of 150 → 305, 455, 605, 755 (last: 145).
    assert [(f["test_start"], f["test_end"]) for f in folds] == [
        (305, 455), (455, 605), (605, 755), (755, 900)]  # fmt: skip
    for f in folds:
        assert f["train_end"] - f["train_start"] == 300
        assert f["train_end"] + 5 == f["test_start"]  # embargo respected, train before test
        assert pd.Timestamp(f["test_start_ts"]) == universe.index[f["test_start"]]
        assert pd.Timestamp(f["train_end_ts"]) == universe.index[f["train_end"] - 1]
        for p in f["pairs"]:
            assert {p["symbol_y"], p["symbol_x"]} <= set(universe.columns)

    # The same walk-forward run by the engine directly: identical stitched path.
    ref = walk_forward(universe, config=WalkForwardConfig.from_dict(
        {**config, "n_folds": None, "costs": Costs(**COSTS), "capital": 100_000.0,
         "grid": {**GRID, "stop_z": (None,)}}))  # fmt: skip
    st = body["stitched"]
    assert st["bars"] == ref.bars.tolist()
    assert np.array_equal(np.array(st["equity"]), ref.equity)
    assert [pd.Timestamp(t) for t in st["ts"]] == list(universe.index[305:])
    assert body["metrics"]["headline"]["folds"] == 4
    assert body["metrics"]["oos_metrics"]["n_trades"] == ref.oos_metrics.n_trades
    assert "events" not in st and "weights_y" not in st  # compact: no per-slot arrays

    light = (await api.get(task.result_url, {"fields": "folds"})).json()
    assert "stitched" not in light and len(light["folds"]) == 4
    assert (await api.get("/api/walkforward/")).json()["count"] == 1


async def test_cancel_stops_between_folds(api: Api, other_api: Api, universe: pd.DataFrame) -> None:
    config = {"train_bars": 300, "test_bars": 20, "top_k": 2, "grid": GRID, "min_trades": 1,
              "significance_level": 0.5}  # fmt: skip
    r = await api.post("/api/walkforward/", {"symbols": list(universe.columns), "config": config})
    assert r.status_code == 202, r.content
    task_id = r.json()["id"]
    run = await WalkForwardRun.objects.aget(task_id=task_id)
    assert run.params["n_folds"] == 30
    assert (await other_api.get(f"/api/walkforward/{run.pk}/")).status_code == 404
    assert (await other_api.post(f"/api/tasks/{task_id}/cancel")).status_code == 404

    deadline = time.monotonic() + 30
    while len((await WalkForwardRun.objects.aget(pk=run.pk)).folds or []) < 1:
        assert time.monotonic() < deadline, "no fold finished"
        await asyncio.sleep(0.02)
    assert (await api.post(f"/api/tasks/{task_id}/cancel")).status_code in (200, 202)
    task = await atask_wait(task_id=task_id, timeout=30)
    assert task.status == "cancelled"
    run = await WalkForwardRun.objects.aget(pk=run.pk)
    assert 1 <= len(run.folds) < 120 and run.stitched is None and run.status == "cancelled"
    assert [f["index"] for f in run.folds] == list(range(len(run.folds)))  # whole folds only
    body = (await api.get(f"/api/walkforward/{run.pk}/")).json()
    assert body["status"] == "cancelled"


async def test_walk_forward_validation(api: Api, universe: pd.DataFrame) -> None:
    cases: list[tuple[dict[str, Any], int, str]] = [
        ({"symbols": ["KO"]}, 400, "symbols"),
        ({"symbols": ["KO", "KO"]}, 400, "symbols"),
        ({"config": {"window": "sliding"}}, 400, "config.window"),
        ({"config": {"train_bars": 30, "grid": {"lookback": [60]}}}, 400, "config"),
        ({"config": {"grid": {"entry_z": [0.5], "exit_z": [1.0]}}}, 400, "config"),
        ({"config": {"train_bars": 5000}}, 422, "config"),
        ({"symbols": ["KO", "NOPE"]}, 404, "symbols.1"),
    ]
    for payload, code, field in cases:
        r = await api.post("/api/walkforward/", payload)
        assert r.status_code == code, (payload, r.content)
        assert field in r.json()["errors"], (payload, r.json())
    assert await WalkForwardRun.objects.acount() == 0


async def test_folds_split_the_requested_span_with_history_before_it(
    api: Api, universe: pd.DataFrame
) -> None:
    """The first train window comes from the bars before `start`; n_folds split [start, end)."""
    config = {"train_bars": 300, "embargo": 5, "n_folds": 4, "top_k": 2, "grid": GRID,
              "min_trades": 1, "significance_level": 0.5}  # fmt: skip
    start = universe.index[400]
    r = await api.post("/api/walkforward/", {"symbols": list(universe.columns), "config": config,
                                             "start": start.isoformat()})  # fmt: skip
    assert r.status_code == 202, r.content
    task = await atask_wait(task_id=r.json()["id"], timeout=60)
    assert task.status == "succeeded", task.error
    body = (await api.get(task.result_url)).json()
    folds = body["folds"]
    # 500 requested bars in 4 test folds of 125; the first train window is [95, 395).
    assert [(f["test_start"], f["test_end"]) for f in folds] == [
        (400, 525), (525, 650), (650, 775), (775, 900)]  # fmt: skip
    assert (folds[0]["train_start"], folds[0]["train_end"]) == (95, 395)
    assert pd.Timestamp(folds[0]["test_start_ts"]) == start
    assert pd.Timestamp(folds[-1]["test_end_ts"]) == universe.index[-1]
    assert [pd.Timestamp(t) for t in body["stitched"]["ts"]] == list(universe.index[400:])
    assert body["params"]["start"] == start.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert body["params"]["history_start"] == universe.index[95].strftime("%Y-%m-%dT%H:%M:%SZ")
    assert body["warnings"] == [] or {w["code"] for w in body["warnings"]} <= {"few_trades"}
    m = body["metrics"]["oos_metrics"]
    assert m["n_closed_trades"] > 0 and m["hit_rate"] is not None
    assert m["turnover"] > 0 and m["total_costs"] > 0

    # Not enough history before `start`: the test windows start at the first bar with a full
    # train window, and the result says so.
    r = await api.post("/api/walkforward/", {"symbols": list(universe.columns), "config": config,
                                             "start": universe.index[100].isoformat()})  # fmt: skip
    assert r.status_code == 202, r.content
    run = await WalkForwardRun.objects.aget(task_id=r.json()["id"])
    assert run.params["start"] == universe.index[305].strftime("%Y-%m-%dT%H:%M:%SZ")
    assert [w["code"] for w in run.warnings] == ["warmup_truncated"]
    assert "305 bars" in run.warnings[0]["message"] and "100 exist" in run.warnings[0]["message"]
    await atask_wait(task_id=r.json()["id"], timeout=60)


async def test_layouts_that_miss_the_span_or_are_too_short_are_refused(
    api: Api, universe: pd.DataFrame
) -> None:
    base = {"train_bars": 300, "embargo": 5, "top_k": 2, "grid": GRID}
    symbols = list(universe.columns)
    cases = [
        # 4 folds of 50 bars cover 200 of the 595 requested bars
        ({**base, "n_folds": 4, "test_bars": 50}, None, "cover"),
        # 40 folds of 14 bars: too short for out-of-sample statistics
        ({**base, "n_folds": 40}, None, "fewer than the 20"),
        # a window of 10 bars at the end: not even one fold
        ({**base, "n_folds": 2}, universe.index[-10], "needs 325 bars"),
    ]
    for config, start, phrase in cases:
        payload: dict[str, Any] = {"symbols": symbols, "config": config}
        if start is not None:
            payload["start"] = start.isoformat()
        r = await api.post("/api/walkforward/", payload)
        assert r.status_code == 422, (config, r.content)
        assert phrase in r.json()["detail"], r.json()["detail"]
    assert "200 bars) of the requested" in (await api.post("/api/walkforward/", {
        "symbols": symbols, "config": cases[0][0]})).json()["detail"]  # fmt: skip
    assert await WalkForwardRun.objects.acount() == 0
