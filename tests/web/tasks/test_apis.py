"""REST: /api/tasks/ list, detail, cancel; staff-only selftest and loop-lag endpoints."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest
from asgiref.sync import sync_to_async

from tests import factories
from tests.conftest import Api
from tests.web.tasks.helpers import wait_status
from titan_web.tasks.models import TaskRun, TaskStatus
from titan_web.tasks.registry import TaskContext
from titan_web.tasks.services import atask_submit, atask_wait

PROBLEM = "application/problem+json"
amake_task = sync_to_async(factories.make_task)


def assert_problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith(PROBLEM)
    body = response.json()
    assert body["status"] == status and body["type"].startswith("https://")
    return body


async def test_selftest_answers_202_with_location_then_succeeds(
    staff_api: Api, staff_user: Any
) -> None:
    r = await staff_api.post("/api/tasks/selftest", {"chunks": 5, "sleep_ms": 10})
    assert r.status_code == 202, r.content
    body = r.json()
    assert r["Location"] == f"/api/tasks/{body['id']}/"
    required = {"id", "kind", "status", "progress", "message", "created_at", "started_at"}
    required |= {"finished_at", "result_url", "error"}
    assert required <= set(body)
    assert body["kind"] == "selftest" and body["status"] in ("queued", "running")
    await atask_wait(task_id=body["id"], timeout=3)
    detail = (await staff_api.get(r["Location"])).json()
    assert detail["status"] == "succeeded" and detail["progress"] == 1.0
    assert detail["result"] == {"chunks": 5, "checksum": 10, "workload": "burn"}
    assert detail["params"]["sleep_ms"] == 10 and detail["message"] == "chunk 5/5"
    assert detail["finished_at"] and detail["started_at"]


async def test_selftest_is_staff_only_and_validated(api: Api, staff_api: Api) -> None:
    body = assert_problem(await api.post("/api/tasks/selftest", {"chunks": 2}), 403)
    assert "staff" in body["detail"]
    body = assert_problem(
        await staff_api.post("/api/tasks/selftest", {"chunks": 3, "fail_at": 3}), 400
    )
    assert "fail_at" in body["errors"]
    assert_problem(await staff_api.post("/api/tasks/selftest", {"chunks": 0}), 400)
    assert await TaskRun.objects.acount() == 0


async def test_selftest_failure_reports_the_error(staff_api: Api) -> None:
    r = await staff_api.post("/api/tasks/selftest", {"chunks": 4, "sleep_ms": 5, "fail_at": 2})
    await atask_wait(task_id=r.json()["id"], timeout=3)
    detail = (await staff_api.get(r["Location"])).json()
    assert detail["status"] == "failed"
    assert detail["error"] == "ValueError: selftest failure requested at chunk 2"
    assert detail["result"] is None and detail["progress"] == 0.5


async def test_owner_only_other_users_get_404_staff_sees_all(
    api: Api, other_api: Api, staff_api: Api, user: Any, other_user: Any
) -> None:
    mine = await amake_task(owner=user, kind="scan", status=TaskStatus.SUCCEEDED)
    theirs = await amake_task(owner=other_user, kind="backtest", status=TaskStatus.RUNNING)
    r = await api.get(f"/api/tasks/{theirs.id}/")
    body = assert_problem(r, 404)
    assert "backtest" not in r.content.decode() and str(theirs.id) not in body["detail"]
    assert_problem(await api.post(f"/api/tasks/{theirs.id}/cancel"), 404)
    assert (await TaskRun.objects.aget(pk=theirs.id)).cancel_requested is False
    assert (await api.get(f"/api/tasks/{mine.id}/")).status_code == 200
    listed = (await api.get("/api/tasks/")).json()
    assert [t["id"] for t in listed["results"]] == [str(mine.id)] and listed["count"] == 1
    assert (await other_api.get("/api/tasks/")).json()["count"] == 1
    everything = (await staff_api.get("/api/tasks/")).json()
    assert {t["id"] for t in everything["results"]} == {str(mine.id), str(theirs.id)}
    assert (await staff_api.get(f"/api/tasks/{theirs.id}/")).status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/api/tasks/not-a-uuid/",
        "/api/tasks/12/",
        f"/api/tasks/{uuid.uuid4()}/",
        "/api/tasks/x/cancel",
    ],
)
async def test_bad_or_unknown_ids_are_404_problem(api: Api, path: str) -> None:
    method = api.post if path.endswith("cancel") else api.get
    assert_problem(await method(path), 404)


async def test_anonymous_is_401(anon_api: Api) -> None:
    assert_problem(await anon_api.get("/api/tasks/"), 401)


async def test_list_filters_ordering_and_pagination(api: Api, user: Any) -> None:
    a = await amake_task(owner=user, kind="scan", status=TaskStatus.SUCCEEDED, progress=1.0)
    b = await amake_task(owner=user, kind="backtest", status=TaskStatus.RUNNING, progress=0.5)
    c = await amake_task(owner=user, kind="scan", status=TaskStatus.FAILED, progress=0.2)
    ids = lambda r: [t["id"] for t in r.json()["results"]]  # noqa: E731
    assert ids(await api.get("/api/tasks/")) == [str(c.id), str(b.id), str(a.id)]
    assert set(ids(await api.get("/api/tasks/", {"kind": "scan"}))) == {str(a.id), str(c.id)}
    assert ids(await api.get("/api/tasks/", {"status": "running"})) == [str(b.id)]
    r = await api.get("/api/tasks/?status=running&status=failed")
    assert set(ids(r)) == {str(b.id), str(c.id)}
    assert ids(await api.get("/api/tasks/", {"ordering": "progress"})) == [
        str(c.id),
        str(b.id),
        str(a.id),
    ]
    page = (await api.get("/api/tasks/", {"limit": 2, "ordering": "created_at"})).json()
    assert page["count"] == 3 and [t["id"] for t in page["results"]] == [str(a.id), str(b.id)]
    assert page["next"] and page["previous"] is None
    assert_problem(await api.get("/api/tasks/", {"status": "bogus"}), 400)
    assert_problem(await api.get("/api/tasks/", {"ordering": "owner__password"}), 400)


async def test_cancel_over_http_running_then_detail(api: Api, user: Any) -> None:
    async def work(ctx: TaskContext) -> None:
        for i in range(100):
            ctx.raise_if_cancelled()
            await asyncio.sleep(0.02)
            await ctx.progress((i + 1) / 100)

    task = await atask_submit(owner=user, kind="demo", run=work)
    await wait_status(task.id, TaskStatus.RUNNING)
    r = await api.post(f"/api/tasks/{task.id}/cancel")
    assert r.status_code == 202, r.content
    assert r.json()["cancel_requested"] is True
    await atask_wait(task_id=task.id, timeout=3)
    detail = (await api.get(f"/api/tasks/{task.id}/")).json()
    assert detail["status"] == "cancelled" and 0 < detail["progress"] < 1
    r = await api.post(f"/api/tasks/{task.id}/cancel")
    assert r.status_code == 200 and r.json()["status"] == "cancelled"


async def test_cancel_of_a_finished_task_is_409(api: Api, user: Any) -> None:
    done = await amake_task(owner=user, kind="scan", status=TaskStatus.SUCCEEDED)
    body = assert_problem(await api.post(f"/api/tasks/{done.id}/cancel"), 409)
    assert "succeeded" in body["detail"]


async def test_loop_lag_endpoint_is_staff_only(api: Api, staff_api: Api) -> None:
    assert_problem(await api.get("/api/tasks/loop-lag"), 403)
    r = await staff_api.get("/api/tasks/loop-lag")
    assert r.status_code == 200
    body = r.json()
    assert {"p50", "p99", "max", "samples", "compute", "tasks"} <= set(body)
    r = await staff_api.post("/api/tasks/loop-lag", {"reset": True})
    assert r.status_code == 200


async def test_metrics_expose_task_gauges(anon_api: Api, staff_api: Api) -> None:
    r = await staff_api.post("/api/tasks/selftest", {"chunks": 20, "sleep_ms": 20})
    await wait_status(r.json()["id"], TaskStatus.RUNNING)
    text = (await anon_api.get("/metrics")).content.decode()
    lines = {
        line.split("{")[0]: line.rsplit(" ", 1)[1] for line in text.splitlines() if "{" in line
    }
    assert lines["titan_tasks_running_selftest"] == "1.0"
    assert lines["titan_tasks_queued_selftest"] == "0.0"
    assert lines["titan_tasks_running"] == "1.0"
    assert "titan_tasks_running_scan" in lines and "titan_event_loop_lag_p99_seconds" in lines


async def test_openapi_documents_the_task_endpoints(anon_api: Api) -> None:
    r = await anon_api.get("/api/schema/", headers={"Accept": "application/vnd.oai.openapi+json"})
    paths = r.json()["paths"]
    assert {"/api/tasks/", "/api/tasks/{task_id}/", "/api/tasks/{task_id}/cancel"} <= set(paths)
    assert "/api/tasks/selftest" in paths
