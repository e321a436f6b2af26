"""Set-up and probes shared by the Live page's browser tests (tests/e2e/test_ui_live*.py)."""

from __future__ import annotations

import time
from typing import Any

import httpx

# Installed with ``page.add_init_script`` (before the app's own script runs): long tasks and
# long animation frames from the first byte on, and the arrival time of every signal frame of
# the ``signals`` topic on the page's WebSockets (what the server pushed, as the page got it).
PROBES = """
window.__longtasks = [];
window.__frames = [];
window.__signals = [];
window.__noReload = true;
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) window.__longtasks.push([e.startTime, e.duration]);
}).observe({ type: "longtask", buffered: true });
try {
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const scripts = (e.scripts || []).map((s) => [Math.round(s.duration), s.invoker || "", s.sourceFunctionName || ""]);
      window.__frames.push([e.startTime, e.duration, e.blockingDuration, scripts.slice(0, 4)]);
    }
  }).observe({ type: "long-animation-frame", buffered: true });
} catch (e) {}
(() => {
  const Native = window.WebSocket;
  const topic = /"topic":\\s*"signals"/;
  const kind = /"type":\\s*"signal"/;
  class Probed extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", (m) => {
        if (typeof m.data !== "string" || !kind.test(m.data) || !topic.test(m.data)) return;
        const f = JSON.parse(m.data);
        window.__signals.push([performance.now(), `${f.data && f.data.pair_id}:${f.seq}`]);
      });
    }
  }
  window.WebSocket = Probed;
})();
"""

# Pixels of a marker colour (green-up theme: long entries #26a69a, short entries #ef5350) on
# the live chart's canvases; nothing else on that chart is drawn in those colours.
MARKER_PIXELS = """
() => {
  const targets = [[0x26, 0xa6, 0x9a], [0xef, 0x53, 0x50]];
  let hits = 0;
  for (const c of document.querySelectorAll('[data-testid=live-zscore-chart] canvas')) {
    if (!c.width || !c.height) continue;
    const ctx = c.getContext('2d');
    if (!ctx) continue;
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    for (let i = 0; i < d.length; i += 4) {
      if (d[i + 3] < 200) continue;
      for (const [r, g, b] of targets)
        if (Math.abs(d[i] - r) < 14 && Math.abs(d[i + 1] - g) < 14 && Math.abs(d[i + 2] - b) < 14) { hits++; break; }
    }
  }
  return hits;
}
"""

FEED_KEYS = (
    "() => [...document.querySelectorAll('[aria-label=\"Live signals\"] li')]"
    ".map((li) => li.dataset.key)"
)


def pair_with_params(api: httpx.Client, params: list[dict[str, Any]]) -> tuple[int, list[int]]:
    """A fresh KO/PEP pair of the demo user and one parameter set per entry of ``params``."""
    r = api.post(
        "/api/pairs/analyze",
        json={"symbol_1": "KO", "symbol_2": "PEP", "store": True},
        timeout=600,
    )
    assert r.status_code == 201, r.text
    pair = int(r.json()["pair_id"])
    ids = []
    for i, p in enumerate(params):
        r = api.post("/api/parameters/", json={"pair": pair, "name": f"e2e-{i}", **p})
        assert r.status_code == 201, r.text
        ids.append(int(r.json()["id"]))
    return pair, ids


def monitor(api: httpx.Client, pair: int, parameter_set: int) -> int:
    r = api.post(
        "/api/monitors/",
        json={"pair": pair, "parameter_set": parameter_set, "active": True},
        timeout=600,
    )
    assert r.status_code == 201, r.text
    return int(r.json()["id"])


def wait_task(api: httpx.Client, task_id: str, timeout: float = 300) -> dict[str, Any]:
    """Poll ``GET tasks/<id>/`` until the task ends; returns it."""
    deadline = time.monotonic() + timeout
    while True:
        task = api.get(f"/api/tasks/{task_id}/").json()
        if task["status"] in ("succeeded", "failed", "cancelled", "interrupted"):
            return dict(task)
        if time.monotonic() > deadline:
            raise AssertionError(f"task {task_id} still {task['status']} after {timeout} s")
        time.sleep(0.3)


def stored_seqs(api: httpx.Client, pair: int) -> list[int]:
    """Every stored signal seq of ``pair`` (REST, paged)."""
    seqs: list[int] = []
    since = 0
    while True:
        page = api.get("/api/signals/", params={"pair": pair, "since_seq": since, "limit": 500})
        page.raise_for_status()
        rows = page.json()["results"]
        seqs += [int(r["seq"]) for r in rows]
        if not rows or not page.json().get("next"):
            return seqs
        since = seqs[-1]


def api_client(base_url: str, username: str, password: str) -> httpx.Client:
    """An ``httpx.Client`` on ``base_url`` with a bearer token of ``username``."""
    client = httpx.Client(base_url=base_url, timeout=120)
    r = client.post("/api/auth/token", json={"username": username, "password": password})
    r.raise_for_status()
    client.headers["Authorization"] = f"Bearer {r.json()['access']}"
    return client


def replay(api: httpx.Client, pair: int, start: str, end: str) -> dict[str, Any]:
    """``POST replay/`` as fast as possible over ``[start, end]``, waited for; the task."""
    r = api.post(
        "/api/replay/",
        json={"pair": pair, "start": f"{start}T00:00:00Z", "end": f"{end}T23:59:59Z", "speed": 0},
    )
    assert r.status_code == 202, r.text
    task = wait_task(api, r.json()["id"])
    assert task["status"] == "succeeded", task
    return task
