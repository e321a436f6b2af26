"""Read queries on the event loop: a queryset's rows without a thread hop.

Django's async ORM (``aget``, ``acount``, ``async for``) runs each query in
``sync_to_async``: a thread per concurrent request, each waiting for the GIL behind the
event loop (up to the 5 ms switch interval per hand-over under load), so a read that costs
the database 0.1 ms costs the request milliseconds at 64 connections. Here the queryset is
compiled by Django as usual (same SQL, same parameters) and only the execution differs:

- PostgreSQL: psycopg's ``AsyncConnection`` from a pool per event loop (autocommit, the
  adapters Django's own connections use), awaited on the loop. Parameters are bound by the
  server, so psycopg prepares a statement run five times on a connection and then only
  executes it: a detail read costs half the client time of Django's client-side binding
  (which sends every query as new text to be parsed and planned). The few queries the server
  cannot type that way (a parameter PostgreSQL cannot infer, the same value in SELECT and
  GROUP BY: Django ticket 34255) fail at once; they are run again with client-side binding,
  and that SQL keeps it;
- SQLite: one connection per event loop and alias, opened as Django opens its own (same
  functions and pragmas), the statement run inline: WAL readers take no lock, and an indexed
  read costs tens of microseconds, less than the hop it replaces. ``database is locked``
  (a short busy timeout here) falls back to the ORM in a thread.

Rows become model instances exactly as ``ModelIterable`` makes them (Django's converters,
``select_related`` populators, annotations), so serializers and ownership checks are those
of the ORM path. Only plain reads go through here: no prefetch, no ``select_for_update``;
writes stay on the ORM. ``TITAN_ASYNC_READS=off`` sends every read back to the ORM.
"""

from __future__ import annotations

import asyncio
import sqlite3
from typing import Any, TypeVar

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import connections
from django.db.models import Model, QuerySet
from django.db.models.query import ModelIterable, get_related_populators

M = TypeVar("M", bound=Model)

SQLITE_BUSY_TIMEOUT = 0.05  # seconds: then the ORM in a thread reads it instead


class _Fallback(Exception):
    """This read must go through the ORM (the database was busy)."""


def enabled() -> bool:
    return bool(getattr(settings, "TITAN_ASYNC_READS", True))


class _Executors:
    """The per-event-loop connections (SQLite) and pools (PostgreSQL), by alias."""

    def __init__(self) -> None:
        self._by_loop: dict[asyncio.AbstractEventLoop, dict[str, Any]] = {}

    def _slot(self) -> dict[str, Any]:
        loop = asyncio.get_running_loop()
        slot = self._by_loop.get(loop)
        if slot is None:
            for old in [k for k in self._by_loop if k.is_closed()]:
                self._drop(self._by_loop.pop(old))
            slot = self._by_loop[loop] = {}
        return slot

    @staticmethod
    def _drop(slot: dict[str, Any]) -> None:
        """Close what a closed event loop left (no awaiting: its loop is gone)."""
        for handle in slot.values():
            handle.close_now()

    async def fetch(self, alias: str, sql: str, params: Any) -> list[Any]:
        slot = self._slot()
        handle = slot.get(alias)
        if handle is None:
            wrapper = connections[alias]
            if wrapper.vendor == "postgresql":
                handle = _PgConnections(wrapper)
            elif wrapper.vendor == "sqlite":
                handle = _SqliteConnection(
                    await sync_to_async(_sqlite_connection, thread_sensitive=False)(wrapper)
                )
            else:
                raise _Fallback
            slot[alias] = handle
        return await handle.fetch(sql, params)  # type: ignore[no-any-return]


