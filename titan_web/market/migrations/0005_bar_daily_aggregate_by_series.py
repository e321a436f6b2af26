from django.db import migrations

from routing.operations import CreateContinuousAggregate


class Migration(migrations.Migration):
    # TimescaleDB cannot create a continuous aggregate inside a transaction.
    atomic = False
    dependencies = [("market", "0004_bars_keyed_by_series")]
    # Per series (each series is one timeframe), daily OHLCV from all its bars.
    operations = [CreateContinuousAggregate("bar", source_timeframe=None, group_by="series_id")]
