"""Fixtures for the pair-research tests: real log prices and synthetic pairs with known truth."""

from __future__ import annotations

from importlib import resources

import numpy as np
import pandas as pd
import pytest

WINDOW = 2520


def load_log_prices() -> pd.DataFrame:
    """The vendored demo set (20 S&P 500 stocks, daily closes 1990-2022) as log prices."""
    path = resources.files("engine.data") / "datasets" / "sp500_daily_1990_2022.csv.gz"
    with resources.as_file(path) as p:
        df = pd.read_csv(p, index_col="Date", parse_dates=True)
    return np.log(df.astype("float64"))


def make_coint_pair(
    rng: np.random.Generator,
    n: int = WINDOW,
    *,
    beta: float = 1.3,
    alpha: float = 0.4,
    phi: float = 0.95,
    sigma_x: float = 0.012,
    sigma_s: float = 0.01,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """y = alpha + beta x + s with x a random walk (log price) and s an AR(1) with coefficient phi.

    The true half-life of s is -ln 2 / ln(phi).
    """
    x = 4.0 + np.cumsum(rng.normal(0.0, sigma_x, n))
    eps = rng.normal(0.0, sigma_s, n)
    s = np.empty(n)
    s[0] = eps[0] / np.sqrt(1.0 - phi**2)
    for t in range(1, n):
        s[t] = phi * s[t - 1] + eps[t]
    return alpha + beta * x + s, x, s


def synthetic_universe(n_symbols: int, n: int = WINDOW, *, seed: int = 7) -> np.ndarray:
    """Log prices of ``n_symbols`` (even) symbols: cointegrated pairs, a common factor, noise."""
    rng = np.random.default_rng(seed)
    factor = np.cumsum(rng.normal(0.0, 0.008, n))
    cols = []
    for k in range(n_symbols // 2):
        beta = 0.5 + 0.1 * k
        y, x, _ = make_coint_pair(rng, n, beta=beta, phi=0.90 + 0.009 * (k % 10), alpha=0.1 * k)
        # both legs load on the common factor so that y - beta x keeps the AR(1) spread
        y = y + 0.5 * beta * factor
        if k % 3 == 0:  # no cointegration: replace y by an independent walk plus the factor
            y = 3.0 + factor + np.cumsum(rng.normal(0.0, 0.01, n))
        cols += [y, x + 0.5 * factor]
    return np.column_stack(cols)


@pytest.fixture(scope="session")
def log_prices() -> pd.DataFrame:
    return load_log_prices()


@pytest.fixture(scope="session")
def real_windows(log_prices: pd.DataFrame) -> list[np.ndarray]:
    """Three disjoint 2,520-bar windows of the 20 real log-price series."""
    values = log_prices.to_numpy()
    return [values[s : s + WINDOW] for s in (0, 2800, 5600)]
