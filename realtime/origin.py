"""WebSocket origin check.

Browsers always send ``Origin``; a page on another site must not open a stream here, so a
present ``Origin`` must match ``ALLOWED_HOSTS`` (Channels' ``AllowedHostsOriginValidator``
rules). Non-browser clients (Python, Node, trading systems) usually send no ``Origin``; the
stock validator refuses them, which would lock out exactly the async subscribers TITAN
serves. Authentication is a bearer token in the first message, never a cookie, so a missing
``Origin`` carries no cross-site risk; ``TITAN_WS_REQUIRE_ORIGIN=1`` restores the strict rule.
"""

from __future__ import annotations

import os
from typing import Any

from channels.security.websocket import OriginValidator
from django.conf import settings


class OptionalOriginValidator(OriginValidator):
    def __init__(self, application: Any) -> None:
        allowed = list(settings.ALLOWED_HOSTS)
        if settings.DEBUG and not allowed:
            allowed = ["localhost", "127.0.0.1", "[::1]"]
        super().__init__(application, allowed)
        self.require_origin = os.environ.get("TITAN_WS_REQUIRE_ORIGIN", "") in {"1", "true"}

    def valid_origin(self, parsed_origin: Any) -> bool:
        if parsed_origin is None:
            return not self.require_origin
        return bool(self.validate_origin(parsed_origin))
