"""Strict input: an unknown field (at any nesting level) or query parameter is a 400 naming it
and, where there is one, the field it probably meant. Every endpoint is found from the URL map
(through the OpenAPI document drf-spectacular builds from it), so a new endpoint is covered
without editing this test."""

from __future__ import annotations

import re
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from django.core.files.uploadedfile import SimpleUploadedFile

from tests import factories
from tests.conftest import Api, issue_tokens

PROBLEM = "application/problem+json"
BOGUS = "bogus_field_xyz"


def _operations() -> list[tuple[str, str, dict[str, Any]]]:
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    out = []
    for path, item in schema["paths"].items():
        if path in ("/api/schema/", "/api/docs/"):
            continue
        for method, op in item.items():
            out.append((path, method, op))
    return out


def test_the_openapi_document_covers_every_api_route_of_the_url_map() -> None:
    from django.urls import get_resolver

    routes = set()
    for pattern in get_resolver().url_patterns:
        if str(pattern.pattern) != "api/":
            continue
        for sub in pattern.url_patterns:
            for leaf in getattr(sub, "url_patterns", [sub]):
                route = str(sub.pattern) + (str(leaf.pattern) if leaf is not sub else "")
                if route not in ("schema/", "docs/"):
                    routes.add("/api/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route))
    assert routes == {p for p, _, _ in _operations()}
    assert len(routes) >= 25


@pytest.fixture
def world(staff_user: Any) -> dict[str, Any]:
    """One object of each kind behind a path parameter, owned by a staff user."""
    from titan_web.backtests.models import BacktestRun, WalkForwardRun
    from titan_web.research.models import ParameterSet
    from titan_web.signals.models import Monitor

    ko, pep = factories.make_symbol("KO"), factories.make_symbol("PEP")
    pair = factories.make_pair(owner=staff_user, symbol_1=ko, symbol_2=pep, hedge_ratio=1.0)
    pset = ParameterSet.objects.create(owner=staff_user, pair=pair)
    monitor = Monitor.objects.create(owner=staff_user, pair=pair, parameter_set=pset)
    run = BacktestRun.objects.create(owner=staff_user, pair=pair, symbol_1="KO", symbol_2="PEP")
    wf = WalkForwardRun.objects.create(owner=staff_user)
    task = factories.make_task(owner=staff_user)
    return {
        "ticker": "KO",
        "pair_id": pair.pk,
        "parameter_set_id": pset.pk,
        "monitor_id": monitor.pk,
        "backtest_id": run.pk,
        "walkforward_id": wf.pk,
        "task_id": str(task.pk),
        "token": issue_tokens(staff_user)["access"],
    }


def _fill(path: str, world: dict[str, Any]) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: str(world[m.group(1)]), path)


async def test_every_endpoint_refuses_an_unknown_body_field(
    world: dict[str, Any], staff_user: Any
) -> None:
    api = Api(world["token"])
    checked = []
    for path, method, op in await sync_to_async(_operations)():
        if method not in ("post", "patch") or "requestBody" not in op:
            continue
        url = _fill(path, world)
        r = await getattr(api, method)(url, {BOGUS: 1})
        assert r.status_code == 400, (method, url, r.status_code, r.content)
        assert r["Content-Type"].startswith(PROBLEM)
        assert r.json()["errors"][BOGUS] == ["unknown field"], (url, r.json())
        checked.append(f"{method} {path}")
    assert len(checked) >= 18, checked


async def test_every_endpoint_with_query_parameters_refuses_an_unknown_one(
    world: dict[str, Any],
) -> None:
    api = Api(world["token"])
    checked = []
    for path, method, op in await sync_to_async(_operations)():
        documented = [p["name"] for p in op.get("parameters", []) if p["in"] == "query"]
        if method != "get" or not documented:
            continue
        url = _fill(path, world)
        r = await api.get(url, {BOGUS: "1"})
        assert r.status_code == 400, (url, r.status_code, r.content)
        assert r.json()["errors"][BOGUS] == ["unknown query parameter"], (url, r.json())
        # Every documented parameter is known (no "unknown query parameter" for any of them).
        r = await api.get(url, dict.fromkeys(documented, "1"))
        errors = r.json().get("errors", {})
        unknown = {k for k, v in errors.items() if v[0].startswith("unknown query parameter")}
        assert not unknown & set(documented), (url, r.json())
        checked.append(path)
    assert {"/api/pairs/", "/api/backtests/", "/api/tasks/", "/api/bars/"} <= set(checked)
    assert "/api/pairs/{pair_id}/spread" in checked and "/api/signals/" in checked


