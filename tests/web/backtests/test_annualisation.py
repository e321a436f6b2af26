"""Annualisation from the bars' real spacing (issue 12, item 3): a backtest on monthly KO/PEP
closes (tests/fixtures) annualises with 12 periods a year and charges borrow per month,
checked against hand-derived figures."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tests.conftest import Api
from titan_web.tasks.services import atask_wait

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


async def upload(api: Api, name: str, **fields: Any) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    content = (FIXTURES / name).read_bytes()
    return await api.client.post(
        "/api/bars/ingest",
        {"file": SimpleUploadedFile(name, content), **fields},
        headers={"Authorization": f"Bearer {api.token}"},
    )


async def test_a_monthly_backtest_annualises_with_12_periods(api: Api) -> None:
    r = await upload(api, "ko_pep_monthly_1990_2022.csv", timeframe="1mo")
    assert r.status_code == 200, r.content
    params = {"lookback": 12, "entry_z": 1.0, "exit_z": 0.0, "stop_z": None, "max_holding": 24}
    r = await api.post(
        "/api/backtests/",
        {
            "symbol_1": "KO",
            "symbol_2": "PEP",
            "timeframe": "1mo",
            "formation_bars": 60,
            "params": params,
            "costs": {"cost_bps": 0, "slippage_bps": 0, "borrow_rate": 0.12},
        },
    )
    assert r.status_code == 202, r.content
    done = await atask_wait(task_id=r.json()["id"], timeout=60)
    assert done.status == "succeeded", done.error
    body = (await api.get(done.result_url)).json()
    m = body["metrics"]
    equity = np.asarray(body["equity"], dtype=float)
    rets = equity[1:] / equity[:-1] - 1.0
    n = len(rets)
    # hand-derived references with q = 12 periods a year (not 252)
    sharpe = rets.mean() / rets.std(ddof=1) * math.sqrt(12)
    cagr = (equity[-1] / equity[0]) ** (12 / n) - 1
    vol = rets.std(ddof=1) * math.sqrt(12)
    assert m["sharpe"] == pytest.approx(sharpe, rel=1e-9)
    assert m["annual_return"] == pytest.approx(cagr, rel=1e-9)
    assert m["annual_volatility"] == pytest.approx(vol, rel=1e-9)
    # the borrow charge is per month: 12 %/year is 1 % a bar on the short leg's weight
    w = np.column_stack([body["weights"]["y"], body["weights"]["x"]])
    short = np.clip(-w[:-1], 0, None).sum(1)
    assert len(body["ts"]) == len(equity) and (short > 0).any()
    # equity reconstruction with b = 0.12 / 12 (zero trading costs)
    prices = (await api.get("/api/bars/", {"symbols": "KO,PEP", "timeframe": "1mo"})).json()
    ts_all = prices["symbols"]["KO"]["ts"]
    first = ts_all.index(body["ts"][0].replace("+00:00", "Z"))
    y = np.asarray(prices["symbols"]["KO"]["close"][first:], dtype=float)
    x = np.asarray(prices["symbols"]["PEP"]["close"][first:], dtype=float)
    r_assets = np.column_stack([y[1:] / y[:-1] - 1, x[1:] / x[:-1] - 1])
    R = (w[:-1] * r_assets).sum(1) - 0.12 / 12 * short
    np.testing.assert_allclose(equity[1:] / equity[:-1] - 1, R, rtol=1e-9, atol=1e-12)
