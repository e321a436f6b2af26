"""The API's orjson renderer writes what DRF's JSONRenderer writes (titan_web/common/renderers.py),
except non-finite floats (null) and stored JSON fragments (as stored)."""

from __future__ import annotations

import datetime as dt
import decimal
import json
import uuid
import zoneinfo
from typing import Any

import numpy as np
import pytest
from django.utils.translation import gettext_lazy
from rest_framework import renderers as drf

from titan_web.common.payloads import stored_json
from titan_web.common.renderers import JSONRenderer, dumps

NY = zoneinfo.ZoneInfo("America/New_York")

SAME = [
    {},
    [],
    {"a": 1, "b": [1, 2.5, None, True, False], "c": {"d": "é ü 中文 😀"}},
    {"ts": dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.UTC)},
    {"ts": dt.datetime(2024, 1, 2, 3, 4, 5, 123456, tzinfo=dt.UTC)},
    {"ts": dt.datetime(2024, 7, 2, 3, 4, 5, tzinfo=NY)},
    {"naive": dt.datetime(2024, 1, 2, 3, 4, 5), "date": dt.date(2024, 1, 2)},
    {"time": dt.time(13, 30, 1)},
    {"id": uuid.UUID("12345678-1234-5678-1234-567812345678")},
    {"dec": decimal.Decimal("1.25"), "lazy": gettext_lazy("This field is required.")},
    {"tuple": (1, 2), "nested": [[{"x": -0.0}], [1e-300, 1.7976931348623157e308]]},
    {"line": "a\u2028b\u2029c", "quote": 'say "hi"\\\n\t\x00'},
    {"big": 2**62, "neg": -(2**62)},
]


@pytest.mark.parametrize("data", SAME)
def test_same_values_as_drf(data: Any) -> None:
    ours, theirs = JSONRenderer().render(data), drf.JSONRenderer().render(data)
    assert json.loads(ours) == json.loads(theirs)
    assert b"\xe2\x80\xa8" not in ours and b"\xe2\x80\xa9" not in ours  # escaped, as DRF does


def test_same_bytes_as_drf_for_api_payloads() -> None:
    payload = {
        "id": 7,
        "symbol_1": "KO",
        "start": "2020-01-02T00:00:00Z",
        "hedge_ratio": 0.8523401,
        "pvalue": 0.0123,
        "lag": 1,
        "is_cointegrated": True,
        "scan_id": None,
        "results": [{"kind": "enter_long", "zscore": -2.25, "note": "é"}],
    }
    assert JSONRenderer().render(payload) == drf.JSONRenderer().render(payload)


def test_integers_beyond_64_bits_fall_back_to_drf() -> None:
    data = {"huge": 2**70, "ts": dt.datetime(2024, 1, 1, tzinfo=dt.UTC)}
    assert JSONRenderer().render(data) == drf.JSONRenderer().render(data)
    stored = JSONRenderer().render({**data, "stats": stored_json('{"x": [1]}')})
    assert json.loads(stored) == {
        **json.loads(drf.JSONRenderer().render(data)),
        "stats": {"x": [1]},
    }


def test_indented_rendering_is_drfs() -> None:
    data = {"a": [1, 2], "f": stored_json('{"x": 1}')}
    ours = JSONRenderer().render(data, "application/json; indent=4")
    assert ours == drf.JSONRenderer().render(
        {"a": [1, 2], "f": {"x": 1}}, "application/json; indent=4"
    )


def test_non_finite_floats_are_null() -> None:
    data = {"nan": float("nan"), "inf": float("inf"), "ninf": -np.inf, "np": np.float64("nan")}
    assert json.loads(dumps(data)) == {"nan": None, "inf": None, "ninf": None, "np": None}
    with pytest.raises(ValueError):  # DRF's strict renderer refused them: a 500
        drf.JSONRenderer().render(data)


def test_numpy_values() -> None:
    data = {"f": np.float64(1.5), "i": np.int64(3), "a": np.array([1.0, 2.0])}
    assert json.loads(dumps(data)) == {"f": 1.5, "i": 3, "a": [1.0, 2.0]}


def test_stored_json_is_written_as_stored() -> None:
    text = '{"x": [1.5, null], "note": "a, b"}'
    out = dumps({"id": 1, "stats": stored_json(text)})
    assert out == b'{"id":1,"stats":' + text.encode() + b"}"
    assert stored_json(None) is None


def test_stored_json_with_non_finite_numbers_is_decoded_to_nulls() -> None:
    text = json.dumps({"h": float("nan"), "v": [float("inf"), 1.0]})  # SQLite may hold this
    assert "NaN" in text
    assert json.loads(dumps({"stats": stored_json(text)})) == {
        "stats": {"h": None, "v": [None, 1.0]}
    }
