"""Set-up shared by the research-page browser tests: one stored demo pair per server."""

from __future__ import annotations

from typing import Any

import httpx

from tests.e2e.server import Server

# The demo universe (seed_demo): KO/PEP is the textbook cointegrated pair. The analysis
# window is short (fast on a busy machine); the spread endpoint still returns every bar.
PAIR_BODY = {
    "symbol_1": "KO",
    "symbol_2": "PEP",
    "start": "2016-01-01T00:00:00Z",
    "end": "2022-12-31T00:00:00Z",
    "store": True,
}

_pairs: dict[str, int] = {}


def demo_pair(api: httpx.Client, server: Server) -> int:
    """The id of the demo user's KO/PEP pair (created through `POST pairs/analyze`)."""
    if server.url in _pairs:
        return _pairs[server.url]
    # Always its own analysis (once per server): a KO/PEP pair another test stored (a scan
    # stores one direction over its own window) is not this one.
    r = api.post("/api/pairs/analyze", json=PAIR_BODY, timeout=600)
    assert r.status_code == 201, r.text
    pair_id = int(r.json()["pair_id"])
    _pairs[server.url] = pair_id
    return pair_id


def wait_task(api: httpx.Client, task_id: str, timeout: float = 300) -> dict[str, Any]:
    """Poll a task until it ends; its final state."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        task = api.get(f"/api/tasks/{task_id}/").json()
        if task["status"] in ("succeeded", "failed", "cancelled", "interrupted"):
            return dict(task)
        time.sleep(0.5)
    raise AssertionError(f"task {task_id} still running after {timeout} s")
