"""Warm a process up: import the engine's heavy modules and load (or build) its numba caches.

``python -m engine.warm`` (run by ``make install``) compiles every ``cache=True`` kernel the
platform's common requests use and writes numba's cache files beside the sources (numba's
default, ``__pycache__`` in the project; ``NUMBA_CACHE_DIR`` moves it), so that no user
request pays the compilation. :func:`prime` is what each compute worker runs at server
start-up (``titan_web.common.warm``): the same work on small synthetic data, which then only
loads the cached machine code.
"""

from __future__ import annotations

import os
import time


def prime() -> int:
    """Import and exercise the pair analysis, the backtest kernels and the scan; returns
    this process's pid."""
    import numpy as np

    from engine.backtest import backtest_pair
    from engine.pairs import analyze_pair, scan_universe
    from engine.strategy import StrategyParams

    rng = np.random.default_rng(7)
    n = 300
    x = np.cumsum(rng.normal(0, 0.01, n)) + 4.0
    y = 0.8 * x + rng.normal(0, 0.005, n) + 0.5
    analyze_pair(y, x)
    params = StrategyParams(lookback=20, entry_z=2.0, exit_z=0.5, stop_z=4.0, max_holding=30)
    backtest_pair(np.exp(y), np.exp(x), params=params, beta=0.8, alpha=0.5)
    universe = np.cumsum(rng.normal(0, 0.01, (n, 4)), axis=0) + 4.0
    scan_universe(universe)
    return os.getpid()


def main() -> None:
    started = time.perf_counter()
    prime()
    print(f"engine warm: numba caches ready in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
