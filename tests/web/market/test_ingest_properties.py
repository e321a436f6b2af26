"""Property-based: malformed CSV uploads get a 4xx or a report, never a 500, never a partial
write (issue 3). Sync test with Django's sync client: hypothesis drives plain functions."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import issue_tokens
from titan_web.market.models import Bar

HEADERS = [
    "Date",
    "date",
    "timestamp",
    "Symbol",
    "ticker",
    "Open",
    "High",
    "Low",
    "Close",
    "close",
    "Volume",
    "price",
    "junk",
    "",
]
CELLS = st.one_of(
    st.sampled_from(
        [
            "2024-01-02",
            "2024-01-02T10:00:00+02:00",
            "2024-01-03T00:00:00Z",
            "2024-13-45",
            "yesterday",
            "",
            "NaN",
            "inf",
            "-1",
            "0",
            "1e308",
            "1e309",
            "12.5",
            "abc",
            "KO",
            "PEP",
            '"quoted,comma"',
            "2024-01-02 09:30",
        ]
    ),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.text(max_size=6),
)


@st.composite
def csv_files(draw: Any) -> bytes:
    cols = draw(st.lists(st.sampled_from(HEADERS), min_size=0, max_size=7))
    rows = draw(st.lists(st.lists(CELLS, min_size=len(cols), max_size=len(cols) + 1), max_size=6))
    lines = [",".join(cols)] + [",".join(r) for r in rows]
    text = "\n".join(lines) if cols or rows else draw(st.sampled_from(["", "\n", " "]))
    return text.encode("utf-8", "surrogatepass")


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(content=csv_files(), on_error=st.sampled_from(["abort", "skip"]))
def test_malformed_csv_never_500_never_partial(user: Any, content: bytes, on_error: str) -> None:
    client = Client(headers={"Authorization": f"Bearer {issue_tokens(user)['access']}"})
    before = Bar.objects.count()
    r = client.post(
        "/api/bars/ingest",
        {"file": SimpleUploadedFile("upload.csv", content), "on_error": on_error},
    )
    assert r.status_code in (200, 400, 422), (r.status_code, content, r.content)
    body = r.json()
    after = Bar.objects.count()
    if r.status_code == 200:
        assert body["rows"] == body["inserted"] + body["updated"] + body["unchanged"] + len(
            body["rejected"]
        )
        assert after - before == body["inserted"]
        assert on_error == "skip" or not body["rejected"]
    else:
        assert r["Content-Type"].startswith("application/problem+json")
        assert after == before, "a refused upload writes nothing"
