"""Ownership: a user sees only their own runs, tasks, monitors and research results; staff
see all. Another user's object answers 404, never 403, so ids do not leak existence."""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, QuerySet

from titan_web.common.errors import NotFoundError

M = TypeVar("M", bound=Model)


def visible_to(queryset: QuerySet[M], user: Any, *, owner_field: str = "owner") -> QuerySet[M]:
    if getattr(user, "is_staff", False):
        return queryset
    return queryset.filter(**{owner_field: user})


async def aget_visible(
    queryset: QuerySet[M], user: Any, *, owner_field: str = "owner", **lookup: Any
) -> M:
    """The object matching ``lookup`` if ``user`` may see it, else :class:`NotFoundError`."""
    try:
        return await visible_to(queryset, user, owner_field=owner_field).aget(**lookup)
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        name = queryset.model._meta.verbose_name
        raise NotFoundError(f"No {name} with that id.") from exc
