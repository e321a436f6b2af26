"""Task progress reaches a WebSocket subscriber of ``task:<id>`` (the real ASGI app)."""

from __future__ import annotations

import asyncio
from typing import Any

from channels.testing import WebsocketCommunicator

from tests.conftest import aissue_tokens
from titan_web.asgi import application
from titan_web.tasks.registry import TaskContext
from titan_web.tasks.services import atask_submit, atask_wait

ORIGIN = (b"origin", b"http://127.0.0.1:8000")


async def subscriber(user: Any, topic: str) -> WebsocketCommunicator:
    comm = WebsocketCommunicator(application, "/ws/stream/", headers=[ORIGIN])
    connected, _ = await comm.connect(timeout=3)
    assert connected
    token = (await aissue_tokens(user))["access"]
    await comm.send_json_to({"type": "auth", "token": token})
    assert (await comm.receive_json_from(timeout=3))["type"] == "authenticated"
    await comm.send_json_to({"type": "subscribe", "topic": topic})
    return comm


async def test_progress_and_final_state_arrive_over_the_websocket(user: Any) -> None:
    gate = asyncio.Event()

    async def work(ctx: TaskContext) -> dict[str, int]:
        await gate.wait()
        for i in range(3):
            await ctx.progress((i + 1) / 4, f"step {i + 1}")
            await asyncio.sleep(0.12)
        ctx.result_url = "/api/backtests/7/"
        return {"steps": 3}

    task = await atask_submit(owner=user, kind="demo", run=work)
    topic = f"task:{task.id}"
    comm = await subscriber(user, topic)
    assert await comm.receive_json_from(timeout=3) == {"type": "subscribed", "topic": topic}
    gate.set()
    frames = []
    while not frames or frames[-1]["data"]["status"] == "running":
        frames.append(await comm.receive_json_from(timeout=3))
    assert all(f["type"] == "task.progress" and f["topic"] == topic for f in frames)
    progress = [(f["data"]["progress"], f["data"]["message"]) for f in frames[:-1]]
    assert progress[-3:] == [(0.25, "step 1"), (0.5, "step 2"), (0.75, "step 3")]
    assert frames[-1]["data"] == {
        "status": "succeeded",
        "progress": 1.0,
        "message": "step 3",
        "error": "",
        "result_url": "/api/backtests/7/",
    }
    await atask_wait(task_id=task.id, timeout=3)
    await comm.disconnect()


async def test_other_users_cannot_follow_the_task(user: Any, other_user: Any) -> None:
    async def work(ctx: TaskContext) -> None:
        return None

    task = await atask_submit(owner=user, kind="demo", run=work)
    comm = await subscriber(other_user, f"task:{task.id}")
    reply = await comm.receive_json_from(timeout=3)
    assert reply["type"] == "error" and reply["code"] == "forbidden"
    await comm.disconnect()
    await atask_wait(task_id=task.id, timeout=3)
