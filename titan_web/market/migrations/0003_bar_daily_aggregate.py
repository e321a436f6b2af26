from django.db import migrations

from routing.operations import CreateContinuousAggregate


class Migration(migrations.Migration):
    # TimescaleDB cannot create a continuous aggregate inside a transaction.
    atomic = False
    dependencies = [("market", "0002_bar_hypertable")]
    operations = [CreateContinuousAggregate("bar", source_timeframe="1m")]
