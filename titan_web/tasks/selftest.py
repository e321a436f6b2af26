"""The ``selftest`` task kind: chunked work with progress, for demos, tests and benchmarks.

Work is ``chunks`` chunks of CPU work run on the compute executor through
``engine.compute.map_chunks`` (``workload="burn"``: ``chunk_ms`` of pure-Python spinning per
chunk; ``"scan"``: an Engle-Granger universe scan of ``symbols`` random walks per chunk), or,
with ``sleep_ms``, chunks that only sleep on the event loop. ``fail_at`` raises ``ValueError``
in chunk ``fail_at``; ``crash_at`` kills the compute worker process running that chunk with
``os._exit`` (only with a process or Dask executor: inline it would kill the server).
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
from typing import Any, Literal

import engine.compute
from titan_web.tasks import _selftest_kernel as kernel
from titan_web.tasks.registry import TaskContext

Workload = Literal["burn", "scan"]


@dataclasses.dataclass(frozen=True)
class SelftestParams:
    chunks: int = 10
    chunk_ms: float = 50.0
    sleep_ms: float = 0.0
    workload: Workload = "burn"
    symbols: int = 100
    bars: int = 1000
    fail_at: int | None = None
    crash_at: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def crash_allowed() -> bool:
    """Whether ``crash_at`` may be used: only when chunks run in separate processes."""
    return engine.compute.get_config().mode in ("process", "dask")


async def run_selftest(ctx: TaskContext) -> dict[str, Any]:
    """The work of a ``selftest`` run (``ctx.params`` holds :class:`SelftestParams` fields)."""
    p = SelftestParams(**ctx.params)
    total = p.chunks
    if p.sleep_ms > 0:
        done = 0
        for index in range(total):
            ctx.raise_if_cancelled()
            await asyncio.sleep(p.sleep_ms / 1e3)
            if p.fail_at == index:
                raise ValueError(f"selftest failure requested at chunk {index}")
            done += 1
            await ctx.progress(done / total, f"chunk {done}/{total}")
        indices = list(range(done))
    else:
        fn: Any
        if p.workload == "scan":
            fn = functools.partial(
                kernel.scan_chunk,
                symbols=p.symbols,
                bars=p.bars,
                fail_at=p.fail_at,
                crash_at=p.crash_at,
            )
        else:
            fn = functools.partial(
                kernel.burn_chunk, work_ms=p.chunk_ms, fail_at=p.fail_at, crash_at=p.crash_at
            )

        async def report(done: int, of: int | None) -> None:
            await ctx.progress(done / total, f"chunk {done}/{total}")

        indices = await engine.compute.map_chunks(
            fn, range(total), progress=report, should_stop=ctx.should_stop
        )
    return {"chunks": len(indices), "checksum": sum(indices), "workload": p.workload}
