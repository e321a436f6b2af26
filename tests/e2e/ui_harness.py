"""Browser end-to-end harness for the dashboard: the real server and Debian's Chromium.

Fixtures (import them in a test module with ``from tests.e2e.ui_harness import *`` or list
them by name; ``tests/e2e/conftest.py`` already exposes them to every test under tests/e2e):

``ui_server`` (session)
    A :class:`tests.e2e.server.Server` started as ``make run`` starts it (uvicorn with the
    Makefile's options, the embedded default: SQLite and the in-memory channel layer) in a
    temporary var dir, migrated, with the demo data set and the demo user seeded
    (``manage.py seed_demo``) and a staff user ``USERNAME``/``PASSWORD`` (tests.e2e.server).
    ``ui_server.url`` is its base URL. Needs the built dashboard (``make ui``): the tests are
    skipped without ``ui/dist`` unless CI=true, where that is a failure.
``browser`` (session)
    Playwright (sync API) Chromium from ``/usr/bin/chromium`` (never downloaded), flags
    ``--disable-gpu --disable-background-networking --no-sandbox``.
``page`` (function)
    A fresh context (1440x900, UTC, en-US) and page; closed after the test. Console errors
    are collected in ``page.console_errors`` (a list of strings).
``signed_in_page`` (function)
    ``page`` signed in as the demo user through the sign-in form, on ``/data``.
``staff_page`` (function)
    ``page`` signed in as the staff user (may start ``selftest`` tasks: a long cancellable
    task for progress tests).
``api`` (function)
    An ``httpx.Client`` on the server authenticated as the demo user (for set-up through
    the REST API); ``staff_api`` likewise for the staff user.

Helpers:

``sign_in(page, base_url, username=DEMO_USERNAME, password=DEMO_PASSWORD, path="/")``
    Opens ``path`` (sent to the sign-in form when signed out), signs in, and waits until the
    app shows ``path`` again.
``screenshot(page, name)``
    Saves ``<ARTIFACTS>/<name>.png`` (full page) and returns the path; ARTIFACTS is
    ``var/e2e-artifacts/`` (gitignored), or ``$TITAN_E2E_ARTIFACTS``.
``assert_accessible(page, name)``
    Runs axe-core (``ui/node_modules/axe-core/axe.min.js``, injected through the DevTools
    protocol, so the page's CSP stays on) on the page and fails on any serious or critical
    violation, listing them; also writes ``<name>-axe.json`` to the artifacts.
``canvas_has_drawing(page, selector="canvas", min_fraction=0.002)``
    True when some canvas inside ``selector`` has at least ``min_fraction`` of its pixels
    differing from its background (the most common colour): the chart was drawn.
``wait_for_text(page, text, timeout=10_000)``
    Waits for visible text.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e.server import PASSWORD, ROOT, USERNAME, Server, manage, prepare, server_env

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "titan-demo-2026"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--disable-gpu", "--disable-background-networking", "--no-sandbox"]
ARTIFACTS = Path(os.environ.get("TITAN_E2E_ARTIFACTS", ROOT / "var" / "e2e-artifacts"))
AXE = ROOT / "ui" / "node_modules" / "axe-core" / "axe.min.js"
DIST = ROOT / "ui" / "dist" / "index.html"

__all__ = [
    "ARTIFACTS",
    "DEMO_PASSWORD",
    "DEMO_USERNAME",
    "PASSWORD",
    "USERNAME",
    "api",
    "assert_accessible",
    "browser",
    "canvas_has_drawing",
    "page",
    "screenshot",
    "seeded_template",
    "sign_in",
    "signed_in_page",
    "staff_api",
    "staff_page",
    "start_ui_server",
    "ui_server",
    "wait_for_text",
]


def _require_build() -> None:
    if DIST.is_file() and AXE.is_file():
        return
    message = "the dashboard is not built: run `make ui`"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


#: What the seeded database depends on: a change to any of these rebuilds the template.
_TEMPLATE_INPUTS = (
    "titan_web/*/migrations/*.py",
    "titan_web/common/management/commands/seed_demo.py",
    "engine/data/datasets/*",
)
CACHE = ROOT / "var" / "e2e-cache"


def _template_key() -> str:
    digest = hashlib.sha256()
    for pattern in _TEMPLATE_INPUTS:
        for path in sorted(ROOT.glob(pattern)):
            digest.update(str(path.relative_to(ROOT)).encode())
            digest.update(
                path.read_bytes()
                if path.stat().st_size < 1_000_000
                else str(path.stat().st_size).encode()
            )
    return digest.hexdigest()[:16]


def seeded_template() -> Path:
    """A var dir migrated, seeded (demo user and data, staff user) and with collected static
    files, built once and reused while its inputs are unchanged (seeding takes minutes on a
    busy machine). Each server gets a copy."""
    template = CACHE / _template_key()
    if (template / "ready").exists():
        return template
    CACHE.mkdir(parents=True, exist_ok=True)
    with (CACHE / "lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another session may be building it
        if (template / "ready").exists():
            return template
        building = CACHE / f"building-{os.getpid()}"
        shutil.rmtree(building, ignore_errors=True)
        env = server_env(building)
        prepare(building, env)
        manage(env, "seed_demo", timeout=1800)
        manage(env, "collectstatic", "--noinput", "-v0", timeout=600)
        (building / "ready").touch()
        shutil.rmtree(template, ignore_errors=True)
        building.rename(template)
    return template


def ui_server_env(var_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of the harness's server: embedded default, quick task heartbeats, and
    an auth throttle that many sign-ins from one address do not hit."""
    return server_env(
        var_dir,
        TITAN_TASK_HEARTBEAT_SECONDS="1",
        TITAN_AUTH_THROTTLE="10000/min",
        **extra,
    )


