"""Async limit/offset pagination and django-filter for adrf list views.

Lists answer ``{count, next, previous, results}``. ``limit`` (default 50, at most 500) and
``offset`` are query parameters, beside the filter set's; any other query parameter is a
400 naming it (``titan_web.common.strict``). django-filter builds the query without touching
the database, so filter sets must not use model-choice filters (they query synchronously).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db.models import QuerySet
from django_filters import FilterSet
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.utils.urls import remove_query_param, replace_query_param

from titan_web.common import asyncdb
from titan_web.common.cycles import release_serializer
from titan_web.common.strict import StrictQuerySerializer, check_query_params

DEFAULT_LIMIT = 50
MAX_LIMIT = 500
MAX_OFFSET = 2**31 - 1  # any integer SQL takes: a larger offset is refused, not a 500

# The range an integer query value may have before it reaches the database: a signed 64-bit
# integer on PostgreSQL and SQLite alike (bigger ones raised OverflowError, a 500).
INT_MIN, INT_MAX = -(2**63), 2**63 - 1
FLOAT_MAX = 1e300


class PageParams(StrictQuerySerializer):
    limit = serializers.IntegerField(min_value=1, max_value=MAX_LIMIT, default=DEFAULT_LIMIT)
    offset = serializers.IntegerField(min_value=0, max_value=MAX_OFFSET, default=0)


def _number_bounds(model: Any, field_name: str) -> tuple[float, float, bool] | None:
    """(lowest, highest, integral) for a filter on ``field_name`` of ``model``."""
    from django.core.exceptions import FieldDoesNotExist
    from django.db import connection, models

    try:
        field = model._meta.get_field(field_name)
    except (FieldDoesNotExist, AttributeError):
        return None
    if field.is_relation and field.target_field is not None:
        field = field.target_field
    if isinstance(field, (models.IntegerField, models.AutoField)):
        lo, hi = connection.ops.integer_field_range(field.get_internal_type())
        return (INT_MIN if lo is None else lo, INT_MAX if hi is None else hi, True)
    return (-FLOAT_MAX, FLOAT_MAX, False)


def check_number_filters(filterset: FilterSet) -> None:
    """Refuse (400, naming the parameter) number filter values the database cannot take."""
    from django_filters import NumberFilter

    errors: dict[str, list[str]] = {}
    model = filterset._meta.model
    for name, flt in filterset.filters.items():
        value = filterset.form.cleaned_data.get(name)
        if value is None or not isinstance(flt, NumberFilter):
            continue
        bounds = _number_bounds(model, flt.field_name)
        lo, hi, integral = bounds if bounds is not None else (-FLOAT_MAX, FLOAT_MAX, False)
        if not value.is_finite() or not lo <= value <= hi:
            errors[name] = [f"must be a number between {lo:g} and {hi:g}"]
        elif integral and value != value.to_integral_value():
            errors[name] = ["must be a whole number"]
    if errors:
        raise ValidationError(errors)


def check_boolean_filters(filterset: FilterSet, query: Any) -> None:
    """Refuse a boolean filter value other than ``true`` or ``false`` (django-filter reads
    any other as "no filter", so ``?active=null`` listed everything)."""
    from django_filters import BooleanFilter

    errors = {
        name: ["must be true or false"]
        for name, flt in filterset.filters.items()
        if isinstance(flt, BooleanFilter)
        and any(v not in ("true", "false") for v in query.getlist(name))
    }
    if errors:
        raise ValidationError(errors)


_FILTER_NAMES: dict[type[FilterSet], frozenset[str]] = {}


def _filter_names(filterset_class: type[FilterSet], queryset: QuerySet[Any]) -> frozenset[str]:
    """The query parameter names of a filter set's form (built once per class)."""
    names = _FILTER_NAMES.get(filterset_class)
    if names is None:
        names = frozenset(filterset_class(queryset=queryset.none()).form.fields)
        _FILTER_NAMES[filterset_class] = names
    return names


def filter_queryset(
    request: Request,
    queryset: QuerySet[Any],
    filterset_class: type[FilterSet] | None,
    *,
    params: Iterable[str] = (),
) -> QuerySet[Any]:
    """The queryset filtered by the request's query parameters, each of which must be a filter
    of ``filterset_class``, ``limit``, ``offset`` or one of ``params`` (parameters the view
    validated itself)."""
    known = {"limit", "offset", *params}
    names: frozenset[str] = frozenset()
    if filterset_class is not None:
        names = _filter_names(filterset_class, queryset)
        known |= names
    check_query_params(request.query_params, known=known)
    if filterset_class is None or names.isdisjoint(request.query_params.keys()):
        # No filter given: every django-filter filter leaves the queryset alone on an empty
        # value, so building and validating the filter set's form would change nothing.
        return queryset
    filterset = filterset_class(request.query_params, queryset=queryset, request=request)
    if not filterset.is_valid():
        raise ValidationError(filterset.errors)
    check_number_filters(filterset)
    check_boolean_filters(filterset, request.query_params)
    return filterset.qs


async def apaginate(
    request: Request,
    queryset: QuerySet[Any],
    serializer_class: type[serializers.BaseSerializer[Any]],
    *,
    context: dict[str, Any] | None = None,
    filterset_class: type[FilterSet] | None = None,
    extra_params: Iterable[str] = (),
    payload: Callable[[Any], dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """A page of ``queryset`` filtered with ``filterset_class`` (see :func:`filter_queryset`).
    ``payload``, when given, builds each item's dict instead of ``serializer_class`` (which
    it must equal: titan_web/common/payloads.py)."""
    queryset = filter_queryset(request, queryset, filterset_class, params=extra_params)
    page = {k: v for k, v in request.query_params.items() if k in ("limit", "offset")}
    params = PageParams.validated(page)
    limit, offset = params["limit"], params["offset"]
    count = await asyncdb.acount(queryset)
    items = await asyncdb.aobjects(queryset[offset : offset + limit])
    url = request.build_absolute_uri()
    next_url = (
        replace_query_param(replace_query_param(url, "limit", limit), "offset", offset + limit)
        if offset + limit < count
        else None
    )
    if offset <= 0:
        previous_url = None
    elif offset - limit <= 0:
        previous_url = remove_query_param(replace_query_param(url, "limit", limit), "offset")
    else:
        previous_url = replace_query_param(
            replace_query_param(url, "limit", limit), "offset", offset - limit
        )
    if payload is not None:
        data: Any = [payload(item) for item in items]
    else:
        serializer = serializer_class(items, many=True, context=context or {"request": request})
        data = list(serializer.data)
        release_serializer(serializer)
    return {"count": count, "next": next_url, "previous": previous_url, "results": data}


def paginated_serializer(name: str, item: type[serializers.BaseSerializer[Any]]) -> type:
    """An OpenAPI-only serializer describing a page of ``item``."""
    return type(
        name,
        (serializers.Serializer,),
        {
            "count": serializers.IntegerField(),
            "next": serializers.URLField(allow_null=True),
            "previous": serializers.URLField(allow_null=True),
            "results": item(many=True),
        },
    )
