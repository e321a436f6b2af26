from django.apps import AppConfig


class SignalsConfig(AppConfig):
    name = "titan_web.signals"
    label = "signals"
    verbose_name = "Live signals"

    def ready(self) -> None:
        from realtime import hooks
        from realtime.fanout import frame_stats
        from titan_web.common.lifespan import on_shutdown, on_startup
        from titan_web.common.metrics import register_gauge
        from titan_web.market.services import on_bars_ingested
        from titan_web.signals import live, relay, streams

        hooks.register(
            authorize=streams.authorize, replay=streams.replay, replay_limit=streams.REPLAY_LIMIT
        )
        on_bars_ingested(live.on_ingest)
        # WebSocket frames written straight to the socket vs queued to a connection's writer.
        register_gauge("titan_ws_frames_direct_total", lambda: float(frame_stats.direct))
        register_gauge("titan_ws_frames_queued_total", lambda: float(frame_stats.queued))
        on_startup(_load_channel_layer)
        # Signals stored by other processes, for the per-process in-memory layer.
        on_startup(relay.start)
        on_shutdown(relay.stop)


async def _load_channel_layer() -> None:
    """Build the channel layer at start-up: importing channels-redis and redis takes ~0.35 s,
    which would otherwise delay the first signal published after a start."""
    from channels.layers import get_channel_layer

    get_channel_layer()
