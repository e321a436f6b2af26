"""Fixtures shared by the engine tests: the vendored S&P 500 demo data set, a reference OLS."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

DATA = Path(__file__).resolve().parents[2] / "engine/data/datasets/sp500_daily_1990_2022.csv.gz"


@pytest.fixture(scope="session")
def sp500() -> pd.DataFrame:
    """Daily closes of 20 S&P 500 stocks, 1990-2022 (skfolio 1.12.2, see the README)."""
    return pd.read_csv(DATA, index_col=0, parse_dates=True)


def _ols_hedge(y: np.ndarray, x: np.ndarray) -> tuple[float, float]:
    ly, lx = np.log(y), np.log(x)
    A = np.column_stack([lx, np.ones_like(lx)])
    beta, alpha = np.linalg.lstsq(A, ly, rcond=None)[0]
    return float(beta), float(alpha)


@pytest.fixture(scope="session")
def ols_hedge():
    """(beta, alpha) of log y on log x by least squares (numpy, not the engine)."""
    return _ols_hedge