def start_ui_server(var_dir: Path, **extra: str) -> Server:
    """A server on a copy of the seeded template in ``var_dir`` (started; stop it yourself)."""
    shutil.copytree(seeded_template(), var_dir, dirs_exist_ok=True)
    env = ui_server_env(var_dir, **extra)
    return Server(env, var_dir / "uvicorn.log").start(timeout=300)


@pytest.fixture(scope="session")
def ui_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    _require_build()
    server = start_ui_server(tmp_path_factory.mktemp("titan-ui-var"))
    with server:
        yield server


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    _require_build()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser: Any, ui_server: Server) -> Iterator[Any]:
    context = browser.new_context(
        viewport={"width": 1440, "height": 900},
        timezone_id="UTC",
        locale="en-US",
        base_url=ui_server.url,
    )
    pg = context.new_page()
    errors: list[str] = []
    pg.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.console_errors = errors
    yield pg
    context.close()


def wait_for_text(page: Any, text: str, timeout: float = 10_000) -> None:
    page.get_by_text(text).first.wait_for(state="visible", timeout=timeout)


def sign_in(
    page: Any,
    base_url: str,
    username: str = DEMO_USERNAME,
    password: str = DEMO_PASSWORD,
    path: str = "/",
) -> None:
    page.goto(base_url + path)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("navigation", name="Main").wait_for(timeout=15_000)


@pytest.fixture
def signed_in_page(page: Any, ui_server: Server) -> Any:
    sign_in(page, ui_server.url, path="/data")
    return page


@pytest.fixture
def staff_page(page: Any, ui_server: Server) -> Any:
    sign_in(page, ui_server.url, USERNAME, PASSWORD, path="/tasks")
    return page


def _client(server: Server, username: str, password: str) -> httpx.Client:
    client = httpx.Client(base_url=server.url, timeout=60)
    r = client.post("/api/auth/token", json={"username": username, "password": password})
    r.raise_for_status()
    client.headers["Authorization"] = f"Bearer {r.json()['access']}"
    return client


@pytest.fixture
def api(ui_server: Server) -> Iterator[httpx.Client]:
    client = _client(ui_server, DEMO_USERNAME, DEMO_PASSWORD)
    yield client
    client.close()


@pytest.fixture
def staff_api(ui_server: Server) -> Iterator[httpx.Client]:
    client = _client(ui_server, USERNAME, PASSWORD)
    yield client
    client.close()


def screenshot(page: Any, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    # From the top: a full-page capture of a scrolled page draws the sticky header mid-page.
    page.evaluate("() => window.scrollTo(0, 0)")
    page.screenshot(path=str(path), full_page=True)
    return path


def assert_accessible(page: Any, name: str) -> None:
    """axe-core on the current page: no serious or critical violation."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text() + "\n;undefined")
    result = page.evaluate(
        """async () => {
            const r = await window.axe.run(document, { resultTypes: ['violations'] });
            return r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help,
              nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ')) }));
        }"""
    )
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"{name}-axe.json").write_text(json.dumps(result, indent=2))
    bad = [v for v in result if v["impact"] in ("serious", "critical")]
    assert not bad, f"axe on {name}: " + json.dumps(bad, indent=2)


def canvas_has_drawing(page: Any, selector: str = "canvas", min_fraction: float = 0.002) -> bool:
    """Whether a canvas under ``selector`` has pixels other than its background colour."""
    fraction = page.evaluate(
        """(selector) => {
            const canvases = [...document.querySelectorAll(selector)].flatMap(el =>
              el.tagName === 'CANVAS' ? [el] : [...el.querySelectorAll('canvas')]);
            let best = 0;
            for (const c of canvases) {
              if (!c.width || !c.height) continue;
              const ctx = c.getContext('2d');
              if (!ctx) continue;
              const data = ctx.getImageData(0, 0, c.width, c.height).data;
              const counts = new Map();
              for (let i = 0; i < data.length; i += 16) {
                const key = (data[i] << 24) | (data[i+1] << 16) | (data[i+2] << 8) | data[i+3];
                counts.set(key, (counts.get(key) || 0) + 1);
              }
              let total = 0, top = 0;
              for (const n of counts.values()) { total += n; if (n > top) top = n; }
              if (total) best = Math.max(best, (total - top) / total);
            }
            return best;
        }""",
        selector,
    )
    return bool(fraction >= min_fraction)


def monotonic_ms() -> float:
    return time.monotonic() * 1000
