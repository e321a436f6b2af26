"""Attacks applied to every operation of the API and to the WebSocket.

The operations come from the OpenAPI document drf-spectacular builds from the URL map
(``tests.web.test_strict_input`` checks that the two list the same routes), so a new endpoint
is attacked without editing this file; the object endpoints must have an object in the
``world`` fixture (a test fails naming a path parameter without one).

- JWT: alg none, another key, a tampered payload, expired, not yet valid, wrong audience or
  issuer, another HMAC algorithm, a refresh token as access, HS/RS confusion, an access
  token of a family revoked by refresh reuse: 401 problem+json on every authenticated
  operation, ``unauthenticated`` + close 4401 on the WebSocket.
- Object level: another user gets 404 for every operation on each of the owner's objects
  (read, update, delete, cancel, ...) and ``forbidden`` (the same answer as for an object
  that does not exist) for WebSocket subscribe and ``since_seq`` replay; nothing changes.
- Mass assignment: owner, user, is_staff, status, seq, created_by in any body: 400, nothing
  changed.
- Host outside ALLOWED_HOSTS: 400 on every operation. Bodies over the limit: 413.
- Injection-shaped query values, orderings and path values: 4xx or an empty answer, never a
  500, never another user's data.
"""

# ruff: noqa: F811 - the world and rsa_keys fixtures are imported from other test modules
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import time
import uuid
from collections.abc import Callable
from typing import Any

import jwt
import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings

from tests import factories
from tests.conftest import Api, issue_tokens
from tests.web.accounts.test_auth import rsa_keys  # noqa: F401 - fixture
from tests.web.security.test_bodies import asgi
from tests.web.test_strict_input import _fill, _operations, world  # noqa: F401 - fixture

PROBLEM = "application/problem+json"
PUBLIC = {"/api/auth/token", "/api/auth/refresh", "/api/auth/logout"}
SHARED_PARAMS = {"ticker"}  # symbols are shared data, readable by every user


def operations() -> list[tuple[str, str, dict[str, Any]]]:
    return [(p, m, op) for p, m, op in _operations() if p not in PUBLIC]


async def call(api: Api, method: str, url: str, **kw: Any) -> Any:
    if method in ("post", "patch", "put"):
        return await getattr(api, method)(url, {}, **kw)
    return await getattr(api, method)(url, **kw)


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


claims = factories.access_claims


def sign(c: dict[str, Any], key: str | None = None, alg: str = "HS256") -> str:
    return jwt.encode(c, key or settings.JWT["SIGNING_KEY"], algorithm=alg)


def tampered(user: Any, victim: Any) -> str:
    """A valid token of ``user`` whose payload is changed to name ``victim``."""
    header, _, signature = issue_tokens(user)["access"].split(".")
    payload = b64(json.dumps(claims(victim)).encode())
    return f"{header}.{payload}.{signature}"


def alg_none(user: Any, victim: Any) -> str:
    header = b64(json.dumps({"alg": "none", "typ": "JWT"}).encode())
    return f"{header}.{b64(json.dumps(claims(victim)).encode())}."


PAST = int(time.time()) - 3600
ATTACKS: dict[str, Callable[[Any, Any], str]] = {
    "alg-none": alg_none,
    "wrong-key": lambda u, v: sign(claims(v), key="an-attacker-key-of-more-than-32-bytes"),
    "tampered": tampered,
    "expired": lambda u, v: sign(claims(v, iat=PAST - 900, nbf=PAST - 900, exp=PAST)),
    "not-yet-valid": lambda u, v: sign(
        claims(v, nbf=int(time.time()) + 3600, iat=int(time.time()) + 3600)
    ),
    "wrong-audience": lambda u, v: sign(claims(v, aud="another-api")),
    "wrong-issuer": lambda u, v: sign(claims(v, iss="evil")),
    "hs512": lambda u, v: sign(claims(v), alg="HS512"),
    "refresh-as-access": lambda u, v: issue_tokens(v)["refresh"],
    "garbage": lambda u, v: "x" * 2000,
}


async def assert_all_401(token: str, ops: list[tuple[str, str, dict[str, Any]]], w: Any) -> int:
    api = Api(token)
    failures = []
    for path, method, _ in ops:
        url = _fill(path, w)
        r = await call(api, method, url)
        if r.status_code != 401 or not r["Content-Type"].startswith(PROBLEM):
            failures.append((method, url, r.status_code, r.content[:200]))
    assert not failures, failures
    return len(ops)


