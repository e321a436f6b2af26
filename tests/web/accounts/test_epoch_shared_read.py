"""Readers of the Redis epoch on one event loop share a GET, and a reader that arrives after
a bump never shares a read that was sent before it (epoch.py)."""

from __future__ import annotations

import asyncio
import os
import uuid
from typing import Any

import pytest

from titan_web.accounts.epoch import RedisEpoch

pytestmark = pytest.mark.services  # Redis: the services half of the suite (make test-services)


@pytest.fixture
def redis_epoch() -> Any:
    url = os.environ.get("REDIS_URL", "")
    if not url:
        if os.environ.get("CI", "").lower() in {"1", "true"}:
            pytest.fail("CI: the Redis epoch tests need REDIS_URL")
        pytest.skip("the Redis epoch needs REDIS_URL (make test-services)")
    store = RedisEpoch(url, f"titan-test:epoch:{uuid.uuid4().hex}")
    yield store
    import redis

    redis.Redis.from_url(url).delete(store.key)


async def test_readers_of_one_turn_share_one_get(redis_epoch: RedisEpoch) -> None:
    await asyncio.to_thread(redis_epoch.bump)
    before = redis_epoch.reads
    values = await asyncio.gather(*(redis_epoch.aget() for _ in range(50)))
    assert values == [1] * 50
    assert redis_epoch.reads == before + 1


async def test_a_reader_after_a_bump_does_not_share_an_earlier_read(
    redis_epoch: RedisEpoch, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert await redis_epoch.aget() == 0
    client = redis_epoch._client(asyncio.get_running_loop())
    real_get = client.get
    answered, release = asyncio.Event(), asyncio.Event()

    async def slow_get(key: str) -> Any:
        value = await real_get(key)  # Redis has answered: this read is done server-side
        answered.set()
        await release.wait()
        return value

    monkeypatch.setattr(client, "get", slow_get)
    early = [asyncio.ensure_future(redis_epoch.aget()) for _ in range(3)]
    await answered.wait()
    await asyncio.to_thread(redis_epoch.bump)  # e.g. a logout on another worker
    monkeypatch.setattr(client, "get", real_get)
    late = await redis_epoch.aget()  # arrived after the bump: a read of its own
    assert late == 1
    release.set()
    assert await asyncio.gather(*early) == [0, 0, 0]


async def test_a_cancelled_reader_leaves_the_shared_read_to_the_others(
    redis_epoch: RedisEpoch,
) -> None:
    first = asyncio.ensure_future(redis_epoch.aget())
    second = asyncio.ensure_future(redis_epoch.aget())
    await asyncio.sleep(0)
    first.cancel()
    assert await second == 0
    with pytest.raises(asyncio.CancelledError):
        await first


async def test_a_failed_read_fails_every_reader_that_shared_it() -> None:
    store = RedisEpoch("redis://127.0.0.1:1/0", "titan-test:epoch:unreachable")
    outcomes = await asyncio.gather(*(store.aget() for _ in range(3)), return_exceptions=True)
    assert all(isinstance(o, Exception) for o in outcomes)
    assert store.reads == 1
