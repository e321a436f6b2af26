"""A small in-process Prometheus registry: request counts, latency and TITAN gauges.

No client library: the text exposition format is simple, and keeping the counters in one
dict keeps ``/metrics`` cheap. Each uvicorn worker exposes its own numbers (label
``pid``), which is how Prometheus scrapes multi-process servers without shared state.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Callable

BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

_requests: dict[tuple[str, str, str], int] = defaultdict(int)
_latency_buckets: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0] * (len(BUCKETS) + 1))
_latency_sum: dict[tuple[str, str], float] = defaultdict(float)
_gauges: dict[str, Callable[[], float]] = {}


def observe_request(method: str, route: str, status: int, seconds: float) -> None:
    _requests[(method, route, str(status))] += 1
    key = (method, route)
    buckets = _latency_buckets[key]
    for i, bound in enumerate(BUCKETS):
        if seconds <= bound:
            buckets[i] += 1
            break
    else:
        buckets[-1] += 1
    _latency_sum[key] += seconds


def register_gauge(name: str, fn: Callable[[], float]) -> None:
    """Expose ``fn()`` as the gauge ``name`` (registered once at start-up)."""
    _gauges[name] = fn


def _esc(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def render() -> str:
    pid = os.getpid()
    lines = [
        "# HELP titan_http_requests_total HTTP requests by method, route and status.",
        "# TYPE titan_http_requests_total counter",
    ]
    for (method, route, status), n in sorted(_requests.items()):
        lines.append(
            f'titan_http_requests_total{{pid="{pid}",method="{method}",route="{_esc(route)}",'
            f'status="{status}"}} {n}'
        )
    lines += [
        "# HELP titan_http_request_seconds HTTP request latency.",
        "# TYPE titan_http_request_seconds histogram",
    ]
    for (method, route), buckets in sorted(_latency_buckets.items()):
        labels = f'pid="{pid}",method="{method}",route="{_esc(route)}"'
        cumulative = 0
        for bound, n in zip(BUCKETS, buckets, strict=False):
            cumulative += n
            lines.append(f'titan_http_request_seconds_bucket{{{labels},le="{bound}"}} {cumulative}')
        cumulative += buckets[-1]
        lines.append(f'titan_http_request_seconds_bucket{{{labels},le="+Inf"}} {cumulative}')
        lines.append(f"titan_http_request_seconds_count{{{labels}}} {cumulative}")
        lines.append(
            f"titan_http_request_seconds_sum{{{labels}}} {_latency_sum[(method, route)]:.6f}"
        )
    for name, fn in sorted(_gauges.items()):
        try:
            value = float(fn())
        except Exception:  # a broken gauge must not break the scrape
            continue
        lines += [f"# TYPE {name} gauge", f'{name}{{pid="{pid}"}} {value}']
    return "\n".join(lines) + "\n"
