"""Event-loop lag probe: how late does the loop wake a coroutine that asked to sleep 10 ms?

A loop that runs CPU work (or any blocking call) cannot wake sleepers, serve requests or send
WebSocket frames until that work ends. :class:`LoopLagMonitor` measures this directly: a task
sleeps ``interval`` seconds again and again and records by how much each wake-up overshoots.
Used by the benchmark (inline vs. process pool) and by ``/metrics``.

Note that one stall of ``d`` seconds yields *one* sample of ``d`` (the ticks it swallowed are
never taken), so on a long window a rare stall is visible in ``max`` and ``total`` rather than
in the percentiles.
"""

from __future__ import annotations

import asyncio
import collections
import dataclasses
import math
import time
from types import TracebackType
from typing import Any


@dataclasses.dataclass(frozen=True)
class LagStats:
    """Overshoot of the probe's wake-ups over the recorded window, in seconds.

    Attributes
    ----------
    samples
        Number of wake-ups recorded (bounded by the monitor's ``window``).
    interval
        The probe's sleep interval.
    p50, p99
        Nearest-rank percentiles of the overshoot (NaN without samples).
    max
        Largest overshoot, i.e. the longest the loop was unavailable.
    mean
        Mean overshoot.
    total
        Sum of overshoots: time the loop was unavailable beyond the probe's interval.
    """

    samples: int
    interval: float
    p50: float
    p99: float
    max: float
    mean: float
    total: float

    def to_dict(self) -> dict[str, Any]:
        """Return the statistics as JSON primitives (NaN becomes ``None``)."""
        return {
            f.name: (None if isinstance(v, float) and not math.isfinite(v) else v)
            for f in dataclasses.fields(self)
            for v in (getattr(self, f.name),)
        }

    def summary(self) -> str:
        """Return one line with the figures in milliseconds."""
        return (
            f"loop lag over {self.samples} ticks of {self.interval * 1e3:.0f} ms: "
            f"p50 {self.p50 * 1e3:.2f} ms, p99 {self.p99 * 1e3:.2f} ms, "
            f"max {self.max * 1e3:.2f} ms, total {self.total * 1e3:.1f} ms"
        )


def _percentile(ordered: list[float], q: float) -> float:
    if not ordered:
        return math.nan
    rank = max(1, math.ceil(q / 100.0 * len(ordered)))
    return ordered[rank - 1]


class LoopLagMonitor:
    """Measure event-loop lag with a ticking task.

    Parameters
    ----------
    interval
        Sleep between ticks in seconds (10 ms by default).
    window
        Most recent samples kept for the statistics (default 6,000: one minute at 10 ms).

    Examples
    --------
    >>> async def measure():  # doctest: +SKIP
    ...     async with LoopLagMonitor() as monitor:
    ...         await engine.compute.run(heavy, data)
    ...     return monitor.stats()
    """

    def __init__(self, interval: float = 0.01, *, window: int = 6000) -> None:
        if interval <= 0:
            raise ValueError(f"interval must be positive, got {interval}")
        if window < 1:
            raise ValueError(f"window must be at least 1, got {window}")
        self.interval = interval
        self._samples: collections.deque[float] = collections.deque(maxlen=window)
        self._task: asyncio.Task[None] | None = None

    @property
    def running(self) -> bool:
        """Whether the probe task is ticking."""
        return self._task is not None and not self._task.done()

    def start(self) -> None:
        """Start ticking on the running loop (call from a coroutine)."""
        if self.running:
            return
        self._task = asyncio.get_running_loop().create_task(
            self._tick(), name="titan-loop-lag-monitor"
        )

    async def stop(self) -> LagStats:
        """Stop ticking and return the statistics."""
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            try:
                await task
            except asyncio.CancelledError:
                current = asyncio.current_task()
                if current is not None and current.cancelling():
                    raise
        return self.stats()

    def reset(self) -> None:
        """Forget the samples recorded so far."""
        self._samples.clear()

    def stats(self) -> LagStats:
        """Return the statistics of the samples in the window."""
        samples = list(self._samples)
        ordered = sorted(samples)
        total = math.fsum(samples)
        return LagStats(
            samples=len(samples),
            interval=self.interval,
            p50=_percentile(ordered, 50),
            p99=_percentile(ordered, 99),
            max=ordered[-1] if ordered else math.nan,
            mean=total / len(samples) if samples else math.nan,
            total=total,
        )

    async def _tick(self) -> None:
        interval = self.interval
        while True:
            started = time.perf_counter()
            await asyncio.sleep(interval)
            self._samples.append(max(0.0, time.perf_counter() - started - interval))

    async def __aenter__(self) -> LoopLagMonitor:
        self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()
