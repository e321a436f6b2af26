"""JSON bodies nested deeper than 64 levels answer 400 problem+json with ``errors.body``
(they got past the parser and failed with RecursionError: a 500) on every JSON endpoint,
anonymous or not; a body at the limit is parsed as usual."""

from __future__ import annotations

import pytest

from realtime.jsonlimits import MAX_DEPTH, deeper_than, json_depth
from tests.conftest import Api

DEEP = '{"username":' + "[" * 10_000 + "]" * 10_000 + "}"


@pytest.mark.parametrize(
    "path",
    ["/api/pairs/analyze", "/api/bars/ingest", "/api/backtests/", "/api/monitors/"],
)
async def test_a_deep_body_is_refused_with_400(api: Api, path: str) -> None:
    r = await api.post(path, DEEP, raw=True)
    assert r.status_code == 400, r.content[:300]
    assert r["Content-Type"].startswith("application/problem+json")
    assert "nested" in r.json()["errors"]["body"][0]


async def test_the_token_endpoint_refuses_a_deep_body(anon_api: Api) -> None:
    r = await anon_api.post("/api/auth/token", DEEP, raw=True)
    assert r.status_code == 400 and "errors" in r.json() and "body" in r.json()["errors"]


async def test_a_body_at_the_limit_reaches_validation(anon_api: Api) -> None:
    body = '{"username": "x", "password": ' + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "}"
    r = await anon_api.post("/api/auth/token", body, raw=True)
    assert r.status_code == 400 and "password" in r.json()["errors"]  # parsed, then refused


@pytest.mark.parametrize(
    ("text", "depth"),
    [
        ("1", 0),
        ('"[[["', 0),
        ("[]", 1),
        ('[{"a": [1, 2, {"b": "]]]"}]}]', 4),
        ('{"a": "\\"[[[", "b": [[]]}', 3),
        ("[" * 100 + "]" * 100, 100),
    ],
)
def test_json_depth(text: str, depth: int) -> None:
    assert json_depth(text) == depth
    assert deeper_than(text, depth) is None
    if depth:
        assert deeper_than(text, depth - 1) == depth
