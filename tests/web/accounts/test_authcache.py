"""The process cache of authenticated users and token families (titan_web/accounts/authcache.py):
it answers repeat requests without the database, and every write that can invalidate it
(logout, refresh reuse, deactivation, or any bump of the revocation epoch by another
process) makes the next request refuse or re-check, at once."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from asgiref.sync import sync_to_async

from tests.conftest import Api
from tests.factories import PASSWORD
from titan_web.accounts import epoch
from titan_web.accounts.authcache import cache
from titan_web.accounts.models import RefreshToken, User

ME = "/api/auth/me"


async def login(anon_api: Api, username: str = "alice") -> dict[str, Any]:
    r = await anon_api.post("/api/auth/token", {"username": username, "password": PASSWORD})
    assert r.status_code == 200
    return dict(r.json())


async def test_repeat_requests_are_answered_from_the_cache(user: Any, anon_api: Api) -> None:
    pair = await login(anon_api)
    api = Api(pair["access"])
    assert (await api.get(ME)).json()["username"] == "alice"
    misses = cache.misses
    for _ in range(5):
        assert (await api.get(ME)).json()["username"] == "alice"
    assert cache.misses == misses  # no database round trip after the first
    assert cache.hits >= 5


async def test_cached_user_is_a_private_copy(user: Any, anon_api: Api) -> None:
    pair = await login(anon_api)
    api = Api(pair["access"])
    await api.get(ME)
    r = await api.patch(
        ME, {"cost_bps": 7.5, "default_params": {"lookback": 30, "entry_z": 2.5, "exit_z": 0.5}}
    )
    assert r.status_code == 200
    me = (await api.get(ME)).json()
    assert me["cost_bps"] == 7.5  # the change reached the cache (user_changed event)
    assert me["default_params"]["lookback"] == 30


async def test_deactivated_user_is_refused_at_once(user: Any, anon_api: Api) -> None:
    pair = await login(anon_api)
    api = Api(pair["access"])
    assert (await api.get(ME)).status_code == 200  # cached now
    user.is_active = False
    await user.asave(update_fields=["is_active"])
    assert (await api.get(ME)).status_code == 401


async def test_logout_after_cached_requests_refuses_the_access_token(
    user: Any, anon_api: Api
) -> None:
    pair = await login(anon_api)
    api = Api(pair["access"])
    for _ in range(3):
        assert (await api.get(ME)).status_code == 200
    assert (
        await anon_api.post("/api/auth/logout", {"refresh": pair["refresh"]})
    ).status_code == 204
    assert (await api.get(ME)).status_code == 401


async def test_refresh_reuse_after_cached_requests_refuses_the_family(
    user: Any, anon_api: Api
) -> None:
    first = await login(anon_api)
    second = (await anon_api.post("/api/auth/refresh", {"refresh": first["refresh"]})).json()
    api = Api(second["access"])
    assert (await api.get(ME)).status_code == 200
    assert (await api.get(ME)).status_code == 200
    r = await anon_api.post("/api/auth/refresh", {"refresh": first["refresh"]})  # reuse
    assert r.status_code == 401
    assert (await api.get(ME)).status_code == 401


async def test_revocation_by_another_process_is_seen_through_the_epoch(
    user: Any, anon_api: Api
) -> None:
    """Another worker revoked the family and bumped the epoch; its event has not arrived
    here (nothing is applied to this process's cache): the next request re-checks the
    database and is refused."""
    pair = await login(anon_api)
    api = Api(pair["access"])
    assert (await api.get(ME)).status_code == 200
    assert (await api.get(ME)).status_code == 200
    family = (await RefreshToken.objects.filter(user=user).afirst()).family  # type: ignore[union-attr]

    def other_worker_revokes() -> None:
        # What tokens.revoke does elsewhere, without this process's on-commit hook.
        RefreshToken.objects.filter(family=family).update(revoked_at=datetime.now(UTC))
        epoch.store().bump()

    await sync_to_async(other_worker_revokes)()
    assert (await api.get(ME)).status_code == 401


async def test_an_epoch_bump_without_event_costs_a_check_then_resyncs(
    user: Any, anon_api: Api, monkeypatch: Any
) -> None:
    from titan_web.accounts import authcache

    pair = await login(anon_api)
    api = Api(pair["access"])
    assert (await api.get(ME)).status_code == 200
    await sync_to_async(epoch.store().bump)()  # another process changed something else
    misses = cache.misses
    assert (await api.get(ME)).status_code == 200  # still valid: re-checked in the database
    assert cache.misses == misses + 1
    monkeypatch.setattr(authcache, "RESYNC_AFTER", 0.0)
    assert (await api.get(ME)).status_code == 200  # the lost event is given up: resync
    assert cache.synced == await epoch.store().aget()
    hits = cache.hits
    assert (await api.get(ME)).status_code == 200
    assert (await api.get(ME)).status_code == 200
    assert cache.hits == hits + 2  # cached again by the re-check of the resync request


async def test_deleted_user_is_refused(user: Any, anon_api: Api) -> None:
    pair = await login(anon_api)
    api = Api(pair["access"])
    assert (await api.get(ME)).status_code == 200
    await User.objects.filter(pk=user.pk).adelete()
    assert (await api.get(ME)).status_code == 401
