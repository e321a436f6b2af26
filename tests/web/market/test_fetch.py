"""POST /api/bars/fetch: a provider fetch as a task, on a recorded Yahoo response (no network)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import Api
from titan_web.market import services
from titan_web.market.models import Bar
from titan_web.tasks.services import atask_wait

FIXTURES = Path(__file__).resolve().parents[2] / "engine" / "data" / "fixtures"


@pytest.fixture
def recorded_yahoo(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Route the Yahoo provider to recorded responses: GS exists, everything else is 404."""
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.path)
        if request.url.path.endswith("/GS"):
            return httpx.Response(200, content=(FIXTURES / "yahoo_chart_GS_1d.json").read_bytes())
        return httpx.Response(404, content=(FIXTURES / "yahoo_chart_not_found.json").read_bytes())

    real = services._http_provider

    def provider(name: str, symbols: list[str], **options: Any) -> Any:
        options["client"] = httpx.AsyncClient(transport=httpx.MockTransport(handler))
        return real(name, symbols, **options)

    monkeypatch.setattr(services, "_http_provider", provider)
    return seen


async def test_fetch_runs_as_task_and_ingests(api: Api, recorded_yahoo: list[str]) -> None:
    r = await api.post(
        "/api/bars/fetch",
        {
            "provider": "yahoo",
            "symbols": ["GS", "NOPE"],
            "start": "2023-10-01",
            "end": "2023-10-10",
        },
    )
    assert r.status_code == 202, r.content
    assert r["Location"] == f"/api/tasks/{r.json()['id']}/"
    task = await atask_wait(task_id=r.json()["id"], timeout=30)
    assert task.status == "succeeded", task.error
    assert task.result["inserted"] == 6
    assert [e["symbol"] for e in task.result["errors"]] == ["NOPE"]
    assert await Bar.objects.filter(series__symbol="GS", series__timeframe="1d").acount() == 6
    detail = (await api.get(f"/api/tasks/{task.pk}/")).json()
    assert detail["status"] == "succeeded" and detail["progress"] == 1.0
    assert sorted(recorded_yahoo) == ["/v8/finance/chart/GS", "/v8/finance/chart/NOPE"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"provider": "bloomberg", "symbols": ["GS"]}, "provider"),
        ({"provider": "yahoo", "symbols": []}, "symbols"),
        (
            {"provider": "yahoo", "symbols": ["GS"], "start": "2024-01-02", "end": "2024-01-01"},
            "end",
        ),
        ({"provider": "stooq", "symbols": ["GS"], "timeframe": "1h"}, "timeframe"),
    ],
)
async def test_fetch_validation(api: Api, payload: dict[str, Any], field: str) -> None:
    r = await api.post("/api/bars/fetch", payload)
    assert r.status_code == 400 and field in r.json()["errors"]


def test_provider_timeframes_are_what_each_provider_serves() -> None:
    """The 400 for an unserved timeframe says what the provider itself would refuse at run."""
    from engine.data.http import StooqProvider, YahooChartProvider

    for name, cls in (("yahoo", YahooChartProvider), ("stooq", StooqProvider)):
        for tf in ("1m", "5m", "15m", "1h", "1d", "1w", "1mo"):
            if tf in services.PROVIDER_TIMEFRAMES[name]:
                cls(["GS"], timeframe=tf)
            else:
                with pytest.raises(ValueError):
                    cls(["GS"], timeframe=tf)


async def test_large_upload_becomes_a_task(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    monkeypatch.setattr(services, "LARGE_UPLOAD_BYTES", 10)
    csv = b"Date,Ticker,Close\n2024-01-02,BIG,10\n2024-01-03,BIG,11\n"
    r = await api.client.post(
        "/api/bars/ingest",
        {"file": SimpleUploadedFile("big.csv", csv)},
        headers={"Authorization": f"Bearer {api.token}"},
    )
    assert r.status_code == 202, r.content
    task = await atask_wait(task_id=r.json()["id"], timeout=30)
    assert task.status == "succeeded" and task.result["inserted"] == 2
