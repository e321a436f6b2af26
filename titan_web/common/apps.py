from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "titan_web.common"
    label = "common"
    verbose_name = "TITAN common"

    def ready(self) -> None:
        import engine.compute
        from titan_web.common import schema  # noqa: F401  (registers the OpenAPI auth extension)
        from titan_web.common.lifespan import on_shutdown, on_startup
        from titan_web.common.warm import warm_start

        async def shutdown_compute() -> None:
            # Busy workers get 10 s, then are terminated: no orphaned processes.
            await engine.compute.shutdown(timeout=10.0)

        on_shutdown(shutdown_compute)
        on_startup(warm_start)