def _reason(r: Any, path: str) -> str:
    assert r.status_code == 400 and r["Content-Type"].startswith(PROBLEM), r.content
    errors = r.json()["errors"]
    assert path in errors, errors
    return str(errors[path][0])


@pytest.mark.parametrize(
    ("url", "body", "path", "meant"),
    [
        ("/api/backtests/", {"entry_z": 1.0, "lookback": 10}, "entry_z", "params.entry_z"),
        ("/api/backtests/", {"lookback": 10}, "lookback", "params.lookback"),
        ("/api/backtests/", {"params": {"entry_Z": 1.0}}, "params.entry_Z", "params.entry_z"),
        ("/api/backtests/", {"cost_bps": 50}, "cost_bps", "costs.cost_bps"),
        ("/api/walkforward/", {"n_folds": 3}, "n_folds", "config.n_folds"),
        ("/api/walkforward/", {"config": {"cost_bps": 5}}, "config.cost_bps", "costs.cost_bps"),
        (
            "/api/walkforward/",
            {"config": {"grid": {"lookbacks": [10]}}},
            "config.grid.lookbacks",
            "config.grid.lookback",
        ),
        (
            "/api/pairs/scan",
            {"symbols": ["KO", "PEP"], "max_halflife": 10},
            "max_halflife",
            "max_half_life",
        ),
        ("/api/parameters/optimize", {"grid": {"lookbacks": [10]}}, "grid.lookbacks", "grid.lookback"),
        ("/api/auth/me", {"default_params": {"entryz": 2.5}}, "default_params.entryz", "default_params.entry_z"),
    ],
)  # fmt: skip
async def test_the_issue_examples_name_the_field_meant(
    world: dict[str, Any], url: str, body: dict[str, Any], path: str, meant: str
) -> None:
    api = Api(world["token"])
    if url in ("/api/backtests/", "/api/parameters/optimize"):
        body = {"pair": world["pair_id"], **body}
    method = api.patch if url == "/api/auth/me" else api.post
    r = await method(url, body)
    assert _reason(r, path) == f"unknown field; did you mean {meant}?"


async def test_nothing_runs_when_a_field_is_unknown(world: dict[str, Any]) -> None:
    from titan_web.backtests.models import BacktestRun

    api = Api(world["token"])
    before = await BacktestRun.objects.acount()
    r = await api.post("/api/backtests/", {"pair": world["pair_id"], "entry_z": 1.0})
    assert r.status_code == 400 and await BacktestRun.objects.acount() == before


async def test_unknown_and_invalid_fields_are_reported_together(world: dict[str, Any]) -> None:
    api = Api(world["token"])
    r = await api.post(
        "/api/backtests/", {"pair": world["pair_id"], "params": {"entry_z": -1, "exitz": 0.5}}
    )
    errors = r.json()["errors"]
    assert r.status_code == 400 and set(errors) == {"params.entry_z", "params.exitz"}
    assert errors["params.exitz"] == ["unknown field; did you mean params.exit_z?"]


async def test_multipart_ingest_options_are_strict(api: Api) -> None:
    upload = SimpleUploadedFile("ko.csv", b"symbol,ts,close\nKO,2024-01-02,60.1\n")
    r = await api.client.post(
        "/api/bars/ingest",
        {"file": upload, "onerror": "skip"},
        headers=api._headers(None),
    )
    assert _reason(r, "onerror") == "unknown field; did you mean on_error?"


@pytest.mark.parametrize(
    ("url", "query", "name", "meant"),
    [
        ("/api/pairs/", {"ordring": "pvalue"}, "ordring", "ordering"),
        ("/api/backtests/", {"limt": "5"}, "limt", "limit"),
        ("/api/tasks/", {"Status": "failed"}, "Status", "status"),
        ("/api/symbols/", {"tickr": "KO"}, "tickr", "ticker"),
        ("/api/monitors/", {"pair": "1"}, "pair", None),
        ("/api/bars/", {"symbols": "KO", "ordr": "desc"}, "ordr", "order"),
        ("/api/signals/", {"since": "3"}, "since", "since_seq"),
    ],
)
async def test_unknown_query_parameters_name_the_one_meant(
    world: dict[str, Any], url: str, query: dict[str, str], name: str, meant: str | None
) -> None:
    r = await Api(world["token"]).get(url, query)
    expected = "unknown query parameter" + (f"; did you mean {meant}?" if meant else "")
    assert _reason(r, name) == expected
