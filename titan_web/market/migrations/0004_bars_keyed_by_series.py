"""Key bars by a 4-byte series id instead of (symbol, timeframe).

The primary key index was most of the cost of a bulk load; ``(series int4, ts)`` is narrow.
Existing bars are kept: the old table is parked under another name, the new one is created
(a hypertable on TimescaleDB, BRIN on ts on plain PostgreSQL), series are made from the
distinct (symbol, timeframe) pairs, the bars are copied across and the old table dropped.
The daily continuous aggregate (TimescaleDB only) is dropped here and recreated by 0005.
"""

from typing import Any

from django.db import migrations, models

from routing.operations import CreateHypertable

TIMEFRAMES = [
    ("1m", "1 minute"),
    ("5m", "5 minutes"),
    ("15m", "15 minutes"),
    ("1h", "1 hour"),
    ("1d", "1 day"),
]


def park_old_table(apps: Any, schema_editor: Any) -> None:
    execute = schema_editor.execute
    if schema_editor.connection.vendor == "postgresql":
        execute("DROP MATERIALIZED VIEW IF EXISTS market_bar_daily")
        execute("ALTER TABLE market_bar RENAME TO market_bar_old")
        # Index names are schema-wide on PostgreSQL: free them for the new table.
        execute("ALTER INDEX IF EXISTS market_bar_pkey RENAME TO market_bar_old_pkey")
        execute("ALTER INDEX IF EXISTS market_bar_ts_brin RENAME TO market_bar_old_ts_brin")
    else:
        execute("ALTER TABLE market_bar RENAME TO market_bar_old")


def copy_bars(apps: Any, schema_editor: Any) -> None:
    execute = schema_editor.execute
    execute(
        "INSERT INTO market_series (symbol, timeframe) "
        "SELECT DISTINCT symbol, timeframe FROM market_bar_old"
    )
    execute(
        "INSERT INTO market_bar (series_id, ts, open, high, low, close, volume, source) "
        "SELECT s.id, b.ts, b.open, b.high, b.low, b.close, b.volume, b.source "
        "FROM market_bar_old b JOIN market_series s "
        "ON s.symbol = b.symbol AND s.timeframe = b.timeframe"
    )
    execute("DROP TABLE market_bar_old")


class Migration(migrations.Migration):
    dependencies = [("market", "0003_bar_daily_aggregate")]

    operations = [
        migrations.CreateModel(
            name="Series",
            fields=[
                ("id", models.AutoField(primary_key=True, serialize=False)),
                ("symbol", models.CharField(max_length=32)),
                ("timeframe", models.CharField(choices=TIMEFRAMES, max_length=4)),
            ],
            options={
                "verbose_name_plural": "series",
                "ordering": ["symbol", "timeframe"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("symbol", "timeframe"), name="market_series_key"
                    )
                ],
            },
        ),
        migrations.RunPython(park_old_table, migrations.RunPython.noop, hints={"timescale": True}),
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel("Bar")]),
        migrations.CreateModel(
            name="Bar",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "series",
                        "ts",
                        blank=True,
                        editable=False,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                (
                    "series",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=models.DO_NOTHING,
                        related_name="bars",
                        to="market.series",
                    ),
                ),
                ("ts", models.DateTimeField()),
                ("open", models.FloatField()),
                ("high", models.FloatField()),
                ("low", models.FloatField()),
                ("close", models.FloatField()),
                ("volume", models.FloatField(blank=True, null=True)),
                ("source", models.CharField(blank=True, default="", max_length=32)),
            ],
            options={"ordering": ["series", "ts"]},
        ),
        CreateHypertable(
            "bar",
            time_column="ts",
            chunk_interval="30 days",
            segmentby=("series_id",),
            compress_after="90 days",
        ),
        migrations.RunPython(copy_bars, hints={"timescale": True}),
    ]
