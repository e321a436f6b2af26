"""Produce ``eg_reference.json``: statsmodels reference values for real-data pairs.

Source data: ``engine/data/datasets/sp500_daily_1990_2022.csv.gz`` (vendored demo set,
20 S&P 500 stocks, daily closes 1990-2022), natural log of the closes, windows of 2,520
bars starting at rows 0, 2800 and 5600. Reference implementation:
``statsmodels.tsa.stattools.coint`` (statistic, p-value, critical values), the lag from
statsmodels' own ``OLS`` + ``adfuller(resid, regression="n")`` (the steps inside ``coint``),
and ``statsmodels.tsa.vector_ar.vecm.coint_johansen``.

Run from the repository root::

    .venv/bin/python tests/engine/pairs/results/make_reference.py
"""

from __future__ import annotations

import json
import platform
import sys
from pathlib import Path

import numpy as np
import statsmodels
from statsmodels.tsa.vector_ar.vecm import coint_johansen

ROOT = Path(__file__).resolve().parents[4]
sys.path.insert(0, str(ROOT))

from tests.engine.pairs.conftest import WINDOW, load_log_prices  # noqa: E402
from tests.engine.pairs.sm_reference import sm_coint  # noqa: E402

STARTS = (0, 2800, 5600)
PAIRS = [("AAPL", "MSFT"), ("KO", "PEP"), ("XOM", "CVX"), ("JPM", "BAC"), ("MRK", "PFE"),
         ("HD", "WMT"), ("JNJ", "PG"), ("LLY", "UNH")]  # fmt: skip
SETTINGS = [
    {"trend": "c", "autolag": "aic", "maxlag": None},
    {"trend": "c", "autolag": None, "maxlag": 1},
    {"trend": "ct", "autolag": "bic", "maxlag": None},
]


def main() -> None:
    prices = load_log_prices()
    cases = []
    for start in STARTS:
        win = prices.iloc[start : start + WINDOW]
        for a, b in PAIRS:
            y, x = win[a].to_numpy(), win[b].to_numpy()
            for kw in SETTINGS:
                stat, pvalue, crit, lag = sm_coint(y, x, **kw)
                cases.append(
                    {
                        "start": start,
                        "first_date": str(win.index[0].date()),
                        "y": a,
                        "x": b,
                        **kw,
                        "statistic": stat,
                        "pvalue": pvalue,
                        "critical_values": [float(v) for v in crit],
                        "lag": lag,
                    }
                )
    johansen = []
    for start in STARTS:
        win = prices.iloc[start : start + WINDOW]
        for a, b in PAIRS[:4]:
            for det_order, k in ((0, 1), (-1, 2), (1, 0)):
                r = coint_johansen(win[[a, b]].to_numpy(), det_order, k)
                johansen.append(
                    {
                        "start": start,
                        "y": a,
                        "x": b,
                        "det_order": det_order,
                        "k_ar_diff": k,
                        "eigenvalues": r.eig.tolist(),
                        "trace_stat": r.lr1.tolist(),
                        "max_eig_stat": r.lr2.tolist(),
                        "trace_crit": r.cvt.tolist(),
                        "max_eig_crit": r.cvm.tolist(),
                    }
                )
    out = {
        "source": "engine/data/datasets/sp500_daily_1990_2022.csv.gz (log closes)",
        "window": WINDOW,
        "produced_by": "tests/engine/pairs/results/make_reference.py",
        "statsmodels_version": statsmodels.__version__,
        "numpy_version": np.__version__,
        "python_version": platform.python_version(),
        "engle_granger": cases,
        "johansen": johansen,
    }
    path = Path(__file__).with_name("eg_reference.json")
    path.write_text(json.dumps(out, indent=1) + "\n")
    print(f"wrote {len(cases)} Engle-Granger and {len(johansen)} Johansen cases to {path}")


if __name__ == "__main__":
    main()
