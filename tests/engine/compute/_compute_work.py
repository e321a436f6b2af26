"""Module-level functions the compute tests send to worker processes.

They live in a module of their own (not in the test files) so that spawn workers and Dask
workers can import them by name: pickle sends functions by reference. Workers inherit the
parent's ``sys.path``, on which pytest put this directory.
"""

from __future__ import annotations

import os
import pathlib
import threading
import time


class WorkError(Exception):
    """A custom exception type, to check that types survive the trip back."""


def add(a: int, b: int, *, scale: int = 1) -> int:
    return (a + b) * scale


def fail(message: str) -> None:
    raise WorkError(message)


def spin(seconds: float) -> int:
    """Burn CPU in pure Python for ``seconds`` (holds the GIL throughout)."""
    deadline = time.perf_counter() + seconds
    n = 0
    while time.perf_counter() < deadline:
        for _ in range(1000):
            n += 1
    return n


def pid() -> int:
    return os.getpid()


def sleep_then(seconds: float, value: object) -> object:
    time.sleep(seconds)
    return value


def die(code: int = 1) -> None:
    os._exit(code)


def die_after(seconds: float, code: int = 1) -> None:
    time.sleep(seconds)
    os._exit(code)


def token() -> str:
    return os.urandom(8).hex()


def marked_square(chunk: tuple[int, float, str]) -> int:
    """Record that chunk ``i`` started (a marker file), sleep ``seconds``, return ``i*i``."""
    i, seconds, directory = chunk
    pathlib.Path(directory, f"{i}.started").touch()
    time.sleep(seconds)
    return i * i


def fail_on(chunk: tuple[int, int]) -> int:
    i, bad = chunk
    if i == bad:
        raise WorkError(f"chunk {i} is bad")
    time.sleep(0.05)
    return i


def die_on(chunk: tuple[int, int]) -> int:
    i, bad = chunk
    if i == bad:
        os._exit(3)
    time.sleep(0.2)
    return i


# Thread-mode probe of how many chunks run at once (threads share this module).
_lock = threading.Lock()
_running = 0
max_running = 0


def reset_probe() -> None:
    global _running, max_running
    with _lock:
        _running = max_running = 0


def probed(chunk: int) -> int:
    global _running, max_running
    with _lock:
        _running += 1
        max_running = max(max_running, _running)
    time.sleep(0.02)
    with _lock:
        _running -= 1
    return chunk


# -- test-side helpers (run in the test process) ---------------------------------------------


def child_pids() -> set[int]:
    """Pids of this process's live (non-zombie) descendants."""
    import psutil

    alive = set()
    for child in psutil.Process().children(recursive=True):
        try:
            if child.status() != psutil.STATUS_ZOMBIE:
                alive.add(child.pid)
        except psutil.NoSuchProcess:
            pass
    return alive


def alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie or a vanished process counts as dead)."""
    import psutil

    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False
