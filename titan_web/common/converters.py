"""Path converters. ``<id:name>``: an object id of at most 18 digits, so every id the URL map
passes on fits a signed 64-bit column; a longer one matches no route (404), where Django's
``<int:...>`` passed it on and the database answered OverflowError (500)."""

from __future__ import annotations

from django.urls import register_converter


class IdConverter:
    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(IdConverter, "id")