@pytest.mark.parametrize("attack", sorted(ATTACKS))
async def test_every_authenticated_operation_refuses_a_forged_token(
    attack: str, world: dict[str, Any], user: Any, staff_user: Any
) -> None:
    # The attacker (user) aims at the staff user's identity and objects.
    token = await sync_to_async(ATTACKS[attack])(user, staff_user)
    ops = await sync_to_async(operations)()
    assert await assert_all_401(token, ops, world) >= 30


async def test_every_authenticated_operation_answers_401_without_a_token(
    world: dict[str, Any],
) -> None:
    ops = await sync_to_async(operations)()
    failures = []
    for path, method, _ in ops:
        r = await call(Api(), method, _fill(path, world))
        if r.status_code != 401:
            failures.append((method, path, r.status_code))
    assert not failures, failures


async def test_hs_rs_confusion_is_refused_everywhere(
    world: dict[str, Any],
    staff_user: Any,
    rsa_keys: tuple[str, str],
) -> None:
    _, public = rsa_keys
    header = b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    payload = b64(json.dumps(claims(staff_user)).encode())
    mac = hmac.new(public.encode(), f"{header}.{payload}".encode(), hashlib.sha256).digest()
    ops = await sync_to_async(operations)()
    await assert_all_401(f"{header}.{payload}.{b64(mac)}", ops, world)


async def test_a_family_revoked_by_refresh_reuse_is_refused_everywhere(
    world: dict[str, Any], staff_user: Any
) -> None:
    from tests.factories import PASSWORD

    anon = Api()
    pair = (
        await anon.post("/api/auth/token", {"username": staff_user.username, "password": PASSWORD})
    ).json()
    first = await anon.post("/api/auth/refresh", {"refresh": pair["refresh"]})
    assert first.status_code == 200
    reused = await anon.post("/api/auth/refresh", {"refresh": pair["refresh"]})
    assert reused.status_code == 401
    ops = await sync_to_async(operations)()
    # Both the original access token and the one the first rotation issued.
    await assert_all_401(pair["access"], ops, world)
    await assert_all_401(first.json()["access"], ops, world)


# -- the WebSocket ------------------------------------------------------------------------

ORIGIN = (b"origin", b"http://127.0.0.1:8000")


async def ws_connect() -> WebsocketCommunicator:
    from titan_web.asgi import application

    comm = WebsocketCommunicator(application, "/ws/stream/", headers=[ORIGIN])
    connected, _ = await comm.connect(timeout=3)
    assert connected
    return comm


async def ws_expect_close(comm: WebsocketCommunicator, code: int) -> None:
    while True:
        out = await comm.receive_output(timeout=3)
        if out["type"] == "websocket.close":
            assert out["code"] == code
            return


@pytest.mark.parametrize("attack", sorted(ATTACKS))
async def test_the_websocket_refuses_a_forged_token(
    attack: str, user: Any, staff_user: Any
) -> None:
    token = await sync_to_async(ATTACKS[attack])(user, staff_user)
    comm = await ws_connect()
    await comm.send_json_to({"type": "auth", "token": token})
    reply = await comm.receive_json_from(timeout=3)
    assert reply["type"] == "error" and reply["code"] == "unauthenticated", reply
    await ws_expect_close(comm, 4401)


async def ws_authed(user: Any) -> WebsocketCommunicator:
    comm = await ws_connect()
    token = (await sync_to_async(issue_tokens)(user))["access"]
    await comm.send_json_to({"type": "auth", "token": token})
    assert (await comm.receive_json_from(timeout=3))["type"] == "authenticated"
    return comm


async def test_websocket_subscribe_and_replay_of_another_users_objects_are_refused(
    world: dict[str, Any], other_user: Any
) -> None:
    from titan_web.signals.models import Signal

    for seq in (1, 2, 3):
        await Signal.objects.acreate(
            pair_id=world["pair_id"],
            seq=seq,
            ts=f"2024-01-0{seq}T00:00:00Z",
            monitor_id=world["monitor_id"],
            kind="hold",
            zscore=0.1,
            spread=0.0,
            price_1=1.0,
            price_2=2.0,
        )
    comm = await ws_authed(other_user)
    missing = {"pair": 999_999_999, "task": uuid.uuid4()}
    for topic, key in (("pair", "pair_id"), ("task", "task_id")):
        for extra in ({}, {"since_seq": 0}):
            await comm.send_json_to(
                {"type": "subscribe", "topic": f"{topic}:{world[key]}", **extra}
            )
            theirs = await comm.receive_json_from(timeout=3)
            await comm.send_json_to(
                {"type": "subscribe", "topic": f"{topic}:{missing[topic]}", **extra}
            )
            none = await comm.receive_json_from(timeout=3)
            assert theirs["code"] == "forbidden", theirs
            # No existence oracle: a foreign object answers like one that does not exist.
            assert theirs["message"].replace(str(world[key]), "ID") == none["message"].replace(
                str(missing[topic]), "ID"
            )
    assert await comm.receive_nothing(timeout=0.3)  # no replayed signal
    await comm.disconnect()


