"""A parent process for the orphan tests: starts a pool, prints the worker pids, then
either hangs (to be killed), exits without calling shutdown (the exit hook must clean up), or
first drops the busy pool without waiting, as a reconfiguration does, then exits.

Usage: python -m tests.engine.compute._orphan_parent {hang|exit|retire}
"""

from __future__ import annotations

import asyncio
import sys

import engine.compute as compute
from engine.compute._worker import ping
from tests.engine.compute import _compute_work as work


async def main(how: str) -> None:
    compute.configure(mode="process", workers=2)
    await compute.warmup()
    # all descendants: the two workers plus multiprocessing's resource tracker
    pids = sorted(work.child_pids())
    workers = await asyncio.gather(*(compute.run(ping, 0.3) for _ in range(2)))
    assert set(workers) <= set(pids), (workers, pids)
    # both workers busy for a minute: only a terminate or the watchdog can stop them early
    busy = [asyncio.ensure_future(compute.run(work.spin, 60)) for _ in range(2)]
    queued = asyncio.ensure_future(compute.run(work.spin, 60))
    await asyncio.sleep(0.3)
    print(" ".join(map(str, pids)), flush=True)
    if how == "hang":
        await asyncio.sleep(3600)
    if how == "retire":
        # The pool is no longer the current one: the exit hook must still stop its workers.
        compute.configure(mode="thread", workers=1)
    # "exit": leave without shutdown(); asyncio.run cancels the waiting tasks
    del busy, queued


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
