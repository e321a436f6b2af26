from django.apps import AppConfig


class BacktestsConfig(AppConfig):
    name = "titan_web.backtests"
    label = "backtests"
    verbose_name = "Backtests"
