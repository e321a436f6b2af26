"""TimescaleRouter: every method, with separate databases and with one shared database."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.checks import Error
from django.db import connections, models

from routing import router as router_mod
from routing.checks import check_cross_alias_relations
from routing.models import TimescaleModel
from routing.router import TimescaleRouter, aliases_share_database, is_timescale_model
from titan_web.accounts.models import User
from titan_web.market.models import Bar, Series, Symbol
from titan_web.signals.models import Monitor, Signal
from titan_web.tasks.models import TaskRun

R = TimescaleRouter()
pytestmark = pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")
SEPARATE = {
    "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "a.sqlite3"},
    "timescale": {"ENGINE": "django.db.backends.sqlite3", "NAME": "b.sqlite3"},
}
SHARED = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "titan",
        "HOST": "h",
        "PORT": "5432",
    },
    "timescale": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "titan",
        "HOST": "h",
        "PORT": "5432",
    },
}
MIRRORED = {
    "default": SEPARATE["default"],
    "timescale": {**SEPARATE["timescale"], "TEST": {"MIRROR": "default"}},
}


@pytest.mark.parametrize("model", [Bar, Signal])
def test_time_series_models_read_and_write_timescale(model: Any) -> None:
    assert is_timescale_model(model)
    assert R.db_for_read(model) == "timescale"
    assert R.db_for_write(model) == "timescale"


@pytest.mark.parametrize("model", [User, Symbol, Monitor, TaskRun])
def test_relational_models_read_and_write_default(model: Any) -> None:
    assert not is_timescale_model(model)
    assert R.db_for_read(model) == "default"
    assert R.db_for_write(model) == "default"


def test_is_timescale_model_rejects_non_classes() -> None:
    assert not is_timescale_model(None)
    assert not is_timescale_model("market.Bar")  # type: ignore[arg-type]


def test_allow_relation() -> None:
    bar, signal = Bar(series_id=1), Signal(pair_id=1, seq=1)
    user, symbol = User(username="u"), Symbol(ticker="A")
    assert R.allow_relation(bar, signal) is True
    assert R.allow_relation(user, symbol) is True
    assert R.allow_relation(bar, symbol) is False
    assert R.allow_relation(symbol, signal) is False


def test_allow_migrate_separate_databases(settings: Any) -> None:
    settings.DATABASES = SEPARATE
    assert not aliases_share_database()
    assert R.allow_migrate("timescale", "market", "bar") is True
    assert R.allow_migrate("default", "market", "bar") is False
    assert R.allow_migrate("default", "market", "symbol") is True
    assert R.allow_migrate("timescale", "market", "symbol") is False
    assert R.allow_migrate("timescale", "signals", "signal") is True
    assert R.allow_migrate("default", "signals", "monitor") is True
    # Operations without a model go to default unless hinted.
    assert R.allow_migrate("default", "market") is True
    assert R.allow_migrate("timescale", "market") is False
    assert R.allow_migrate("timescale", "market", timescale=True) is True
    assert R.allow_migrate("default", "market", timescale=True) is False
    # A model that no longer exists (historical) is relational.
    assert R.allow_migrate("default", "market", "removedmodel") is True
    # Other aliases are not this router's business.
    assert R.allow_migrate("replica", "market", "bar") is None


def test_allow_migrate_shared_database(settings: Any) -> None:
    settings.DATABASES = SHARED
    assert aliases_share_database()
    for app, model in [("market", "bar"), ("market", "symbol"), ("signals", "signal")]:
        assert R.allow_migrate("default", app, model) is True
        assert R.allow_migrate("timescale", app, model) is False


def test_mirror_counts_as_shared(settings: Any) -> None:
    settings.DATABASES = MIRRORED
    assert aliases_share_database()


def test_missing_timescale_alias_counts_as_shared(settings: Any) -> None:
    settings.DATABASES = {"default": SEPARATE["default"]}
    assert aliases_share_database()


def test_tables_live_on_their_alias() -> None:
    ts_tables = connections["timescale"].introspection.table_names()
    default_tables = connections["default"].introspection.table_names()
    if router_mod.aliases_share_database():
        assert {"market_bar", "market_symbol", "signals_signal"} <= set(default_tables)
        return
    assert {"market_bar", "signals_signal"} <= set(ts_tables)
    assert "market_symbol" not in ts_tables and "accounts_user" not in ts_tables
    assert "market_bar" not in default_tables and "signals_signal" not in default_tables
    assert {"market_symbol", "accounts_user", "tasks_taskrun"} <= set(default_tables)


def test_orm_round_trip_on_both_aliases() -> None:
    Symbol.objects.create(ticker="RT")
    series = Series.objects.create(symbol="RT", timeframe="1d")
    Bar.objects.create(series=series, ts="2024-01-02T00:00:00Z", open=1, high=2, low=0.5, close=1.5)
    assert Bar.objects.using("timescale").filter(series__symbol="RT").count() == 1
    assert Symbol.objects.using("default").filter(ticker="RT").count() == 1


def test_no_real_model_relates_across_aliases() -> None:
    assert check_cross_alias_relations() == []


def test_cross_alias_check_catches_a_foreign_key() -> None:
    class BadTick(TimescaleModel):
        symbol = models.ForeignKey(Symbol, on_delete=models.CASCADE)
        ts = models.DateTimeField()

        class Meta:
            app_label = "market"

    try:
        errors = check_cross_alias_relations()
        assert [e.id for e in errors] == ["routing.E001"]
        assert isinstance(errors[0], Error) and "BadTick.symbol" in errors[0].msg
    finally:
        from django.apps import apps

        del apps.all_models["market"]["badtick"]
        apps.clear_cache()
