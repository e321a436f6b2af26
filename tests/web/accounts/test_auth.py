"""JWT auth: token, refresh rotation with reuse detection, logout, and every refusal case.

Each refusal answers 401 application/problem+json (never 500)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from datetime import timedelta
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings

from tests import factories
from tests.conftest import Api
from tests.factories import PASSWORD

ME = "/api/auth/me"


claims_for = factories.access_claims


def sign(claims: dict[str, Any], key: str | None = None, alg: str = "HS256") -> str:
    return jwt.encode(claims, key or settings.JWT["SIGNING_KEY"], algorithm=alg)


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


async def assert_401(response: Any) -> dict[str, Any]:
    assert response.status_code == 401, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == 401 and body["type"].startswith("https://") and body["title"]
    return body


async def test_token_for_valid_credentials_then_me(user: Any, anon_api: Api) -> None:
    r = await anon_api.post("/api/auth/token", {"username": "alice", "password": PASSWORD})
    assert r.status_code == 200
    body = r.json()
    assert body["token_type"] == "Bearer" and body["expires_in"] == 15 * 60
    claims = jwt.decode(
        body["access"], settings.JWT["VERIFYING_KEY"], algorithms=["HS256"], audience="titan-api"
    )
    assert claims["type"] == "access" and claims["sub"] == str(user.pk)
    assert claims["exp"] - claims["iat"] == 15 * 60
    refresh = jwt.decode(
        body["refresh"], settings.JWT["VERIFYING_KEY"], algorithms=["HS256"], audience="titan-api"
    )
    assert refresh["exp"] - refresh["iat"] == 7 * 24 * 3600 and refresh["fam"] == claims["fam"]
    me = await Api(body["access"]).get(ME)
    assert me.status_code == 200 and me.json()["username"] == "alice"


async def test_wrong_password(user: Any, anon_api: Api) -> None:
    r = await anon_api.post("/api/auth/token", {"username": "alice", "password": "nope"})
    await assert_401(r)


async def test_unknown_user_and_inactive_user(user: Any, anon_api: Api) -> None:
    await assert_401(
        await anon_api.post("/api/auth/token", {"username": "bob", "password": PASSWORD})
    )
    user.is_active = False
    await user.asave()
    await assert_401(
        await anon_api.post("/api/auth/token", {"username": "alice", "password": PASSWORD})
    )


async def test_no_token_is_401(anon_api: Api) -> None:
    await assert_401(await anon_api.get(ME))


@pytest.mark.parametrize(
    "header", ["Bearer", "Token abc", "Bearer a b", "Bearer not.a.jwt", "Bearer " + "x" * 5000]
)
async def test_malformed_authorization_headers(user: Any, anon_api: Api, header: str) -> None:
    await assert_401(await anon_api.get(ME, headers={"Authorization": header}))


async def test_expired(user: Any) -> None:
    past = int(time.time()) - 3600
    token = sign(claims_for(user, iat=past - 900, nbf=past - 900, exp=past))
    body = await assert_401(await Api(token).get(ME))
    assert "expired" in body["detail"].lower() or "invalid" in body["detail"].lower()


async def test_not_yet_valid(user: Any) -> None:
    future = int(time.time()) + 3600
    await assert_401(await Api(sign(claims_for(user, nbf=future, iat=future))).get(ME))


async def test_wrong_signature(user: Any) -> None:
    await assert_401(
        await Api(sign(claims_for(user), key="another-key-of-at-least-32-bytes!!")).get(ME)
    )


async def test_alg_none(user: Any) -> None:
    header = b64(json.dumps({"alg": "none", "typ": "JWT"}).encode())
    payload = b64(json.dumps(claims_for(user)).encode())
    await assert_401(await Api(f"{header}.{payload}.").get(ME))


@pytest.mark.parametrize("alg", ["HS384", "HS512"])
async def test_other_hmac_algorithms_refused(user: Any, alg: str) -> None:
    await assert_401(await Api(sign(claims_for(user), alg=alg)).get(ME))


@pytest.mark.parametrize(
    "override",
    [
        {"aud": "someone-else"},
        {"iss": "evil"},
        {"aud": None},
        {"iss": None},
        {"jti": None},
        {"exp": None},
        {"nbf": None},
        {"iat": None},
        {"type": None},
        {"fam": None},
        {"sub": None},
        {"sub": "not-a-number"},
        {"jti": "not-a-uuid"},
        {"sub": "999999"},
    ],
)
async def test_bad_or_missing_claims(user: Any, override: dict[str, Any]) -> None:
    await assert_401(await Api(sign(claims_for(user, **override))).get(ME))


async def test_refresh_token_used_as_access(user: Any, anon_api: Api) -> None:
    pair = (
        await anon_api.post("/api/auth/token", {"username": "alice", "password": PASSWORD})
    ).json()
    await assert_401(await Api(pair["refresh"]).get(ME))


async def test_access_token_used_as_refresh(user: Any, anon_api: Api) -> None:
    pair = (
        await anon_api.post("/api/auth/token", {"username": "alice", "password": PASSWORD})
    ).json()
    await assert_401(await anon_api.post("/api/auth/refresh", {"refresh": pair["access"]}))


async def test_refresh_rotates_and_reuse_revokes_family(user: Any, anon_api: Api) -> None:
    first = (
        await anon_api.post("/api/auth/token", {"username": "alice", "password": PASSWORD})
    ).json()
    r = await anon_api.post("/api/auth/refresh", {"refresh": first["refresh"]})
    assert r.status_code == 200
    second = r.json()
    assert second["refresh"] != first["refresh"] and second["access"] != first["access"]
    assert (await Api(second["access"]).get(ME)).status_code == 200

    # The first refresh token is presented again: reuse. The whole family is revoked.
    body = await assert_401(await anon_api.post("/api/auth/refresh", {"refresh": first["refresh"]}))
    assert "reused" in body["detail"]
    await assert_401(await anon_api.post("/api/auth/refresh", {"refresh": second["refresh"]}))
    await assert_401(await Api(second["access"]).get(ME))
    await assert_401(await Api(first["access"]).get(ME))

    # Another login (another family) is unaffected.
    third = (
        await anon_api.post("/api/auth/token", {"username": "alice", "password": PASSWORD})
    ).json()
    assert (await Api(third["access"]).get(ME)).status_code == 200


async def test_logout_revokes_refresh_and_access(user: Any, anon_api: Api) -> None:
    pair = (
        await anon_api.post("/api/auth/token", {"username": "alice", "password": PASSWORD})
    ).json()
    r = await anon_api.post("/api/auth/logout", {"refresh": pair["refresh"]})
    assert r.status_code == 204
    await assert_401(await anon_api.post("/api/auth/refresh", {"refresh": pair["refresh"]}))
    await assert_401(await Api(pair["access"]).get(ME))


async def test_logout_with_garbage_token(anon_api: Api) -> None:
    await assert_401(await anon_api.post("/api/auth/logout", {"refresh": "garbage"}))


async def test_refresh_with_forged_unknown_jti(user: Any, anon_api: Api) -> None:
    forged = sign(claims_for(user, type="refresh"))
    await assert_401(await anon_api.post("/api/auth/refresh", {"refresh": forged}))


async def test_token_endpoints_are_throttled(
    user: Any, anon_api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    from titan_web.accounts.throttles import AuthRateThrottle

    monkeypatch.setattr(AuthRateThrottle, "rate", "3/min", raising=False)
    codes = [
        (await anon_api.post("/api/auth/token", {"username": "alice", "password": "x"})).status_code
        for _ in range(5)
    ]
    assert codes[:3] == [401, 401, 401]
    assert codes[3:] == [429, 429]
    r = await anon_api.post("/api/auth/token", {"username": "alice", "password": PASSWORD})
    assert r.status_code == 429 and r["Content-Type"].startswith("application/problem+json")
    assert r.json()["retry_after"] > 0 and "Retry-After" in r


async def test_me_patch_preferences_and_validation(api: Api) -> None:
    r = await api.patch(
        ME,
        {
            "capital": "250000.00",
            "cost_bps": 2.5,
            "timezone": "America/New_York",
            "default_params": {
                "lookback": 40,
                "entry_z": 2.2,
                "exit_z": 0.3,
                "stop_z": 4.5,
                "max_holding": 30,
            },
        },
    )
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["capital"] == "250000.00" and body["cost_bps"] == 2.5
    assert body["timezone"] == "America/New_York" and body["default_params"]["lookback"] == 40

    r = await api.patch(
        ME,
        {
            "timezone": "Mars/Olympus",
            "cost_bps": -1,
            "default_params": {"lookback": 40, "entry_z": 1.0, "exit_z": 2.0},
        },
    )
    assert r.status_code == 400 and r["Content-Type"].startswith("application/problem+json")
    errors = r.json()["errors"]
    assert set(errors) == {"timezone", "cost_bps", "default_params.exit_z"}
    again = (await api.get(ME)).json()
    assert again["timezone"] == "America/New_York", "a refused update changes nothing"


@pytest.fixture
def rsa_keys(settings: Any) -> tuple[str, str]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    public = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    settings.JWT = {
        **settings.JWT,
        "ALGORITHM": "RS256",
        "SIGNING_KEY": private,
        "VERIFYING_KEY": public,
    }
    return private, public


async def test_rs256_round_trip(user: Any, anon_api: Api, rsa_keys: tuple[str, str]) -> None:
    pair = (
        await anon_api.post("/api/auth/token", {"username": "alice", "password": PASSWORD})
    ).json()
    assert jwt.get_unverified_header(pair["access"])["alg"] == "RS256"
    assert (await Api(pair["access"]).get(ME)).status_code == 200


async def test_hs_rs_algorithm_confusion(user: Any, rsa_keys: tuple[str, str]) -> None:
    """An attacker signs HS256 with the server's *public* key as the HMAC secret."""
    _, public = rsa_keys
    header = b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    payload = b64(json.dumps(claims_for(user)).encode())
    mac = hmac.new(public.encode(), f"{header}.{payload}".encode(), hashlib.sha256).digest()
    await assert_401(await Api(f"{header}.{payload}.{b64(mac)}").get(ME))
    # And a token signed with the old HS256 secret is refused under RS256 too.
    await assert_401(await Api(sign(claims_for(user), key="x" * 40)).get(ME))


def test_access_lifetime_settings() -> None:
    assert settings.JWT["ACCESS_LIFETIME"] == timedelta(minutes=15)
    assert settings.JWT["REFRESH_LIFETIME"] == timedelta(days=7)
    assert len(settings.JWT["SIGNING_KEY"].encode()) >= 32