class _PgConnections:
    """Idle ``AsyncConnection``s of one event loop, at most the alias's pool size at once."""

    #: SQL that server-side binding could not run and client-side binding could.
    client_bound: set[str] = set()
    CLIENT_BOUND_MAX = 10_000

    def __init__(self, wrapper: Any) -> None:
        import psycopg

        kwargs = wrapper.get_connection_params()
        kwargs.pop("pool", None)
        kwargs.update(autocommit=True, cursor_factory=psycopg.AsyncCursor)
        if "prepare_threshold" not in wrapper.settings_dict["OPTIONS"]:
            # Django passes None (never prepare) when OPTIONS has none; psycopg's default is
            # to prepare a statement on its fifth run. OPTIONS can still say None (PgBouncer
            # in transaction mode, which cannot keep prepared statements).
            kwargs["prepare_threshold"] = 5
        options = wrapper.settings_dict["OPTIONS"].get("pool") or {}
        self.kwargs = kwargs
        self.idle: list[Any] = []
        self.slots = asyncio.Semaphore(int(options.get("max_size", 20)))

    async def fetch(self, sql: str, params: Any) -> list[Any]:
        import psycopg

        async with self.slots:
            while True:
                reused = bool(self.idle)
                conn = (
                    self.idle.pop()
                    if reused
                    else await psycopg.AsyncConnection.connect(**self.kwargs)
                )
                try:
                    rows = await self._run(conn, sql, params)
                except psycopg.OperationalError:
                    conn.pgconn.finish()
                    if reused:
                        # An idle connection the server has since closed (a restart, an
                        # idle timeout): a read can run again, on a fresh connection.
                        self.close_now()
                        continue
                    raise
                except BaseException:
                    conn.pgconn.finish()  # failed or cancelled mid-query: its state is unknown
                    raise
                self.idle.append(conn)
                return rows

    async def _run(self, conn: Any, sql: str, params: Any) -> list[Any]:
        import psycopg

        if sql not in self.client_bound:
            try:
                async with conn.cursor() as cur:
                    await cur.execute(sql, params)
                    return list(await cur.fetchall())
            except (psycopg.ProgrammingError, psycopg.DataError, psycopg.NotSupportedError) as exc:
                # Syntax or type resolution (SQLSTATE class 42), data (22), or a prepared
                # plan a schema change made stale (0A000): the read, tried client-bound,
                # either runs or raises what Django's own connection would raise.
                state_class = (exc.sqlstate or "")[:2]
                if state_class not in {"42", "22", "0A"}:
                    raise
                client = await self._run_client_bound(conn, sql, params)
                if state_class != "0A" and len(self.client_bound) < self.CLIENT_BOUND_MAX:
                    self.client_bound.add(sql)
                return client
        return await self._run_client_bound(conn, sql, params)

    @staticmethod
    async def _run_client_bound(conn: Any, sql: str, params: Any) -> list[Any]:
        import psycopg

        async with psycopg.AsyncClientCursor(conn) as cur:
            await cur.execute(sql, params)
            return list(await cur.fetchall())

    def close_now(self) -> None:
        for conn in self.idle:
            conn.pgconn.finish()
        self.idle.clear()


class _SqliteConnection:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    async def fetch(self, sql: str, params: Any) -> list[Any]:
        return _sqlite_fetch(self.conn, sql, params)

    def close_now(self) -> None:
        self.conn.close()


def _sqlite_connection(wrapper: Any) -> sqlite3.Connection:
    """A new connection opened as Django opens its own (functions, init_command), in
    autocommit, with a short busy timeout."""
    own = type(wrapper)(wrapper.settings_dict, wrapper.alias)
    params = own.get_connection_params()
    params["timeout"] = SQLITE_BUSY_TIMEOUT
    conn = own.get_new_connection(params)
    conn.isolation_level = None  # autocommit: each read sees what is committed
    return conn  # type: ignore[no-any-return]


def _sqlite_fetch(conn: sqlite3.Connection, sql: str, params: Any) -> list[Any]:
    from django.db.backends.sqlite3.base import SQLiteCursorWrapper

    cursor = conn.cursor(factory=SQLiteCursorWrapper)
    try:
        cursor.execute(sql, params)
        return cursor.fetchall()
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise _Fallback from exc
        raise
    finally:
        cursor.close()


_executors = _Executors()

# What compiles a queryset on the loop: one never-connected wrapper per alias and process.
# ``connections[alias]`` under a running event loop is per context (asgiref keeps even a
# thread-critical ``Local`` in a context variable there), so each request built its own
# ``DatabaseWrapper``, with its ops, features and introspection linked back to it: a dozen
# objects in reference cycles per request, for the cyclic collector. Compiling reads only the
# settings, ``ops`` and ``features``; executing goes through ``_executors``.
_compile_wrappers: dict[str, Any] = {}


