"""PATCH /api/auth/me merges a partial ``default_params`` into the stored set and validates
the merged set (issue 12: a partial one answered 500, and a fuller one replaced the whole set)."""

from __future__ import annotations

from tests.conftest import Api

ME = "/api/auth/me"
# The model's defaults, written out (not read from the code under test).
STORED = {"lookback": 60, "entry_z": 2.0, "exit_z": 0.5, "stop_z": 4.0, "max_holding": 60}


async def test_a_partial_default_params_merges_into_the_stored_set(api: Api) -> None:
    assert (await api.get(ME)).json()["default_params"] == STORED
    r = await api.patch(ME, {"default_params": {"entry_z": 2.5}})
    assert r.status_code == 200, r.content
    assert r.json()["default_params"] == {**STORED, "entry_z": 2.5}
    r = await api.patch(ME, {"default_params": {"exit_z": 0.8, "stop_z": None}})
    assert r.status_code == 200, r.content
    expected = {**STORED, "entry_z": 2.5, "exit_z": 0.8, "stop_z": None}
    assert r.json()["default_params"] == expected
    assert (await api.get(ME)).json()["default_params"] == expected


async def test_the_merged_set_is_validated_as_a_whole(api: Api) -> None:
    # entry_z 0.4 alone is in range, but below the stored exit_z 0.5.
    r = await api.patch(ME, {"default_params": {"entry_z": 0.4}})
    assert r.status_code == 400 and r["Content-Type"].startswith("application/problem+json")
    assert set(r.json()["errors"]) == {"default_params.exit_z"}
    assert (await api.get(ME)).json()["default_params"] == STORED, "nothing changed"


async def test_other_preferences_leave_default_params_alone(api: Api) -> None:
    r = await api.patch(ME, {"cost_bps": 3.0})
    assert r.status_code == 200 and r.json()["default_params"] == STORED
