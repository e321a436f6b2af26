from django.db import migrations

from routing.operations import CreateHypertable


class Migration(migrations.Migration):
    dependencies = [("signals", "0001_initial")]
    operations = [
        CreateHypertable(
            "signal", time_column="ts", chunk_interval="7 days", segmentby=("pair_id",)
        )
    ]
