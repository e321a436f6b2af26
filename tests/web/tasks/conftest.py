"""Fixtures for the task registry tests: a clean registry per test and a staff API client."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from tests.conftest import Api, issue_tokens
from titan_web.tasks.registry import TaskRegistry, registry


@pytest.fixture(autouse=True)
async def task_registry() -> AsyncIterator[TaskRegistry]:
    """The process registry, shut down after the test (its runs end before the DB flush)."""
    yield registry
    await registry.shutdown(reason="test ended")


@pytest.fixture
def staff_api(staff_user: Any) -> Api:
    return Api(issue_tokens(staff_user)["access"])
