from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "titan_web.common"
    label = "common"
    verbose_name = "TITAN common"

    def ready(self) -> None:
        from titan_web.common import schema  # noqa: F401  (registers the OpenAPI auth extension)
