"""Fixtures of the browser tests (tests/e2e/ui_harness.py documents them)."""

from tests.e2e.ui_harness import (  # noqa: F401
    api,
    browser,
    page,
    signed_in_page,
    staff_api,
    staff_page,
    ui_server,
)
