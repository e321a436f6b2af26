from django.contrib import admin

from titan_web.signals.models import Monitor


@admin.register(Monitor)
class MonitorAdmin(admin.ModelAdmin):
    list_display = ("id", "owner", "pair", "parameter_set", "adaptive", "active", "created_at")
    list_filter = ("active", "adaptive")
