from __future__ import annotations

from collections.abc import AsyncIterator

import pytest


@pytest.fixture(autouse=True)
async def _close_asyncpg_pools() -> AsyncIterator[None]:
    """asyncpg pools belong to one event loop; each test has its own loop."""
    yield
    from titan_web.market.store import close_asyncpg_pools

    await close_asyncpg_pools()
