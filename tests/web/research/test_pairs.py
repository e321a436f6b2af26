"""Pair research over the API, checked against statsmodels on the real demo data."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from statsmodels.tsa.stattools import coint

from engine.data.demo import load_demo_closes
from tests.conftest import Api
from titan_web.market import services as market

N = 2520


@pytest.fixture
async def demo_prices() -> pd.DataFrame:
    """KO, PEP and XOM: the last 2,520 daily closes of the bundled demo set, ingested."""
    closes = load_demo_closes(["KO", "PEP", "XOM"]).iloc[-N:]
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
    report = await market.abars_ingest_rows(rows=rows)
    assert report.inserted == 3 * N
    return closes


async def test_analyze_matches_statsmodels_coint(api: Api, demo_prices: pd.DataFrame) -> None:
    r = await api.post("/api/pairs/analyze", {"symbol_1": "KO", "symbol_2": "PEP"})
    assert r.status_code == 200, r.content
    body = r.json()
    stat, pvalue, crit = coint(
        np.log(demo_prices["KO"].to_numpy()), np.log(demo_prices["PEP"].to_numpy())
    )
    np.testing.assert_allclose(body["tstat"], stat, rtol=0, atol=1e-8)
    np.testing.assert_allclose(body["pvalue"], pvalue, rtol=0, atol=1e-8)
    np.testing.assert_allclose(body["critical_values"], crit, rtol=0, atol=1e-8)
    ols = np.polyfit(np.log(demo_prices["PEP"]), np.log(demo_prices["KO"]), 1)
    np.testing.assert_allclose([body["hedge_ratio"], body["intercept"]], ols, rtol=1e-8)
    assert body["nobs"] == N and body["pair_id"] is None
    assert body["is_cointegrated"] == (pvalue < 0.05)
    for key in ("half_life", "correlation", "hurst", "stability_score", "johansen"):
        assert key in body
    assert 0.0 <= body["stability_score"] <= 1.0


async def test_analyze_store_creates_a_pair_visible_only_to_its_owner(
    api: Api, other_api: Api, demo_prices: pd.DataFrame
) -> None:
    r = await api.post(
        "/api/pairs/analyze",
        {"symbol_1": "XOM", "symbol_2": "KO", "store": True, "autolag": None, "maxlag": 1},
    )
    assert r.status_code == 201, r.content
    pair_id = r.json()["pair_id"]
    stat, pvalue, _ = coint(
        np.log(demo_prices["XOM"].to_numpy()),
        np.log(demo_prices["KO"].to_numpy()),
        autolag=None,
        maxlag=1,
    )
    detail = (await api.get(f"/api/pairs/{pair_id}/")).json()
    assert detail["symbol_1"] == "XOM" and detail["lag"] == 1
    np.testing.assert_allclose([detail["tstat"], detail["pvalue"]], [stat, pvalue], atol=1e-8)
    listing = (await api.get("/api/pairs/", {"symbol": "KO"})).json()
    assert [p["id"] for p in listing["results"]] == [pair_id]
    for path in (f"/api/pairs/{pair_id}/", f"/api/pairs/{pair_id}/spread"):
        hidden = await other_api.get(path)
        assert hidden.status_code == 404 and hidden["Content-Type"].startswith(
            "application/problem+json"
        )
    assert (await other_api.get("/api/pairs/")).json()["count"] == 0
    assert (await other_api.delete(f"/api/pairs/{pair_id}/")).status_code == 404
    assert (await api.delete(f"/api/pairs/{pair_id}/")).status_code == 204


async def test_spread_and_zscore_match_pandas(api: Api, demo_prices: pd.DataFrame) -> None:
    pair_id = (
        await api.post("/api/pairs/analyze", {"symbol_1": "KO", "symbol_2": "PEP", "store": True})
    ).json()["pair_id"]
    detail = (await api.get(f"/api/pairs/{pair_id}/")).json()
    r = await api.get(f"/api/pairs/{pair_id}/spread", {"lookback": 40})
    assert r.status_code == 200, r.content
    body = r.json()
    spread = (
        np.log(demo_prices["KO"])
        - detail["hedge_ratio"] * np.log(demo_prices["PEP"])
        - detail["intercept"]
    )
    z = (spread - spread.rolling(40).mean()) / spread.rolling(40).std(ddof=1)
    np.testing.assert_allclose(body["spread"], spread.to_numpy(), atol=1e-10)
    got = np.array([np.nan if v is None else v for v in body["zscore"]])
    np.testing.assert_allclose(got, z.to_numpy(), atol=1e-8, equal_nan=True)
    assert len(body["dynamic_beta"]) == N and body["ts"][0].endswith("Z")


async def test_spread_window_is_warmed_up_from_history(api: Api, demo_prices: pd.DataFrame) -> None:
    """A window of 41 bars gets a z-score on each of its bars (the rolling window reads the
    bars before `start`); with no history before it, the result says the warm-up is short."""
    analysis = await api.post(
        "/api/pairs/analyze", {"symbol_1": "KO", "symbol_2": "PEP", "store": True}
    )
    detail = (await api.get(f"/api/pairs/{analysis.json()['pair_id']}/")).json()
    assert analysis.json()["warnings"] == []
    url = f"/api/pairs/{detail['id']}/spread"
    idx = demo_prices.index
    a, b = 300, 340
    r = await api.get(url, {"start": idx[a].isoformat(), "end": idx[b].isoformat(),
                            "lookback": 60})  # fmt: skip
    assert r.status_code == 200, r.content
    body = r.json()
    spread = (
        np.log(demo_prices["KO"])
        - detail["hedge_ratio"] * np.log(demo_prices["PEP"])
        - detail["intercept"]
    )
    z = ((spread - spread.rolling(60).mean()) / spread.rolling(60).std(ddof=1)).iloc[a : b + 1]
    assert [pd.Timestamp(t) for t in body["ts"]] == list(z.index) and len(z) == 41
    assert None not in body["zscore"]
    np.testing.assert_allclose(body["zscore"], z.to_numpy(), atol=1e-8)
    assert body["warmup_bars"] == 59 and body["warnings"] == []
    # from the first bar of the data: no history, the first 59 z-scores cannot exist
    r = await api.get(url, {"start": idx[0].isoformat(), "end": idx[b].isoformat(),
                            "lookback": 60})  # fmt: skip
    body = r.json()
    assert body["zscore"][:59] == [None] * 59 and body["zscore"][59] is not None
    assert [w["code"] for w in body["warnings"]] == ["warmup_truncated"]
    short = await api.post("/api/pairs/analyze", {"symbol_1": "KO", "symbol_2": "PEP",
                                                  "start": idx[0].isoformat(),
                                                  "end": idx[99].isoformat()})  # fmt: skip
    assert [w["code"] for w in short.json()["warnings"]] == ["short_history"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"symbol_1": "KO", "symbol_2": "KO"}, "symbol_2"),
        ({"symbol_1": "KO"}, "symbol_2"),
        ({"symbol_1": "KO", "symbol_2": "PEP", "significance_level": 2}, "significance_level"),
        ({"symbol_1": "KO", "symbol_2": "PEP", "autolag": None}, "maxlag"),
        ({"symbol_1": "KO", "symbol_2": "PEP", "start": "2020-01-01", "end": "2019-01-01"}, "end"),
    ],
)
async def test_analyze_validation(api: Api, payload: dict[str, Any], field: str) -> None:
    r = await api.post("/api/pairs/analyze", payload)
    assert r.status_code == 400 and field in r.json()["errors"]


async def test_analyze_unknown_symbol_and_too_little_data(
    api: Api, demo_prices: pd.DataFrame
) -> None:
    r = await api.post("/api/pairs/analyze", {"symbol_1": "KO", "symbol_2": "NOPE"})
    assert r.status_code == 404 and "NOPE" in r.json()["detail"]
    r = await api.post(
        "/api/pairs/analyze", {"symbol_1": "KO", "symbol_2": "PEP", "start": "2022-12-01T00:00:00Z"}
    )
    assert r.status_code == 422 and r.json()["type"].endswith("/not-enough-data")
