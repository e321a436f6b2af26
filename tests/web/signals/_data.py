"""Demo bars and a monitored KO/PEP pair for the live-signal tests (shared with tests/realtime)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from engine.data.demo import load_demo_closes
from engine.strategy import StrategyParams

SYMBOLS = ("KO", "PEP")
#: Tight bands so that one year of KO/PEP has several entries, exits and stops.
PARAMS = StrategyParams(lookback=20, entry_z=1.5, exit_z=0.25, stop_z=3.0, max_holding=30)


def closes(start: str = "2014-01-01", end: str = "2019-12-31") -> pd.DataFrame:
    frame = load_demo_closes(list(SYMBOLS))
    return frame.loc[start:end].dropna()  # type: ignore[misc]


def hedge(frame: pd.DataFrame) -> tuple[float, float]:
    """OLS of log(KO) on log(PEP) over ``frame``: (beta, alpha)."""
    beta, alpha = np.polyfit(np.log(frame["PEP"]), np.log(frame["KO"]), 1)
    return float(beta), float(alpha)


def rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Ingestion rows (one per symbol and day) of ``frame``."""
    out = []
    for ts, row in frame.iterrows():
        stamp = pd.Timestamp(ts).strftime("%Y-%m-%dT%H:%M:%SZ")
        for sym in SYMBOLS:
            c = float(row[sym])
            out.append(
                {
                    "symbol": sym,
                    "timeframe": "1d",
                    "ts": stamp,
                    "open": c,
                    "high": c,
                    "low": c,
                    "close": c,
                }
            )
    return out


def make_pair_and_params(owner: Any, frame: pd.DataFrame) -> tuple[Any, Any]:
    """A KO/PEP pair with the hedge of ``frame`` and a parameter set of ``PARAMS`` (sync)."""
    from tests import factories
    from titan_web.market.models import Symbol
    from titan_web.research.models import ParameterSet

    beta, alpha = hedge(frame)
    ko = Symbol.objects.get_or_create(ticker="KO")[0]
    pep = Symbol.objects.get_or_create(ticker="PEP")[0]
    pair = factories.make_pair(
        owner=owner, symbol_1=ko, symbol_2=pep, hedge_ratio=beta, intercept=alpha
    )
    ps = ParameterSet.objects.create(owner=owner, pair=pair, **param_fields(PARAMS))
    return pair, ps


def param_fields(params: StrategyParams) -> dict[str, Any]:
    """The ``ParameterSet`` model fields that store ``params`` (static hedge)."""
    return {
        "lookback": params.lookback,
        "entry_z": params.entry_z,
        "exit_z": params.exit_z,
        "stop_z": params.stop_z,
        "max_holding": params.max_holding,
    }
