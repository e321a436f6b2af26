"""Ownership: a user sees only their own runs, tasks, monitors and research results; staff
see all. Another user's object answers 404, never 403, so ids do not leak existence."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, QuerySet

from titan_web.common import asyncdb
from titan_web.common.errors import NotFoundError

M = TypeVar("M", bound=Model)
OWNER_VALUE = "titan_owner_pk"


def visible_to(queryset: QuerySet[M], user: Any, *, owner_field: str = "owner") -> QuerySet[M]:
    if getattr(user, "is_staff", False):
        return queryset
    return queryset.filter(**{owner_field: user})


async def aget_visible(
    queryset: QuerySet[M] | Callable[[], QuerySet[M]],
    user: Any,
    *,
    owner_field: str = "owner",
    shape: str | None = None,
    **lookup: Any,
) -> M:
    """The object matching ``lookup`` if ``user`` may see it, else :class:`NotFoundError`.
    Read on the event loop (asyncdb.py); ``shape`` names the queryset (same selects, joins
    and filters every time): the query is then compiled once per shape, not per request, and
    ``queryset`` may be a function that builds it, called only when the shape is compiled
    (building a queryset with annotations costs more than the read it describes)."""

    def base() -> QuerySet[M]:
        return queryset if isinstance(queryset, QuerySet) else queryset()

    try:
        if shape is None:
            return await asyncdb.aget(visible_to(base(), user, owner_field=owner_field), **lookup)
        staff = bool(getattr(user, "is_staff", False))
        values = dict(lookup) if staff else {**lookup, OWNER_VALUE: user.pk}

        def build(**given: Any) -> QuerySet[M]:
            owner = given.pop(OWNER_VALUE, None)
            qs = base() if staff else base().filter(**{owner_field: owner})
            return qs.filter(**given)

        return await asyncdb.aget_prepared((shape, staff, owner_field), build, **values)  # type: ignore[no-any-return]
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        name = base().model._meta.verbose_name
        raise NotFoundError(f"No {name} with that id.") from exc
