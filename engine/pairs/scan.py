"""Universe scan: Engle-Granger for all pairs of N symbols, batched and exact.

See :func:`scan_universe`. The numerical core is ``engine.pairs._scan_nb``; this module
prepares the cross-product blocks with matrix products, runs the pair kernel chunk by chunk
and assembles the frozen :class:`ScanResult`.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Sequence
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
from scipy.linalg import blas as _blas

from engine._results import Result
from engine._typing import Autolag, BoolArray, FloatArray, IntArray, Trend
from engine.pairs import _scan_nb
from engine.pairs._checks import (
    RSQ_COLLINEAR,
    check_autolag,
    check_level,
    check_trend,
    deterministic_terms,
    resolve_maxlag,
)
from engine.pairs._mackinnon import coint_critical_values, coint_pvalues
from engine.pairs._stats import benjamini_hochberg, filter_mask, half_life_from_slope

__all__ = ["ScanCancelled", "ScanResult", "scan_universe"]

Directions = Literal["forward", "both"]
_IC = {
    None: _scan_nb.IC_NONE,
    "aic": _scan_nb.IC_AIC,
    "bic": _scan_nb.IC_BIC,
    "t-stat": _scan_nb.IC_TSTAT,
}


@dataclasses.dataclass(frozen=True)
class ScanResult(Result):
    """Engle-Granger results for every tested (ordered) pair of a universe.

    Row ``r`` is the regression of ``symbol_1[r]`` (column ``i[r]``) on ``symbol_2[r]``
    (column ``j[r]``): ``log p_1 = alpha + beta log p_2 + e``. With
    ``directions="forward"`` the rows are the pairs ``i < j`` in ``numpy.triu_indices``
    order; with ``"both"`` each pair gives two consecutive rows, ``(i, j)`` then ``(j, i)``.

    Attributes
    ----------
    i, j : ndarray of int
        Column indices of the dependent and the regressor.
    symbol_1, symbol_2 : ndarray of str
        Their names.
    beta, alpha : ndarray
        Hedge ratio and intercept of the cointegrating regression (alpha 0 for trend "n").
    tstat, pvalue : ndarray
        Engle-Granger statistic and MacKinnon p-value (as statsmodels ``coint``).
    lag : ndarray of int
        Lags of the residual regression (-1 when skipped for collinearity).
    qvalue : ndarray
        Benjamini-Hochberg adjusted p-values over all rows with a finite p-value.
    half_life : ndarray
        Half-life in bars of the spread (see :func:`engine.pairs.half_life`).
    correlation : ndarray
        Correlation of the first differences of the inputs (log returns).
    passes_filters : ndarray of bool
        ``correlation >= min_correlation`` and ``half_life <= max_half_life`` (for the
        filters given; NaN fails).
    cointegrated : ndarray of bool
        ``passes_filters & (pvalue < significance_level) & (qvalue <= fdr)`` (the FDR
        condition only when ``fdr`` is given).
    critical_values : tuple of float
        MacKinnon (2010) 1 %, 5 %, 10 % critical values (the same for every pair).
    complete : bool
        False for the partial result carried by :class:`ScanCancelled`.
    """

    i: IntArray
    j: IntArray
    symbol_1: npt.NDArray[np.str_]
    symbol_2: npt.NDArray[np.str_]
    beta: FloatArray
    alpha: FloatArray
    tstat: FloatArray
    pvalue: FloatArray
    lag: IntArray
    qvalue: FloatArray
    half_life: FloatArray
    correlation: FloatArray
    passes_filters: BoolArray
    cointegrated: BoolArray
    critical_values: tuple[float, float, float]
    symbols: tuple[str, ...]
    nobs: int
    maxlag: int
    trend: Trend
    autolag: Autolag | None
    directions: Directions
    significance_level: float
    fdr: float | None
    complete: bool = True

    def __len__(self) -> int:
        return int(self.i.size)

    def summary(self) -> str:
        n = len(self)
        return "\n".join(
            [
                "ScanResult",
                f"  symbols                {len(self.symbols)}",
                f"  rows                   {n}",
                f"  nobs / maxlag          {self.nobs} / {self.maxlag}",
                f"  trend / autolag        {self.trend} / {self.autolag}",
                f"  p < level              {int(np.sum(self.pvalue < self.significance_level))}",
                f"  passes filters         {int(self.passes_filters.sum())}",
                f"  cointegrated           {int(self.cointegrated.sum())}",
                f"  complete               {self.complete}",
            ]
        )


class ScanCancelled(Exception):
    """Raised by :func:`scan_universe` when ``should_stop()`` returned True.

    Attributes
    ----------
    done, total : int
        Pairs finished before stopping, and pairs in the universe.
    partial : ScanResult
        Rows of the finished pairs (``complete=False``; q-values over those rows only).
    """

    def __init__(self, done: int, total: int, partial: ScanResult) -> None:
        super().__init__(f"scan cancelled after {done} of {total} pairs")
        self.done = done
        self.total = total
        self.partial = partial


@dataclasses.dataclass(frozen=True)
class _Prepared:
    z: FloatArray
    d: FloatArray
    scale: FloatArray
    intercept: FloatArray
    tss: FloatArray
    qdiag: FloatArray
    dhead: FloatArray
    dtail: FloatArray
    ehead: FloatArray
    etail: FloatArray
    sum_e: FloatArray
    sum_d: FloatArray


def _prepare(prices: FloatArray, trend: Trend, lmax: int) -> _Prepared:
    """Project out the deterministic terms, scale to unit RMS, precompute diagonals/edges."""
    t_len, n = prices.shape
    if trend == "n":
        zr = prices.copy()
        intercept = np.zeros(n)
        tss = np.einsum("ij,ij->j", prices, prices)
    else:
        mean = prices.mean(axis=0)
        centred = prices - mean
        tss = np.einsum("ij,ij->j", centred, centred)
        if trend == "c":
            zr = centred
            intercept = mean
        else:
            det = deterministic_terms(t_len, trend)
            coef, *_ = np.linalg.lstsq(det, prices, rcond=None)
            zr = prices - det @ coef
            intercept = coef[0]
    rms = np.sqrt(np.einsum("ij,ij->j", zr, zr) / t_len)
    scale = np.where(rms > 0.0, rms, 1.0)
    z = np.ascontiguousarray(zr / scale)
    d = np.diff(z, axis=0)
    qdiag = np.empty((n, lmax + 2))
    qdiag[:, 0] = np.einsum("ij,ij->j", d, d)
    for k in range(1, lmax + 1):
        w = d[: t_len - 1 - k] + d[k:]
        qdiag[:, k] = np.einsum("ij,ij->j", w, w)
    qdiag[:, lmax + 1] = np.einsum("ij,ij->j", z, z)
    return _Prepared(
        z=z,
        d=d,
        scale=scale,
        intercept=np.asarray(intercept, dtype=np.float64),
        tss=tss / scale**2,
        qdiag=qdiag,
        dhead=np.ascontiguousarray(d[:lmax].T),
        dtail=np.ascontiguousarray(d[t_len - 1 - lmax :].T),
        ehead=np.ascontiguousarray(z[: lmax + 1].T),
        etail=np.ascontiguousarray(z[t_len - 1 - lmax :].T),
        sum_e=z[:-1].sum(axis=0),
        sum_d=d.sum(axis=0),
    )


def _gram_block(a: FloatArray, b: FloatArray, same: bool) -> FloatArray:
    """``a.T @ b``; for a diagonal block only the upper triangle is needed (BLAS syrk)."""
    if same:
        return np.asarray(_blas.dsyrk(1.0, a.T), dtype=np.float64)
    return np.asarray(a.T @ b, dtype=np.float64)


def _block_sums(prep: _Prepared, idx_a: IntArray, idx_b: IntArray, lmax: int) -> FloatArray:
    """Twice the cross products of every quantity, laid out ``(len(a), len(b), lmax + 2)``.

    Channel 0: ``D'D``; k = 1..lmax: ``W_k'W_k`` with ``W_k = D[:-k] + D[k:]``;
    lmax + 1: ``Z'Z``. For a diagonal block only the upper triangle is filled.
    """
    same = idx_a is idx_b
    da = np.ascontiguousarray(prep.d[:, idx_a])
    db = da if same else np.ascontiguousarray(prep.d[:, idx_b])
    nd = da.shape[0]
    out = np.empty((idx_a.size, idx_b.size, lmax + 2))
    out[:, :, 0] = _gram_block(da, db, same)
    for k in range(1, lmax + 1):
        wa = da[: nd - k] + da[k:]
        wb = wa if same else db[: nd - k] + db[k:]
        out[:, :, k] = _gram_block(wa, wb, same)
    za = np.ascontiguousarray(prep.z[:, idx_a])
    zb = za if same else np.ascontiguousarray(prep.z[:, idx_b])
    out[:, :, lmax + 1] = _gram_block(za, zb, same)
    out *= 2.0
    return out


def _check_prices(prices: Any, symbols: Sequence[str] | None) -> tuple[FloatArray, tuple[str, ...]]:
    names: Sequence[Any] | None = symbols
    if names is None and hasattr(prices, "columns"):
        names = [str(c) for c in prices.columns]
    arr = np.array(prices, dtype=np.float64, copy=True)
    if arr.ndim != 2:
        raise ValueError(f"prices must be 2-D (bars x symbols), got shape {arr.shape}")
    t_len, n = arr.shape
    if n < 2:
        raise ValueError("at least two symbols are needed")
    if t_len < 8:
        raise ValueError("at least 8 bars are needed")
    if not np.all(np.isfinite(arr)):
        raise ValueError("prices contain NaN or infinite values (align and clean them first)")
    if names is None:
        names = [str(k) for k in range(n)]
    if len(names) != n:
        raise ValueError(f"{len(names)} symbols given for {n} columns")
    return arr, tuple(str(s) for s in names)


def scan_universe(
    prices: Any,
    *,
    symbols: Sequence[str] | None = None,
    trend: Trend = "c",
    autolag: Autolag | None = "aic",
    maxlag: int | None = None,
    significance_level: float = 0.05,
    min_correlation: float | None = None,
    max_half_life: float | None = None,
    fdr: float | None = 0.05,
    directions: Directions = "forward",
    chunk_pairs: int = 65_536,
    progress: Callable[[int, int], object] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> ScanResult:
    r"""Engle-Granger cointegration test of every pair of a universe, exactly as ``coint``.

    For each pair the statistic, p-value, lag and critical values equal
    :func:`statsmodels.tsa.stattools.coint` (``trend``, ``autolag``, ``maxlag``) and
    :func:`engine.pairs.engle_granger` to rounding error, but no per-pair regression is
    run. With the columns ``Z`` of the price matrix after projecting out the deterministic
    terms (and scaling to unit RMS for conditioning), the residual of the cointegrating
    regression of pair :math:`(y, x)` is :math:`e = Z_y - b Z_x`, so each sum of products in
    its ADF regression is a quadratic form

    .. math:: \sum_t f_t g_t = M_{yy} - b (M_{yx} + M_{xy}) + b^2 M_{xx}

    of cross-product matrices :math:`M` built once by matrix products over lagged windows of
    :math:`\Delta Z` (one per lag) and :math:`Z`. Sums over statsmodels' exact samples are
    recovered by subtracting the products of the first and last rows; a Cholesky
    factorization of each pair's small :math:`(p+2) \times (p+2)` Gram matrix gives the
    residual sums of squares of all nested lag models (its log-likelihood AIC/BIC on the
    common ``maxlag`` sample) and, refitted on the chosen lag's own sample, the t-statistic.

    Parameters
    ----------
    prices : array_like, shape (T, N)
        Aligned log prices, one column per symbol, no NaN (a DataFrame's columns give the
        symbol names).
    symbols : sequence of str, optional
        Names of the columns.
    trend, autolag, maxlag :
        As :func:`engine.pairs.engle_granger` (``maxlag`` default from ``T``).
    significance_level : float
        Level for the raw p-values.
    min_correlation, max_half_life : float, optional
        Filters on the correlation of returns and on the half-life (bars).
    fdr : float or None
        Benjamini-Hochberg false discovery rate; None disables the FDR condition.
    directions : {"forward", "both"}
        ``"forward"``: column ``i`` regressed on column ``j`` for ``i < j``; ``"both"``:
        also ``j`` on ``i``.
    chunk_pairs : int
        Upper bound on the pairs per chunk: symbols are processed in blocks of
        ``isqrt(chunk_pairs)``, and a chunk's working memory is about
        ``8 (maxlag + 2) chunk_pairs`` bytes plus two (T, isqrt(chunk_pairs)) blocks.
    progress : callable, optional
        Called as ``progress(done, total)`` (in pairs) after each chunk.
    should_stop : callable, optional
        Polled before each chunk; when it returns True the scan raises
        :class:`ScanCancelled` carrying the partial result.

    Returns
    -------
    ScanResult

    Raises
    ------
    ScanCancelled
        When ``should_stop()`` returned True.

    Notes
    -----
    Benjamini-Hochberg q-values are computed over every row with a finite p-value (all
    hypotheses tested), before the filters, so the filters cannot make the FDR control
    optimistic. Pairs whose cointegrating regression has :math:`R^2 \ge 1 - 100\sqrt\epsilon`
    get ``tstat = -inf`` and ``pvalue = 0`` as in statsmodels.

    References
    ----------
    Engle, R.F. and Granger, C.W.J. (1987). Co-integration and error correction.
    *Econometrica* 55(2), 251-276.
    Benjamini, Y. and Hochberg, Y. (1995). Controlling the false discovery rate. *Journal
    of the Royal Statistical Society B* 57(1), 289-300.
    """
    arr, names = _check_prices(prices, symbols)
    tr = check_trend(trend)
    al = check_autolag(autolag)
    level = check_level(significance_level)
    fdr_level = None if fdr is None else check_level(fdr, "fdr")
    if directions not in ("forward", "both"):
        raise ValueError("directions must be 'forward' or 'both'")
    if chunk_pairs < 1:
        raise ValueError("chunk_pairs must be positive")
    t_len, n = arr.shape
    lmax = resolve_maxlag(t_len, maxlag)
    prep = _prepare(arr, tr, lmax)

    n_pairs = n * (n - 1) // 2
    per = 2 if directions == "both" else 1
    rows = n_pairs * per
    out_beta = np.full(rows, np.nan)
    out_stat = np.full(rows, np.nan)
    out_lag = np.full(rows, -1, dtype=np.int64)
    out_hl = np.full(rows, np.nan)
    out_corr = np.full(rows, np.nan)
    out_rsq = np.full(rows, np.nan)
    done_mask = np.zeros(rows, dtype=bool)
    dep_all = np.empty(rows, dtype=np.int64)
    reg_all = np.empty(rows, dtype=np.int64)

    block = max(1, math.isqrt(int(chunk_pairs)))
    starts = list(range(0, n, block))
    done = 0
    for ia, sa in enumerate(starts):
        idx_a = np.arange(sa, min(sa + block, n), dtype=np.int64)
        for sb in starts[ia:]:
            if should_stop is not None and should_stop():
                partial = _assemble(
                    done_mask, dep_all, reg_all, out_beta, out_stat, out_lag, out_hl,
                    out_corr, prep, names, tr, al, lmax, t_len, level, fdr_level,
                    min_correlation, max_half_life, directions, complete=False,
                )  # fmt: skip
                raise ScanCancelled(done, n_pairs, partial)
            same = sb == sa
            idx_b = idx_a if same else np.arange(sb, min(sb + block, n), dtype=np.int64)
            if same:
                la, lb = (v.astype(np.int64) for v in np.triu_indices(idx_a.size, 1))
            else:
                la = np.repeat(np.arange(idx_a.size, dtype=np.int64), idx_b.size)
                lb = np.tile(np.arange(idx_b.size, dtype=np.int64), idx_a.size)
            if la.size == 0:  # a one-symbol diagonal block
                continue
            gi, gj = idx_a[la], idx_b[lb]
            pos = gi * n - gi * (gi + 1) // 2 + (gj - gi - 1)
            qsym = _block_sums(prep, idx_a, idx_b, lmax)
            if per == 2:
                dep = np.concatenate([gi, gj])
                reg = np.concatenate([gj, gi])
                loc_a = np.concatenate([la, la])
                loc_b = np.concatenate([lb, lb])
                where = np.concatenate([2 * pos, 2 * pos + 1])
            else:
                dep, reg, loc_a, loc_b, where = gi, gj, la, lb, pos
            m = dep.size
            beta = np.empty(m)
            stat = np.empty(m)
            lag = np.empty(m, dtype=np.int64)
            hl = np.empty(m)
            corr = np.empty(m)
            rsq = np.empty(m)
            _scan_nb.eg_pairs(
                dep, reg, loc_a, loc_b, qsym, prep.qdiag, prep.dhead, prep.dtail,
                prep.ehead, prep.etail, prep.tss, prep.sum_e, prep.sum_d, t_len, lmax,
                _IC[al], RSQ_COLLINEAR, beta, stat, lag, hl, corr, rsq,
            )  # fmt: skip
            out_beta[where] = beta
            out_stat[where] = stat
            out_lag[where] = lag
            out_hl[where] = hl
            out_corr[where] = corr
            out_rsq[where] = rsq
            dep_all[where] = dep
            reg_all[where] = reg
            done_mask[where] = True
            done += gi.size
            if progress is not None:
                progress(done, n_pairs)
    return _assemble(
        done_mask, dep_all, reg_all, out_beta, out_stat, out_lag, out_hl, out_corr, prep,
        names, tr, al, lmax, t_len, level, fdr_level, min_correlation, max_half_life,
        directions, complete=True,
    )  # fmt: skip


def _assemble(
    done_mask: BoolArray,
    dep: IntArray,
    reg: IntArray,
    beta_z: FloatArray,
    stat: FloatArray,
    lag: IntArray,
    slope: FloatArray,
    corr: FloatArray,
    prep: _Prepared,
    names: tuple[str, ...],
    trend: Trend,
    autolag: Autolag | None,
    lmax: int,
    t_len: int,
    level: float,
    fdr: float | None,
    min_correlation: float | None,
    max_half_life: float | None,
    directions: Directions,
    *,
    complete: bool,
) -> ScanResult:
    sel = np.flatnonzero(done_mask)
    i, j = dep[sel], reg[sel]
    beta = beta_z[sel] * prep.scale[i] / prep.scale[j]
    alpha = prep.intercept[i] - beta * prep.intercept[j] if trend != "n" else np.zeros(sel.size)
    tstat = stat[sel]
    pvalue = coint_pvalues(tstat, trend=trend)
    qvalue = benjamini_hochberg(pvalue)
    half_life = half_life_from_slope(slope[sel])
    correlation = corr[sel]
    passes = filter_mask(correlation, half_life, min_correlation, max_half_life)
    coint = passes & (np.nan_to_num(pvalue, nan=1.0) < level)
    if fdr is not None:
        coint &= np.nan_to_num(qvalue, nan=1.0) <= fdr
    crit = coint_critical_values(t_len - 1, trend=trend)
    sym = np.array(names, dtype=np.str_)
    return ScanResult(
        i=i,
        j=j,
        symbol_1=sym[i],
        symbol_2=sym[j],
        beta=beta,
        alpha=np.asarray(alpha, dtype=np.float64),
        tstat=tstat,
        pvalue=pvalue,
        lag=lag[sel],
        qvalue=qvalue,
        half_life=half_life,
        correlation=correlation,
        passes_filters=passes,
        cointegrated=coint,
        critical_values=(float(crit[0]), float(crit[1]), float(crit[2])),
        symbols=names,
        nobs=t_len,
        maxlag=lmax,
        trend=trend,
        autolag=autolag,
        directions=directions,
        significance_level=level,
        fdr=fdr,
        complete=complete,
    )
