"""After start-up, move every object alive to the garbage collector's permanent generation.

A started server holds about a million long-lived objects (Django, DRF, pandas, numpy,
statsmodels, the URL and schema caches). Every full collection walks all of them: with a
request's few thousand allocations, CPython's thresholds run one every few hundred requests,
and each stalled the event loop, and every request in flight, for tens of milliseconds (the
p99 of a 64-connection read). :func:`gc.freeze` after start-up takes those objects out of
every later collection (they live as long as the process anyway); what requests allocate is
collected as before. ``TITAN_GC_FREEZE=off`` turns it off.
"""

from __future__ import annotations

import gc
import logging

from titan_web.env import env_bool

logger = logging.getLogger("titan.lifespan")


def enabled() -> bool:
    return env_bool("TITAN_GC_FREEZE", True)


def freeze_startup_heap() -> int:
    """Collect once, then freeze what is left; returns how many objects were frozen."""
    if not enabled():
        return 0
    gc.collect()
    gc.freeze()
    frozen = gc.get_freeze_count()
    logger.info("start-up heap frozen: %d objects out of the collector's walks", frozen)
    return frozen
