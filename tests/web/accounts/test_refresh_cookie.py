"""The dashboard's refresh cookie: set on sign-in with ``cookie: true``, HttpOnly,
SameSite=Strict, scoped to /api/auth/; refresh and logout read it only with the
``X-Titan-Refresh: cookie`` header; rotation and reuse detection work as with the body."""

from __future__ import annotations

from http.cookies import Morsel
from typing import Any

import pytest
from django.conf import settings

from tests.conftest import Api
from tests.factories import PASSWORD
from tests.web.accounts.test_auth import ME, assert_401

COOKIE = "titan_refresh"
HEADER = {"X-Titan-Refresh": "cookie"}


async def sign_in(api: Api) -> tuple[dict[str, Any], Morsel[str]]:
    r = await api.post(
        "/api/auth/token", {"username": "alice", "password": PASSWORD, "cookie": True}
    )
    assert r.status_code == 200, r.content
    return r.json(), r.cookies[COOKIE]


async def test_sign_in_sets_the_cookie_and_keeps_it_out_of_the_body(
    user: Any, anon_api: Api
) -> None:
    body, cookie = await sign_in(anon_api)
    assert set(body) == {"access", "token_type", "expires_in"}
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Strict"
    assert cookie["path"] == "/api/auth/"
    assert not cookie["secure"]  # plain http in the tests; Secure in production
    assert int(cookie["max-age"]) == int(settings.JWT["REFRESH_LIFETIME"].total_seconds())
    assert cookie.value.count(".") == 2  # a JWT
    assert (await Api(body["access"]).get(ME)).status_code == 200


async def test_secure_in_production(user: Any, anon_api: Api, settings: Any) -> None:
    settings.PRODUCTION = True
    _, cookie = await sign_in(anon_api)
    assert cookie["secure"] is True


async def test_refresh_from_the_cookie_rotates_it(user: Any, anon_api: Api) -> None:
    first, first_cookie = await sign_in(anon_api)
    r = await anon_api.post("/api/auth/refresh", {}, headers=HEADER)
    assert r.status_code == 200, r.content
    assert "refresh" not in r.json()
    second_cookie = r.cookies[COOKIE]
    assert second_cookie.value != first_cookie.value
    assert second_cookie["httponly"] and second_cookie["path"] == "/api/auth/"
    assert r.json()["access"] != first["access"]
    # The client keeps the rotated cookie; a second refresh works with it.
    assert (await anon_api.post("/api/auth/refresh", {}, headers=HEADER)).status_code == 200


async def test_a_spent_cookie_is_reuse_and_clears_the_cookie(user: Any, anon_api: Api) -> None:
    _, first_cookie = await sign_in(anon_api)
    assert (await anon_api.post("/api/auth/refresh", {}, headers=HEADER)).status_code == 200
    anon_api.client.cookies[COOKIE] = first_cookie.value  # the spent one again
    r = await anon_api.post("/api/auth/refresh", {}, headers=HEADER)
    body = await assert_401(r)
    assert "reused" in body["detail"]
    assert r.cookies[COOKIE].value == "" and r.cookies[COOKIE]["path"] == "/api/auth/"


async def test_without_the_header_the_cookie_is_ignored(user: Any, anon_api: Api) -> None:
    await sign_in(anon_api)
    r = await anon_api.post("/api/auth/refresh", {})
    assert r.status_code == 400
    assert r.json()["errors"] == {"refresh": ["This field is required."]}
    r = await anon_api.post("/api/auth/logout", {})
    assert r.status_code == 400 and "refresh" in r.json()["errors"]


async def test_header_without_a_cookie_is_401(anon_api: Api) -> None:
    await assert_401(await anon_api.post("/api/auth/refresh", {}, headers=HEADER))


async def test_a_body_token_wins_over_the_cookie(user: Any, anon_api: Api) -> None:
    await sign_in(anon_api)
    pair = (
        await anon_api.post("/api/auth/token", {"username": "alice", "password": PASSWORD})
    ).json()
    r = await anon_api.post("/api/auth/refresh", {"refresh": pair["refresh"]}, headers=HEADER)
    assert r.status_code == 200 and "refresh" in r.json()  # answered in the body, as asked


async def test_logout_with_the_cookie_revokes_and_clears(user: Any, anon_api: Api) -> None:
    body, cookie = await sign_in(anon_api)
    r = await anon_api.post("/api/auth/logout", {}, headers=HEADER)
    assert r.status_code == 204
    assert r.cookies[COOKIE].value == "" and r.cookies[COOKIE]["path"] == "/api/auth/"
    await assert_401(await Api(body["access"]).get(ME))
    anon_api.client.cookies[COOKIE] = cookie.value
    await assert_401(await anon_api.post("/api/auth/refresh", {}, headers=HEADER))


@pytest.mark.parametrize("value", ["1", "yes", "body"])
async def test_only_the_exact_header_value_counts(user: Any, anon_api: Api, value: str) -> None:
    await sign_in(anon_api)
    r = await anon_api.post("/api/auth/refresh", {}, headers={"X-Titan-Refresh": value})
    assert r.status_code == 400
