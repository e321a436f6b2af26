"""API conventions: problem+json everywhere, OpenAPI, health, host validation, headers."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import get_resolver

from tests.conftest import Api

PROBLEM = "application/problem+json"


def json_post_endpoints() -> list[str]:
    """Every API route that accepts a JSON body, found from the URL map (so new endpoints are
    covered without editing this test)."""
    out = []
    for pattern in get_resolver().url_patterns:
        if str(pattern.pattern) != "api/":
            continue
        for sub in pattern.url_patterns:
            prefix = str(sub.pattern)
            for leaf in getattr(sub, "url_patterns", [sub]):
                route = prefix + str(leaf.pattern) if leaf is not sub else prefix
                view = getattr(leaf.callback, "view_class", None)
                if view is None or "<" in route:
                    continue
                if any(hasattr(view, m) for m in ("post", "patch")) and "schema" not in route:
                    out.append("/api/" + route)
    return sorted(set(out))


def test_endpoint_discovery_finds_the_auth_endpoints() -> None:
    found = json_post_endpoints()
    assert {"/api/auth/token", "/api/auth/refresh", "/api/auth/logout", "/api/auth/me"} <= set(
        found
    )


@pytest.mark.parametrize("body", ["{bad json", "[1, 2", "\x00\x01", '"just a string"'])
async def test_malformed_bodies_answer_400_problem_naming_the_field(api: Api, body: str) -> None:
    for path in json_post_endpoints():
        method = api.patch if path.endswith("/me") else api.post
        r = await method(path, body, raw=True)
        assert r.status_code == 400, (path, r.status_code, r.content)
        assert r["Content-Type"].startswith(PROBLEM), path
        problem = r.json()
        assert problem["status"] == 400 and problem["errors"], path
        assert all(isinstance(v, list) and v for v in problem["errors"].values())


async def test_wrong_types_name_each_field(anon_api: Api) -> None:
    r = await anon_api.post("/api/auth/token", {"username": {"a": 1}, "password": ["x"]})
    assert r.status_code == 400 and r["Content-Type"].startswith(PROBLEM)
    body = r.json()
    assert set(body["errors"]) == {"username", "password"}
    assert body["type"].endswith("/validation") and "username" in body["detail"]


async def test_unsupported_media_type_is_problem(api: Api) -> None:
    r = await api.post("/api/auth/token", "a=1", raw=True, content_type="text/plain")
    assert r.status_code == 415 and r["Content-Type"].startswith(PROBLEM)


async def test_method_not_allowed_is_problem(api: Api) -> None:
    r = await api.delete("/api/auth/token")
    assert r.status_code == 405 and r["Content-Type"].startswith(PROBLEM)


async def test_unknown_path_is_problem_404(anon_api: Api) -> None:
    r = await anon_api.get("/api/does-not-exist/")
    assert r.status_code == 404 and r["Content-Type"].startswith(PROBLEM)
    assert r.json()["status"] == 404


async def test_openapi_schema_and_docs(anon_api: Api) -> None:
    r = await anon_api.get("/api/schema/", headers={"Accept": "application/vnd.oai.openapi+json"})
    assert r.status_code == 200
    schema = r.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/auth/token" in schema["paths"]
    assert schema["components"]["securitySchemes"]["jwtAuth"]["scheme"] == "bearer"
    docs = await anon_api.get("/api/docs/")
    assert docs.status_code == 200 and b"swagger" in docs.content.lower()
    assert b"cdn.jsdelivr" not in docs.content, "the docs page must work offline (sidecar assets)"


async def test_healthz(anon_api: Api) -> None:
    r = await anon_api.get("/healthz")
    assert r.status_code == 200 and r.json() == {"status": "ok"}


async def test_readyz_checks_both_databases_and_channel_layer(anon_api: Api) -> None:
    r = await anon_api.get("/readyz")
    assert r.status_code == 200, r.content
    checks = r.json()["checks"]
    assert set(checks) == {"db:default", "db:timescale", "channel_layer"}
    assert all(c["ok"] for c in checks.values())


async def test_readyz_reports_a_broken_database(
    anon_api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    from titan_web.common import health

    real = health._check_database

    def broken(alias: str) -> dict[str, Any]:
        return {"ok": False, "error": "down"} if alias == "timescale" else real(alias)

    monkeypatch.setattr(health, "_check_database", broken)
    r = await anon_api.get("/readyz")
    assert r.status_code == 503 and r.json()["checks"]["db:timescale"]["ok"] is False


async def test_metrics_exposes_request_counters(anon_api: Api) -> None:
    await anon_api.get("/healthz")
    body = (await anon_api.get("/metrics")).content.decode()
    assert "titan_http_requests_total{" in body and 'route="healthz"' in body
    assert "titan_http_request_seconds_bucket" in body


async def test_disallowed_host_is_refused(anon_api: Api) -> None:
    r = await anon_api.get("/healthz", headers={"Host": "evil.example"})
    assert r.status_code == 400 and r["Content-Type"].startswith(PROBLEM)


async def test_security_headers(anon_api: Api) -> None:
    r = await anon_api.get("/healthz")
    assert r["X-Content-Type-Options"] == "nosniff" and r["X-Frame-Options"] == "DENY"


async def test_admin_login_page_uses_session_stack(anon_api: Api) -> None:
    r = await anon_api.get("/admin/login/")
    assert r.status_code == 200 and b"csrfmiddlewaretoken" in r.content
    assert "csrftoken" in r.cookies


async def test_api_responses_set_no_session_cookie(api: Api) -> None:
    r = await api.get("/api/auth/me")
    assert r.status_code == 200 and not r.cookies


def test_openapi_document_validates_without_warnings() -> None:
    """Every endpoint documents its request and responses (drf-spectacular, --fail-on-warn)."""
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out)
    assert "openapi: 3" in out.getvalue()


async def test_root_redirects_to_api_docs_without_a_built_dashboard(anon_api: Api) -> None:
    from django.conf import settings

    r = await anon_api.get("/")
    if settings.UI_DIST.is_dir():
        assert r.status_code == 200
    else:
        assert r.status_code == 302 and r["Location"] == "/api/docs/"
