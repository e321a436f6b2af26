"""Migration operations for time-series tables: TimescaleDB when present, PostgreSQL when not.

``CreateHypertable`` turns a time-series model's table into a hypertable with compression when
the ``timescaledb`` extension is available on the connection, and otherwise adds a BRIN index on
the time column (cheap, effective for append-mostly time-ordered data). On SQLite it does
nothing.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations
from django.db.backends.base.base import BaseDatabaseWrapper


def timescaledb_available(connection: BaseDatabaseWrapper) -> bool:
    """True when the connection is PostgreSQL and the timescaledb extension is installed
    (creating it if it is available but not yet created)."""
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb'")
        if cursor.fetchone() is None:
            return False
        cursor.execute("CREATE EXTENSION IF NOT EXISTS timescaledb")
    return True


class CreateHypertable(migrations.operations.base.Operation):
    reduces_to_sql = True
    reversible = True

    def __init__(
        self,
        model_name: str,
        *,
        time_column: str = "ts",
        chunk_interval: str = "30 days",
        segmentby: tuple[str, ...] = (),
        compress_after: str | None = None,
    ) -> None:
        self.model_name = model_name
        self.time_column = time_column
        self.chunk_interval = chunk_interval
        self.segmentby = tuple(segmentby)
        self.compress_after = compress_after

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        kwargs: dict[str, Any] = {
            "time_column": self.time_column,
            "chunk_interval": self.chunk_interval,
        }
        if self.segmentby:
            kwargs["segmentby"] = self.segmentby
        if self.compress_after:
            kwargs["compress_after"] = self.compress_after
        return (self.__class__.__qualname__, [self.model_name], kwargs)

    def state_forwards(self, app_label: str, state: Any) -> None:
        pass

    def _table(self, app_label: str, state: Any) -> str:
        return str(state.apps.get_model(app_label, self.model_name)._meta.db_table)

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        conn = schema_editor.connection
        model = to_state.apps.get_model(app_label, self.model_name)
        if not self.allow_migrate_model(conn.alias, model) or conn.vendor != "postgresql":
            return
        table = self._table(app_label, to_state)
        q = schema_editor.quote_name
        if timescaledb_available(conn):
            schema_editor.execute(
                "SELECT create_hypertable(%s, %s, chunk_time_interval => INTERVAL %s, "
                "if_not_exists => TRUE, migrate_data => TRUE)",
                params=[table, self.time_column, self.chunk_interval],
            )
            if self.segmentby:
                schema_editor.execute(
                    f"ALTER TABLE {q(table)} SET (timescaledb.compress, "
                    f"timescaledb.compress_segmentby = %s, timescaledb.compress_orderby = %s)",
                    params=[",".join(self.segmentby), f"{self.time_column} DESC"],
                )
                if self.compress_after:
                    schema_editor.execute(
                        "SELECT add_compression_policy(%s, INTERVAL %s, if_not_exists => TRUE)",
                        params=[table, self.compress_after],
                    )
        else:
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {q(table + '_' + self.time_column + '_brin')} "
                f"ON {q(table)} USING BRIN ({q(self.time_column)})"
            )

    def database_backwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        conn = schema_editor.connection
        model = from_state.apps.get_model(app_label, self.model_name)
        if not self.allow_migrate_model(conn.alias, model) or conn.vendor != "postgresql":
            return
        table = self._table(app_label, from_state)
        if not timescaledb_available(conn):
            name = table + "_" + self.time_column + "_brin"
            schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(name)}")
        # A hypertable cannot be turned back into a plain table; dropping the model drops it.

    def describe(self) -> str:
        return f"Make {self.model_name} a hypertable (TimescaleDB) or BRIN-indexed table"


class CreateContinuousAggregate(migrations.operations.base.Operation):
    """A TimescaleDB continuous aggregate of daily bars.

    On TimescaleDB: ``<table>_daily`` aggregates bars into UTC days per ``group_by`` column
    (open = first, high = max, low = min, close = last, volume = sum), keeping only
    ``source_timeframe`` bars when the table has a ``timeframe`` column (``None``: all rows),
    and a refresh policy keeps it current. Elsewhere it does nothing: TITAN resamples on read
    (``titan_web.market.selectors.bar_batch``), so no reader depends on the view.
    """

    reduces_to_sql = True
    reversible = True

    def __init__(
        self,
        model_name: str,
        *,
        source_timeframe: str | None = "1m",
        view_suffix: str = "daily",
        group_by: str = "symbol",
    ) -> None:
        self.model_name = model_name
        self.source_timeframe = source_timeframe
        self.view_suffix = view_suffix
        self.group_by = group_by

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        kwargs: dict[str, Any] = {
            "source_timeframe": self.source_timeframe,
            "view_suffix": self.view_suffix,
        }
        if self.group_by != "symbol":
            kwargs["group_by"] = self.group_by
        return (self.__class__.__qualname__, [self.model_name], kwargs)

    def state_forwards(self, app_label: str, state: Any) -> None:
        pass

    def sql(self, table: str, quote: Any) -> list[tuple[str, list[Any]]]:
        view = quote(f"{table}_{self.view_suffix}")
        bucket = "time_bucket(INTERVAL '1 day', ts)"
        key = quote(self.group_by)
        where, params = ("WHERE timeframe = %s ", [self.source_timeframe])
        if self.source_timeframe is None:
            where, params = "", []
        return [
            (
                f"CREATE MATERIALIZED VIEW IF NOT EXISTS {view} WITH (timescaledb.continuous) AS "
                f"SELECT {key}, {bucket} AS ts, first(open, ts) AS open, max(high) AS high, "
                "min(low) AS low, last(close, ts) AS close, sum(volume) AS volume, "
                "count(*) AS bars "
                f"FROM {quote(table)} {where}GROUP BY {key}, {bucket} WITH NO DATA",
                params,
            ),
            (
                "SELECT add_continuous_aggregate_policy(%s, start_offset => INTERVAL '7 days', "
                "end_offset => INTERVAL '1 hour', schedule_interval => INTERVAL '1 hour', "
                "if_not_exists => TRUE)",
                [f"{table}_{self.view_suffix}"],
            ),
        ]

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        conn = schema_editor.connection
        model = to_state.apps.get_model(app_label, self.model_name)
        if not self.allow_migrate_model(conn.alias, model) or not timescaledb_available(conn):
            return
        for statement, params in self.sql(model._meta.db_table, schema_editor.quote_name):
            schema_editor.execute(statement, params=params)

    def database_backwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        conn = schema_editor.connection
        model = from_state.apps.get_model(app_label, self.model_name)
        if not self.allow_migrate_model(conn.alias, model) or not timescaledb_available(conn):
            return
        view = schema_editor.quote_name(f"{model._meta.db_table}_{self.view_suffix}")
        schema_editor.execute(f"DROP MATERIALIZED VIEW IF EXISTS {view}")

    def describe(self) -> str:
        return f"Continuous aggregate of daily {self.model_name} bars (TimescaleDB only)"