def compile_wrapper(alias: str) -> Any:
    """The never-connected wrapper of ``alias``: for its ``vendor``, ``ops`` and ``features``
    on the loop, where ``connections[alias]`` would build a new one per request."""
    wrapper = _compile_wrappers.get(alias)
    if wrapper is None or wrapper.settings_dict is not connections.settings[alias]:
        wrapper = _compile_wrappers[alias] = connections.create_connection(alias)
    return wrapper


def _compiler(query: Any, alias: str) -> Any:
    wrapper = compile_wrapper(alias)
    # Query.get_compiler(using=...) looks the connection up again: build it as it does.
    return wrapper.ops.compiler(query.compiler)(query, wrapper, alias, True)


async def aobjects(queryset: QuerySet[M]) -> list[M]:
    """The queryset's model instances, as ``[obj async for obj in queryset]`` gives them."""
    qs: Any = queryset
    if (
        not enabled()
        or qs._iterable_class is not ModelIterable  # values(), values_list()
        or qs._prefetch_related_lookups
        or qs.query.select_for_update
        or qs._known_related_objects
    ):
        return [obj async for obj in queryset]
    db = queryset.db
    compiler = _compiler(queryset.query, db)
    try:
        sql, params = compiler.as_sql()
    except Exception:  # EmptyResultSet and friends: the ORM knows what they mean
        return [obj async for obj in queryset]
    try:
        rows = await _executors.fetch(db, sql, params)
    except _Fallback:
        return [obj async for obj in queryset]
    return _instances(compiler, rows)  # type: ignore[no-any-return]


async def araw_rows(queryset: QuerySet[Any]) -> list[Any] | None:
    """The rows of a ``values_list()`` queryset as the driver returns them, before Django's
    converters (SQLite: datetimes as their stored text); None when this read must go
    through the ORM (reads switched off, a busy database, a query only the ORM can run)."""
    if not enabled():
        return None
    db = queryset.db
    try:
        sql, params = _compiler(queryset.query, db).as_sql()
    except Exception:
        return None
    try:
        return await _executors.fetch(db, sql, params)
    except _Fallback:
        return None


async def acount(queryset: QuerySet[Any]) -> int:
    """``queryset.count()`` on the loop: ``SELECT COUNT(*)`` over the queryset's primary keys."""
    query = queryset.query
    if not enabled() or query.is_sliced or query.distinct or query.combinator:
        return await queryset.acount()
    inner = queryset.order_by().values("pk")
    db = queryset.db
    try:
        sql, params = _compiler(inner.query, db).as_sql()
    except Exception:
        return await queryset.acount()
    try:
        rows = await _executors.fetch(db, f"SELECT COUNT(*) FROM ({sql}) titan_count", params)
    except _Fallback:
        return await queryset.acount()
    return int(rows[0][0])


async def aget(queryset: QuerySet[M], **lookup: Any) -> M:
    """``queryset.aget(**lookup)`` on the loop (DoesNotExist, MultipleObjectsReturned)."""
    clone = queryset.filter(**lookup) if lookup else queryset
    if not clone.query.is_sliced:
        clone = clone.order_by()[:2]
    found = await aobjects(clone)
    model: Any = queryset.model
    if not found:
        raise model.DoesNotExist(f"{model._meta.object_name} matching query does not exist.")
    if len(found) > 1:
        raise model.MultipleObjectsReturned(
            f"get() returned more than one {model._meta.object_name}."
        )
    return found[0]


# -- prepared gets ----------------------------------------------------------------------------
# A detail GET compiles the same query shape with new integers every time: Django's query
# building and compiling is about half of such a request's CPU. A prepared get compiles the
# shape once with sentinel integers and then only substitutes the parameters.
_SENTINEL = 7_919_000_000_000_001  # no real id: each placeholder gets its own from here
_prepared: dict[Any, tuple[Any, list[Any]] | None] = {}


