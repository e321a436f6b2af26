from django.contrib import admin

from titan_web.backtests.models import BacktestRun, WalkForwardRun


@admin.register(BacktestRun)
class BacktestRunAdmin(admin.ModelAdmin):
    list_display = ("id", "owner", "pair", "status", "created_at", "finished_at")
    list_filter = ("status",)
    exclude = ("result",)


@admin.register(WalkForwardRun)
class WalkForwardRunAdmin(admin.ModelAdmin):
    list_display = ("id", "owner", "status", "created_at", "finished_at")
    list_filter = ("status",)
    exclude = ("folds", "stitched")
