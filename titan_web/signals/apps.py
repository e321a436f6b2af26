from django.apps import AppConfig


class SignalsConfig(AppConfig):
    name = "titan_web.signals"
    label = "signals"
    verbose_name = "Live signals"

    def ready(self) -> None:
        from realtime import hooks
        from titan_web.market.services import on_bars_ingested
        from titan_web.signals import live, streams

        hooks.register(
            authorize=streams.authorize, replay=streams.replay, replay_limit=streams.REPLAY_LIMIT
        )
        on_bars_ingested(live.on_ingest)
