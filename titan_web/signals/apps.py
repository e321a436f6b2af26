from django.apps import AppConfig


class SignalsConfig(AppConfig):
    name = "titan_web.signals"
    label = "signals"
    verbose_name = "Live signals"

    def ready(self) -> None:
        from realtime import hooks
        from titan_web.signals import streams

        hooks.register(authorize=streams.authorize, replay=streams.replay)
