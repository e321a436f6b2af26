"""Fixtures: real demo closes ingested through the market service, a clean task registry."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pandas as pd
import pytest

from engine.data.demo import load_demo_closes
from tests.conftest import Api, issue_tokens
from titan_web.market import services as market
from titan_web.tasks.registry import TaskRegistry, registry


@pytest.fixture(autouse=True)
async def task_registry() -> AsyncIterator[TaskRegistry]:
    """The process registry, shut down after the test (its runs end before the DB flush)."""
    yield registry
    await registry.shutdown(reason="test ended")


@pytest.fixture
def staff_api(staff_user: Any) -> Api:
    return Api(issue_tokens(staff_user)["access"])


async def ingest(closes: pd.DataFrame) -> pd.DataFrame:
    rows = [
        {"symbol": t, "timeframe": "1d", "ts": ts.isoformat(), "open": c, "high": c, "low": c,
         "close": c}
        for t in closes.columns
        for ts, c in closes[t].items()
    ]  # fmt: skip
    report = await market.abars_ingest_rows(rows=rows)
    assert report.inserted + report.updated + report.unchanged == closes.size
    return closes


@pytest.fixture
async def ko_pep() -> pd.DataFrame:
    """KO and PEP: the last 1,000 daily closes of the bundled demo set, ingested."""
    return await ingest(load_demo_closes(["KO", "PEP"]).iloc[-1000:])


@pytest.fixture
async def universe() -> pd.DataFrame:
    """Four demo symbols (two plausible pairs), the last 900 daily closes, ingested."""
    return await ingest(load_demo_closes(["KO", "PEP", "XOM", "CVX"]).iloc[-900:])
