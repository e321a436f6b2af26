"""Per-user limits on queued plus running tasks of a kind (``TITAN_TASK_USER_LIMITS``): the
submission past the limit answers 429 problem+json with the limit in the answer, other
users and other kinds are not affected, and a finished or cancelled task frees its place."""

from __future__ import annotations

import asyncio
from typing import Any

from asgiref.sync import sync_to_async

from tests import factories
from tests.conftest import Api, aissue_tokens
from titan_web.tasks.models import TaskRun, TaskStatus

SLOW = {"chunks": 100, "sleep_ms": 1000}  # sleeps 100 s unless cancelled


async def test_the_submission_past_the_limit_answers_429(staff_api: Api, settings: Any) -> None:
    settings.TITAN_TASK_USER_LIMITS = {"selftest": 2}
    ids = []
    for _ in range(2):
        r = await staff_api.post("/api/tasks/selftest", SLOW)
        assert r.status_code == 202, r.content
        ids.append(r.json()["id"])
    r = await staff_api.post("/api/tasks/selftest", SLOW)
    assert r.status_code == 429 and r["Content-Type"].startswith("application/problem+json")
    body = r.json()
    assert body["limit"] == 2 and body["active"] == 2 and body["kind"] == "selftest"
    assert "limit is 2" in body["detail"]
    assert await TaskRun.objects.filter(kind="selftest").acount() == 2

    other = await sync_to_async(factories.make_user)(username="root2", is_staff=True)
    other_api = Api((await aissue_tokens(other))["access"])
    r = await other_api.post("/api/tasks/selftest", SLOW)
    assert r.status_code == 202  # another user has a budget of their own

    r = await staff_api.post(f"/api/tasks/{ids[0]}/cancel")
    assert r.status_code in (200, 202), r.content
    for _ in range(100):
        status = (await TaskRun.objects.aget(pk=ids[0])).status
        if status == TaskStatus.CANCELLED:
            break
        await asyncio.sleep(0.05)
    r = await staff_api.post("/api/tasks/selftest", SLOW)
    assert r.status_code == 202, r.content  # the cancelled one freed its place
    for task in [t async for t in TaskRun.objects.filter(status__in=["queued", "running"])]:
        await staff_api.post(f"/api/tasks/{task.pk}/cancel")
