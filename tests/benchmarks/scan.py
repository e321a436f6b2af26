"""Benchmark: TITAN's universe scan vs statsmodels ``coint`` pair by pair.

Run from the repository root::

    .venv/bin/python tests/benchmarks/scan.py [--symbols 500] [--bars 2520] [--sample 40]

Prints statsmodels ``coint`` (default settings) timed on a sample of pairs and extrapolated
to all pairs, TITAN's exact scan with the same default settings (autolag="aic", statsmodels'
default maxlag), a fixed-lag screening scan (autolag=None, maxlag=1), the agreement with
statsmodels on the sample, peak memory, and ends with one JSON line of headline figures.
The universe is synthetic and seeded: a market factor, sector factors, idiosyncratic random
walks, and cointegrated pairs with AR(1) spreads.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
import tracemalloc
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from statsmodels.tsa.stattools import coint

from engine.pairs import scan_universe


def synthetic_universe(n_symbols: int, n_bars: int, seed: int = 20240601) -> np.ndarray:
    rng = np.random.default_rng(seed)
    market = np.cumsum(rng.normal(0.0003, 0.010, n_bars))
    sectors = np.cumsum(rng.normal(0.0, 0.006, (n_bars, 10)), axis=0)
    loadings = rng.uniform(0.5, 1.5, n_symbols)
    sector_of = rng.integers(0, 10, n_symbols)
    idio = np.cumsum(rng.normal(0.0, 0.012, (n_bars, n_symbols)), axis=0)
    prices = 3.0 + market[:, None] * loadings + sectors[:, sector_of] + idio
    # every fifth symbol is cointegrated with its neighbour: y = a + b x + AR(1) spread
    for k in range(0, n_symbols - 1, 5):
        phi = rng.uniform(0.85, 0.99)
        eps = rng.normal(0.0, 0.01, n_bars)
        s = np.empty(n_bars)
        s[0] = eps[0]
        for t in range(1, n_bars):
            s[t] = phi * s[t - 1] + eps[t]
        prices[:, k] = 0.2 + rng.uniform(0.6, 1.4) * prices[:, k + 1] + s
    return prices


def best_of(fn, repeat: int) -> tuple[float, object]:
    best, out = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--symbols", type=int, default=500)
    ap.add_argument("--bars", type=int, default=2520)
    ap.add_argument("--sample", type=int, default=40)
    ap.add_argument("--repeat", type=int, default=2)
    args = ap.parse_args()
    n, t_len = args.symbols, args.bars
    n_pairs = n * (n - 1) // 2
    print(f"load average {os.getloadavg()}, cpus {os.cpu_count()}")
    prices = synthetic_universe(n, t_len)
    print(f"universe: {n} symbols x {t_len} bars = {n_pairs:,} pairs")

    t0 = time.perf_counter()
    scan_universe(prices[:60, :4])
    print(f"warm-up (numba cache load or compile): {time.perf_counter() - t0:.2f} s")

    rng = np.random.default_rng(1)
    sample = set()
    while len(sample) < args.sample:
        i, j = sorted(rng.choice(n, 2, replace=False).tolist())
        sample.add((i, j))
    sample_pairs = sorted(sample)
    sm = {}
    t0 = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for i, j in sample_pairs:
            stat, pvalue, _ = coint(prices[:, i], prices[:, j])
            sm[(i, j)] = (float(stat), float(pvalue))
    sm_per_pair = (time.perf_counter() - t0) / len(sample_pairs)
    sm_extrapolated = sm_per_pair * n_pairs
    print(
        f"statsmodels coint (default): {sm_per_pair * 1e3:.1f} ms/pair on {len(sample_pairs)} "
        f"pairs -> {sm_extrapolated:,.0f} s extrapolated to {n_pairs:,} pairs"
    )

    exact_s, exact = best_of(lambda: scan_universe(prices), args.repeat)
    print(f"TITAN exact scan (autolag='aic', maxlag={exact.maxlag}): {exact_s:.3f} s")
    screen_s, _screen = best_of(
        lambda: scan_universe(prices, autolag=None, maxlag=1), args.repeat + 1
    )
    print(f"TITAN screening scan (autolag=None, maxlag=1): {screen_s:.3f} s")

    pos = {
        (a, b): k for k, (a, b) in enumerate(zip(exact.i.tolist(), exact.j.tolist(), strict=True))
    }
    d_stat = max(abs(exact.tstat[pos[p]] - sm[p][0]) for p in sample_pairs)
    d_p = max(abs(exact.pvalue[pos[p]] - sm[p][1]) for p in sample_pairs)
    print(f"agreement on the sample: max |d stat| = {d_stat:.2e}, max |d pvalue| = {d_p:.2e}")
    print(
        f"found: {int((exact.pvalue < 0.05).sum()):,} pairs with p < 0.05, "
        f"{int(exact.cointegrated.sum()):,} after BH FDR 5 %"
    )

    tracemalloc.start()
    scan_universe(prices)
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    print(f"peak traced allocations during a scan: {traced_peak / 2**20:.0f} MiB")
    print(f"peak RSS of the process: {peak_rss:.0f} MiB")
    ratio = sm_extrapolated / exact_s
    print(f"speed ratio (statsmodels extrapolated / TITAN exact): {ratio:,.0f}x")
    analyze = analyze_latency()
    print(
        f"POST /api/pairs/analyze on a running server, 2 x 2,520 bars, {analyze['requests']} "
        f"sequential requests: p50 {analyze['p50_ms']:.1f} ms, p90 {analyze['p90_ms']:.1f} ms "
        "(must: p50 < 150 ms)"
    )
    print(
        json.dumps(
            {
                "symbols": n,
                "bars": t_len,
                "pairs": n_pairs,
                "titan_exact_s": round(exact_s, 4),
                "titan_screen_s": round(screen_s, 4),
                "statsmodels_per_pair_ms": round(sm_per_pair * 1e3, 3),
                "statsmodels_extrapolated_s": round(sm_extrapolated, 1),
                "ratio": round(ratio, 1),
                "max_abs_diff_stat": d_stat,
                "max_abs_diff_pvalue": d_p,
                "peak_traced_mib": round(traced_peak / 2**20, 1),
                "peak_rss_mib": round(peak_rss, 1),
                "analyze_p50_ms": round(analyze["p50_ms"], 1),
                "analyze_p90_ms": round(analyze["p90_ms"], 1),
                "load_average_1m": round(os.getloadavg()[0], 2),
            }
        )
    )


def analyze_latency(requests: int = 60) -> dict[str, float]:
    """Start a real server (embedded), load KO and PEP (2,520 daily bars each) and time
    ``POST /api/pairs/analyze`` end to end from a client, after 5 warm-up requests."""
    import tempfile
    from pathlib import Path

    import httpx

    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from engine.data.demo import load_demo_closes
    from tests.e2e.server import Server, prepare, server_env

    closes = load_demo_closes(["KO", "PEP"]).iloc[-2520:]
    rows = [
        {
            "symbol": t,
            "timeframe": "1d",
            "ts": ts.isoformat(),
            "open": c,
            "high": c,
            "low": c,
            "close": c,
        }
        for t in closes.columns
        for ts, c in closes[t].items()
    ]
    with tempfile.TemporaryDirectory() as tmp:
        env = server_env(Path(tmp) / "var")
        prepare(Path(tmp) / "var", env)
        with (
            Server(env, Path(tmp) / "server.log").start() as server,
            httpx.Client(timeout=30) as client,
        ):
            headers = {"Authorization": f"Bearer {server.token(client)}"}
            r = client.post(server.url + "/api/bars/ingest", json={"rows": rows}, headers=headers)
            r.raise_for_status()
            body = {"symbol_1": "KO", "symbol_2": "PEP"}
            times = []
            for k in range(requests + 5):
                t0 = time.perf_counter()
                r = client.post(server.url + "/api/pairs/analyze", json=body, headers=headers)
                elapsed = time.perf_counter() - t0
                r.raise_for_status()
                if k >= 5:
                    times.append(elapsed)
            server.stop()
    ms = np.sort(np.array(times)) * 1e3
    return {
        "requests": float(requests),
        "p50_ms": float(np.percentile(ms, 50)),
        "p90_ms": float(np.percentile(ms, 90)),
    }


if __name__ == "__main__":
    main()
