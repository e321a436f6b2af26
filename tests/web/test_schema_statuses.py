"""Every operation of the OpenAPI document documents the errors it can answer.

The rules of ``titan_web.common.schema_problems``, checked on every operation (so a new
endpoint cannot leave them out), and the constraints strict input enforces. The schema fuzz
(``tests/e2e/test_schema_fuzz.py``) checks them against the running server.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Api

PROBLEM = "application/problem+json"


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    from drf_spectacular.generators import SchemaGenerator

    return dict(SchemaGenerator().get_schema(request=None, public=True))


def operations(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method.upper(), path, op)
        for path, item in schema["paths"].items()
        for method, op in item.items()
        if method in ("get", "post", "put", "patch", "delete")
    ]


def test_there_are_operations(schema: dict[str, Any]) -> None:
    assert len(operations(schema)) >= 48


def test_every_operation_documents_its_error_statuses(schema: dict[str, Any]) -> None:
    missing: list[str] = []
    for method, path, op in operations(schema):
        codes = set(op["responses"])
        params = op.get("parameters", [])
        want = {"406", "503"}  # 503: the database or the channel layer down (every operation)
        if op.get("security") and {} not in op["security"]:
            want.add("401")
        if "requestBody" in op:
            want |= {"400", "413", "415"}  # 413: the body limits, before any view
        if any(p["in"] == "query" for p in params):
            want.add("400")
        if any(p["in"] == "path" for p in params):
            want.add("404")
        accepted = op["responses"].get("202", {}).get("content", {}).get("application/json", {})
        if accepted.get("schema", {}).get("$ref", "").endswith("/Task"):
            want.add("429")  # the per-user task limit
        if not want <= codes:
            missing.append(f"{method} {path}: {sorted(want - codes)}")
        if not any(c.startswith("2") for c in codes):
            missing.append(f"{method} {path}: no success response")
    assert not missing, "\n".join(missing)


def test_every_error_response_is_a_problem(schema: dict[str, Any]) -> None:
    assert set(schema["components"]["schemas"]["Problem"]["required"]) >= {"status", "detail"}
    wrong = [
        f"{method} {path} {code}"
        for method, path, op in operations(schema)
        for code, response in op["responses"].items()
        if (code.startswith("4") or code == "503")
        and (
            set(response.get("content", {})) != {PROBLEM}
            or not response.get("description")
            or response["content"][PROBLEM]["schema"] != {"$ref": "#/components/schemas/Problem"}
        )
    ]
    assert not wrong, wrong


def _op(schema: dict[str, Any], method: str, path: str) -> dict[str, Any]:
    return dict(schema["paths"][path][method.lower()])


def test_statuses_follow_the_views(schema: dict[str, Any]) -> None:
    """Spot checks of what is derived (permissions, throttles) or declared (409, 403)."""
    symbol = schema["paths"]["/api/symbols/{ticker}/"]
    assert "403" in symbol["patch"]["responses"] and "403" in symbol["delete"]["responses"]
    assert "403" not in symbol["get"]["responses"]  # anyone signed in reads symbols
    token = _op(schema, "POST", "/api/auth/token")["responses"]
    assert {"401", "429"} <= set(token) and "404" not in token  # throttled, wrong password
    assert "409" in _op(schema, "DELETE", "/api/pairs/{pair_id}/")["responses"]
    assert "409" in _op(schema, "POST", "/api/tasks/{task_id}/cancel")["responses"]
    assert "403" in _op(schema, "POST", "/api/tasks/selftest")["responses"]
    assert "429" not in _op(schema, "GET", "/api/pairs/")["responses"]
    assert "404" not in _op(schema, "GET", "/api/pairs/")["responses"]


def test_strict_bodies_refuse_unknown_fields_in_the_schema(schema: dict[str, Any]) -> None:
    """Every request body of a strict serializer says ``additionalProperties: false``."""
    components = schema["components"]["schemas"]
    loose = []
    for method, path, op in operations(schema):
        for media in op.get("requestBody", {}).get("content", {}).values():
            ref = media["schema"].get("$ref", "")
            name = ref.rpartition("/")[2]
            if name and components[name].get("additionalProperties") is not False:
                loose.append(f"{method} {path} {name}")
    assert not loose, loose


def test_json_endpoints_take_only_json(schema: dict[str, Any]) -> None:
    kinds = {
        f"{method} {path}": set(op["requestBody"]["content"])
        for method, path, op in operations(schema)
        if "requestBody" in op
    }
    assert kinds.pop("POST /api/bars/ingest") == {"application/json", "multipart/form-data"}
    assert all(v == {"application/json"} for v in kinds.values()), kinds


def test_query_constraints_are_in_the_schema(schema: dict[str, Any]) -> None:
    params = {p["name"]: p["schema"] for p in _op(schema, "GET", "/api/pairs/")["parameters"]}
    assert params["limit"] == {"type": "integer", "minimum": 1, "maximum": 500}
    assert params["ordering"]["pattern"].startswith("^-?(pvalue|")
    assert params["timeframe"]["enum"]
    tasks = {p["name"]: p["schema"] for p in _op(schema, "GET", "/api/tasks/")["parameters"]}
    assert "-?(created_at|" in tasks["ordering"]["pattern"]
    bars = {p["name"]: p["schema"] for p in _op(schema, "GET", "/api/bars/")["parameters"]}
    assert bars["symbols"]["pattern"].startswith("^[A-Za-z0-9^]")


async def test_a_multipart_body_to_a_json_endpoint_is_415(api: Api) -> None:
    """It was read as an empty form: ``432`` as multipart started a default walk-forward."""
    r = await api.post(
        "/api/walkforward/", "432", raw=True, content_type="multipart/form-data; boundary=x"
    )
    assert r.status_code == 415 and r["Content-Type"].startswith(PROBLEM), r.content
    r = await api.post(
        "/api/walkforward/", "a=1", raw=True, content_type="application/x-www-form-urlencoded"
    )
    assert r.status_code == 415


@pytest.mark.parametrize("body", ["432", "[1]", '"x"', "null"])
async def test_a_json_body_that_is_not_an_object_is_400(api: Api, body: str) -> None:
    r = await api.post("/api/walkforward/", body, raw=True)
    assert r.status_code == 400 and r["Content-Type"].startswith(PROBLEM), (body, r.content)


async def test_a_symbol_deleted_while_it_is_changed_is_404_not_500() -> None:
    """Found by the schema fuzz: a PATCH racing a DELETE of the same symbol raised
    "Save with update_fields did not affect any rows" (500)."""
    from titan_web.common.errors import NotFoundError
    from titan_web.market import services
    from titan_web.market.models import Symbol

    symbol = await Symbol.objects.acreate(ticker="RACE")
    await Symbol.objects.filter(pk=symbol.pk).adelete()  # the concurrent DELETE
    with pytest.raises(NotFoundError):
        await services.symbol_update(symbol=symbol, data={"name": "x"})
