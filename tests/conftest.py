"""Shared fixtures. Tests under tests/web, tests/realtime, tests/routing and tests/integration
get a transactional database on both aliases: async code runs ORM calls in other threads, so
the test's own transaction would hide its rows from them."""

from __future__ import annotations

import json
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from django.test import AsyncClient

from tests import factories

DB_DIRS = ("/tests/web/", "/tests/realtime/", "/tests/integration/", "/tests/routing/")


def _all_apps() -> list[str]:
    from django.conf import settings

    return list(settings.INSTALLED_APPS)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        path = str(item.path)
        if any(d in path for d in DB_DIRS) and item.get_closest_marker("django_db") is None:
            # available_apps stops Django from re-running post_migrate (permissions, content
            # types) after every flush: ~1 s per test on PostgreSQL.
            item.add_marker(
                pytest.mark.django_db(
                    transaction=True, databases=["default", "timescale"], available_apps=_all_apps()
                )
            )
        if "/tests/integration/" in path:
            item.add_marker(pytest.mark.services)


@pytest.fixture(scope="session", autouse=True)
def _close_connection_pools(django_db_setup: Any, django_db_blocker: Any) -> Any:
    """Close psycopg pools before the test databases are dropped (else: "in use")."""
    yield
    from django.db import connections

    with django_db_blocker.unblock():
        names = set()
        for conn in connections.all():
            if conn.vendor == "postgresql":
                names.add(conn.settings_dict["NAME"])
            close_pool = getattr(conn, "close_pool", None)
            if close_pool is not None:
                close_pool()
            conn.close()
        if names:
            # Connections held by sync_to_async's worker thread cannot be closed from here;
            # end them so the test databases can be dropped.
            import psycopg

            conf = connections["default"].settings_dict
            with psycopg.connect(
                host=conf["HOST"],
                port=conf["PORT"] or 5432,
                user=conf["USER"],
                password=conf["PASSWORD"] or None,
                dbname="postgres",
                autocommit=True,
            ) as admin:
                admin.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = ANY(%s) AND pid <> pg_backend_pid()",
                    [sorted(names)],
                )


@pytest.fixture(autouse=True)
def _fresh_auth_cache() -> Any:
    """Each test starts with an empty process auth cache: flushes between tests delete users
    without the signals that would tell it (authcache.py)."""
    from titan_web.accounts.authcache import cache as auth_cache

    auth_cache.clear()
    yield
    auth_cache.clear()


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings: Any) -> None:
    # PBKDF2 at Django's default cost takes ~0.4 s per hash; tests do not test the hasher.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _clear_cache(request: pytest.FixtureRequest) -> None:
    if request.node.get_closest_marker("django_db") is None:
        return
    from django.core.cache import caches
    from django.core.cache.backends.redis import RedisCache

    backend = caches["default"]  # ``cache`` is a proxy: isinstance needs the backend
    if not isinstance(backend, RedisCache):
        backend.clear()
        return
    # Not ``cache.clear()``: on Redis that is FLUSHDB, which also wipes the group memberships
    # and revocation epoch of the real servers that e2e modules run on the same database
    # (their keys start with ``e2e-``, tests/e2e/server.py). This process's own keys (cache,
    # channel layer, epoch) all start with ``titan``.
    client = backend._cache.get_client(write=True)
    keys = list(client.scan_iter(match="titan*", count=1000))
    if keys:
        client.delete(*keys)


class Api:
    """An async JSON client for the API: ``await api.post("/api/...", {...})``."""

    def __init__(self, token: str | None = None) -> None:
        self.token = token
        self.client = AsyncClient()

    def _headers(self, headers: dict[str, str] | None) -> dict[str, str]:
        out = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        out.update(headers or {})
        return out

    async def get(self, path: str, params: dict[str, Any] | None = None, **kw: Any) -> Any:
        return await self.client.get(
            path, params or {}, headers=self._headers(kw.pop("headers", None)), **kw
        )

    async def _send(
        self,
        method: str,
        path: str,
        data: Any,
        headers: dict[str, str] | None,
        raw: bool,
        **kw: Any,
    ) -> Any:
        body = data if raw else json.dumps(data)
        kw.setdefault("content_type", "application/json")
        return await getattr(self.client, method)(path, body, headers=self._headers(headers), **kw)

    async def post(
        self,
        path: str,
        data: Any = None,
        *,
        headers: dict[str, str] | None = None,
        raw: bool = False,
        **kw: Any,
    ) -> Any:
        return await self._send("post", path, {} if data is None else data, headers, raw, **kw)

    async def patch(
        self,
        path: str,
        data: Any = None,
        *,
        headers: dict[str, str] | None = None,
        raw: bool = False,
        **kw: Any,
    ) -> Any:
        return await self._send("patch", path, {} if data is None else data, headers, raw, **kw)

    async def delete(self, path: str, **kw: Any) -> Any:
        return await self.client.delete(path, headers=self._headers(kw.pop("headers", None)))


@pytest.fixture
def user() -> Any:
    return factories.make_user(username="alice")


@pytest.fixture
def other_user() -> Any:
    return factories.make_user(username="mallory")


@pytest.fixture
def staff_user() -> Any:
    return factories.make_user(username="root", is_staff=True)


def issue_tokens(user: Any) -> dict[str, Any]:
    from titan_web.accounts.tokens import issue_pair

    return issue_pair(user).to_dict()


@pytest.fixture
def anon_api() -> Api:
    return Api()


@pytest.fixture
def api(user: Any) -> Api:
    return Api(issue_tokens(user)["access"])


@pytest.fixture
def other_api(other_user: Any) -> Api:
    return Api(issue_tokens(other_user)["access"])


aissue_tokens = sync_to_async(issue_tokens)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Shut the compute executor down before the interpreter exits: queued calls are cancelled
    and workers still busy are terminated after 10 s, so a leftover call can never keep the
    test process alive (seen twice: the suite finished but the process did not exit; the second
    time a pool broken with a cancelled call queued had left workers behind, decision 56).
    Then any child process still running is terminated, saying so: multiprocessing's exit hook
    joins every child, and one that never ends would hold the test process forever."""
    import multiprocessing
    import sys

    import engine.compute

    engine.compute.shutdown_sync(wait=True, cancel_futures=True, timeout=10.0)
    leftovers = multiprocessing.active_children()
    for child in leftovers:
        child.join(2.0)
    for child in multiprocessing.active_children():
        print(f"\nterminating leftover child process {child.name} ({child.pid})", file=sys.stderr)
        child.terminate()
        child.join(2.0)
        if child.is_alive():
            child.kill()
            child.join(2.0)
