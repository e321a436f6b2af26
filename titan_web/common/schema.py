"""OpenAPI naming for the one-view-per-operation convention.

Every API view nests plain ``InputSerializer`` and ``OutputSerializer`` classes
(docs/architecture.md section 2), so drf-spectacular would name all of them ``Input``/``Output`` and
collide. Nested serializers are named after their view instead: ``TokenObtainApi.InputSerializer``
becomes ``TokenObtainInput``.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter


class TitanAutoSchema(AutoSchema):
    def get_operation_id(self) -> str:
        """``SymbolDetailApi.patch`` -> ``symbol_detail_patch``: unique and readable (the default
        names every ``APIView.get`` "retrieve", so lists and details collide)."""
        name = type(self.view).__name__.removesuffix("Api")
        snake = "".join(f"_{c.lower()}" if c.isupper() else c for c in name).lstrip("_")
        return f"{snake}_{self.method.lower()}"

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


def page_parameters() -> list[OpenApiParameter]:
    """``limit`` and ``offset`` of a paginated list, with the bounds the server enforces."""
    from titan_web.common.pagination import DEFAULT_LIMIT, MAX_LIMIT, MAX_OFFSET

    return [
        OpenApiParameter(
            "limit",
            {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT},
            description=f"page size (default {DEFAULT_LIMIT}, 1 to {MAX_LIMIT})",
        ),
        OpenApiParameter(
            "offset",
            {"type": "integer", "minimum": 0, "maximum": MAX_OFFSET},
            description="items to skip (default 0)",
        ),
    ]


def filter_parameters(filterset: type[Any]) -> list[OpenApiParameter]:
    """OpenAPI query parameters of a django-filter ``FilterSet`` (adrf views are plain
    ``APIView``s, so drf-spectacular's django-filter extension does not see them)."""
    params = []
    for name, flt in filterset.base_filters.items():
        kind = {"NumberFilter": float, "BooleanFilter": bool, "UUIDFilter": str}.get(
            type(flt).__name__, str
        )
        params.append(
            OpenApiParameter(
                name,
                number_filter_schema(filterset, flt) or kind,
                description=str(flt.label or name),
                required=False,
            )
        )
    return params + page_parameters()


def number_filter_schema(filterset: type[Any], flt: Any) -> dict[str, Any] | None:
    """An integer schema with the column's bounds for a number filter on an integer column."""
    from django_filters import NumberFilter

    from titan_web.common.pagination import _number_bounds

    if not isinstance(flt, NumberFilter):
        return None
    bounds = _number_bounds(filterset._meta.model, flt.field_name)
    if bounds is None or not bounds[2]:
        return None
    return {"type": "integer", "minimum": int(bounds[0]), "maximum": int(bounds[1])}
