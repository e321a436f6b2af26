"""Fixtures of the browser tests (tests/e2e/ui_harness.py documents them)."""

import contextlib
from collections.abc import Iterator

import pytest

from tests.e2e.ui_harness import (  # noqa: F401
    api,
    browser,
    page,
    screenshot,
    signed_in_page,
    staff_api,
    staff_page,
    ui_server,
)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """On a failed browser test, save the page as ``failed-<test>.png`` in the artifacts."""
    outcome = yield
    report = outcome.get_result()
    browser_page = getattr(item, "funcargs", {}).get("page")
    if report.when == "call" and report.failed and browser_page is not None:
        # The page may be gone: the failure itself is what matters.
        with contextlib.suppress(Exception):
            screenshot(browser_page, f"failed-{item.name}")
