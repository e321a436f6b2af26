"""The dashboard in a real browser against the real server (tests/e2e/ui_harness.py)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.server import Server
from tests.e2e.ui_harness import assert_accessible, screenshot, sign_in

pytestmark = pytest.mark.e2e


def test_sign_in_returns_to_the_page_asked_for(page: Any, ui_server: Server) -> None:
    page.goto(ui_server.url + "/walkforward?x=1")
    page.get_by_role("heading", name="Sign in").wait_for()
    assert "/signin?next=" in page.url
    screenshot(page, "signin")
    assert_accessible(page, "signin")
    sign_in(page, ui_server.url, path="/walkforward?x=1")
    assert page.url.endswith("/walkforward?x=1")
    page.get_by_role("heading", level=1).wait_for()
    screenshot(page, "walkforward-placeholder")
    assert_accessible(page, "walkforward-placeholder")
