"""Integers too large for the database never reach it: generated over every GET operation of
the OpenAPI schema (built from the URL map). Each integer or number query parameter with an
out-of-range value answers 400 problem+json naming that parameter (or a normal answer when
the value is valid, like a float threshold), and an id too long for the database in a path
answers 404; never a 500 (OverflowError, "datatype mismatch")."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.conftest import Api

HUGE = ["99999999999999999999", "-99999999999999999999", "1e400"]


@pytest.fixture
async def schema(anon_api: Api) -> dict[str, Any]:
    r = await anon_api.get("/api/schema/", {"format": "json"})
    assert r.status_code == 200
    return dict(r.json())


def get_operations(schema: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [(path, ops["get"]) for path, ops in schema["paths"].items() if "get" in ops]


async def test_out_of_range_query_integers_answer_400_naming_the_parameter(
    api: Api, schema: dict[str, Any]
) -> None:
    checked = []
    for path, op in get_operations(schema):
        if "{" in path:
            continue
        for param in op.get("parameters", []):
            kind = param.get("schema", {}).get("type")
            if param["in"] != "query" or kind not in {"integer", "number"}:
                continue
            for value in HUGE:
                r = await api.get(path, {param["name"]: value})
                assert r.status_code < 500, (path, param["name"], value, r.content[:300])
                if kind == "integer" or r.status_code == 400:
                    assert r.status_code == 400, (path, param["name"], value)
                    assert r["Content-Type"].startswith("application/problem+json")
                    assert param["name"] in r.json()["errors"], (path, r.json())
                checked.append((path, param["name"]))
    names = {name for _, name in checked}
    assert {"offset", "limit", "pair"} <= names  # the generator did reach the list filters
    list_paths = {p for p, _ in checked if "offset" in {n for q, n in checked if q == p}}
    for expected in [
        "/api/pairs/",
        "/api/tasks/",
        "/api/monitors/",
        "/api/walkforward/",
        "/api/symbols/",
        "/api/parameters/",
        "/api/backtests/",
        "/api/regimes/",
    ]:
        assert expected in list_paths, expected


async def test_ids_too_long_for_the_database_answer_404(api: Api, schema: dict[str, Any]) -> None:
    checked = 0
    for path, ops in schema["paths"].items():
        if not re.search(r"\{\w+_id\}", path):
            continue
        url = re.sub(r"\{\w+_id\}", "99999999999999999999", path)
        for method in ("get", "patch", "delete", "post"):
            if method not in ops:
                continue
            r = await getattr(api, method)(url)
            assert r.status_code == 404, (method, url, r.status_code, r.content[:200])
            assert r["Content-Type"].startswith("application/problem+json")
            checked += 1
    assert checked >= 8
