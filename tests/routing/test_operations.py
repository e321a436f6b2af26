"""Time-series migration operations: the TimescaleDB branch (extension detected) and the
plain PostgreSQL/SQLite branches. TimescaleDB cannot be installed here, so its branch is
checked by collecting the SQL the operations would run, with detection forced on."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connections
from django.db.migrations.state import ProjectState

from routing import operations
from routing.operations import CreateContinuousAggregate, CreateHypertable

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "timescale"])


def collected_sql(op: Any, monkeypatch: pytest.MonkeyPatch, *, timescale: bool) -> list[str]:
    conn = connections["timescale"]
    monkeypatch.setattr(operations, "timescaledb_available", lambda c: timescale)
    monkeypatch.setattr(type(conn), "vendor", "postgresql", raising=False)
    state = ProjectState.from_apps(__import__("django.apps", fromlist=["apps"]).apps)
    with conn.schema_editor(collect_sql=True, atomic=False) as editor:
        editor.quote_name = lambda name: f'"{name}"'  # type: ignore[method-assign]
        op.database_forwards("market", editor, state, state)
        return list(editor.collected_sql)


def test_hypertable_sql_with_timescaledb(monkeypatch: pytest.MonkeyPatch) -> None:
    op = CreateHypertable(
        "bar",
        time_column="ts",
        chunk_interval="30 days",
        segmentby=("symbol", "timeframe"),
        compress_after="90 days",
    )
    sql = "\n".join(collected_sql(op, monkeypatch, timescale=True))
    assert "create_hypertable('market_bar', 'ts'" in sql and "INTERVAL '30 days'" in sql
    assert "timescaledb.compress_segmentby = 'symbol,timeframe'" in sql
    assert "add_compression_policy('market_bar', INTERVAL '90 days'" in sql
    assert "BRIN" not in sql


def test_hypertable_sql_without_timescaledb_is_brin(monkeypatch: pytest.MonkeyPatch) -> None:
    sql = collected_sql(CreateHypertable("bar"), monkeypatch, timescale=False)
    assert sql == [
        'CREATE INDEX IF NOT EXISTS "market_bar_ts_brin" ON "market_bar" USING BRIN ("ts");'
    ]


def test_continuous_aggregate_only_with_timescaledb(monkeypatch: pytest.MonkeyPatch) -> None:
    op = CreateContinuousAggregate("bar", source_timeframe=None, group_by="series_id")
    sql = "\n".join(collected_sql(op, monkeypatch, timescale=True))
    assert (
        'CREATE MATERIALIZED VIEW IF NOT EXISTS "market_bar_daily" WITH (timescaledb.continuous)'
        in sql
    )
    assert "first(open, ts)" in sql and "last(close, ts)" in sql and "WHERE" not in sql
    assert 'GROUP BY "series_id", time_bucket' in sql
    # The form of migration 0003 (before bars were keyed by series) still renders.
    legacy = CreateContinuousAggregate("bar", source_timeframe="1m")
    assert "WHERE timeframe = '1m' GROUP BY \"symbol\"" in "\n".join(
        collected_sql(legacy, monkeypatch, timescale=True)
    )
    assert "add_continuous_aggregate_policy('market_bar_daily'" in sql
    assert collected_sql(op, monkeypatch, timescale=False) == []


def test_operations_deconstruct_for_migrations() -> None:
    name, args, kwargs = CreateContinuousAggregate("bar", source_timeframe="5m").deconstruct()
    assert (name, args, kwargs) == (
        "CreateContinuousAggregate",
        ["bar"],
        {"source_timeframe": "5m", "view_suffix": "daily"},
    )
    name, args, kwargs = CreateHypertable(
        "signal", chunk_interval="7 days", segmentby=("pair_id",)
    ).deconstruct()
    assert kwargs["segmentby"] == ("pair_id",) and kwargs["chunk_interval"] == "7 days"
