"""Body limits, decompression bombs, bounded error answers and the off-loop JSON ingest path.

- Bodies: 413 problem+json (with ``limit_bytes``) on ``Content-Length`` alone or as soon as
  a chunked body passes the limit; 415 for a ``Content-Encoding``; the ingest takes uploads.
- A gzip upload expanding past ``TITAN_MAX_DECOMPRESSED_BYTES`` is 413 (a 292 kB gzip
  expanding to 300 MB took 13-15 s and 570 MiB); a Parquet file whose columns would.
- Error answers quote bounded excerpts (a 29 kB upload produced a 30 MB 422).
- A JSON ingest body above ``TITAN_OFFLOAD_BODY_BYTES`` is parsed in a compute process
  (``titan_web.market.rowsbody``) and answers exactly what the on-loop path answers.
The event-loop figures on a real server: tests/e2e/test_large_bodies.py.
"""

from __future__ import annotations

import gzip
import io
import json
import zlib
from typing import Any

import pytest

from engine.data._files import gunzip
from engine.data.errors import DataFormatError, DataTooLarge
from tests.asgi_scope import http_scope
from tests.conftest import Api
from titan_web.common.errors import MAX_QUOTED_CHARS, bounded

INGEST = "/api/bars/ingest"


async def asgi(
    path: str, body_messages: list[bytes], headers: list[tuple[bytes, bytes]]
) -> tuple[int, dict[str, Any]]:
    """Call TITAN's Django ASGI handler (titan_web.asgi) with the body in these messages."""
    from titan_web.asgi import django_asgi_app

    scope = http_scope("POST", path, headers)
    messages = [
        {"type": "http.request", "body": b, "more_body": i < len(body_messages) - 1}
        for i, b in enumerate(body_messages)
    ]
    received: list[int] = []
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        if messages:
            received.append(1)
            return messages.pop(0)
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await django_asgi_app(scope, receive, send)
    status = sent[0]["status"]
    body = b"".join(m.get("body", b"") for m in sent[1:])
    return status, {"json": json.loads(body), "received": len(received), "sent": sent}


async def test_a_content_length_over_the_limit_is_413_before_the_body_is_read() -> None:
    length = str(2 * 1024 * 1024).encode()
    status, out = await asgi(
        "/api/auth/token",
        [b"{}"] * 5,
        [(b"content-type", b"application/json"), (b"content-length", length)],
    )
    assert status == 413
    assert out["json"]["limit_bytes"] == 1024 * 1024
    assert out["json"]["type"].endswith("/payload-too-large")
    assert out["received"] == 0  # refused on the header alone
    headers = dict(out["sent"][0]["headers"])
    assert headers[b"Content-Type"].startswith(b"application/problem+json")


async def test_a_chunked_body_is_413_as_soon_as_it_passes_the_limit() -> None:
    chunk = b" " * (300 * 1024)
    status, out = await asgi(
        "/api/pairs/analyze", [chunk] * 10, [(b"content-type", b"application/json")]
    )
    assert status == 413 and out["json"]["limit_bytes"] == 1024 * 1024
    assert out["received"] == 4  # 4 x 300 kB passes 1 MiB: the other 6 were never read


async def test_a_content_encoding_is_415() -> None:
    status, out = await asgi(
        INGEST,
        [gzip.compress(b'{"rows": []}')],
        [(b"content-type", b"application/json"), (b"content-encoding", b"gzip")],
    )
    assert status == 415
    assert "Content-Encoding" in out["json"]["errors"]


async def test_the_ingest_takes_bodies_over_the_default_limit(api: Api) -> None:
    rows = [
        {"symbol": "AAA", "ts": f"2020-01-{d:02d}", "close": 1.0, "note": "n" * 60_000}
        for d in range(1, 21)
    ]
    body = json.dumps({"rows": rows})
    assert len(body) > 1024 * 1024
    r = await api.post(INGEST, body, raw=True)
    assert r.status_code == 200, r.content[:300]
    assert r.json()["inserted"] == 20


def test_the_limits_follow_the_settings(settings: Any) -> None:
    from titan_web.common.bodylimits import limit_for

    settings.TITAN = {**settings.TITAN, "MAX_BODY_BYTES": 1234}
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 5678
    assert limit_for("/api/auth/token") == 1234
    assert limit_for("/api/no/such/path") == 1234
    assert limit_for(INGEST) == 5678


# -- decompression ------------------------------------------------------------------------


def test_gunzip_stops_at_the_limit() -> None:
    bomb = gzip.compress(b"0" * (20 * 1024 * 1024), 9)
    with pytest.raises(DataTooLarge) as info:
        gunzip(bomb, "bomb", limit=1024 * 1024)
    assert info.value.limit == 1024 * 1024
    assert gunzip(bomb, "ok", limit=None) == b"0" * (20 * 1024 * 1024)


def test_gunzip_reads_every_member_and_refuses_corrupt_data() -> None:
    assert (
        gunzip(gzip.compress(b"a,b\n") + gzip.compress(b"1,2\n"), "x", limit=100) == b"a,b\n1,2\n"
    )
    with pytest.raises(DataFormatError, match="truncated"):
        gunzip(gzip.compress(b"x" * 1000)[:-12], "x", limit=None)
    with pytest.raises(DataFormatError, match="corrupt"):
        gunzip(b"\x1f\x8b" + b"\x00" * 30, "x", limit=None)
    assert not isinstance(zlib.error(), DataFormatError)


def _upload(api: Api, content: bytes, name: str) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return api.client.post(
        INGEST,
        {"file": SimpleUploadedFile(name, content)},
        headers={"Authorization": f"Bearer {api.token}"},
    )


