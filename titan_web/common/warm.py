"""Warm start: the compute workers are started and have imported the engine and loaded its
numba caches (built by ``make install``: ``python -m engine.warm``) before the server reports
ready, so the first analysis a user asks for costs what the tenth does.

``TITAN_WARM_START``: ``block`` (default: lifespan start-up waits for it), ``background``
(start-up returns at once; the warm-up runs right after, never blocking a request, though a
request may still reach a worker that is not warm yet) or ``off``. The OpenAPI schema is
then built in the background (schema_view.py).
"""

from __future__ import annotations

import asyncio
import logging
import time

from django.conf import settings

logger = logging.getLogger("titan.warm")

_background: set[asyncio.Task[None]] = set()


async def warm_compute() -> None:
    import engine.compute
    from engine.warm import prime

    started = time.perf_counter()
    workers = await engine.compute.warmup()
    if engine.compute.get_config().mode == "inline":
        await asyncio.to_thread(prime)  # not on the loop: it imports and runs numerics
    else:
        capacity = engine.compute.info().capacity
        await asyncio.gather(*(engine.compute.run(prime) for _ in range(max(1, capacity))))
    logger.info(
        "warm start: %s compute worker(s) ready in %.1f s", workers, time.perf_counter() - started
    )


async def warm_start() -> None:
    """The lifespan start-up hook."""
    from titan_web.common import schema_view

    mode = str(settings.TITAN.get("WARM_START", "block"))
    if mode == "block":
        try:
            await warm_compute()
        except Exception:
            logger.exception("warm start failed: the first requests will warm up")
    elif mode == "background":
        task = asyncio.get_running_loop().create_task(warm_compute())
        _background.add(task)
        task.add_done_callback(_background.discard)
    if mode != "off":
        await schema_view.prebuild()
