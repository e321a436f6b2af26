"""Backtests over the API on real demo prices, checked against the engine called directly and
against an independent recomputation of the equity from the returned weights."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from asgiref.sync import sync_to_async

from engine.backtest import Costs, backtest_pair
from engine.pairs import ols_hedge_ratio
from engine.strategy import StrategyParams
from tests import factories
from tests.conftest import Api
from titan_web.backtests.models import BacktestRun
from titan_web.market.models import Symbol
from titan_web.tasks.services import atask_wait

PARAMS = {"lookback": 30, "entry_z": 1.5, "exit_z": 0.25, "stop_z": 3.5, "max_holding": 40,
          "execution_lag": 1, "hedge": "static"}  # fmt: skip
COSTS = {"cost_bps": 2.0, "slippage_bps": 1.0, "borrow_rate": 0.03}


async def run_backtest(api: Api, payload: dict[str, Any]) -> dict[str, Any]:
    r = await api.post("/api/backtests/", payload)
    assert r.status_code == 202, r.content
    task = r.json()
    assert r["Location"] == f"/api/tasks/{task['id']}/"
    assert task["result_url"].startswith("/api/backtests/")
    done = await atask_wait(task_id=task["id"], timeout=300)  # a cold worker on a busy machine
    assert done.status == "succeeded", done.error
    assert done.result_url == task["result_url"]
    detail = await api.get(task["result_url"])
    assert detail.status_code == 200, detail.content
    body = detail.json()
    assert body["status"] == "succeeded" and body["task"] == task["id"]
    return body


def recompute_equity(body: dict[str, Any], y: np.ndarray, x: np.ndarray, costs: dict[str, float],
                     capital: float) -> np.ndarray:  # fmt: skip
    """E_t = E_{t-1} (1 + sum_i w_{i,t-1} r_{i,t} - k sum_i |dw_i| - b sum_i max(-w_{i,t-1}, 0))."""
    w = np.column_stack([body["weights"]["y"], body["weights"]["x"]])
    p = np.column_stack([y, x])
    r = p[1:] / p[:-1] - 1.0
    k = (costs["cost_bps"] + costs["slippage_bps"]) / 1e4
    b = costs["borrow_rate"] / 252
    prev, cur = w[:-1], w[1:]
    R = (prev * r).sum(1) - k * np.abs(cur - prev).sum(1) - b * np.clip(-prev, 0, None).sum(1)
    return capital * np.concatenate([[1.0], np.cumprod(1.0 + R)])


async def test_backtest_equals_engine_and_independent_recomputation(
    api: Api, ko_pep: pd.DataFrame
) -> None:
    start = ko_pep.index[400]
    body = await run_backtest(api, {"symbol_1": "KO", "symbol_2": "PEP", "params": PARAMS,
                                    "costs": COSTS, "capital": 250_000, "formation_bars": 252,
                                    "start": start.isoformat()})  # fmt: skip
    # History before `start`: the 252 formation bars, then the 30-bar z-score warm-up; trading
    # from `start` to the end (all of the requested window).
    L = PARAMS["lookback"]
    hedge = body["hedge"]
    assert hedge["source"] == "ols" and hedge["formation_bars"] == 252
    assert pd.Timestamp(hedge["formation_start"]) == ko_pep.index[400 - L - 252]
    assert pd.Timestamp(hedge["formation_end"]) == ko_pep.index[400 - L - 1]
    assert body["window"] == {
        "formation_start": hedge["formation_start"], "formation_end": hedge["formation_end"],
        "formation_bars": 252, "warmup_start": ko_pep.index[400 - L].strftime("%Y-%m-%dT%H:%M:%SZ"),
        "warmup_bars": L, "trading_start": start.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "trading_end": ko_pep.index[-1].strftime("%Y-%m-%dT%H:%M:%SZ"),
        "trading_bars": len(ko_pep) - 400,
    }  # fmt: skip
    form = ko_pep.iloc[400 - L - 252 : 400 - L]
    h = ols_hedge_ratio(np.log(form["KO"].to_numpy()), np.log(form["PEP"].to_numpy()))
    assert (hedge["beta"], hedge["alpha"]) == (h.beta, h.alpha)
    trade = ko_pep.iloc[400:]
    assert pd.Timestamp(body["start"]) == start and len(body["equity"]) == len(trade)
    assert [pd.Timestamp(t) for t in body["ts"]] == list(trade.index)
    assert np.isfinite(body["zscore"][0])  # warmed up from history

    # A run started L bars earlier cannot decide before bar L (its z-score is still warming
    # up) and from there decides exactly as the warmed-up run: its equity from bar L on is ours.
    early = ko_pep.iloc[400 - L :]
    ref = backtest_pair(early["KO"].to_numpy(), early["PEP"].to_numpy(),
                        params=StrategyParams(**PARAMS), beta=h.beta, alpha=h.alpha,
                        costs=Costs(**COSTS), capital=250_000)  # fmt: skip
    assert (ref.equity[:L] == 250_000).all()
    assert np.array_equal(np.array(body["equity"]), ref.equity[L:])  # exact
    assert np.array_equal(np.array(body["weights"]["y"]), ref.weights_y[L:])
    assert body["metrics"]["n_trades"] == ref.metrics.n_trades == len(body["trades"]) > 3
    for k in ("n_closed_trades", "hit_rate", "final_equity"):
        assert body["metrics"][k] == getattr(ref.metrics, k), k
    np.testing.assert_allclose(body["metrics"]["total_costs"], ref.metrics.total_costs, rtol=1e-12)
    assert body["warnings"] == []

    mine = recompute_equity(body, trade["KO"].to_numpy(), trade["PEP"].to_numpy(), COSTS, 250_000)
    np.testing.assert_allclose(body["equity"], mine, rtol=1e-10, atol=0)
    assert body["metrics"]["total_costs"] > 0

    light = (await api.get(f"/api/backtests/{body['id']}/", {"fields": "metrics"})).json()
    assert "equity" not in light and light["metrics"] == body["metrics"]
    some = (await api.get(f"/api/backtests/{body['id']}/", {"fields": "equity,trades"})).json()
    assert set(some) & {"equity", "trades", "weights"} == {"equity", "trades"}
    bad = await api.get(f"/api/backtests/{body['id']}/", {"fields": "nope"})
    assert bad.status_code == 400 and "fields" in bad.json()["errors"]


async def test_defaults_come_from_user_preferences(
    api: Api, user: Any, ko_pep: pd.DataFrame
) -> None:
    defaults = {"lookback": 25, "entry_z": 1.75, "exit_z": 0.3, "stop_z": None, "max_holding": 30}
    await BacktestRun.objects.acount()  # the DB is reachable from this loop

    def prefs() -> Any:
        user.capital, user.cost_bps, user.slippage_bps, user.borrow_rate = 123_456, 3.0, 0.5, 0.01
        user.default_params = defaults
        user.save()
        ko, pep = Symbol.objects.get(ticker="KO"), Symbol.objects.get(ticker="PEP")
        return factories.make_pair(owner=user, symbol_1=ko, symbol_2=pep, hedge_ratio=0.8,
                                   intercept=0.1)  # fmt: skip

    pair = await sync_to_async(prefs)()
    body = await run_backtest(api, {"pair": pair.pk})
    stored = body["params"]
    assert stored["strategy"] == {**defaults, "execution_lag": 1, "hedge": "static"}
    assert stored["costs"] == {"cost_bps": 3.0, "slippage_bps": 0.5, "borrow_rate": 0.01}
    assert stored["capital"] == 123_456.0 and body["equity"][0] == 123_456.0
    assert body["hedge"] == {"source": "pair", "beta": 0.8, "alpha": 0.1, "formation_start": None,
                             "formation_end": None, "formation_bars": 0}  # fmt: skip
    # no formation needed; the first 25 bars warm the z-score up and trading starts after them
    assert body["pair"] == pair.pk and len(body["equity"]) == len(ko_pep) - 25
    assert body["window"]["warmup_bars"] == 25 and body["window"]["formation_bars"] == 0
    ref = backtest_pair(ko_pep["KO"].to_numpy(), ko_pep["PEP"].to_numpy(),
                        params=StrategyParams(**defaults), beta=0.8, alpha=0.1,
                        costs=Costs(cost_bps=3.0, slippage_bps=0.5, borrow_rate=0.01),
                        capital=123_456.0)  # fmt: skip
    assert np.array_equal(np.array(body["equity"]), ref.equity[25:])
    # A parameter set overrides the preferences; the request overrides the parameter set.
    pset = (await api.post("/api/parameters/", {"pair": pair.pk, "lookback": 50, "entry_z": 2.5,
                                               "exit_z": 0.0, "stop_z": None})).json()  # fmt: skip
    body = await run_backtest(api, {"pair": pair.pk, "parameter_set": pset["id"],
                                    "params": {"exit_z": 0.5}})  # fmt: skip
    assert body["params"]["strategy"] == {"lookback": 50, "entry_z": 2.5, "exit_z": 0.5,
                                          "stop_z": None, "max_holding": None,
                                          "execution_lag": 1, "hedge": "static"}  # fmt: skip
    assert body["parameter_set"] == pset["id"]


async def test_dynamic_hedge_runs_the_causal_kalman_filter(api: Api, ko_pep: pd.DataFrame) -> None:
    from engine.pairs import kalman_hedge_ratio

    body = await run_backtest(api, {"symbol_1": "KO", "symbol_2": "PEP", "costs": COSTS,
                                    "params": {**PARAMS, "hedge": "dynamic"}})  # fmt: skip
    k = kalman_hedge_ratio(np.log(ko_pep["KO"].to_numpy()), np.log(ko_pep["PEP"].to_numpy()))
    L = PARAMS["lookback"]
    assert body["hedge"]["source"] == "kalman" and len(body["equity"]) == len(ko_pep) - L
    ref = backtest_pair(ko_pep["KO"].to_numpy(), ko_pep["PEP"].to_numpy(),
                        params=StrategyParams(**{**PARAMS, "hedge": "dynamic"}), beta=k.beta,
                        alpha=k.alpha, costs=Costs(**COSTS), capital=1_000_000.0)  # fmt: skip
    assert np.array_equal(np.array(body["equity"]), ref.equity[L:])


async def test_only_the_owner_and_staff_see_a_backtest(
    api: Api, other_api: Api, staff_api: Api, user: Any, ko_pep: pd.DataFrame
) -> None:
    body = await run_backtest(api, {"symbol_1": "KO", "symbol_2": "PEP"})
    url = f"/api/backtests/{body['id']}/"
    for path in (url, url + "lookahead"):
        r = await (other_api.get(path) if path == url else other_api.post(path, {}))
        assert r.status_code == 404 and r["Content-Type"].startswith("application/problem+json")
    assert (await other_api.get("/api/backtests/")).json()["count"] == 0
    assert (await other_api.delete(url)).status_code == 404
    assert (await staff_api.get(url)).status_code == 200
    listing = (await api.get("/api/backtests/", {"symbol": "PEP", "status": "succeeded"})).json()
    assert [b["id"] for b in listing["results"]] == [body["id"]]
    assert "equity" not in listing["results"][0]
    assert (await api.get("/api/backtests/", {"symbol": "XOM"})).json()["count"] == 0
    # Another user's pair in a request body: 404 naming the field.
    pair = await sync_to_async(lambda: factories.make_pair(
        owner=user, symbol_1=Symbol.objects.get(ticker="KO"),
        symbol_2=Symbol.objects.get(ticker="PEP")))()  # fmt: skip
    r = await other_api.post("/api/backtests/", {"pair": pair.pk})
    assert r.status_code == 404 and "pair" in r.json()["errors"]
    assert (await api.delete(url)).status_code == 204


@pytest.mark.parametrize(
    ("payload", "field"),
    [({"symbol_1": "KO"}, "symbol_2"),
     ({}, "pair"),
     ({"symbol_1": "KO", "symbol_2": "KO"}, "symbol_2"),
     ({"pair": 1, "symbol_1": "KO", "symbol_2": "PEP"}, "pair"),
     ({"symbol_1": "KO", "symbol_2": "PEP", "params": {"entry_z": 2, "exit_z": 2}}, "params.exit_z"),
     ({"symbol_1": "KO", "symbol_2": "PEP", "params": {"entry_z": 2, "stop_z": 1.5}}, "params.stop_z"),
     ({"symbol_1": "KO", "symbol_2": "PEP", "params": {"lookback": 1}}, "params.lookback"),
     ({"symbol_1": "KO", "symbol_2": "PEP", "params": {"hedge": "both"}}, "params.hedge"),
     ({"symbol_1": "KO", "symbol_2": "PEP", "costs": {"cost_bps": -1}}, "costs.cost_bps"),
     ({"symbol_1": "KO", "symbol_2": "PEP", "capital": 0}, "capital"),
     ({"symbol_1": "KO", "symbol_2": "PEP", "intercept": 0.1}, "intercept"),
     ({"symbol_1": "KO", "symbol_2": "PEP", "start": "2020-01-01", "end": "2019-01-01"}, "end"),
     ({"symbol_1": "KO", "symbol_2": "PEP", "regime_method": "hmm"}, "regime_method")],
)  # fmt: skip
async def test_backtest_validation(api: Api, payload: dict[str, Any], field: str) -> None:
    r = await api.post("/api/backtests/", payload)
    assert r.status_code == 400, r.content
    assert r["Content-Type"].startswith("application/problem+json")
    assert field in r.json()["errors"], r.json()


async def test_validation_after_merging_with_preferences(
    api: Api, user: Any, ko_pep: pd.DataFrame
) -> None:
    # entry_z 1.0 from the request with exit_z 0.5... fine; exit_z above the default entry_z not.
    r = await api.post("/api/backtests/", {"symbol_1": "KO", "symbol_2": "PEP",
                                           "params": {"exit_z": 2.5}})  # fmt: skip
    assert r.status_code == 400 and "params.exit_z" in r.json()["errors"]
    r = await api.post("/api/backtests/", {"symbol_1": "KO", "symbol_2": "NOPE"})
    assert r.status_code == 404 and "NOPE" in r.json()["detail"]
    r = await api.post("/api/backtests/", {"symbol_1": "KO", "symbol_2": "PEP",
                                           "start": ko_pep.index[-10].isoformat()})  # fmt: skip
    assert r.status_code == 422 and r.json()["type"].endswith("/not-enough-data")
    r = await api.post("/api/backtests/", {"symbol_1": "KO", "symbol_2": "PEP", "adaptive": True})
    assert r.status_code == 400 and "pair" in r.json()["errors"]
    assert await BacktestRun.objects.acount() == 0


async def test_lookahead_check_passes_for_a_normal_backtest(api: Api, ko_pep: pd.DataFrame) -> None:
    body = await run_backtest(api, {"symbol_1": "KO", "symbol_2": "PEP", "params": PARAMS,
                                    "costs": COSTS})  # fmt: skip
    r = await api.post(f"/api/backtests/{body['id']}/lookahead", {"cuts": 3})
    assert r.status_code == 202, r.content
    task = await atask_wait(task_id=r.json()["id"], timeout=30)
    assert task.status == "succeeded", task.error
    report = task.result
    assert report["ok"] is True and report["checks_run"] == 3 and report["n_differences"] == 0
    assert report["values_compared"] > 0 and report["warnings"] == []
    assert all(c >= 252 + PARAMS["lookback"] for c in report["cuts"])  # after formation + warm-up
    detail = (await api.get(f"/api/backtests/{body['id']}/", {"fields": "metrics"})).json()
    assert detail["lookahead_ok"] is True and detail["lookahead"]["cuts"] == report["cuts"]


async def test_lookahead_command_prints_the_report(api: Api, ko_pep: pd.DataFrame) -> None:
    import io

    from django.core.management import call_command

    body = await run_backtest(api, {"symbol_1": "KO", "symbol_2": "PEP", "params": PARAMS})
    for args in (["--backtest", str(body["id"])], ["--symbols", "KO,PEP", "--cuts", "2"]):
        out = io.StringIO()
        await sync_to_async(call_command, thread_sensitive=False)("lookahead", *args, stdout=out)
        text = out.getvalue()
        assert "LookaheadReport(backtest KO/PEP): OK" in text and "no lookahead" in text, text