# -- object-level authorisation -----------------------------------------------------------


def object_operations() -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (p, m, op) for p, m, op in operations() if set(re.findall(r"\{(\w+)\}", p)) - SHARED_PARAMS
    ]


async def snapshot(w: dict[str, Any]) -> dict[str, Any]:
    """The owner's objects as stored (compared before and after an attack)."""
    from titan_web.backtests.models import BacktestRun, WalkForwardRun
    from titan_web.research.models import ParameterSet, TradingPair
    from titan_web.signals.models import Monitor
    from titan_web.tasks.models import TaskRun

    out = {}
    for key, model in (
        ("pair_id", TradingPair),
        ("parameter_set_id", ParameterSet),
        ("monitor_id", Monitor),
        ("backtest_id", BacktestRun),
        ("walkforward_id", WalkForwardRun),
        ("task_id", TaskRun),
    ):
        obj = await model.objects.filter(pk=w[key]).values().afirst()
        assert obj is not None, key
        out[key] = obj
    return out


async def test_every_object_operation_answers_404_to_another_user(
    world: dict[str, Any], other_user: Any
) -> None:
    ops = await sync_to_async(object_operations)()
    params = {name for p, _, _ in ops for name in re.findall(r"\{(\w+)\}", p)} - SHARED_PARAMS
    assert params <= set(world), f"give world an object for {params - set(world)}"
    before = await snapshot(world)
    intruder = Api((await sync_to_async(issue_tokens)(other_user))["access"])
    failures, checked = [], []
    for path, method, _ in ops:
        url = _fill(path, world)
        r = await call(intruder, method, url)
        checked.append(f"{method} {path}")
        if r.status_code != 404 or not r["Content-Type"].startswith(PROBLEM):
            failures.append((method, url, r.status_code, r.content[:200]))
    assert not failures, failures
    assert len(checked) >= 12, checked
    assert await snapshot(world) == before


async def test_another_users_objects_are_not_in_any_list(
    world: dict[str, Any], other_user: Any
) -> None:
    intruder = Api((await sync_to_async(issue_tokens)(other_user))["access"])
    ids = {str(v) for k, v in world.items() if k.endswith("_id")}
    for path, method, _ in await sync_to_async(operations)():
        if method != "get" or "{" in path or not path.endswith("/"):
            continue
        r = await intruder.get(path)
        if r.status_code != 200 or "results" not in r.json():
            continue
        for item in r.json()["results"]:
            assert str(item.get("id")) not in ids or path in ("/api/symbols/",), (path, item)


# -- mass assignment ----------------------------------------------------------------------

PRIVILEGED = {
    "owner": 1,
    "owner_id": 1,
    "user": 1,
    "is_staff": True,
    "is_superuser": True,
    "status": "succeeded",
    "seq": 99,
    "created_by": 1,
    "id": 12345,
}


async def test_privileged_fields_in_any_body_are_refused_and_change_nothing(
    world: dict[str, Any], staff_user: Any, other_user: Any
) -> None:
    """The owner's own requests: every write operation, the privileged keys added to a body."""
    body = {**PRIVILEGED, "owner": other_user.pk, "user": other_user.pk}
    api = Api(world["token"])
    before = await snapshot(world)
    checked, failures = [], []
    for path, method, op in await sync_to_async(operations)():
        if method not in ("post", "patch", "put") or "requestBody" not in op:
            continue
        url = _fill(path, world)
        r = await getattr(api, method)(url, body)
        checked.append(f"{method} {path}")
        errors = r.json().get("errors", {}) if r.status_code == 400 else {}
        if r.status_code != 400 or not set(PRIVILEGED) <= set(errors):
            failures.append((method, url, r.status_code, r.content[:300]))
    assert not failures, failures
    assert len(checked) >= 18, checked
    assert await snapshot(world) == before
    await other_user.arefresh_from_db()
    assert not other_user.is_staff


async def test_me_cannot_make_itself_staff(api: Api, user: Any) -> None:
    r = await api.patch("/api/auth/me", {"is_staff": True, "is_superuser": True})
    assert r.status_code == 400 and {"is_staff", "is_superuser"} <= set(r.json()["errors"])
    await user.arefresh_from_db()
    assert not user.is_staff and not user.is_superuser


