from django.apps import AppConfig


class TasksConfig(AppConfig):
    name = "titan_web.tasks"
    label = "tasks"
    verbose_name = "Tasks"

    def ready(self) -> None:
        from titan_web.common.lifespan import on_shutdown, on_startup
        from titan_web.tasks import monitoring
        from titan_web.tasks.registry import registry

        monitoring.register_gauges()
        on_startup(registry.startup)
        on_startup(monitoring.start_lag_monitor)
        # Shutdown hooks run in reverse: the registry stops (and marks its runs) first.
        on_shutdown(monitoring.stop_lag_monitor)
        on_shutdown(registry.shutdown)
