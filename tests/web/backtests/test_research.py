"""Regimes, parameter sets and optimization over the API on real demo prices."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from asgiref.sync import sync_to_async

from engine.backtest import Costs
from engine.data.demo import load_demo_closes
from engine.params import ParamGrid, optimize_params
from engine.regimes import volatility_regimes
from tests import factories
from tests.conftest import Api
from tests.web.backtests.conftest import ingest
from titan_web.backtests import services
from titan_web.market.models import Symbol
from titan_web.research.models import ParameterSet, Regime
from titan_web.tasks.services import atask_wait

VOL = {"window": 10, "min_history": 60}


async def make_pair(user: Any, **fields: Any) -> Any:
    def make() -> Any:
        ko, pep = Symbol.objects.get(ticker="KO"), Symbol.objects.get(ticker="PEP")
        return factories.make_pair(owner=user, symbol_1=ko, symbol_2=pep, **fields)

    return await sync_to_async(make)()


# ----------------------------------------------------------------------------- regimes


async def test_detect_stores_spans_of_the_pairs_regimes(
    api: Api, other_api: Api, user: Any, ko_pep: pd.DataFrame
) -> None:
    pair = await make_pair(user, hedge_ratio=0.8, intercept=0.0)
    r = await api.post("/api/regimes/detect", {"pair": pair.pk, "options": VOL})
    assert r.status_code == 201, r.content
    body = r.json()
    # The series: mean log return of the two legs, labelled by the engine's causal detector.
    lp = np.log(ko_pep.to_numpy())
    series = np.concatenate([[np.nan], np.diff(lp, axis=0).mean(axis=1)])
    ref = volatility_regimes(series, **VOL)
    assert body["labels"] == ref.labels.tolist() and body["n_regimes"] == 2
    assert len(body["spans"]) == len(ref.spans) > 3
    assert body["warnings"] == []
    short = await api.post("/api/regimes/detect", {
        "pair": pair.pk, "options": VOL, "store": False, "start": ko_pep.index[0].isoformat(),
        "end": ko_pep.index[149].isoformat()})  # fmt: skip
    assert [w["code"] for w in short.json()["warnings"]] == ["short_history"]
    assert "150 1d bars" in short.json()["warnings"][0]["message"]
    for span, s in zip(body["spans"], ref.spans, strict=True):
        assert span["label"] == s.label and span["pair"] == pair.pk
        assert pd.Timestamp(span["start"]) == ko_pep.index[s.start]
        assert pd.Timestamp(span["end"]) == ko_pep.index[s.end - 1]
        assert span["name"] == {-1: "unknown", 0: "low", 1: "high"}[s.label]
    listing = (await api.get("/api/regimes/", {"pair": pair.pk, "method": "volatility"})).json()
    assert listing["count"] == len(ref.spans)
    # Detecting again replaces the spans; another user sees none of them.
    r = await api.post("/api/regimes/detect", {"pair": pair.pk, "options": VOL})
    assert await Regime.objects.acount() == len(ref.spans)
    assert (await other_api.get("/api/regimes/")).json()["count"] == 0
    r = await other_api.post("/api/regimes/detect", {"pair": pair.pk})
    assert r.status_code == 404 and "pair" in r.json()["errors"]
    r = await api.post("/api/regimes/detect", {"symbol": "KO", "options": VOL, "store": False})
    assert (
        r.status_code == 200 and r.json()["symbol"] == "KO" and r.json()["spans"][0]["id"] is None
    )
    assert (await api.get("/api/regimes/", {"symbol": "KO"})).json()["count"] == 0


@pytest.mark.parametrize(
    ("payload", "field"),
    [({}, "pair"), ({"pair": 1, "symbol": "KO"}, "pair"),
     ({"symbol": "KO", "method": "hmm"}, "method"),
     ({"symbol": "KO", "options": {"windw": 5}}, "options"),
     ({"symbol": "KO", "options": {"window": 1}}, "options")],
)  # fmt: skip
async def test_detect_validation(
    api: Api, ko_pep: pd.DataFrame, payload: dict[str, Any], field: str
) -> None:
    r = await api.post("/api/regimes/detect", payload)
    assert r.status_code in (400, 404) and field in r.json()["errors"], r.content


async def test_detection_is_causal_under_later_price_changes(user: Any) -> None:
    """Changing prices after bar c leaves every label up to c unchanged (service level)."""
    closes = load_demo_closes(["XOM"]).iloc[-300:]
    await ingest(closes)
    target = await services.regime_target(user=user, pair=None, symbol="XOM", timeframe="1d")
    first = await services.regimes_detect(user=user, target=target, options=VOL, store=False)
    c = 200
    shocked = closes.copy()
    shocked.iloc[c + 1 :] *= np.exp(
        np.cumsum(np.random.default_rng(7).normal(0, 0.05, 300 - c - 1))
    )[:, None]
    await ingest(shocked)
    second = await services.regimes_detect(user=user, target=target, options=VOL, store=True)
    assert first["labels"][: c + 1] == second["labels"][: c + 1]
    assert first["labels"][c + 1 :] != second["labels"][c + 1 :]  # the shock did change later bars
    assert await Regime.objects.filter(symbol__ticker="XOM").acount() == len(second["spans"])


# ----------------------------------------------------------------------------- parameters


async def test_parameter_sets_crud_and_validation(
    api: Api, other_api: Api, user: Any, ko_pep: pd.DataFrame
) -> None:
    pair = await make_pair(user)
    r = await api.post("/api/parameters/", {"pair": pair.pk, "regime_method": "volatility",
                                            "regime_label": 1, "lookback": 30, "entry_z": 2.2,
                                            "exit_z": 0.4, "stop_z": 3.8, "max_holding": 20})  # fmt: skip
    assert r.status_code == 201, r.content
    pset = r.json()
    assert pset["source"] == "manual" and pset["pair"] == pair.pk and pset["regime_label"] == 1
    for bad, field in [({"entry_z": 2.0, "exit_z": 2.0}, "exit_z"),
                       ({"entry_z": 2.0, "stop_z": 2.0}, "stop_z"),
                       ({"lookback": 1}, "lookback"), ({"max_holding": 0}, "max_holding"),
                       ({"regime_label": 0}, "regime_method"), ({"hedge": "x"}, "hedge")]:  # fmt: skip
        r = await api.post("/api/parameters/", bad)
        assert r.status_code == 400 and field in r.json()["errors"], (bad, r.content)
    url = f"/api/parameters/{pset['id']}/"
    # A change valid alone but not with the stored values is refused, naming the field.
    r = await api.patch(url, {"entry_z": 0.3})
    assert r.status_code == 400 and "exit_z" in r.json()["errors"], r.content
    r = await api.patch(url, {"entry_z": 2.5, "name": "calm"})
    assert r.status_code == 200 and r.json()["entry_z"] == 2.5 and r.json()["name"] == "calm"
    assert (await other_api.get(url)).status_code == 404
    assert (await other_api.patch(url, {"name": "x"})).status_code == 404
    assert (await other_api.get("/api/parameters/")).json()["count"] == 0
    r = await other_api.post("/api/parameters/", {"pair": pair.pk})
    assert r.status_code == 404 and "pair" in r.json()["errors"]
    listing = (await api.get("/api/parameters/", {"pair": pair.pk, "regime_label": 1})).json()
    assert [p["id"] for p in listing["results"]] == [pset["id"]]
    assert (await other_api.delete(url)).status_code == 404
    assert (await api.delete(url)).status_code == 204
    assert await ParameterSet.objects.acount() == 0


# ----------------------------------------------------------------------------- optimize


GRID = {
    "lookback": [20, 40, 60],
    "entry_z": [1.5, 2.0],
    "exit_z": [0.0, 0.5],
    "stop_z": [None, 4.0],
}


async def test_optimize_stores_the_engines_best(
    api: Api, other_api: Api, user: Any, ko_pep: pd.DataFrame
) -> None:
    pair = await make_pair(user, hedge_ratio=0.7, intercept=0.2)
    window = ko_pep.iloc[100:900]
    r = await api.post("/api/parameters/optimize", {
        "pair": pair.pk, "start": window.index[0].isoformat(), "end": window.index[-1].isoformat(),
        "grid": GRID, "objective": "sortino", "min_trades": 3,
        "costs": {"cost_bps": 2.0, "slippage_bps": 0.0, "borrow_rate": 0.0}})  # fmt: skip
    assert r.status_code == 202, r.content
    task = await atask_wait(task_id=r.json()["id"], timeout=300)
    assert task.status == "succeeded", task.error
    res = task.result
    ref = optimize_params(window["KO"].to_numpy(), window["PEP"].to_numpy(), beta=0.7, alpha=0.2,
                          grid=ParamGrid.from_dict({**GRID, "stop_z": (None, 4.0)}),
                          objective="sortino", min_trades=3, costs=Costs(cost_bps=2.0))  # fmt: skip
    assert ref.best is not None and res["best"] == ref.best.to_dict()
    assert res["score"] == ref.score and res["n_trials"] == ref.n_trials == 24
    assert res["deflated_sharpe"] == ref.deflated_sharpe and res["pbo"] == ref.pbo
    assert res["window"]["bars"] == len(window) and len(res["table"]) == 20
    stored = await ParameterSet.objects.aget(pk=res["parameter_set_ids"][0])
    assert task.result_url == f"/api/parameters/{stored.pk}/"
    assert stored.source == "optimized" and stored.objective == "sortino"
    assert stored.score == ref.score and stored.pair_id == pair.pk
    got = {
        f: getattr(stored, f) for f in ("lookback", "entry_z", "exit_z", "stop_z", "max_holding")
    }
    assert got == {f: getattr(ref.best, f) for f in got}
    r = await other_api.post("/api/parameters/optimize", {"pair": pair.pk})
    assert r.status_code == 404
    r = await api.post("/api/parameters/optimize", {"pair": pair.pk, "grid": {"lookback": [1]}})
    assert r.status_code == 400 and "grid.lookback.0" in r.json()["errors"], r.content
    r = await api.post("/api/parameters/optimize",
                       {"pair": pair.pk, "grid": {"entry_z": [0.5], "exit_z": [1.0]}})  # fmt: skip
    assert r.status_code == 400 and "grid" in r.json()["errors"], r.content


async def test_per_regime_optimization_feeds_an_adaptive_backtest(
    api: Api, user: Any, ko_pep: pd.DataFrame
) -> None:
    from engine.params import ParameterSet as EngineSet
    from engine.params import backtest_adaptive
    from engine.strategy import StrategyParams

    pair = await make_pair(user, hedge_ratio=0.7, intercept=0.2)
    options = {"window": 10, "min_history": 100}
    r = await api.post("/api/parameters/optimize", {
        "pair": pair.pk, "grid": GRID, "min_trades": 1, "per_regime": True,
        "regime_options": options, "min_regime_bars": 50})  # fmt: skip
    task = await atask_wait(task_id=r.json()["id"], timeout=300)
    assert task.status == "succeeded", task.error
    ids = task.result["parameter_set_ids"]
    fitted = {int(k) for k in task.result["parameter_set"]["by_regime"]}
    rows = [p async for p in ParameterSet.objects.filter(pk__in=ids[1:])]
    assert {p.regime_label for p in rows} == fitted and fitted
    assert all(p.regime_method == "volatility" and p.source == "optimized" for p in rows)

    r = await api.post("/api/backtests/", {"pair": pair.pk, "adaptive": True,
                                           "regime_options": options,
                                           "params": {"lookback": 30, "entry_z": 2.0,
                                                      "exit_z": 0.5, "stop_z": None,
                                                      "max_holding": None},
                                           "costs": {"cost_bps": 0, "slippage_bps": 0,
                                                     "borrow_rate": 0}})  # fmt: skip
    assert r.status_code == 202, r.content
    done = await atask_wait(task_id=r.json()["id"], timeout=30)
    assert done.status == "succeeded", done.error
    body = (await api.get(done.result_url)).json()
    fallback = StrategyParams(lookback=30, entry_z=2.0, exit_z=0.5)
    sets = EngineSet(regimes=tuple((p.regime_label, StrategyParams(
        lookback=p.lookback, entry_z=p.entry_z, exit_z=p.exit_z, stop_z=p.stop_z,
        max_holding=p.max_holding)) for p in rows), fallback=fallback)  # fmt: skip
    lp = np.log(ko_pep.to_numpy())
    labels = volatility_regimes(
        np.concatenate([[np.nan], np.diff(lp, axis=0).mean(axis=1)]), **options
    ).labels
    # the longest lookback of the sets warms the z-scores up from the first bars (history)
    w = max([30] + [p.lookback for p in rows])
    assert body["window"]["warmup_bars"] == w and len(body["equity"]) == len(ko_pep) - w
    assert body["labels"] == labels[w:].tolist()
    ref = backtest_adaptive(ko_pep["KO"].to_numpy(), ko_pep["PEP"].to_numpy(), labels,
                            parameter_set=sets, beta=0.7, alpha=0.2, warmup=w)  # fmt: skip
    assert np.array_equal(np.array(body["equity"]), ref.equity)
    assert body["adaptive"] is True and len(body["switches"]) == len(ref.switches)


async def test_optimize_warns_of_an_in_sample_hedge_and_reports_trade_metrics(
    api: Api, user: Any, ko_pep: pd.DataFrame
) -> None:
    """The pair's hedge fitted on a later window than the optimisation's: in_sample_hedge
    (as the lookahead check warns); the best candidate's trade metrics are its backtest's."""
    from engine.backtest import backtest_pair
    from engine.strategy import StrategyParams

    idx = ko_pep.index
    later = await make_pair(user, hedge_ratio=0.7, intercept=0.2,
                            start=idx[500].to_pydatetime(), end=idx[-1].to_pydatetime())  # fmt: skip
    earlier = await make_pair(user, hedge_ratio=0.7, intercept=0.2,
                              start=idx[0].to_pydatetime(), end=idx[299].to_pydatetime())  # fmt: skip
    window = ko_pep.iloc[300:800]
    costs = {"cost_bps": 2.0, "slippage_bps": 1.0, "borrow_rate": 0.01}
    results = {}
    for pair in (later, earlier):
        r = await api.post("/api/parameters/optimize", {
            "pair": pair.pk, "start": window.index[0].isoformat(),
            "end": window.index[-1].isoformat(), "grid": GRID, "min_trades": 3,
            "costs": costs})  # fmt: skip
        assert r.status_code == 202, r.content
        task = await atask_wait(task_id=r.json()["id"], timeout=300)
        assert task.status == "succeeded", task.error
        results[pair.pk] = task.result
    codes = [w["code"] for w in results[later.pk]["warnings"]]
    assert codes == ["in_sample_hedge"], results[later.pk]["warnings"]
    msg = results[later.pk]["warnings"][0]["message"]
    assert idx[500].strftime("%Y-%m-%d") in msg and window.index[0].strftime("%Y-%m-%d") in msg
    assert results[earlier.pk]["warnings"] == []

    res = results[earlier.pk]
    best = StrategyParams.from_dict(res["best"])
    ref = backtest_pair(window["KO"].to_numpy(), window["PEP"].to_numpy(), params=best, beta=0.7,
                        alpha=0.2, costs=Costs(**costs), capital=1.0)  # fmt: skip
    m = res["best_metrics"]
    assert m["n_trades"] == ref.metrics.n_trades and m["n_closed_trades"] > 0
    assert m["n_closed_trades"] == ref.metrics.n_closed_trades
    assert m["hit_rate"] == pytest.approx(ref.metrics.hit_rate)
    for k in ("turnover", "exposure", "total_costs"):
        assert m[k] == pytest.approx(getattr(ref.metrics, k), rel=1e-9), k

    # the backtest of the pair over the same window warns the same way
    r = await api.post("/api/backtests/", {"pair": later.pk, "start": window.index[0].isoformat(),
                                           "end": window.index[-1].isoformat()})  # fmt: skip
    done = await atask_wait(task_id=r.json()["id"], timeout=30)
    body = (await api.get(done.result_url, {"fields": "metrics"})).json()
    assert [w["code"] for w in body["warnings"]] == ["in_sample_hedge"]
