"""Every example of docs/data.md runs as written: each ``csv ingest`` / ``json ingest`` /
``http get`` block is sent, and the ``json answer`` block after it must match the answer
(every key shown must be there with that value; keys not shown are not checked)."""

from __future__ import annotations

import gzip
import io
import json
import re
import shlex
from pathlib import Path
from typing import Any

import pandas as pd
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.conftest import Api

DOC = Path(__file__).resolve().parents[3] / "docs" / "data.md"
BLOCK = re.compile(r"^```([^\n]*)\n(.*?)^```\s*$", re.M | re.S)


def examples() -> list[tuple[str, str, dict[str, Any]]]:
    """(info line, body, expected answer) of every example, in document order."""
    blocks = BLOCK.findall(DOC.read_text())
    out = []
    for i, (info, body) in enumerate(blocks):
        kind = info.split()[:2]
        if kind in (["csv", "ingest"], ["json", "ingest"], ["http", "get"]):
            answer_info, answer = blocks[i + 1]
            assert answer_info.strip() == "json answer", (info, answer_info)
            out.append((info, body, json.loads(answer)))
    return out


def _file(name: str, body: str) -> bytes:
    if name.endswith(".gz"):
        return gzip.compress(body.encode())
    if name.endswith(".parquet"):
        buf = io.BytesIO()
        pd.read_csv(io.StringIO(body), dtype={"ts": str}).to_parquet(buf)
        return buf.getvalue()
    return body.encode()


def _matches(expected: Any, actual: Any, where: str = "") -> None:
    if isinstance(expected, dict):
        assert isinstance(actual, dict), (where, actual)
        for key, value in expected.items():
            assert key in actual, (f"{where}.{key}", actual)
            _matches(value, actual[key], f"{where}.{key}")
    else:
        assert expected == actual, (where, expected, actual)


def test_the_document_has_an_example_of_each_layout_and_form() -> None:
    infos = " ".join(info for info, _, _ in examples())
    for needle in ("file=prices.csv", "file=wide.csv", ".csv.gz", ".parquet", "json ingest",
                   "naive_tz=", "http get", "on_error=skip"):  # fmt: skip
        assert needle in infos, needle


async def test_every_example_of_data_md_gives_the_answer_shown(api: Api) -> None:
    for info, body, expected in examples():
        words = shlex.split(info)
        options = dict(w.split("=", 1) for w in words[2:])
        if words[:2] == ["csv", "ingest"]:
            name = options.pop("file")
            upload = SimpleUploadedFile(name, _file(name, body))
            r = await api.client.post(
                "/api/bars/ingest", {"file": upload, **options}, headers=api._headers(None)
            )
        elif words[:2] == ["json", "ingest"]:
            r = await api.post("/api/bars/ingest", json.loads(body))
        else:
            r = await api.get(body.strip())
        status = expected.pop("status", 200)
        assert r.status_code == status, (info, r.status_code, r.content)
        _matches(expected, r.json(), info)
