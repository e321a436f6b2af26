"""No query string in any log line.

uvicorn logs every WebSocket handshake with its path and query string on ``uvicorn.error``
(``"WebSocket /ws/stream/?<query> [accepted]"``, the query as the client sent it), whatever
``--no-access-log`` says, and its access log does the same for HTTP. A client may put a
token in the query string (TITAN ignores it, but it would sit in the log).
:class:`QueryStringFilter` rewrites each record's message without the query strings of the
paths it quotes; :func:`install` puts it on uvicorn's loggers and on the handlers of the root
logger, and runs when the ASGI application is imported (``titan_web/asgi.py``), so every way
of starting the server has it.
"""

from __future__ import annotations

import logging
import re

# A path (or a URL) followed by "?query": the query runs to the next space or quote.
_QUERY = re.compile(r"((?:https?://[^\s\"'/]+)?/[^\s\"'?]*)\?[^\s\"']*")

LOGGERS = ("uvicorn", "uvicorn.error", "uvicorn.access", "django", "django.request", "titan")


def redact(text: str) -> str:
    return _QUERY.sub(r"\1", text)


class QueryStringFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: leave it to the handler
            return True
        if "?" in message:
            record.msg, record.args = redact(message), None
        return True


_FILTER = QueryStringFilter()


def install() -> None:
    """Add the filter to uvicorn's and TITAN's loggers and the root logger's handlers."""
    for name in LOGGERS:
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)
        for handler in logger.handlers:
            if _FILTER not in handler.filters:
                handler.addFilter(_FILTER)
    for handler in logging.getLogger().handlers:
        if _FILTER not in handler.filters:
            handler.addFilter(_FILTER)
