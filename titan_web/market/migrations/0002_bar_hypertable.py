from django.db import migrations

from routing.operations import CreateHypertable


class Migration(migrations.Migration):
    dependencies = [("market", "0001_initial")]
    operations = [
        CreateHypertable(
            "bar",
            time_column="ts",
            chunk_interval="30 days",
            segmentby=("symbol", "timeframe"),
            compress_after="90 days",
        )
    ]
