"""Throttling of the credential endpoints: per client address and per account.

The address is the real client's (:func:`titan_web.common.clientip.client_ip`: a spoofed
``X-Forwarded-For`` counts only behind a configured proxy). The token endpoint and the admin
login are also limited per account name, whatever address the attempts come from, so
changing addresses does not buy an attacker more guesses at one password.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.http import HttpRequest
from rest_framework.throttling import SimpleRateThrottle

from titan_web.common.clientip import client_ip


class AuthRateThrottle(SimpleRateThrottle):
    """Scope ``auth`` (``TITAN_AUTH_THROTTLE``): requests per client address."""

    scope = "auth"

    def get_ident(self, request: Any) -> str:
        return client_ip(request.META)

    def get_cache_key(self, request: Any, view: Any) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


def _account_name(request: Any) -> str | None:
    # The admin's login form, or the API body (a malformed one raises ParseError here: 400).
    data: Any = request.POST if isinstance(request, HttpRequest) else request.data
    name = data.get("username") if hasattr(data, "get") else None
    if not isinstance(name, str) or not name.strip():
        return None
    return name.strip().lower()


class AccountRateThrottle(SimpleRateThrottle):
    """Scope ``auth_account`` (``TITAN_AUTH_ACCOUNT_THROTTLE``): attempts per account name."""

    scope = "auth_account"

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        name = _account_name(request)
        if name is None:
            return None
        ident = hashlib.sha256(name.encode()).hexdigest()[:32]
        return self.cache_format % {"scope": self.scope, "ident": ident}


def admin_login_wait(request: HttpRequest) -> float | None:
    """Seconds to wait if this admin login attempt is over a limit, else None (and counted)."""
    waits = []
    for throttle in (AuthRateThrottle(), AccountRateThrottle()):
        if not throttle.allow_request(request, None):  # type: ignore[arg-type]  # reads META, POST
            waits.append(throttle.wait() or 1.0)
    return max(waits) if waits else None
