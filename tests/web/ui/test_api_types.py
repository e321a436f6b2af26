"""The dashboard's API types (ui/src/lib/api-types.ts) are generated from the OpenAPI schema:
this fails when an endpoint or a serializer changed and `make api-types` was not run."""

from __future__ import annotations

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[3]
UI = ROOT / "ui"
COMMITTED = UI / "src" / "lib" / "api-types.ts"
NODE = Path(sys.executable).parent / "node"


def test_committed_api_types_match_the_schema(tmp_path: Path) -> None:
    if not (UI / "node_modules" / "openapi-typescript").is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail("ui/node_modules is missing: run `make ui` first")
        pytest.skip("ui/node_modules is missing (make ui installs it)")
    out = StringIO()
    call_command("spectacular", "--format", "openapi-json", stdout=out)
    schema = tmp_path / "schema.json"
    schema.write_text(out.getvalue())
    generated = tmp_path / "api-types.ts"
    subprocess.run(
        [str(NODE), "scripts/gen-api-types.mjs", str(schema), str(generated)],
        cwd=UI,
        check=True,
        capture_output=True,
        timeout=120,
    )
    assert generated.read_text() == COMMITTED.read_text(), (
        "ui/src/lib/api-types.ts is stale: run `make api-types` and commit it"
    )
