"""The ``GET /api/auth/me`` payload as a plain dict: ``UserMeApi.OutputSerializer`` output
without a ``ModelSerializer`` built per request (titan_web/common/payloads.py). A model
serializer builds its fields for every instance and links each field to it both ways: the
dashboard asks this on every page, and each answer left a hundred objects that only the
cyclic garbage collector could free."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from titan_web.common.payloads import to_float, to_str

# The field ModelSerializer maps User.capital to (max_digits=18, decimal_places=2).
_CAPITAL = serializers.DecimalField(max_digits=18, decimal_places=2)


def me_payload(user: Any) -> dict[str, Any]:
    """What ``UserMeApi.OutputSerializer(user).data`` is."""
    return {
        "id": user.pk,
        "username": to_str(user.username),
        "email": to_str(user.email),
        "is_staff": bool(user.is_staff),
        "capital": None if user.capital is None else _CAPITAL.to_representation(user.capital),
        "cost_bps": to_float(user.cost_bps),
        "slippage_bps": to_float(user.slippage_bps),
        "borrow_rate": to_float(user.borrow_rate),
        "timezone": to_str(user.timezone),
        "default_params": user.default_params,
    }
