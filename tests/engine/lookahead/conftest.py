"""Fixtures: the vendored S&P 500 demo data set (daily closes, 20 stocks, 1990-2022)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

DATA = Path(__file__).resolve().parents[3] / "engine/data/datasets/sp500_daily_1990_2022.csv.gz"


@pytest.fixture(scope="session")
def sp500() -> pd.DataFrame:
    """Daily closes (skfolio 1.12.2 data set, see engine/data/datasets/README.md)."""
    return pd.read_csv(DATA, index_col=0, parse_dates=True)
