"""The dashboard's API types (ui/src/lib/api-types.ts) are generated from the OpenAPI schema:
this fails when an endpoint or a serializer changed and `make api-types` was not run."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
UI = ROOT / "ui"
COMMITTED = UI / "src" / "lib" / "api-types.ts"
NODE = Path(sys.executable).parent / "node"
EMBEDDED_UNSET = {"DATABASE_URL", "TIMESCALE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}


def test_committed_api_types_match_the_schema(tmp_path: Path) -> None:
    if not (UI / "node_modules" / "openapi-typescript").is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail("ui/node_modules is missing: run `make ui` first")
        pytest.skip("ui/node_modules is missing (make ui installs it)")
    # The schema of the embedded default, as `make api-types` generates it: integer bounds in
    # the schema follow the database's column ranges, which differ on PostgreSQL.
    env = {k: v for k, v in os.environ.items() if k not in EMBEDDED_UNSET}
    env["TITAN_VAR_DIR"] = str(tmp_path / "var")
    proc = subprocess.run(
        [sys.executable, "manage.py", "spectacular", "--format", "openapi-json"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    )
    schema = tmp_path / "schema.json"
    schema.write_text(proc.stdout)
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
