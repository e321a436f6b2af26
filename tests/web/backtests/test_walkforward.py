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
    config = {"train_bars": 300, "test_bars": 5, "top_k": 2, "grid": GRID, "min_trades": 1,
              "significance_level": 0.5}  # fmt: skip
    r = await api.post("/api/walkforward/", {"symbols": list(universe.columns), "config": config})
    assert r.status_code == 202, r.content
    task_id = r.json()["id"]
    run = await WalkForwardRun.objects.aget(task_id=task_id)
    assert run.params["n_folds"] == 120
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
