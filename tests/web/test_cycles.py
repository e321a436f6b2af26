"""release_serializer frees a used serializer, its nested serializers and list fields by
reference counting (titan_web/common/cycles.py)."""

from __future__ import annotations

import gc
from collections.abc import Callable
from typing import Any

import pytest
from rest_framework import serializers

from titan_web.common.cycles import release_serializer


class Leg(serializers.Serializer[Any]):
    ticker = serializers.CharField()


class Row(serializers.Serializer[Any]):
    name = serializers.CharField()
    leg = Leg()
    tags = serializers.ListField(child=serializers.CharField())


ROWS = [{"name": "a", "leg": {"ticker": "KO"}, "tags": ["x", "y"]}] * 3


def _drf_garbage(use: Callable[[], Any]) -> tuple[Any, int]:
    """``use()``'s result and the count of DRF objects only the cyclic collector freed after
    it (``use`` builds its serializers and lets them go)."""
    gc.collect()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        out = use()
        gc.collect()
        return out, sum(type(o).__module__.startswith("rest_framework.") for o in gc.garbage)
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()


@pytest.mark.parametrize("release", [False, True])
def test_release_frees_nested_serializers_and_list_fields(release: bool) -> None:
    def render() -> list[Any]:
        serializer = Row(ROWS, many=True)
        data = [dict(row) for row in serializer.data]
        if release:
            release_serializer(serializer)
        return data

    data, found = _drf_garbage(render)
    assert data == [{"name": "a", "leg": {"ticker": "KO"}, "tags": ["x", "y"]}] * 3
    if release:
        assert found == 0
    else:
        assert found > 0  # without it DRF's links are cycles: the check above can fail


def test_a_validated_serializer_is_freed_too() -> None:
    def validate() -> dict[str, Any]:
        serializer = Row(data=ROWS[0])
        assert serializer.is_valid(), serializer.errors
        validated = dict(serializer.validated_data)
        release_serializer(serializer)
        return validated

    validated, found = _drf_garbage(validate)
    assert found == 0
    assert validated["leg"] == {"ticker": "KO"} and validated["tags"] == ["x", "y"]
