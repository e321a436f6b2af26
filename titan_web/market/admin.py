from typing import Any

from django.contrib import admin

from titan_web.market.models import BarChange, Symbol


@admin.register(Symbol)
class SymbolAdmin(admin.ModelAdmin):
    list_display = ("ticker", "name", "exchange", "sector", "asset_class", "active")
    list_filter = ("active", "asset_class", "sector")
    search_fields = ("ticker", "name")


@admin.register(BarChange)
class BarChangeAdmin(admin.ModelAdmin):
    """The history of stored bars, read-only: it records what happened."""

    list_display = ("changed_at", "username", "series", "ts", "old_close", "new_close", "source")
    list_filter = ("source",)
    search_fields = ("series__symbol", "username")
    list_select_related = ("series",)

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False
