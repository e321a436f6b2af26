"""POST /api/pairs/scan as a task on real demo prices, checked pair by pair against statsmodels."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from statsmodels.tsa.stattools import coint

from engine.data.demo import load_demo_closes
from tests.conftest import Api
from titan_web.market import services as market
from titan_web.research.models import TradingPair
from titan_web.tasks.services import atask_wait

SYMBOLS = ["KO", "PEP", "XOM", "CVX", "JPM", "BAC"]
N = 1000


@pytest.fixture
async def universe() -> pd.DataFrame:
    closes = load_demo_closes(SYMBOLS).iloc[-N:]
    rows = [
        {
            "symbol": t,
            "timeframe": "1d",
            "ts": ts.isoformat(),
            "open": c,
            "high": c,
            "low": c,
            "close": c,
        }
        for t in closes.columns
        for ts, c in closes[t].items()
    ]
    await market.abars_ingest_rows(rows=rows)
    return closes


async def test_scan_task_stores_the_significant_pairs_exactly(
    api: Api, universe: pd.DataFrame
) -> None:
    r = await api.post(
        "/api/pairs/scan", {"symbols": SYMBOLS, "significance_level": 0.2, "fdr": 0.2}
    )
    assert r.status_code == 202, r.content
    task = await atask_wait(task_id=r.json()["id"], timeout=120)
    assert task.status == "succeeded", task.error
    assert task.result["pairs_tested"] == 15 and task.result["bars"] == N
    expected = {}
    for a, b in itertools.combinations(SYMBOLS, 2):
        stat, p, _ = coint(np.log(universe[a].to_numpy()), np.log(universe[b].to_numpy()))
        expected[(a, b)] = (stat, p)
    significant = {k for k, (_, p) in expected.items() if p < 0.2}
    stored = [
        p
        async for p in TradingPair.objects.filter(scan_id=task.pk).select_related(
            "symbol_1", "symbol_2"
        )
    ]
    assert {(p.symbol_1.ticker, p.symbol_2.ticker) for p in stored} == significant
    for pair in stored:
        stat, p = expected[(pair.symbol_1.ticker, pair.symbol_2.ticker)]
        np.testing.assert_allclose([pair.tstat, pair.pvalue], [stat, p], rtol=0, atol=1e-8)
    # Benjamini-Hochberg q-values over all 15 tests, by hand.
    pvals = np.array([p for _, p in expected.values()])
    order = np.argsort(pvals)
    ranked = pvals[order] * len(pvals) / np.arange(1, len(pvals) + 1)
    q = np.minimum.accumulate(ranked[::-1])[::-1].clip(max=1.0)
    qvalues = dict(zip([list(expected)[i] for i in order], q, strict=True))
    for pair in stored:
        np.testing.assert_allclose(
            pair.qvalue, qvalues[(pair.symbol_1.ticker, pair.symbol_2.ticker)], atol=1e-12
        )
    listing = (await api.get("/api/pairs/", {"scan": str(task.pk), "ordering": "pvalue"})).json()
    assert listing["count"] == len(significant)
    assert [x["pvalue"] for x in listing["results"]] == sorted(
        x["pvalue"] for x in listing["results"]
    )


async def test_scan_validation(api: Api, universe: pd.DataFrame) -> None:
    r = await api.post("/api/pairs/scan", {"symbols": ["KO"]})
    assert r.status_code == 400 and "symbols" in r.json()["errors"]
    r = await api.post("/api/pairs/scan", {"symbols": ["KO", "KO"]})
    assert r.status_code == 400
    r = await api.post("/api/pairs/scan", {"symbols": ["KO", "NOPE"]})
    assert r.status_code == 404


async def test_rerunning_a_scan_updates_the_pairs_instead_of_duplicating_them(
    api: Api, other_api: Api, universe: pd.DataFrame
) -> None:
    payload = {"symbols": SYMBOLS, "significance_level": 0.2, "fdr": 0.2}
    tasks = []
    for client in (api, api, other_api):
        r = await client.post("/api/pairs/scan", payload)
        assert r.status_code == 202, r.content
        task = await atask_wait(task_id=r.json()["id"], timeout=120)
        assert task.status == "succeeded", task.error
        tasks.append(task)
    first, second, other = tasks
    n = first.result["pairs_stored"]
    assert n > 0 and first.result["pairs_created"] == n and first.result["warnings"] == []
    assert second.result["pairs_created"] == 0 and second.result["pairs_updated"] == n
    mine = [p async for p in TradingPair.objects.filter(owner_id=first.owner_id)]
    assert len(mine) == n  # one row per pair, not two
    assert len({(p.symbol_1_id, p.symbol_2_id) for p in mine}) == n
    assert all(p.scan_id == second.pk for p in mine)
    assert all(p.stats["scans"] == [str(first.pk), str(second.pk)] for p in mine)
    assert (await api.get("/api/pairs/", {"scan": str(second.pk)})).json()["count"] == n
    # another user's scan stores that user's own rows
    assert other.result["pairs_created"] == n
    assert await TradingPair.objects.filter(owner_id=other.owner_id).acount() == n
