"""Serving the built dashboard: WhiteNoise caching rules, client-side routes falling back to
index.html, and the server's own paths left alone (titan_web/common/ui.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import AsyncClient, override_settings

INDEX = b'<!doctype html><html><head><script type="module" src="/assets/index-AbCd1234.js"></script></head><body><div id="root"></div></body></html>'
ASSET = b"console.log('titan');"


@pytest.fixture
def dist(tmp_path: Path) -> Iterator[Path]:
    root = tmp_path / "dist"
    (root / "assets").mkdir(parents=True)
    (root / "index.html").write_bytes(INDEX)
    (root / "assets" / "index-AbCd1234.js").write_bytes(ASSET)
    (root / "robots.txt").write_text("User-agent: *\n")
    with override_settings(UI_DIST=root, WHITENOISE_ROOT=root):
        yield root


@pytest.fixture
def client(dist: Path) -> AsyncClient:
    # A new client builds its own handler, so WhiteNoise scans the overridden root.
    return AsyncClient()


async def test_root_serves_index_html_never_cached(client: AsyncClient) -> None:
    r = await client.get("/")
    assert r.status_code == 200
    assert b"".join(r.streaming_content) == INDEX  # type: ignore[attr-defined]
    assert r["Cache-Control"] == "no-cache"
    assert "script-src 'self'" in r["Content-Security-Policy"]


async def test_hashed_asset_is_immutable_for_a_year(client: AsyncClient) -> None:
    r = await client.get("/assets/index-AbCd1234.js")
    assert r.status_code == 200
    assert b"".join(r.streaming_content) == ASSET  # type: ignore[attr-defined]
    directives = {d.strip() for d in r["Cache-Control"].split(",")}
    assert {"max-age=31536000", "immutable"} <= directives


async def test_unhashed_file_is_not_immutable(client: AsyncClient) -> None:
    r = await client.get("/robots.txt")
    assert r.status_code == 200
    assert "immutable" not in r.get("Cache-Control", "")


@pytest.mark.parametrize("path", ["/pairs/3", "/live", "/backtests/12", "/walkforward", "/signin"])
async def test_client_routes_fall_back_to_index_html(client: AsyncClient, path: str) -> None:
    r = await client.get(path, {"tab": "x"})
    assert r.status_code == 200
    assert r.content == INDEX
    assert r["Content-Type"].startswith("text/html")
    assert r["Cache-Control"] == "no-cache"


async def test_head_of_a_client_route(client: AsyncClient) -> None:
    r = await client.head("/tasks")
    assert r.status_code == 200 and r.content == b""


async def test_unknown_api_path_stays_a_problem_json_404(client: AsyncClient) -> None:
    r = await client.get("/api/no-such-endpoint/")
    assert r.status_code == 404
    assert r["Content-Type"].startswith("application/problem+json")
    assert r.json()["status"] == 404


@pytest.mark.parametrize(
    "path", ["/api", "/ws/stream/", "/ws/other", "/static/nothing.css", "/admin-x.js"]
)
async def test_server_prefixes_and_file_names_are_not_routes(
    client: AsyncClient, path: str
) -> None:
    r = await client.get(path)
    assert r.status_code == 404
    assert r["Content-Type"].startswith("application/problem+json")


async def test_missing_asset_is_a_404_not_html(client: AsyncClient) -> None:
    r = await client.get("/assets/index-ZZZZ9999.js")
    assert r.status_code == 404
    assert not r["Content-Type"].startswith("text/html")


async def test_health_and_admin_untouched(client: AsyncClient) -> None:
    health = await client.get("/healthz")
    assert health.status_code == 200 and health.json() == {"status": "ok"}
    r = await client.get("/admin/")
    assert r.status_code == 302 and "/admin/login/" in r["Location"]
    m = await client.get("/metrics")
    assert m.status_code == 200 and m["Content-Type"].startswith("text/plain")


async def test_schema_and_docs_untouched(client: AsyncClient) -> None:
    assert (await client.get("/api/schema/")).status_code == 200


async def test_without_a_build_root_goes_to_the_api_docs(tmp_path: Path) -> None:
    missing = tmp_path / "nothing"
    with override_settings(UI_DIST=missing, WHITENOISE_ROOT=None):
        client = AsyncClient()
        r = await client.get("/")
        assert r.status_code == 302 and r["Location"] == "/api/docs/"
        r = await client.get("/pairs/3")
        assert r.status_code == 404
        assert r["Content-Type"].startswith("application/problem+json")
