"""The OpenAPI document's AutoSchema: naming, error responses and input constraints.

Every API view nests plain ``InputSerializer`` and ``OutputSerializer`` classes
(docs/architecture.md section 2), so drf-spectacular would name all of them ``Input``/``Output`` and
collide. Nested serializers are named after their view instead: ``TokenObtainApi.InputSerializer``
becomes ``TokenObtainInput``.

Each operation also documents the problem+json errors it can answer
(:mod:`titan_web.common.schema_problems`), and request bodies the rules strict input enforces:
``additionalProperties: false`` on every :class:`~titan_web.common.strict.StrictSerializer`
and the ticker pattern on ticker fields.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter

from titan_web.common import schema_problems


class TitanAutoSchema(AutoSchema):
    def get_operation(self, *args: Any, **kwargs: Any) -> Any:
        operation = super().get_operation(*args, **kwargs)
        if operation is not None:
            schema_problems.add_problem_responses(self, operation)
            for param in operation.get("parameters", []):
                schema = param.get("schema", {})
                if param["in"] == "query" and schema.get("type") == "string":
                    schema.setdefault("minLength", 1)  # an empty value is refused (strict.py)
                items = schema.get("items", {})
                if param["in"] == "query" and items.get("type") == "string":
                    items.setdefault("minLength", 1)
        return operation

    def _map_serializer(
        self, serializer: Any, direction: Any, bypass_extensions: bool = False
    ) -> Any:
        from titan_web.common.strict import StrictSerializer

        schema = super()._map_serializer(serializer, direction, bypass_extensions)
        if direction == "request" and isinstance(serializer, StrictSerializer):
            schema["additionalProperties"] = False  # an unknown field is a 400
        # Parts of an answer that are left out when not asked for or not computed (a
        # backtest's ``labels`` exist only for adaptive runs): not required.
        optional = set(getattr(serializer, "schema_optional_fields", ()))
        if optional and "required" in schema:
            schema["required"] = [f for f in schema["required"] if f not in optional]
        return schema

    def _map_serializer_field(
        self, field: Any, direction: Any, bypass_extensions: bool = False
    ) -> Any:
        from titan_web.market.fields import TICKER_INPUT_PATTERN, TickerField, TickerListField

        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if isinstance(field, TickerField) and direction == "request":
            schema["pattern"] = TICKER_INPUT_PATTERN
        elif isinstance(field, TickerListField):
            schema["pattern"] = field.pattern
        return schema

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
    ``APIView``s, so drf-spectacular's django-filter extension does not see them), with the
    rules the filters enforce (integer bounds, choices, the ordering fields), plus limit and
    offset."""
    import django_filters
    from drf_spectacular.types import OpenApiTypes

    types = [
        (django_filters.BooleanFilter, OpenApiTypes.BOOL),
        (django_filters.IsoDateTimeFilter, OpenApiTypes.DATETIME),
        (django_filters.UUIDFilter, OpenApiTypes.UUID),
        (django_filters.NumberFilter, OpenApiTypes.NUMBER),
    ]
    out = []
    for name, f in filterset.base_filters.items():
        if isinstance(f, django_filters.OrderingFilter):
            out.append(ordering_parameter(f))
            continue
        kind = number_filter_schema(filterset, f) or next(
            (t for cls, t in types if isinstance(f, cls)), OpenApiTypes.STR
        )
        kw: dict[str, Any] = {}
        if isinstance(f, (django_filters.ChoiceFilter, django_filters.MultipleChoiceFilter)):
            kw["enum"] = [c[0] for c in f.extra["choices"]]
            kw["many"] = isinstance(f, django_filters.MultipleChoiceFilter)
        if f.label:
            kw["description"] = str(f.label)
        out.append(OpenApiParameter(name, kind, **kw))
    return out + page_parameters()


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


def ordering_parameter(flt: Any, *, default: str | None = None) -> OpenApiParameter:
    """``ordering`` of a django-filter ``OrderingFilter``: the pattern of what it accepts, one
    or more comma-separated fields, each optionally prefixed with ``-`` (descending)."""
    import re

    fields = [str(v) for v in flt.param_map]
    one = "-?(" + "|".join(re.escape(f) for f in fields) + ")"
    text = f"one or more of {', '.join(fields)}, comma-separated; prefix '-' for descending"
    return OpenApiParameter(
        "ordering",
        {"type": "string", "pattern": f"^{one}(,{one})*$"},
        description=text + (f" (default {default})" if default else ""),
    )
