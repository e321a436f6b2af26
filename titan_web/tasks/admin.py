from django.contrib import admin

from titan_web.tasks.models import TaskRun


@admin.register(TaskRun)
class TaskRunAdmin(admin.ModelAdmin):
    list_display = ("id", "kind", "status", "progress", "owner", "created_at", "finished_at")
    list_filter = ("kind", "status")
    search_fields = ("id", "owner__username", "message")
    readonly_fields = ("created_at", "started_at", "finished_at", "heartbeat_at", "worker")
