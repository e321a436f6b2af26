from django.apps import AppConfig


class MarketConfig(AppConfig):
    name = "titan_web.market"
    label = "market"
    verbose_name = "Market data"
