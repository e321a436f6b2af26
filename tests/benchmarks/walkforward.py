"""Benchmark: a 10-fold walk-forward over the 20 demo stocks (target: under 60 s).

Run: ``.venv/bin/python tests/benchmarks/walkforward.py [--adaptive] [--folds 10]``

Data: the vendored S&P 500 data set (20 stocks, 8,313 daily bars, 1990-2022). Config:
756-bar (3-year) rolling train windows, 10 test windows of ~755 bars, top 5 pairs per fold
(Engle-Granger on train, p < 0.05, unique symbols), the default 36-candidate grid
optimized on train (Sharpe, >= 5 trades), 2 bps commission + 1 bp slippage, PBO with
S = 16. A first, untimed run on a short slice compiles the numba kernels (or loads them
from the cache); the timed run is the full walk-forward. The last line printed is one
JSON object of headline figures.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--folds", type=int, default=10)
    parser.add_argument("--adaptive", action="store_true")
    args = parser.parse_args()

    from engine.backtest import Costs
    from engine.data.demo import load_demo_closes
    from engine.walkforward import WalkForwardConfig, walk_forward

    prices = load_demo_closes()
    config = WalkForwardConfig(
        train_bars=756,
        n_folds=args.folds,
        top_k=5,
        costs=Costs(cost_bps=2.0, slippage_bps=1.0),
        adaptive=args.adaptive,
    )
    t0 = time.perf_counter()
    walk_forward(
        prices.iloc[:1400],
        config=WalkForwardConfig(train_bars=756, n_folds=1, adaptive=args.adaptive),
    )
    warm = time.perf_counter() - t0
    t0 = time.perf_counter()
    res = walk_forward(prices, config=config)
    seconds = time.perf_counter() - t0
    print(res.summary())
    print(f"compile/warm-up run: {warm:.2f} s; timed run: {seconds:.2f} s on {os.cpu_count()} CPUs")
    head = res.headline()
    line = {
        "folds": head["folds"],
        "symbols": head["symbols"],
        "bars": len(prices),
        "adaptive": args.adaptive,
        "seconds": round(seconds, 2),
        "oos_sharpe": head["oos_sharpe"],
        "is_sharpe_mean": head["is_sharpe_mean"],
        "wfe": head["wfe"],
        "deflated_sharpe": head["deflated_sharpe"],
        "pbo": head["pbo"],
        "oos_trades": head["oos_trades"],
    }
    print(json.dumps(line))


if __name__ == "__main__":
    main()
