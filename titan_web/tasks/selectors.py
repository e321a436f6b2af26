"""Reads of task runs: a user sees their own, staff see all (docs/api.md)."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import QuerySet

from titan_web.common.errors import NotFoundError
from titan_web.common.ownership import aget_visible, visible_to
from titan_web.tasks.models import TaskRun


def parse_task_id(task_id: str | uuid.UUID) -> uuid.UUID:
    """The task id as a UUID; anything else is :class:`NotFoundError` (never a 500)."""
    if isinstance(task_id, uuid.UUID):
        return task_id
    try:
        return uuid.UUID(str(task_id))
    except ValueError as exc:
        raise NotFoundError("No task with that id.") from exc


def task_list(*, user: Any) -> QuerySet[TaskRun]:
    """Task runs ``user`` may see, newest first (a lazy queryset: filter and paginate it)."""
    return visible_to(TaskRun.objects.all(), user).order_by("-created_at", "id")


async def atask_get(*, task_id: str | uuid.UUID, user: Any) -> TaskRun:
    """The run ``task_id`` if ``user`` may see it, else :class:`NotFoundError` (404)."""
    return await aget_visible(TaskRun.objects.all(), user, pk=parse_task_id(task_id))
