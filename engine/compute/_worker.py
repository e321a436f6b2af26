"""Code that runs inside the process-pool workers: the initializer and a parent watchdog.

Keep this module (and the ``engine`` and ``engine.compute`` package ``__init__`` files it drags
in) free of numpy and other heavy imports: the initializer must set the BLAS thread variables
*before* numpy loads OpenBLAS/MKL in the worker, because those libraries read them only once, at
load time. ``tests/engine/compute`` checks that numpy is not loaded when the initializer runs.
"""

from __future__ import annotations

import faulthandler
import os
import signal
import sys
import threading
import time
from typing import Any

#: Thread-count variables of the native libraries numpy, scipy, statsmodels and numba use.
THREAD_ENV_VARS: tuple[str, ...] = (
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "BLIS_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS",
    "NUMEXPR_NUM_THREADS",
    "NUMBA_NUM_THREADS",
)

#: Exit status of a worker whose parent process disappeared (EX_TEMPFAIL).
ORPHAN_EXIT_STATUS = 75

_state: dict[str, Any] = {"initialized": False}


def initialize(blas_threads: int, parent_pid: int, watchdog_interval: float) -> None:
    """Prepare a freshly spawned worker process (the pool's ``initializer``).

    - Sets the native thread-pool variables to ``blas_threads`` (1 by default): N workers with
      a multi-threaded BLAS each would oversubscribe the cores (2 workers x 2 BLAS threads on
      a 2-core machine means 4 runnable threads fighting for 2 cores and for the event loop's).
    - Ignores SIGINT: Ctrl-C in a terminal signals the whole process group; the parent owns
      the shutdown and tells the workers, instead of every worker dying with a traceback and
      breaking the pool mid-task.
    - Enables :mod:`faulthandler`, so a crash in C code leaves a traceback on stderr.
    - Starts a daemon thread that exits the worker when its parent is gone (the parent was
      SIGKILLed or died before shutting the pool down), so no orphan keeps burning a core.
    """
    _state["numpy_preloaded"] = "numpy" in sys.modules
    for name in THREAD_ENV_VARS:
        os.environ[name] = str(blas_threads)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if not faulthandler.is_enabled():
        faulthandler.enable()
    if watchdog_interval > 0:
        threading.Thread(
            target=_watch_parent,
            args=(parent_pid, watchdog_interval),
            name="titan-compute-parent-watchdog",
            daemon=True,
        ).start()
    _state.update(initialized=True, parent_pid=parent_pid, blas_threads=blas_threads)


def _watch_parent(parent_pid: int, interval: float) -> None:
    # When the parent dies the worker is re-parented (to init or a subreaper), so getppid()
    # changes. Polling is portable and, unlike PR_SET_PDEATHSIG, does not fire when merely the
    # *thread* that spawned the worker exits.
    while True:
        time.sleep(interval)
        if os.getppid() != parent_pid:
            os._exit(ORPHAN_EXIT_STATUS)


def ping(hold: float = 0.0) -> int:
    """Return the worker's pid after ``hold`` seconds (used by :func:`engine.compute.warmup`)."""
    if hold > 0:
        time.sleep(hold)
    return os.getpid()


def worker_state() -> dict[str, Any]:
    """Return what the initializer did in this process (diagnostics and tests)."""
    return {
        **_state,
        "pid": os.getpid(),
        "env": {name: os.environ.get(name) for name in THREAD_ENV_VARS},
        "sigint_ignored": signal.getsignal(signal.SIGINT) is signal.SIG_IGN,
    }
