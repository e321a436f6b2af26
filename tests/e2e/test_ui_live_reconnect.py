"""A WebSocket dropped by the SERVER, and the Live page catching up (issue 11): the page is
subscribed; the server process stops (SIGTERM: every socket closes); while it is down, a
second server process on the same var dir (the same embedded database) runs a replay that
stores new signals; then the first server starts again on the SAME port. The page's client
reconnects by itself, resubscribes with ``since_seq`` and fetches the missed range, and the
page says how many it caught up: the number the other process stored. The feed then holds
every signal of the pair exactly once, in seq order, without a page reload.

The test has its own server (it stops and restarts it), not the session's ``ui_server``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.server import Server
from tests.e2e.ui_harness import (
    DEMO_PASSWORD,
    DEMO_USERNAME,
    assert_accessible,
    screenshot,
    sign_in,
    start_ui_server,
)
from tests.e2e.ui_live import (
    FEED_KEYS,
    PROBES,
    api_client,
    monitor,
    pair_with_params,
    replay,
    stored_seqs,
)

pytestmark = pytest.mark.e2e

TOTAL = "() => Number(document.querySelector('[aria-label=\"Live signals\"]')?.dataset.total || 0)"


@pytest.fixture
def own_server(tmp_path: Path) -> Iterator[Server]:
    server = start_ui_server(tmp_path / "var")
    with server:
        yield server


# Three server starts on a busy machine (each a Django start-up) exceed the default 300 s.
@pytest.mark.timeout(900)
def test_server_drops_the_socket_and_the_page_catches_up(browser: Any, own_server: Server) -> None:
    server = own_server
    api = api_client(server.url, DEMO_USERNAME, DEMO_PASSWORD)
    pair, (params,) = pair_with_params(api, [{"lookback": 20, "entry_z": 1.0, "exit_z": 0.0}])
    monitor(api, pair, params)
    context = browser.new_context(
        viewport={"width": 1440, "height": 900}, timezone_id="UTC", locale="en-US"
    )
    try:
        page = context.new_page()
        page.add_init_script(PROBES)
        sign_in(page, server.url, path="/live")
        page.get_by_text("Connection: connected, live").wait_for(timeout=30_000)
        page.get_by_test_id("live-zscore-chart").wait_for(timeout=60_000)

        # Signals arrive live: the client now knows the pair's last seq.
        before = int(replay(api, pair, "2021-01-01", "2021-06-30")["result"]["signals"])
        assert before >= 3, before
        page.wait_for_function(f"() => ({TOTAL})() === {before}", timeout=30_000)

        # The server goes away: every socket is closed by the server side.
        port = server.port
        server.stop()
        page.get_by_text("Connection: connection lost, reconnecting…").wait_for(timeout=30_000)

        # Meanwhile another process on the same database stores new signals.
        other = Server(server.env, server.log_path.with_name("uvicorn-other.log")).start(
            timeout=300
        )
        with other:
            other_api = api_client(other.url, DEMO_USERNAME, DEMO_PASSWORD)
            missed = int(replay(other_api, pair, "2021-07-01", "2021-12-31")["result"]["signals"])
            other_api.close()
            other.stop()
        assert missed >= 3, missed
        assert page.evaluate(TOTAL) == before  # nothing reached the page meanwhile

        # The server is back where the page was connected: it reconnects and catches up.
        server.start(timeout=240, port=port)
        notice = page.get_by_test_id("live-caught-up")
        notice.wait_for(timeout=120_000)
        assert notice.get_attribute("data-missed") == str(missed), notice.inner_text()
        assert notice.inner_text() == f"Reconnected: caught up {missed} missed signals."
        page.get_by_text("Connection: connected, live").wait_for(timeout=10_000)

        # Every signal exactly once, newest first in seq order: no gap, no duplicate.
        page.wait_for_function(f"() => ({TOTAL})() >= {before + missed}", timeout=30_000)
        seqs = stored_seqs(api, pair)
        assert seqs == list(range(1, before + missed + 1))
        assert page.evaluate(FEED_KEYS) == [f"{pair}:{s}" for s in reversed(seqs)]
        assert page.evaluate(TOTAL) == before + missed
        assert page.evaluate("window.__noReload") is True
        # The chart has them all as markers too.
        chart = page.get_by_test_id("live-zscore-chart")
        assert chart.get_attribute("data-markers") == str(before + missed)
        print(f"\nreconnect: {before} live signals, {missed} caught up after the server restart")
        screenshot(page, "live-reconnect")
        assert_accessible(page, "live-reconnect")
    finally:
        context.close()
        api.close()
