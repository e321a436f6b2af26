from django.apps import AppConfig


class MarketConfig(AppConfig):
    name = "titan_web.market"
    label = "market"
    verbose_name = "Market data"

    def ready(self) -> None:
        from titan_web.common.lifespan import on_shutdown
        from titan_web.market.store import close_asyncpg_pools

        on_shutdown(close_asyncpg_pools)
