"""/api/schema/ is built once per process and served from the rendered bytes
(titan_web/common/schema_view.py); what it serves stays equal to a fresh build."""

from __future__ import annotations

import json
import time

from asgiref.sync import sync_to_async
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer

from tests.conftest import Api
from titan_web.common import schema_view

JSON = {"Accept": "application/vnd.oai.openapi+json"}


def fresh_build() -> dict:
    data = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(data))  # type: ignore[no-any-return]


async def test_cached_schema_equals_a_fresh_build(anon_api: Api) -> None:
    schema_view.clear()
    first = await anon_api.get("/api/schema/", headers=JSON)
    assert first.status_code == 200
    started = time.perf_counter()
    second = await anon_api.get("/api/schema/", headers=JSON)
    cached_seconds = time.perf_counter() - started
    assert second.status_code == 200
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert second["Content-Disposition"] == first["Content-Disposition"]
    assert json.loads(second.content) == await sync_to_async(fresh_build)()
    assert cached_seconds < 0.5  # bytes from memory, not a rebuild (~1.5 s)


async def test_yaml_and_json_are_cached_apart(anon_api: Api) -> None:
    schema_view.clear()
    as_json = await anon_api.get("/api/schema/", headers=JSON)
    as_yaml = await anon_api.get("/api/schema/")
    assert as_yaml.status_code == 200 and as_yaml.content.startswith(b"openapi:")
    assert as_json.content.startswith(b"{")
    assert (await anon_api.get("/api/schema/")).content == as_yaml.content
