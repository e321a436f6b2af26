"""Content negotiation that remembers its answers.

DRF's ``DefaultContentNegotiation`` parses the ``Accept`` header and matches it against every
renderer on each request: about a twentieth of a small authenticated GET. The answer depends
only on the header, the ``?format=`` override and the view's renderer classes, so it is kept
per such key, in a bounded table (an attacker sending a new header each time only empties
it): a header longer than :data:`MAX_HEADER` is never kept, and a request it cannot serve is
refused (406) by DRF's own code every time.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Any

from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer

MAX_ENTRIES = 512
MAX_HEADER = 512

_answers: dict[tuple[Any, ...], tuple[int, str]] = {}
_lock = threading.Lock()


class ContentNegotiation(DefaultContentNegotiation):
    def select_renderer(
        self, request: Any, renderers: Iterable[BaseRenderer], format_suffix: str | None = None
    ) -> tuple[BaseRenderer, str]:
        renderers = list(renderers)
        accept = request.headers.get("accept", "*/*")
        fmt = format_suffix or request.query_params.get(self.settings.URL_FORMAT_OVERRIDE)
        key = (accept, fmt, *(type(r) for r in renderers))
        known = _answers.get(key)
        if known is not None:
            index, media_type = known
            return renderers[index], media_type
        renderer, media_type = super().select_renderer(request, renderers, format_suffix)
        if len(accept) <= MAX_HEADER:
            index = next(i for i, r in enumerate(renderers) if r is renderer)
            with _lock:
                if len(_answers) >= MAX_ENTRIES:
                    _answers.clear()
                _answers[key] = (index, media_type)
        return renderer, media_type
