"""Against this machine's real PostgreSQL and Redis (run by `make test-services`).

Migrations of both aliases, the router on PostgreSQL, TimescaleDB detection, and a
channels-redis round trip. Never mocked."""

from __future__ import annotations

import asyncio
import os
import uuid

import pytest
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import connections

from routing.operations import timescaledb_available
from titan_web.market.models import Bar, Series, Symbol


@pytest.fixture(autouse=True)
def _require_services() -> None:
    if not (os.environ.get("DATABASE_URL") and os.environ.get("REDIS_URL")):
        pytest.fail(
            "integration tests need DATABASE_URL, TIMESCALE_URL and REDIS_URL (make test-services)"
        )


def test_both_aliases_are_postgresql_test_databases() -> None:
    for alias in ("default", "timescale"):
        conn = connections[alias]
        assert conn.vendor == "postgresql"
        assert conn.settings_dict["NAME"].startswith("test_")
        assert conn.settings_dict["CONN_MAX_AGE"] == 0
        assert "pool" in conn.settings_dict["OPTIONS"]


def test_migrations_put_each_table_on_its_alias() -> None:
    ts = set(connections["timescale"].introspection.table_names())
    default = set(connections["default"].introspection.table_names())
    assert {"market_bar", "signals_signal"} <= ts
    assert not {"market_symbol", "accounts_user", "tasks_taskrun"} & ts
    assert {"market_symbol", "accounts_user", "tasks_taskrun", "signals_monitor"} <= default
    assert not {"market_bar", "signals_signal"} & default


def test_time_series_tables_have_brin_or_hypertable() -> None:
    conn = connections["timescale"]
    with conn.cursor() as cur:
        if timescaledb_available(conn):
            cur.execute("SELECT hypertable_name FROM timescaledb_information.hypertables")
            assert {"market_bar", "signals_signal"} <= {r[0] for r in cur.fetchall()}
        else:
            cur.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'market_bar'")
            indexes = dict(cur.fetchall())
            assert "USING brin (ts)" in indexes["market_bar_ts_brin"]
            cur.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'market_bar_pkey'")
            assert "(series_id, ts)" in cur.fetchone()[0]
            cur.execute("SELECT count(*) FROM pg_indexes WHERE tablename = 'market_bar'")
            assert cur.fetchone()[0] == 2, "only the primary key and BRIN: no index per column"


def test_orm_writes_land_on_the_right_database() -> None:
    Symbol.objects.create(ticker="PGX")
    series = Series.objects.create(symbol="PGX", timeframe="1d")
    Bar.objects.create(series=series, ts="2024-01-02T00:00:00Z", open=1, high=2, low=0.5, close=1.5)
    with connections["timescale"].cursor() as cur:
        cur.execute(
            "SELECT current_database(), count(*) FROM market_bar b "
            "JOIN market_series s ON s.id = b.series_id WHERE s.symbol = 'PGX'"
        )
        name, n = cur.fetchone()
    assert n == 1 and name == connections["timescale"].settings_dict["NAME"]
    with connections["default"].cursor() as cur:
        cur.execute("SELECT current_database(), count(*) FROM market_symbol WHERE ticker = 'PGX'")
        name, n = cur.fetchone()
    assert n == 1 and name == connections["default"].settings_dict["NAME"]


async def test_channels_redis_round_trip() -> None:
    layer = get_channel_layer()
    assert type(layer).__name__ == "RedisChannelLayer"
    host = settings.CHANNEL_LAYERS["default"]["CONFIG"]["hosts"][0]
    assert host["socket_timeout"] is None, "redis-py 8's 5 s default kills idle consumers"
    group = f"titan.test.{uuid.uuid4().hex}"
    channels = [await layer.new_channel() for _ in range(3)]
    for ch in channels:
        await layer.group_add(group, ch)
    await layer.group_send(group, {"type": "hello", "n": 1})
    received = await asyncio.gather(*(asyncio.wait_for(layer.receive(ch), 5) for ch in channels))
    assert received == [{"type": "hello", "n": 1}] * 3
    for ch in channels:
        await layer.group_discard(group, ch)
    await layer.flush()


async def test_idle_channels_redis_receiver_survives_beyond_five_seconds() -> None:
    """An idle receive longer than redis-py's old 5 s default socket timeout still works."""
    layer = get_channel_layer()
    ch = await layer.new_channel()

    async def late_send() -> None:
        await asyncio.sleep(6)
        await layer.send(ch, {"type": "late"})

    sender = asyncio.create_task(late_send())
    msg = await asyncio.wait_for(layer.receive(ch), 15)
    await sender
    assert msg == {"type": "late"}


def test_cache_is_redis() -> None:
    from django.core.cache import caches

    cache = caches["default"]
    assert type(cache).__name__ == "RedisCache"
    key = f"titan-test-{uuid.uuid4().hex}"
    cache.set(key, 42, 10)
    assert cache.get(key) == 42