async def test_a_gzip_bomb_is_413_with_the_limit(api: Api, settings: Any) -> None:
    settings.TITAN = {**settings.TITAN, "MAX_DECOMPRESSED_BYTES": 2 * 1024 * 1024}
    line = b"AAA,2020-01-01,1.0\n"
    bomb = gzip.compress(b"symbol,ts,close\n" + line * (30 * 1024 * 1024 // len(line)), 9)
    assert len(bomb) < 200_000
    r = await _upload(api, bomb, "bomb.csv.gz")
    assert r.status_code == 413, r.content[:300]
    body = r.json()
    assert body["limit_bytes"] == 2 * 1024 * 1024
    assert "2,097,152" in body["errors"]["file"][0]
    assert len(r.content) < 1000


async def test_a_parquet_file_with_too_large_columns_is_413(api: Api, settings: Any) -> None:
    import pandas as pd

    settings.TITAN = {**settings.TITAN, "MAX_DECOMPRESSED_BYTES": 100_000}
    frame = pd.DataFrame(
        {"ts": pd.date_range("2000-01-01", periods=50_000, freq="D").astype(str), "close": 1.0}
    )
    buf = io.BytesIO()
    frame.to_parquet(buf, compression="zstd")
    r = await _upload(api, buf.getvalue(), "AAA.parquet")
    assert r.status_code == 413, r.content[:300]
    assert r.json()["limit_bytes"] == 100_000


# -- bounded error answers ----------------------------------------------------------------


async def test_a_422_quotes_bounded_excerpts_of_the_rejected_rows(api: Api) -> None:
    """The 29 kB upload that produced a 30 MB answer: 1,000 rows with a 30,000-character
    ticker each."""
    bad = "A" * 30_000
    text = "symbol,ts,close\n" + "".join(
        f"{bad},2020-01-{1 + i % 28:02d},1.0\n" for i in range(1000)
    )
    upload = gzip.compress(text.encode(), 9)
    assert len(upload) < 40_000
    r = await _upload(api, upload, "wide.csv.gz")
    assert r.status_code == 422, r.content[:300]
    body = r.json()
    assert body["rejected_count"] == 1000
    assert len(r.content) < 300_000, len(r.content)  # was 30 MB
    symbol = body["rejected"][0]["symbol"]
    assert symbol.startswith("AAAA") and "30,000 characters" in symbol


async def test_validation_errors_quote_bounded_values(api: Api) -> None:
    huge = "z" * 500_000
    r = await api.post(INGEST, {"rows": [{"ts": "2020-01-01", "close": 1}], "naive_tz": huge})
    assert r.status_code == 400
    assert len(r.content) < 3 * MAX_QUOTED_CHARS + 2000
    r = await api.post(INGEST, {"rows": [{"ts": "2020-01-01", "close": 1}], huge: 1})
    assert r.status_code == 400 and len(r.content) < 4 * MAX_QUOTED_CHARS + 2000


def test_bounded_cuts_strings_lists_and_keys() -> None:
    out = bounded({"k" * 5000: ["v" * 5000] * 5000, "n": 3})
    (key,) = [k for k in out if k != "n"]
    assert len(key) < MAX_QUOTED_CHARS + 40 and out["n"] == 3
    assert len(out[key]) == 1000 and all(len(v) < MAX_QUOTED_CHARS + 40 for v in out[key])


# -- the off-loop JSON path answers what the on-loop path answers --------------------------

BODIES: list[Any] = [
    {"rows": [{"symbol": "OFF", "ts": "2020-01-02", "close": 1.0}]},
    {"rows": [{"symbol": "OFF", "ts": "2020-01-02", "close": -1.0}]},
    {"rows": [{"symbol": "OFF", "ts": "2020-01-02", "close": 1.0}], "timeframe": "3d"},
    {"rows": [{"symbol": "OFF", "ts": "2020-01-02", "close": 1.0}], "owner": 1},
    {"rows": "nope"},
    {"rows": [1, {"ts": "2020-01-02"}]},
    {"rows": []},
    {"rows": [{}]},
    {"rows": [{"ts": "2020-01-02", "close": 1.0}]},
    {"timeframe": "1d"},
    [1, 2],
]


def _strip(r: Any) -> Any:
    return {"status": r.status_code, "body": r.json()}


@pytest.mark.parametrize("body", BODIES, ids=range(len(BODIES)))
async def test_the_offloaded_json_path_answers_like_the_small_path(
    api: Api, settings: Any, body: Any
) -> None:
    small = _strip(await api.post(INGEST, body))
    if small["status"] == 200:
        from titan_web.market.models import Bar, Series, Symbol

        for model in (Bar, Series, Symbol):
            await model.objects.all().adelete()
    settings.TITAN = {**settings.TITAN, "OFFLOAD_BODY_BYTES": 1}
    large = _strip(await api.post(INGEST, body))
    assert large == small


@pytest.mark.parametrize(
    "raw", ['{"rows": [', '{"rows": [NaN]}', '{"a":' + "[" * 1000 + "]" * 1000 + "}"]
)
async def test_the_offloaded_json_path_refuses_malformed_bodies(
    api: Api, settings: Any, raw: str
) -> None:
    small = _strip(await api.post(INGEST, raw, raw=True))
    settings.TITAN = {**settings.TITAN, "OFFLOAD_BODY_BYTES": 1}
    large = _strip(await api.post(INGEST, raw, raw=True))
    assert small["status"] == large["status"] == 400
    assert large["body"]["type"] == small["body"]["type"]
    assert "body" in large["body"]["errors"]
