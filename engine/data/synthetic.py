r"""Seeded synthetic universe with known ground truth.

The universe has two kinds of symbols.

*Factor symbols* ``S000, S001, ...`` follow a factor model of log prices,

.. math::

    \log p_{i,t} = \log p_{i,0} + \mu t + b_i M_t + g_i F_{s(i),t} + E_{i,t},

where :math:`M` (market), :math:`F_s` (one per sector) and :math:`E_i` (idiosyncratic)
are independent Gaussian random walks. Because every :math:`E_i` is its own random walk,
**no two factor symbols are cointegrated** (any combination keeps a unit root); they are
correlated through the factors, which makes them realistic decoys for a pair scanner.

*Cointegrated legs* ``C000, C001, ...``: leg :math:`k` is built on a distinct factor
symbol :math:`x_k`,

.. math::

    \log y_t = \alpha + \beta \log x_t + s_t, \qquad
    s_t = \phi s_{t-1} + \varepsilon_t,\quad
    \phi = 2^{-1/h} = e^{-\ln 2 / h},

an AR(1) (discrete Ornstein-Uhlenbeck) spread with half-life :math:`h` bars, started from
its stationary distribution, with stationary standard deviation ``spread_std``
(:math:`\sigma_\varepsilon = \text{spread\_std}\sqrt{1-\phi^2}`). The truth of every pair
(:math:`\beta`, :math:`\alpha`, :math:`h`, :math:`\phi`) is returned in
:attr:`SyntheticUniverse.truth`.

OHLCV bars are derived from the closes: ``open`` is the previous close times a small gap,
``high``/``low`` extend ``max/min(open, close)`` by a half-normal amount, volume is
log-normal. Everything is drawn from one ``numpy.random.Generator(PCG64(seed))``: the same
arguments give the same universe, bit for bit.

Timestamps: business days (Mon-Fri, 00:00 UTC, no holidays) for ``"1d"``; for intraday
timeframes consecutive bars with no session breaks.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import AsyncIterator, Sequence
from itertools import combinations

import numpy as np
import pandas as pd

from engine._results import Result
from engine._typing import TIMEFRAMES, FloatArray, Timeframe
from engine.data.base import BarBatch, DatetimeArray

_FREQ = {"1m": "1min", "5m": "5min", "15m": "15min", "1h": "1h", "1w": "W-MON", "1mo": "MS"}


@dataclasses.dataclass(frozen=True)
class PairTruth(Result):
    """Ground truth of one cointegrated pair: ``log y = intercept + hedge_ratio*log x + s``.

    Attributes
    ----------
    symbol_1, symbol_2 : str
        ``y`` (the constructed leg) and ``x`` (its factor symbol).
    hedge_ratio : float
        :math:`\\beta`.
    intercept : float
        :math:`\\alpha`.
    half_life : float
        Half-life of the spread in bars.
    ar_coefficient : float
        :math:`\\phi = 2^{-1/h}`.
    spread_std : float
        Stationary standard deviation of the spread (log units).
    """

    symbol_1: str
    symbol_2: str
    hedge_ratio: float
    intercept: float
    half_life: float
    ar_coefficient: float
    spread_std: float


@dataclasses.dataclass(frozen=True)
class SyntheticUniverse(Result):
    """A generated universe (see the module docstring for the model).

    Attributes
    ----------
    symbols : tuple of str
        Column order of the matrices: factor symbols, then cointegrated legs.
    sectors : dict of str to str
        Sector of each symbol (a leg shares its ``x``'s sector).
    timeframe : str
    ts : ndarray of datetime64[ns]
        Bar timestamps (UTC), length ``n_bars``.
    open, high, low, close, volume : ndarray of float64, shape (n_bars, n_symbols)
    spread : ndarray of float64, shape (n_bars, n_pairs)
        The true spread :math:`s_t` of each pair, in ``truth`` order.
    truth : tuple of PairTruth
        The cointegrated pairs.
    not_cointegrated : tuple of (str, str)
        Every pair of factor symbols: not cointegrated by construction.
    seed : int
    """

    symbols: tuple[str, ...]
    sectors: dict[str, str]
    timeframe: Timeframe
    ts: DatetimeArray
    open: FloatArray
    high: FloatArray
    low: FloatArray
    close: FloatArray
    volume: FloatArray
    spread: FloatArray
    truth: tuple[PairTruth, ...]
    not_cointegrated: tuple[tuple[str, str], ...]
    seed: int

    def closes(self) -> pd.DataFrame:
        """Wide close matrix: UTC ``DatetimeIndex``, one column per symbol."""
        index = pd.DatetimeIndex(self.ts, name="ts").tz_localize("UTC")
        return pd.DataFrame(np.array(self.close), index=index, columns=list(self.symbols))

    def bars(self, symbol: str) -> BarBatch:
        """OHLCV bars of one symbol."""
        try:
            j = self.symbols.index(symbol)
        except ValueError:
            raise KeyError(f"no symbol {symbol!r} in the synthetic universe") from None
        return BarBatch(
            symbol,
            self.timeframe,
            self.ts,
            self.open[:, j],
            self.high[:, j],
            self.low[:, j],
            self.close[:, j],
            self.volume[:, j],
        )

    def summary(self) -> str:
        """Shape, seed and the planted pairs."""
        lines = [
            f"SyntheticUniverse seed={self.seed}: {len(self.symbols)} symbols x "
            f"{self.ts.shape[0]} {self.timeframe} bars, {len(set(self.sectors.values()))} sectors",
        ]
        lines += [
            f"  {p.symbol_1} ~ {p.symbol_2}: beta={p.hedge_ratio:.4f} alpha={p.intercept:.4f} "
            f"half-life={p.half_life:.1f}"
            for p in self.truth
        ]
        return "\n".join(lines)


def _draw(rng: np.random.Generator, spec: float | tuple[float, float], size: int) -> FloatArray:
    if isinstance(spec, tuple):
        lo, hi = spec
        if not lo <= hi:
            raise ValueError(f"range {spec} must have low <= high")
        return rng.uniform(lo, hi, size)
    return np.full(size, float(spec))


def make_universe(
    n_symbols: int = 20,
    *,
    n_pairs: int = 4,
    n_sectors: int = 4,
    n_bars: int = 1500,
    timeframe: Timeframe = "1d",
    start: str = "2015-01-02",
    seed: int = 0,
    half_life: float | tuple[float, float] | Sequence[float] = (5.0, 40.0),
    hedge_ratio: float | tuple[float, float] = (0.5, 1.5),
    intercept: float | tuple[float, float] = (-0.5, 0.5),
    spread_std: float = 0.05,
    market_vol: float = 0.01,
    sector_vol: float = 0.006,
    idio_vol: float = 0.012,
    drift: float = 0.0002,
) -> SyntheticUniverse:
    """Generate a seeded universe with planted cointegrated pairs.

    Parameters
    ----------
    n_symbols : int, default 20
        Total symbols, of which ``n_pairs`` are cointegrated legs; needs
        ``n_symbols >= 2 * n_pairs`` and at least two factor symbols.
    n_pairs : int, default 4
    n_sectors : int, default 4
    n_bars : int, default 1500
    timeframe : {"1m", "5m", "15m", "1h", "1d"}, default "1d"
    start : str, default "2015-01-02"
        First timestamp (UTC).
    seed : int, default 0
    half_life : float, (low, high) range, or a sequence of ``n_pairs`` values
        Spread half-life in bars, drawn uniformly from a range.
    hedge_ratio, intercept : float or (low, high)
        :math:`\\beta` and :math:`\\alpha`, fixed or drawn uniformly.
    spread_std : float, default 0.05
        Stationary standard deviation of each spread.
    market_vol, sector_vol, idio_vol : float
        Per-bar standard deviations of the factor random walks; ``idio_vol > 0`` is what
        keeps factor symbols from being cointegrated.
    drift : float
        Per-bar drift of every factor symbol's log price.

    Returns
    -------
    SyntheticUniverse
    """
    if timeframe not in TIMEFRAMES:
        raise ValueError(f"unknown timeframe {timeframe!r}")
    n_factor = n_symbols - n_pairs
    if n_pairs < 0 or n_factor < max(n_pairs, 2):
        raise ValueError("need n_pairs >= 0 and n_symbols - n_pairs >= max(n_pairs, 2)")
    if n_bars < 2 or n_sectors < 1:
        raise ValueError("need n_bars >= 2 and n_sectors >= 1")
    if idio_vol <= 0 or spread_std <= 0 or min(market_vol, sector_vol) < 0:
        raise ValueError("idio_vol and spread_std must be > 0, factor vols >= 0")
    rng = np.random.Generator(np.random.PCG64(seed))

    sector_of = np.arange(n_factor) % n_sectors
    market = np.cumsum(rng.normal(0.0, market_vol, n_bars))
    sectors_rw = np.cumsum(rng.normal(0.0, sector_vol, (n_bars, n_sectors)), axis=0)
    idio = np.cumsum(rng.normal(0.0, idio_vol, (n_bars, n_factor)), axis=0)
    beta_m = rng.uniform(0.6, 1.4, n_factor)
    beta_s = rng.uniform(0.5, 1.5, n_factor)
    log0 = np.log(rng.uniform(20.0, 200.0, n_factor))
    trend = drift * np.arange(1, n_bars + 1)[:, None]
    log_x = log0 + trend + market[:, None] * beta_m + sectors_rw[:, sector_of] * beta_s + idio

    if isinstance(half_life, tuple) and len(half_life) == 2 and n_pairs != 2:
        hl = _draw(rng, (float(half_life[0]), float(half_life[1])), n_pairs)
    elif isinstance(half_life, (int, float)):
        hl = np.full(n_pairs, float(half_life))
    else:
        hl = np.asarray(half_life, dtype=float)
        if hl.shape != (n_pairs,):
            raise ValueError(f"half_life needs {n_pairs} values, got {hl.shape}")
    if n_pairs and (hl <= 0).any():
        raise ValueError("half-lives must be > 0")
    betas = _draw(rng, hedge_ratio, n_pairs)
    alphas = _draw(rng, intercept, n_pairs)
    x_idx = rng.choice(n_factor, size=n_pairs, replace=False) if n_pairs else np.empty(0, int)
    phi = np.exp(-math.log(2.0) / hl) if n_pairs else np.empty(0)
    spread = np.empty((n_bars, n_pairs))
    if n_pairs:
        eps = rng.normal(0.0, 1.0, (n_bars, n_pairs)) * spread_std * np.sqrt(1.0 - phi**2)
        spread[0] = rng.normal(0.0, spread_std, n_pairs)
        for t in range(1, n_bars):  # AR(1) recursion; n_bars x n_pairs, cheap
            spread[t] = phi * spread[t - 1] + eps[t]
    log_y = alphas + betas * log_x[:, x_idx] + spread
    log_close = np.column_stack([log_x, log_y])
    close = np.exp(log_close)

    factor_names = [f"S{i:03d}" for i in range(n_factor)]
    leg_names = [f"C{k:03d}" for k in range(n_pairs)]
    symbols = tuple(factor_names + leg_names)
    sector_names = {
        **{factor_names[i]: f"SECTOR{sector_of[i]}" for i in range(n_factor)},
        **{leg_names[k]: f"SECTOR{sector_of[x_idx[k]]}" for k in range(n_pairs)},
    }
    o, h, lo, v = _ohlcv(rng, close, bar_vol=math.hypot(market_vol, sector_vol, idio_vol))
    truth = tuple(
        PairTruth(
            symbol_1=leg_names[k],
            symbol_2=factor_names[int(x_idx[k])],
            hedge_ratio=float(betas[k]),
            intercept=float(alphas[k]),
            half_life=float(hl[k]),
            ar_coefficient=float(phi[k]),
            spread_std=float(spread_std),
        )
        for k in range(n_pairs)
    )
    return SyntheticUniverse(
        symbols=symbols,
        sectors=sector_names,
        timeframe=timeframe,
        ts=_timestamps(start, n_bars, timeframe),
        open=o,
        high=h,
        low=lo,
        close=close,
        volume=v,
        spread=spread,
        truth=truth,
        not_cointegrated=tuple(combinations(factor_names, 2)),
        seed=seed,
    )


def _ohlcv(
    rng: np.random.Generator, close: FloatArray, *, bar_vol: float
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    n, m = close.shape
    prev = np.vstack([close[:1], close[:-1]])
    open_ = prev * np.exp(rng.normal(0.0, 0.2 * bar_vol, (n, m)))
    top = np.maximum(open_, close) * np.exp(np.abs(rng.normal(0.0, 0.5 * bar_vol, (n, m))))
    bottom = np.minimum(open_, close) * np.exp(-np.abs(rng.normal(0.0, 0.5 * bar_vol, (n, m))))
    volume = np.round(rng.lognormal(np.log(1e6), 0.3, (n, m)))
    return open_, top, bottom, volume


def _timestamps(start: str, n: int, timeframe: Timeframe) -> DatetimeArray:
    first = pd.Timestamp(start)
    first = first.tz_convert("UTC").tz_localize(None) if first.tz is not None else first
    if timeframe == "1d":
        idx = pd.bdate_range(first.normalize(), periods=n)
    elif timeframe in ("1w", "1mo"):
        idx = pd.date_range(first.normalize(), periods=n, freq=_FREQ[timeframe])
    else:
        idx = pd.date_range(first, periods=n, freq=_FREQ[timeframe])
    return idx.as_unit("ns").to_numpy()


class SyntheticProvider:
    """Bar provider over a :class:`SyntheticUniverse`.

    Parameters
    ----------
    universe : SyntheticUniverse
    symbols : sequence of str, optional
        Subset to yield (default: all, in universe order).
    batch_size : int, default 10_000
        Maximum bars per batch.
    """

    def __init__(
        self,
        universe: SyntheticUniverse,
        *,
        symbols: Sequence[str] | None = None,
        batch_size: int = 10_000,
    ) -> None:
        if batch_size < 1:
            raise ValueError("batch_size must be >= 1")
        unknown = set(symbols or ()) - set(universe.symbols)
        if unknown:
            raise KeyError(f"not in the universe: {sorted(unknown)}")
        self.universe = universe
        self.symbols = tuple(symbols) if symbols is not None else universe.symbols
        self.batch_size = batch_size

    async def batches(self) -> AsyncIterator[BarBatch]:
        """Yield each symbol's bars in chunks of at most ``batch_size``."""
        for sym in self.symbols:
            bars = self.universe.bars(sym)
            for i in range(0, len(bars), self.batch_size):
                yield bars.slice(i, i + self.batch_size)
