"""Small helpers shared by the task tests."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

from channels.layers import get_channel_layer

from titan_web.tasks.models import TaskRun


async def eventually(
    check: Callable[[], Awaitable[bool]], *, timeout: float = 3.0, step: float = 0.02
) -> None:
    deadline = time.monotonic() + timeout
    while not await check():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(step)


async def status_of(task_id: Any) -> str:
    return (await TaskRun.objects.aget(pk=task_id)).status


async def wait_status(task_id: Any, *statuses: str, timeout: float = 3.0) -> TaskRun:
    async def reached() -> bool:
        return await status_of(task_id) in statuses

    await eventually(reached, timeout=timeout)
    return await TaskRun.objects.aget(pk=task_id)


class TopicListener:
    """A raw channel-layer subscriber of ``task:<id>`` (what a WebSocket consumer receives)."""

    def __init__(self, task_id: Any) -> None:
        self.group = f"titan.task.{task_id}"
        self.layer = get_channel_layer()
        self.channel = ""

    async def __aenter__(self) -> TopicListener:
        self.channel = await self.layer.new_channel()
        await self.layer.group_add(self.group, self.channel)
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.layer.group_discard(self.group, self.channel)

    async def drain(self, *, until_status: str | None = None, timeout: float = 3.0) -> list[dict]:
        """Frames received until one has ``until_status`` (or until quiet for ``timeout``)."""
        frames: list[dict[str, Any]] = []
        while True:
            try:
                message = await asyncio.wait_for(self.layer.receive(self.channel), timeout)
            except TimeoutError:
                if until_status is not None:
                    raise AssertionError(f"no {until_status} frame; got {frames}") from None
                return frames
            event = message["event"]
            event["_t"] = time.monotonic()
            frames.append(event)
            if until_status is not None and event["data"]["status"] == until_status:
                return frames