# -- Host, oversized bodies ---------------------------------------------------------------


async def test_every_operation_refuses_a_host_outside_allowed_hosts(
    world: dict[str, Any],
) -> None:
    api = Api(world["token"])
    failures = []
    for path, method, _ in await sync_to_async(_operations)():
        r = await call(api, method, _fill(path, world), headers={"Host": "evil.example"})
        if r.status_code != 400 or not r["Content-Type"].startswith(PROBLEM):
            failures.append((method, path, r.status_code))
    assert not failures, failures


async def test_every_write_operation_refuses_an_oversized_body(world: dict[str, Any]) -> None:
    limit = settings.TITAN["MAX_BODY_BYTES"]
    failures = []
    for path, method, _ in await sync_to_async(_operations)():
        if method not in ("post", "patch", "put") or path == "/api/bars/ingest":
            continue
        url = _fill(path, world)
        status, out = await asgi(
            url,
            [b" " * (limit // 2)] * 3,
            [
                (b"content-type", b"application/json"),
                (b"authorization", f"Bearer {world['token']}".encode()),
            ],
        )
        if status != 413 or out["json"]["limit_bytes"] != limit:
            failures.append((method, url, status))
    assert not failures, failures


# -- injection-shaped input ---------------------------------------------------------------

INJECTIONS = [
    "' OR '1'='1",
    "1; DROP TABLE research_tradingpair; --",
    "1 UNION SELECT username, password FROM accounts_user--",
    '{"$gt": ""}',
    '{"owner": 1}',
    "../../../../etc/passwd",
    "..%2F..%2Fetc%2Fpasswd",
    "%00",
    "\\x00",
    "owner__username",
    "-owner__password",
    "__class__",
    "*",
    "A" * 5000,
    "1e309",
    "-1",
    "NaN",
]


async def test_injection_shaped_query_values_never_fail_or_leak(
    world: dict[str, Any], other_user: Any
) -> None:
    """Every documented query parameter of every GET, as another user: 4xx or an answer
    without the owner's objects."""
    intruder = Api((await sync_to_async(issue_tokens)(other_user))["access"])
    owner_ids = {world[k] for k in world if k.endswith("_id")}
    failures, checked = [], 0
    for path, method, op in await sync_to_async(_operations)():
        names = [p["name"] for p in op.get("parameters", []) if p["in"] == "query"]
        if method != "get" or not names or "{" in path:
            continue
        for name in names:
            for value in INJECTIONS:
                r = await intruder.get(path, {name: value})
                checked += 1
                if r.status_code >= 500:
                    failures.append((path, name, value[:40], r.status_code))
                elif r.status_code == 200 and "results" in r.json():
                    leaked = [i for i in r.json()["results"] if i.get("id") in owner_ids]
                    if leaked and path != "/api/symbols/":
                        failures.append((path, name, value[:40], "leak"))
    assert not failures, failures
    assert checked > 200


@pytest.mark.parametrize("value", ["../../etc/passwd", "' OR 1=1--", "%00", "A" * 300, "%2e%2e"])
async def test_injection_shaped_path_values_are_4xx(
    world: dict[str, Any], other_user: Any, value: str
) -> None:
    from urllib.parse import quote

    intruder = Api((await sync_to_async(issue_tokens)(other_user))["access"])
    failures = []
    for path, method, _ in await sync_to_async(_operations)():
        params = re.findall(r"\{(\w+)\}", path)
        if not params or method != "get":
            continue
        url = re.sub(r"\{(\w+)\}", quote(value, safe=""), path)
        r = await intruder.get(url)
        if not 400 <= r.status_code < 500:
            failures.append((url[:80], r.status_code))
    assert not failures, failures


async def test_injection_shaped_tickers_in_bodies_are_400_or_stored_literally(api: Api) -> None:
    from engine.data.validate import is_valid_ticker, normalize_ticker

    for value in INJECTIONS:
        r = await api.post("/api/symbols/", {"ticker": value})
        if is_valid_ticker(normalize_ticker(value)):  # owner__username is a ticker's shape
            assert r.status_code == 201 and r.json()["ticker"] == normalize_ticker(value)
        else:
            assert r.status_code == 400, (value, r.status_code)
        r = await api.post("/api/pairs/analyze", {"symbol_1": value, "symbol_2": "KO"})
        assert 400 <= r.status_code < 500, (value, r.status_code)
