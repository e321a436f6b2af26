"""WhiteNoise hooks for the built dashboard (imported by settings: no Django imports here)."""

from __future__ import annotations

import re
from typing import Any

# Vite names assets ``<name>-<8 url-safe base64 chars>.<ext>`` under ``/assets/``.
HASHED_ASSET = re.compile(r"^/assets/.+-[A-Za-z0-9_-]{8}\.[A-Za-z0-9]+$")

#: The dashboard's Content-Security-Policy: only its own scripts, no inline script, API and
#: WebSocket on the same origin (a stolen-token XSS needs an inline or foreign script).
CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def immutable_file_test(path: str, url: str) -> bool:
    """Files whose name carries a content hash never change: cached for a year, immutable."""
    return bool(HASHED_ASSET.match(url))


#: One year, as the dashboard's hashed assets are promised (WhiteNoise's own is ten).
YEAR = 365 * 24 * 3600


def add_headers(headers: Any, path: str, url: str) -> None:
    """Hashed assets: a year, immutable. HTML (``/``, ``/index.html``) is revalidated on
    every load and carries the CSP."""
    if immutable_file_test(path, url):
        headers["Cache-Control"] = f"max-age={YEAR}, public, immutable"
    elif path.endswith(".html"):
        headers["Cache-Control"] = "no-cache"
        headers["Content-Security-Policy"] = CSP
