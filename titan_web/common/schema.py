"""OpenAPI naming for the one-view-per-operation convention.

Every API view nests plain ``InputSerializer`` and ``OutputSerializer`` classes
(CONVENTIONS.md 2), so drf-spectacular would name all of them ``Input``/``Output`` and
collide. Nested serializers are named after their view instead: ``TokenObtainApi.InputSerializer``
becomes ``TokenObtainInput``.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema


class TitanAutoSchema(AutoSchema):
    def get_serializer_name(self, serializer: Any, direction: Any) -> str:
        cls = serializer.child.__class__ if hasattr(serializer, "child") else serializer.__class__
        parts = cls.__qualname__.split(".")
        if len(parts) >= 2 and parts[-2].endswith("Api"):
            return parts[-2].removesuffix("Api") + parts[-1].removesuffix("Serializer")
        return str(super().get_serializer_name(serializer, direction))


class JWTAuthenticationScheme(OpenApiAuthenticationExtension):
    """Describes ``JWTAuthentication`` as an HTTP bearer scheme in the OpenAPI document."""

    target_class = "titan_web.accounts.authentication.JWTAuthentication"
    name = "jwtAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
