"""LoopLagMonitor on its own."""

from __future__ import annotations

import asyncio
import json
import math
import time

import pytest

from engine.compute.lag import LagStats, LoopLagMonitor, _percentile


def test_percentile_is_nearest_rank() -> None:
    values = [float(v) for v in range(1, 101)]
    assert _percentile(values, 50) == 50.0
    assert _percentile(values, 99) == 99.0
    assert _percentile(values, 100) == 100.0
    assert _percentile([7.0], 99) == 7.0
    assert math.isnan(_percentile([], 50))


async def test_an_idle_loop_has_small_lag() -> None:
    async with LoopLagMonitor(0.01) as monitor:
        await asyncio.sleep(0.3)
    stats = monitor.stats()
    assert 15 <= stats.samples <= 31
    assert stats.p50 < 0.01
    assert stats.max < 0.2  # noisy shared machine


async def test_a_blocking_call_shows_up_as_lag() -> None:
    monitor = LoopLagMonitor(0.01)
    monitor.start()
    assert monitor.running
    await asyncio.sleep(0.05)
    time.sleep(0.3)  # noqa: ASYNC251 - block the loop on purpose
    await asyncio.sleep(0.05)
    stats = await monitor.stop()
    assert not monitor.running
    assert stats.max >= 0.28
    assert stats.total >= 0.28
    assert stats.p99 == stats.max  # fewer than 100 samples: p99 is the largest


async def test_window_reset_and_json() -> None:
    monitor = LoopLagMonitor(0.005, window=5)
    async with monitor:
        await asyncio.sleep(0.1)
    assert monitor.stats().samples == 5
    data = monitor.stats().to_dict()
    json.dumps(data)
    assert set(data) == {"samples", "interval", "p50", "p99", "max", "mean", "total"}
    monitor.reset()
    empty = monitor.stats()
    assert empty.samples == 0
    assert empty.to_dict()["p99"] is None
    assert "loop lag" in monitor.stats().summary()


def test_bad_arguments() -> None:
    with pytest.raises(ValueError):
        LoopLagMonitor(0)
    with pytest.raises(ValueError):
        LoopLagMonitor(0.01, window=0)
    assert isinstance(LagStats(0, 0.01, math.nan, math.nan, math.nan, math.nan, 0.0), LagStats)
