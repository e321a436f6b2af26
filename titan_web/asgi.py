"""ASGI entry point: HTTP (Django), WebSocket (Channels) and lifespan on one event loop."""

from __future__ import annotations

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "titan_web.settings")

from titan_web.common.asgi_handler import get_application

# Django's ASGI handler minus its thread per request (asgi_handler.py).
django_asgi_app = get_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from realtime.origin import OptionalOriginValidator  # noqa: E402
from realtime.routing import websocket_urlpatterns  # noqa: E402
from titan_web.common.lifespan import LifespanApp  # noqa: E402
from titan_web.common.liveness import LivenessApp  # noqa: E402
from titan_web.common.logredact import install as install_log_redaction  # noqa: E402

install_log_redaction()  # no query string (a token?) in uvicorn's handshake log lines

application = ProtocolTypeRouter(
    {
        # /healthz is answered before Django (liveness.py); everything else is Django's.
        "http": LivenessApp(django_asgi_app),
        "websocket": OptionalOriginValidator(URLRouter(websocket_urlpatterns)),
        "lifespan": LifespanApp(),
    }
)
