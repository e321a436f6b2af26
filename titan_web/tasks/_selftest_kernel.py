"""Pure chunk functions of the ``selftest`` task kind, run in compute worker processes.

No Django imports here: process workers import this module by name to unpickle the function.
"""

from __future__ import annotations

import os
import time

#: Exit status of a worker killed on purpose by ``crash_at`` (EX_SOFTWARE).
CRASH_EXIT_STATUS = 70


def _check(index: int, fail_at: int | None, crash_at: int | None) -> None:
    if crash_at is not None and index == crash_at:
        os._exit(CRASH_EXIT_STATUS)  # simulate a worker killed mid-task (OOM killer, segfault)
    if fail_at is not None and index == fail_at:
        raise ValueError(f"selftest failure requested at chunk {index}")


def burn_chunk(
    index: int, *, work_ms: float, fail_at: int | None = None, crash_at: int | None = None
) -> int:
    """Spin the CPU for ``work_ms`` milliseconds (pure Python, holds the GIL); return ``index``."""
    _check(index, fail_at, crash_at)
    deadline = time.perf_counter() + work_ms / 1e3
    x = index
    while time.perf_counter() < deadline:
        for _ in range(2000):
            x = (x * 1103515245 + 12345) & 0x7FFFFFFF
    return index


def scan_chunk(
    index: int,
    *,
    symbols: int,
    bars: int,
    fail_at: int | None = None,
    crash_at: int | None = None,
) -> int:
    """Engle-Granger scan of a seeded random-walk universe (``engine.pairs.scan_universe``);
    return ``index`` (the number of pairs is fixed by ``symbols``)."""
    _check(index, fail_at, crash_at)
    import numpy as np

    from engine.pairs.scan import scan_universe

    rng = np.random.default_rng(index)
    prices = 4.6 + np.cumsum(rng.normal(0.0, 0.01, size=(bars, symbols)), axis=0)
    scan_universe(prices, fdr=0.05)
    return index