async def aget_prepared(key: Any, build: Any, **values: int) -> Any:
    """``aget(build(**values))`` for integer ``values``, compiled once per ``key`` (which
    must identify what ``build`` makes apart from ``values``)."""
    if not enabled() or not all(type(v) is int for v in values.values()):
        return await aget(build(**values))
    names = sorted(values)
    cache_key = (key, tuple(names))
    if cache_key not in _prepared:
        _prepared[cache_key] = _prepare(build, names)
    prepared = _prepared[cache_key]
    if prepared is None:  # the shape's parameters could not be told apart
        return await aget(build(**values))
    compiler, slots = prepared
    params = [values[s[1]] if s[0] == "arg" else s[1] for s in slots]
    sql = compiler.titan_sql
    try:
        rows = await _executors.fetch(compiler.using, sql, params)
    except _Fallback:
        return await aget(build(**values))
    found = _instances(compiler, rows)
    model = compiler.query.model
    if not found:
        raise model.DoesNotExist(f"{model._meta.object_name} matching query does not exist.")
    if len(found) > 1:
        raise model.MultipleObjectsReturned(
            f"get() returned more than one {model._meta.object_name}."
        )
    return found[0]


def _prepare(build: Any, names: list[str]) -> tuple[Any, list[Any]] | None:
    sentinels = {name: _SENTINEL + i for i, name in enumerate(names)}
    queryset = build(**sentinels)
    if queryset._iterable_class is not ModelIterable or queryset._prefetch_related_lookups:
        return None
    queryset = queryset.order_by()[:2]
    compiler = _compiler(queryset.query, queryset.db)
    try:
        sql, params = compiler.as_sql()
    except Exception:
        return None
    by_value = {v: k for k, v in sentinels.items()}
    slots: list[Any] = []
    for p in params:
        if type(p) is int and p in by_value:
            slots.append(("arg", by_value[p]))
        elif type(p) is int and p >= _SENTINEL:
            return None
        else:
            slots.append(("const", p))
    if sorted(s[1] for s in slots if s[0] == "arg") != names:
        return None  # a value used twice, or transformed on its way into the SQL
    compiler.titan_sql = sql
    return compiler, slots


def _row_plan(compiler: Any) -> tuple[Any, ...]:
    """What turning ``compiler``'s rows into instances needs apart from the rows: the
    converters of each column (Django looks them up per column and query: 40 lookups for a
    pair with its two symbols), the model's attribute names and the ``select_related``
    populators. Kept on a prepared compiler (it serves every request of its shape)."""
    plan = getattr(compiler, "titan_row_plan", None)
    if plan is not None:
        return plan  # type: ignore[no-any-return]
    db = compiler.using
    select, klass_info = compiler.select, compiler.klass_info
    fields = [s[0] for s in select[0 : compiler.col_count]]
    converters = list(compiler.get_converters(fields).items())  # no composite keys here
    select_fields = klass_info["select_fields"]
    start, end = select_fields[0], select_fields[-1] + 1
    init_list = [f[0].target.attname for f in select[start:end]]
    populators = get_related_populators(klass_info, select, db)  # type: ignore[call-arg]
    plan = (converters, klass_info["model"], init_list, start, end, populators)
    if hasattr(compiler, "titan_sql"):  # prepared: the plan serves every later request
        compiler.titan_row_plan = plan
    return plan


def _instances(compiler: Any, rows: list[Any]) -> list[Any]:
    """Model instances of ``rows`` as ``ModelIterable`` makes them for ``compiler``'s query
    (``results_iter``'s converters, ``from_db``, the related populators, annotations)."""
    db = compiler.using
    connection = compiler.connection
    converters, model_cls, init_list, start, end, populators = _row_plan(compiler)
    annotation_col_map = compiler.annotation_col_map
    out: list[Any] = []
    for raw in rows:
        row = list(raw)
        for pos, (convs, expression) in converters:
            value = row[pos]
            for converter in convs:
                value = converter(value, expression, connection)
            row[pos] = value
        obj = model_cls.from_db(db, init_list, row[start:end])
        for populator in populators:
            populator.populate(row, obj)
        if annotation_col_map:
            for attr_name, col_pos in annotation_col_map.items():
                setattr(obj, attr_name, row[col_pos])
        out.append(obj)
    return out
