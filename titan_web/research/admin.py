from django.contrib import admin

from titan_web.research.models import ParameterSet, Regime, TradingPair


@admin.register(TradingPair)
class TradingPairAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "symbol_1",
        "symbol_2",
        "owner",
        "pvalue",
        "qvalue",
        "hedge_ratio",
        "half_life",
        "is_cointegrated",
        "created_at",
    )
    list_filter = ("is_cointegrated", "timeframe")
    search_fields = ("symbol_1__ticker", "symbol_2__ticker", "owner__username")
    raw_id_fields = ("scan", "owner")


@admin.register(Regime)
class RegimeAdmin(admin.ModelAdmin):
    list_display = ("id", "method", "label", "name", "pair", "symbol", "start", "end", "owner")
    list_filter = ("method", "label")


@admin.register(ParameterSet)
class ParameterSetAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "name",
        "pair",
        "regime_label",
        "lookback",
        "entry_z",
        "exit_z",
        "stop_z",
        "source",
        "score",
        "owner",
    )
    list_filter = ("source", "regime_method")
