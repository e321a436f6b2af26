from django.contrib import admin

from titan_web.market.models import Symbol


@admin.register(Symbol)
class SymbolAdmin(admin.ModelAdmin):
    list_display = ("ticker", "name", "exchange", "sector", "asset_class", "active")
    list_filter = ("active", "asset_class", "sector")
    search_fields = ("ticker", "name")
