"""Credential throttles: keyed on the real client address (``X-Forwarded-For`` believed only
from ``TITAN_TRUSTED_PROXIES``) and on the account; the admin login is throttled too; every
refusal is 429 with ``Retry-After``."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import AsyncClient

from tests.conftest import Api
from tests.factories import PASSWORD

TOKEN = "/api/auth/token"


@pytest.fixture
def low_rates(monkeypatch: pytest.MonkeyPatch) -> None:
    from titan_web.accounts.throttles import AccountRateThrottle, AuthRateThrottle

    monkeypatch.setattr(AuthRateThrottle, "rate", "3/min", raising=False)
    monkeypatch.setattr(AccountRateThrottle, "rate", "5/min", raising=False)


class PeerClient(AsyncClient):
    """A test client whose requests come from ``peer`` (the ASGI scope's ``client``)."""

    def __init__(self, peer: str) -> None:
        super().__init__()
        self.peer = peer

    def _base_scope(self, **request: Any) -> dict[str, Any]:
        scope: dict[str, Any] = super()._base_scope(**request)
        scope["client"] = [self.peer, 4000]
        return scope


def from_peer(peer: str) -> Api:
    api = Api()
    api.client = PeerClient(peer)
    return api


def assert_429(r: Any) -> None:
    assert r.status_code == 429, r.content
    assert r["Content-Type"].startswith("application/problem+json")
    assert int(r["Retry-After"]) >= 1


async def test_a_changing_x_forwarded_for_does_not_reset_the_address_limit(
    user: Any, anon_api: Api, low_rates: None
) -> None:
    def spoof(i: int) -> dict[str, str]:
        return {"X-Forwarded-For": f"203.0.113.{i}"}

    codes = [
        (
            await anon_api.post(TOKEN, {"username": "alice", "password": "x"}, headers=spoof(i))
        ).status_code
        for i in range(3)
    ]
    assert codes == [401, 401, 401]
    for i in range(3, 6):
        assert_429(
            await anon_api.post(TOKEN, {"username": "nobody", "password": "x"}, headers=spoof(i))
        )
    # ... and the right password does not get through either.
    assert_429(
        await anon_api.post(TOKEN, {"username": "alice", "password": PASSWORD}, headers=spoof(9))
    )


async def test_behind_a_trusted_proxy_each_forwarded_client_has_its_own_budget(
    user: Any, anon_api: Api, low_rates: None, settings: Any
) -> None:
    settings.TITAN = {**settings.TITAN, "TRUSTED_PROXIES": ["10.0.0.0/8"]}
    for client in ("198.51.100.1", "198.51.100.2"):
        # The proxy appends the peer it saw; what the client wrote before it is not believed.
        headers = {"X-Forwarded-For": f"6.6.6.6, {client}, 10.0.0.9"}
        codes = [
            (
                await from_peer("10.0.0.5").post(
                    TOKEN, {"username": f"u-{client}", "password": "x"}, headers=headers
                )
            ).status_code
            for _ in range(4)
        ]
        assert codes == [401, 401, 401, 429]
    # An untrusted peer's X-Forwarded-For is ignored: it is throttled as itself.
    codes = [
        (
            await from_peer("192.0.2.7").post(
                TOKEN,
                {"username": "someone", "password": "x"},
                headers={"X-Forwarded-For": f"198.51.100.{i}"},
            )
        ).status_code
        for i in range(10, 14)
    ]
    assert codes == [401, 401, 401, 429]


async def test_the_token_endpoint_is_limited_per_account_from_any_address(
    user: Any, anon_api: Api, low_rates: None
) -> None:
    codes = [
        (
            await from_peer(f"192.0.2.{i}").post(TOKEN, {"username": "Alice ", "password": "wrong"})
        ).status_code
        for i in range(5)
    ]
    assert codes == [401] * 5
    r = await from_peer("192.0.2.99").post(TOKEN, {"username": "alice", "password": PASSWORD})
    assert_429(r)
    # Another account from a fresh address is not affected.
    r = await from_peer("192.0.2.100").post(TOKEN, {"username": "mallory", "password": "x"})
    assert r.status_code == 401


async def test_admin_login_is_throttled(user: Any, low_rates: None) -> None:
    client = AsyncClient()
    codes = []
    for i in range(6):
        r = await client.post(
            "/admin/login/",
            {"username": "alice", "password": f"wrong-{i}", "next": "/admin/"},
            headers={"X-Forwarded-For": f"203.0.113.{i}"},
        )
        codes.append(r.status_code)
    assert codes[:3] == [200, 200, 200]  # the form again, with its error
    assert codes[3:] == [429, 429, 429]
    assert int(r["Retry-After"]) >= 1
    r = await client.get("/admin/login/")  # the form itself stays reachable
    assert r.status_code == 200
