from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("signals", "0003_signal_detail")]
    operations = [
        migrations.AddField(
            model_name="signal",
            name="source",
            field=models.CharField(
                default="live",
                help_text="'live' (a new bar) or 'replay' (history played forward, "
                "POST /api/replay/).",
                max_length=8,
            ),
        ),
    ]
