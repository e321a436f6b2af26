"""On SQLite, store the large JSON columns of the run tables after every other column.

SQLite keeps a row's columns in order in one record, spilling into overflow pages; reading
a column walks the record up to it. ``result`` (about 1 MB for a daily backtest) sat in the
middle of ``backtests_backtestrun``, so every list read (``defer("result")``) still walked
its overflow chain for the columns behind it: ~45 MB read for a page of 50 runs. Rebuilding
the table with the large columns "altered" to fresh clones of themselves moves them to the
end (the rebuilt model orders its fields by creation, and a clone is the newest field). PostgreSQL stores large values out of line (TOAST): nothing
to do there.
"""

from typing import Any

from django.db import migrations

LARGE = {"backtestrun": ("result",), "walkforwardrun": ("folds", "stitched")}


def large_columns_last(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "sqlite":
        return
    for model_name, names in LARGE.items():
        model = apps.get_model("backtests", model_name)
        pairs = []
        for name in names:
            old = model._meta.get_field(name)
            new = old.clone()
            new.set_attributes_from_name(name)
            pairs.append((old, new))
        schema_editor._remake_table(model, alter_fields=pairs)


class Migration(migrations.Migration):
    dependencies = [("backtests", "0003_run_warnings")]

    operations = [migrations.RunPython(large_columns_last, migrations.RunPython.noop)]
