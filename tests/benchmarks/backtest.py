"""Benchmark: TITAN batched pair backtests vs vectorbt on the same signals.

Run: ``.venv/bin/python tests/benchmarks/backtest.py [--pairs 1000] [--bars 2520]``

Data: 1,000 pairs x 2,520 daily bars cut from the vendored S&P 500 data set (the 190
pairs of its 20 stocks over six overlapping 10-year windows), β and α from OLS on each
window's first 252 bars. TITAN runs signals + backtest + full metrics in one call
(``backtest_pairs``); vectorbt runs ``Portfolio.from_signals`` on TITAN's signals (two
columns per pair, cash shared per pair) and computes the same family of metrics. The
first (compiling) call of each is excluded from the timing and reported.

vectorbt is not a TITAN dependency: when the running interpreter cannot import it, the
script creates ``var/bench-vectorbt`` (gitignored) with uv, installs vectorbt there and
runs the vectorbt half in a subprocess on the same arrays passed through an ``.npz``.

As a correctness cross-check, ``vectorbt.Portfolio.from_orders`` with per-bar target
percents equal to TITAN's weights (zero costs) reproduces TITAN's constant-weight
accounting; the largest relative equity difference is reported as
``max_abs_diff_equity`` (equity normalised to 1). ``from_signals`` holds share amounts
between signals (no daily re-weighting), so its equity is not expected to match.

The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
VENV = ROOT / "var" / "bench-vectorbt"
DATA = ROOT / "engine" / "data" / "datasets" / "sp500_daily_1990_2022.csv.gz"


def load_pairs(n_pairs: int, n_bars: int):  # type: ignore[no-untyped-def]
    """(Y, X, beta, alpha, U, ij): pair rows and the same pairs as a universe layout."""
    import pandas as pd

    df = pd.read_csv(DATA, index_col=0)
    prices = df.to_numpy(dtype=np.float64).T
    combos = list(itertools.combinations(range(prices.shape[0]), 2))
    n_windows = -(-n_pairs // len(combos))
    span = prices.shape[1] - n_bars
    Y, X, U, ij = [], [], [], []
    for w in range(n_windows):
        start = w * span // max(n_windows - 1, 1)
        U.extend(prices[:, start : start + n_bars])  # one window = 20 "symbols"
        base = w * prices.shape[0]
        for i, j in combos:
            Y.append(prices[i, start : start + n_bars])
            X.append(prices[j, start : start + n_bars])
            ij.append((base + i, base + j))
    Y2 = np.ascontiguousarray(Y[:n_pairs])
    X2 = np.ascontiguousarray(X[:n_pairs])
    form = 252
    ly, lx = np.log(Y2[:, :form]), np.log(X2[:, :form])
    lxm, lym = lx.mean(axis=1, keepdims=True), ly.mean(axis=1, keepdims=True)
    beta = ((lx - lxm) * (ly - lym)).sum(axis=1) / ((lx - lxm) ** 2).sum(axis=1)
    alpha = lym[:, 0] - beta * lxm[:, 0]
    return Y2, X2, beta, alpha, np.ascontiguousarray(U), np.array(ij[:n_pairs], dtype=np.int64)


def timeit(fn, repeats: int) -> tuple[float, list[float]]:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return float(np.median(times)), times


# --------------------------------------------------------------------------- vectorbt side
def vectorbt_worker(npz_path: str, out_path: str, repeats: int) -> None:
    import pandas as pd
    import vectorbt as vbt

    d = np.load(npz_path)
    Y, X, held, wy, wx = d["Y"], d["X"], d["held"], d["wy"], d["wx"]
    P, T = Y.shape
    idx = pd.date_range("2000-01-03", periods=T, freq="B")
    close = pd.DataFrame(np.empty((T, 2 * P)), index=idx)
    close.iloc[:, 0::2] = Y.T
    close.iloc[:, 1::2] = X.T
    group = np.repeat(np.arange(P), 2)
    prev = np.concatenate([np.zeros((P, 1), held.dtype), held[:, :-1]], axis=1)
    side_y = held.T  # +1: long y (long spread), -1: short y
    prev_y = prev.T
    entries = np.zeros((T, 2 * P), dtype=bool)
    exits = np.zeros_like(entries)
    short_entries = np.zeros_like(entries)
    short_exits = np.zeros_like(entries)
    opened_long = (side_y == 1) & (prev_y != 1)
    opened_short = (side_y == -1) & (prev_y != -1)
    closed_long = (side_y != 1) & (prev_y == 1)
    closed_short = (side_y != -1) & (prev_y == -1)
    entries[:, 0::2], exits[:, 0::2] = opened_long, closed_long
    short_entries[:, 0::2], short_exits[:, 0::2] = opened_short, closed_short
    entries[:, 1::2], exits[:, 1::2] = opened_short, closed_short  # x leg: opposite side
    short_entries[:, 1::2], short_exits[:, 1::2] = opened_long, closed_long
    # size as value: |weight| of the initial capital per leg
    size = np.empty((T, 2 * P))
    size[:, 0::2] = np.abs(wy).max(axis=1)[None, :] * 1e6
    size[:, 1::2] = np.abs(wx).max(axis=1)[None, :] * 1e6
    kw = {
        "close": close,
        "entries": entries,
        "exits": exits,
        "short_entries": short_entries,
        "short_exits": short_exits,
        "size": size,
        "size_type": "value",
        "init_cash": 1e6,
        "cash_sharing": True,
        "group_by": group,
        "fees": 7e-4,
        "freq": "1D",
    }

    def run() -> dict[str, np.ndarray]:
        pf = vbt.Portfolio.from_signals(**kw)
        return {
            "total_return": pf.total_return().to_numpy(),
            "annual_return": pf.annualized_return().to_numpy(),
            "annual_volatility": pf.annualized_volatility().to_numpy(),
            "sharpe": pf.sharpe_ratio().to_numpy(),
            "sortino": pf.sortino_ratio().to_numpy(),
            "max_drawdown": pf.max_drawdown().to_numpy(),
            "calmar": pf.calmar_ratio().to_numpy(),
            "hit_rate": pf.trades.win_rate().to_numpy(),
            "n_trades": pf.trades.count().to_numpy(),
        }

    t0 = time.perf_counter()
    run()
    first = time.perf_counter() - t0
    med, times = timeit(run, repeats)

    # accounting cross-check: target percents = TITAN weights, zero costs
    tp = np.empty((T, 2 * P))
    tp[:, 0::2] = wy.T
    tp[:, 1::2] = wx.T
    pf = vbt.Portfolio.from_orders(
        close=close,
        size=tp,
        size_type="targetpercent",
        direction="both",
        init_cash=1.0,
        cash_sharing=True,
        group_by=group,
        freq="1D",
        call_seq="auto",  # sell before buy: vectorbt has no credit line
    )
    value = pf.value().to_numpy().T  # (P, T)
    Path(out_path).write_text(
        json.dumps(
            {
                "first_call_s": first,
                "median_s": med,
                "times_s": times,
                "value": value.tolist(),
                "version": vbt.__version__,
            }
        )
    )


def vectorbt_python() -> tuple[str, str]:
    """An interpreter that imports vectorbt, creating var/bench-vectorbt if needed."""
    try:
        import vectorbt  # noqa: F401

        return sys.executable, "current interpreter"
    except ImportError:
        pass
    py = VENV / "bin" / "python"
    uv = Path(sys.executable).parent / "uv"
    if not py.exists():
        print(f"creating {VENV} for vectorbt (uv venv + uv pip install vectorbt) ...", flush=True)
        subprocess.run([str(uv), "venv", "--python", sys.executable, str(VENV)], check=True)
    check = subprocess.run([str(py), "-c", "import vectorbt"], capture_output=True)
    if check.returncode != 0:
        subprocess.run([str(uv), "pip", "install", "--python", str(py), "vectorbt"], check=True)
    return str(py), f"separate venv {VENV.relative_to(ROOT)} (subprocess, same arrays via .npz)"


# --------------------------------------------------------------------------- main
def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pairs", type=int, default=1000)
    ap.add_argument("--bars", type=int, default=2520)
    ap.add_argument("--repeats", type=int, default=7)
    ap.add_argument("--skip-vectorbt", action="store_true")
    ap.add_argument("--vectorbt-worker", nargs=2, metavar=("NPZ", "OUT"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.vectorbt_worker:
        vectorbt_worker(*args.vectorbt_worker, args.repeats)
        return

    sys.path.insert(0, str(ROOT))
    import numba

    from engine.backtest import Costs, backtest_pairs, backtest_universe
    from engine.strategy import StrategyParams

    Y, X, beta, alpha, U, ij = load_pairs(args.pairs, args.bars)
    P, T = Y.shape
    params = StrategyParams(lookback=60, entry_z=2.0, exit_z=0.5, stop_z=4.0, max_holding=120)
    costs = Costs(cost_bps=5.0, slippage_bps=2.0, borrow_rate=0.02)
    kw = {"params": params, "beta": beta, "alpha": alpha, "costs": costs, "capital": 1e6}
    print(
        f"{P} pairs x {T} bars, numba threads={numba.get_num_threads()}, "
        f"cpus={os.cpu_count()}, load avg={os.getloadavg()[0]:.2f}"
    )

    t0 = time.perf_counter()
    res = backtest_pairs(Y, X, **kw)
    first = time.perf_counter() - t0
    med, times = timeit(lambda: backtest_pairs(Y, X, **kw), args.repeats)
    cpu0 = time.process_time()
    backtest_pairs(Y, X, **kw)
    cpu = time.process_time() - cpu0
    med_paths, _ = timeit(lambda: backtest_pairs(Y, X, return_paths=True, **kw), args.repeats)
    med_uni, times_uni = timeit(lambda: backtest_universe(U, ij, **kw), args.repeats)
    uni = backtest_universe(U, ij, **kw)
    for name, col in res.metrics.items():  # same numbers, faster layout
        assert np.array_equal(col, uni.metrics[name], equal_nan=True), name
    titan_rate = P / med
    ncpu = os.cpu_count() or 1
    print(f"TITAN first call (compile or cache load): {first:.2f} s")
    print(
        f"TITAN backtest_pairs (P, T) rows, metrics only: median {med * 1e3:.1f} ms "
        f"(best {min(times) * 1e3:.1f}) -> {titan_rate:,.0f} pair-backtests/s "
        f"(best {P / min(times):,.0f}); CPU {cpu * 1e3:.1f} ms "
        f"= {P / (cpu / ncpu):,.0f}/s on {ncpu} uncontended cores"
    )
    print(
        f"TITAN backtest_pairs with (P, T) paths: median {med_paths * 1e3:.1f} ms "
        f"-> {P / med_paths:,.0f}/s"
    )
    print(
        f"TITAN backtest_universe ({U.shape[0]} symbols, logs/returns once per symbol): "
        f"median {med_uni * 1e3:.1f} ms (best {min(times_uni) * 1e3:.1f}) "
        f"-> {P / med_uni:,.0f}/s (best {P / min(times_uni):,.0f})"
    )
    print(
        f"mean trades per pair {res.metrics['n_trades'].mean():.1f}, "
        f"median Sharpe {np.nanmedian(res.metrics['sharpe']):.2f}"
    )

    out: dict[str, object] = {
        "pairs": P,
        "bars": T,
        "titan_pairs_per_s": round(titan_rate, 1),
        "titan_best_pairs_per_s": round(P / min(times), 1),
        "titan_cpu_bound_pairs_per_s": round(P / (cpu / ncpu), 1),
        "titan_paths_pairs_per_s": round(P / med_paths, 1),
        "titan_universe_pairs_per_s": round(P / med_uni, 1),
        "titan_first_call_s": round(first, 3),
        "load_avg_1m": round(os.getloadavg()[0], 2),
    }
    if not args.skip_vectorbt:
        paths = backtest_pairs(Y, X, return_paths=True, **kw)
        zero = backtest_pairs(Y, X, return_paths=True, **{**kw, "costs": Costs()})
        py, where = vectorbt_python()
        with tempfile.TemporaryDirectory() as tmp:
            npz, js = Path(tmp) / "in.npz", Path(tmp) / "out.json"
            assert paths.weights_y is not None and zero.weights_y is not None
            held = np.sign(paths.weights_y).astype(np.int8)
            np.savez(npz, Y=Y, X=X, held=held, wy=zero.weights_y, wx=zero.weights_x)
            env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
            subprocess.run(
                [
                    py,
                    __file__,
                    "--vectorbt-worker",
                    str(npz),
                    str(js),
                    "--repeats",
                    str(args.repeats),
                ],
                check=True,
                env=env,
            )
            vb = json.loads(js.read_text())
        vb_rate = P / vb["median_s"]
        assert zero.equity is not None
        diff = float(np.max(np.abs(np.asarray(vb["value"]) - zero.equity / 1e6)))
        print(f"vectorbt {vb['version']} ({where})")
        print(f"vectorbt first call: {vb['first_call_s']:.2f} s")
        print(
            f"vectorbt from_signals + metrics: median {vb['median_s'] * 1e3:.1f} ms "
            f"-> {vb_rate:,.0f} pair-backtests/s (signals given, not generated)"
        )
        print(f"ratio TITAN / vectorbt: {titan_rate / vb_rate:.1f}x")
        print(
            f"accounting check (vectorbt from_orders target percents = TITAN weights, zero cost): "
            f"max |equity diff| = {diff:.3e} (equity normalised to 1)"
        )
        out.update(
            {
                "vectorbt_pairs_per_s": round(vb_rate, 1),
                "vectorbt_first_call_s": round(vb["first_call_s"], 3),
                "ratio": round(titan_rate / vb_rate, 2),
                "max_abs_diff_equity": diff,
                "vectorbt_env": where,
            }
        )
    print(json.dumps(out))


if __name__ == "__main__":
    main()
