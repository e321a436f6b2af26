"""Numba kernel of the universe scan: exact Engle-Granger for many pairs (private).

For a pair with hedge ratio ``b`` every Engle-Granger residual series is a linear
combination of two columns of the (deterministic-projected, scaled) price matrix ``Z``:
``e = Z_y - b Z_x`` and ``d = D_y - b D_x`` with ``D = diff(Z)``. Hence every sum of
products the residual ADF regression needs is a quadratic form

    sum_t f(e)_t g(e)_t = M[y, y] - b (M[y, x] + M[x, y]) + b^2 M[x, x]

in a cross-product matrix ``M`` of the universe, computed once per block of symbols by
matrix products (``scan.py``). The kernel below receives, per pair, the symmetric sums
``M[y, x] + M[x, y]`` and the diagonals, for

* ``M_0 = sum_u D_u D_u^T``,
* ``W_k^T W_k`` with ``W_k = D[:-k] + D[k:]`` (k = 1..maxlag); for the pair,
  ``sum_u w_u^2 = A + B + 2 sum_u d_u d_{u+k}`` where ``A`` and ``B`` are ``sum d^2`` without
  the last / first ``k`` terms, which gives the lag-k products with one matrix product
  (instead of two) per lag,
* ``M_S = sum_{s=0}^{T-1} Z_s Z_s^T``: levels (cointegrating regression),

and the first / last ``maxlag`` rows of ``Z`` and ``D``. The sums over the exact samples of
statsmodels' regressions (common sample of the lag search, own sample of the refit) are the
full sums minus "edge" products of the first and last rows (prefix/suffix sums). Sums of
``e_{t-1} d_{t-a}`` use the identity ``e_{t-1} = e_{t-a-1} + sum_{r=t-a}^{t-1} d_r``, and
the full sum of ``e_{q-1} d_q`` is ``(e_{T-1}^2 - e_0^2 - sum d^2) / 2`` (summation by
parts), so they need no matrix of their own. A Cholesky
factorization of the Gram matrix ``[regressors..., target]`` then yields the residual sum
of squares of every nested lag model at once (trailing squares of the target's row) and the
t-statistic of the level coefficient (ordered last) of the refit.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, TypeVar, cast

import numba
import numpy as np

F = TypeVar("F", bound=Callable[..., Any])

LOG_2PI = math.log(2.0 * math.pi)
TSTAT_STOP = 1.6448536269514722

# autolag codes
IC_NONE = 0
IC_AIC = 1
IC_BIC = 2
IC_TSTAT = 3


def _jit(parallel: bool = False, fastmath: set[str] | bool = False) -> Callable[[F], F]:
    def deco(fn: F) -> F:
        return cast(
            F,
            numba.njit(
                cache=True, parallel=parallel, error_model="numpy", nogil=True, fastmath=fastmath
            )(fn),
        )

    return deco


@_jit()
def _fill_gram(
    g: np.ndarray,
    final: bool,
    p: int,
    t_len: int,
    qk: np.ndarray,
    qc: float,
    qe: float,
    hd: np.ndarray,
    td: np.ndarray,
    he: np.ndarray,
    te: np.ndarray,
    lmax: int,
    pre: np.ndarray,
    suf: np.ndarray,
) -> None:
    """Gram matrix of the ADF regression with ``p`` lags on sample ``t = p+1..T-1``.

    Order: search (``final=False``) ``[e_{t-1}, d_{t-1}..d_{t-p}, d_t]``; refit
    (``final=True``) ``[d_{t-1}..d_{t-p}, e_{t-1}, d_t]``.
    ``hd[u-1] = d_u`` (u = 1..lmax), ``td[w-(T-lmax)] = d_w`` (w = T-lmax..T-1),
    ``he[s] = e_s`` (s = 0..lmax-1), ``te[s-(T-lmax-1)] = e_s`` (s = T-lmax-1..T-1).
    """
    big_t = t_len
    off_td = big_t - lmax
    off_te = big_t - lmax - 1
    ylag = p + 1
    lev = p if final else 0
    # index of the "lag a" difference column (a = 0 is the target)
    for k in range(p + 1):
        # pre[m] = sum_{u=1}^{m} d_u d_{u+k}, m = 0..p-k
        pre[0] = 0.0
        for m in range(1, p - k + 1):
            pre[m] = pre[m - 1] + hd[m - 1] * hd[m - 1 + k]
        # suf[m] = sum_{w=T-m}^{T-1} d_w d_{w-k}, m = 0..p-k
        suf[0] = 0.0
        for m in range(1, p - k + 1):
            w = big_t - m
            suf[m] = suf[m - 1] + td[w - off_td] * td[w - k - off_td]
        for a in range(p - k + 1):
            b = a + k
            val = qk[k] - pre[p - b] - suf[a]
            if a == 0:
                ia = ylag
            elif final:
                ia = a - 1
            else:
                ia = a
            if b == 0:
                ib = ylag
            elif final:
                ib = b - 1
            else:
                ib = b
            g[ia, ib] = val
            g[ib, ia] = val
    # level x differences: c_q = e_{q-1} d_q;
    # CW(a) = qc - sum_{q=1}^{p-a} c_q - sum_{q=T-a}^{T-1} c_q
    pre[0] = 0.0
    for m in range(1, p + 1):
        pre[m] = pre[m - 1] + he[m - 1] * hd[m - 1]
    suf[0] = 0.0
    for m in range(1, p + 1):
        q = big_t - m
        suf[m] = suf[m - 1] + te[q - 1 - off_te] * td[q - off_td]
    for a in range(p + 1):
        val = qc - pre[p - a] - suf[a]
        if a == 0:
            ia = ylag
        else:
            ia = a - 1 if final else a
            # e_{t-1} d_{t-a} = c_{t-a} + sum_{b=1}^{a} d_{t-b} d_{t-a}
            for b in range(1, a + 1):
                ib = b - 1 if final else b
                val += g[ib, ia]
        g[lev, ia] = val
        g[ia, lev] = val
    # level x level: sum_{s=p}^{T-2} e_s^2
    val = qe
    for s in range(p):
        val -= he[s] * he[s]
    g[lev, lev] = val


@_jit(fastmath={"reassoc", "contract"})
def _cholesky_inplace(g: np.ndarray, n: int) -> bool:
    """Lower Cholesky factor of ``g[:n, :n]`` written into its lower triangle."""
    for j in range(n):
        s = g[j, j]
        for r in range(j):
            s -= g[j, r] * g[j, r]
        if not s > 0.0:
            return False
        d = math.sqrt(s)
        g[j, j] = d
        for i in range(j + 1, n):
            s = g[i, j]
            for r in range(j):
                s -= g[i, r] * g[j, r]
            g[i, j] = s / d
    return True


@_jit(parallel=True)
def eg_pairs(
    dep: np.ndarray,
    reg: np.ndarray,
    loc_a: np.ndarray,
    loc_b: np.ndarray,
    qsym: np.ndarray,
    qdiag: np.ndarray,
    dhead: np.ndarray,
    dtail: np.ndarray,
    ehead: np.ndarray,
    etail: np.ndarray,
    tss: np.ndarray,
    sum_e: np.ndarray,
    sum_d: np.ndarray,
    t_len: int,
    lmax: int,
    ic: int,
    rsq_max: float,
    out_beta: np.ndarray,
    out_stat: np.ndarray,
    out_lag: np.ndarray,
    out_hl: np.ndarray,
    out_corr: np.ndarray,
    out_rsq: np.ndarray,
) -> None:
    """Engle-Granger of ``Z[:, dep[i]]`` on ``Z[:, reg[i]]`` for every pair ``i``.

    ``qsym[loc_a[i], loc_b[i], c]`` holds ``M[y, x] + M[x, y]`` of quantity ``c``
    (0: ``M_0``; 1..lmax: ``W_c^T W_c``; lmax+1: ``M_S``) and ``qdiag[n, c]`` its diagonal.
    ``ehead`` holds rows ``0..lmax`` of ``Z``.
    Outputs: hedge ratio in ``Z`` units, statistic, lag, half-life slope ``b`` of
    ``d_t = a + b e_{t-1}``, correlation of differences, R^2 of the cointegrating regression.
    """
    npairs = dep.shape[0]
    nq = lmax + 2
    big_t = t_len
    n_s = float(big_t - 1 - lmax)
    pen = 2.0 if ic == IC_AIC else math.log(n_s)
    # ic_m < ic_best  <=>  RSS_m exp(pen m / n) < RSS_best exp(pen best / n)  (no logs per pair)
    ic_factor = np.empty(lmax + 2)
    for m in range(lmax + 2):
        ic_factor[m] = math.exp(pen * m / n_s)
    n_chunks = (npairs + 255) // 256
    for c in numba.prange(n_chunks):
        qk = np.empty(nq)
        hd = np.empty(max(lmax, 1))
        td = np.empty(max(lmax, 1))
        he = np.empty(max(lmax, 1))
        te = np.empty(lmax + 1)
        g = np.empty((lmax + 2, lmax + 2))
        pre = np.empty(lmax + 2)
        suf = np.empty(lmax + 2)
        rss_m = np.empty(lmax + 2)
        for i in range(c * 256, min(npairs, (c + 1) * 256)):
            _one_pair(
                i, dep, reg, loc_a, loc_b, qsym, qdiag, dhead, dtail, ehead, etail, tss,
                sum_e, sum_d, big_t, lmax, ic, rsq_max, ic_factor, out_beta, out_stat,
                out_lag, out_hl, out_corr, out_rsq, qk, hd, td, he, te, g, pre, suf, rss_m,
            )  # fmt: skip


@_jit()
def _one_pair(
    i: int,
    dep: np.ndarray,
    reg: np.ndarray,
    loc_a: np.ndarray,
    loc_b: np.ndarray,
    qsym: np.ndarray,
    qdiag: np.ndarray,
    dhead: np.ndarray,
    dtail: np.ndarray,
    ehead: np.ndarray,
    etail: np.ndarray,
    tss: np.ndarray,
    sum_e: np.ndarray,
    sum_d: np.ndarray,
    big_t: int,
    lmax: int,
    ic: int,
    rsq_max: float,
    ic_factor: np.ndarray,
    out_beta: np.ndarray,
    out_stat: np.ndarray,
    out_lag: np.ndarray,
    out_hl: np.ndarray,
    out_corr: np.ndarray,
    out_rsq: np.ndarray,
    qk: np.ndarray,
    hd: np.ndarray,
    td: np.ndarray,
    he: np.ndarray,
    te: np.ndarray,
    g: np.ndarray,
    pre: np.ndarray,
    suf: np.ndarray,
    rss_m: np.ndarray,
) -> None:
    """Engle-Granger of pair ``i`` (see :func:`eg_pairs`), workspaces passed in."""
    nq = lmax + 2
    y = dep[i]
    x = reg[i]
    qv = qsym[loc_a[i], loc_b[i]]
    sxx = qdiag[x, lmax + 1]
    syy = qdiag[y, lmax + 1]
    beta = 0.5 * qv[lmax + 1] / sxx
    b2 = beta * beta
    ee = syy - beta * qv[lmax + 1] + b2 * sxx
    rsq = 1.0 - ee / tss[y]
    out_beta[i] = beta
    out_rsq[i] = rsq
    # return correlation (symmetric) from lag-0 difference products
    n1 = big_t - 1.0
    sdy = sum_d[y]
    sdx = sum_d[x]
    cxy = 0.5 * qv[0] - sdy * sdx / n1
    vyy = qdiag[y, 0] - sdy * sdy / n1
    vxx = qdiag[x, 0] - sdx * sdx / n1
    den = math.sqrt(vyy * vxx)
    out_corr[i] = cxy / den if den > 0.0 else math.nan
    for c in range(nq):
        qk[c] = qdiag[y, c] - beta * qv[c] + b2 * qdiag[x, c]
    for u in range(lmax):
        hd[u] = dhead[y, u] - beta * dhead[x, u]
        td[u] = dtail[y, u] - beta * dtail[x, u]
        he[u] = ehead[y, u] - beta * ehead[x, u]
    for u in range(lmax + 1):
        te[u] = etail[y, u] - beta * etail[x, u]
    e_last = te[lmax]
    e_first = ehead[y, 0] - beta * ehead[x, 0]
    # lag-k products from sum w^2 = (q0 - tail_k) + (q0 - head_k) + 2 q_k
    q0 = qk[0]
    head_sq = 0.0
    tail_sq = 0.0
    for k in range(1, lmax + 1):
        head_sq += hd[k - 1] * hd[k - 1]
        tail_sq += td[lmax - k] * td[lmax - k]
        qk[k] = 0.5 * qk[k] - q0 + 0.5 * (head_sq + tail_sq)
    qc = 0.5 * (e_last * e_last - e_first * e_first - q0)
    qe = ee - e_last * e_last  # sum_{s=0}^{T-2} e_s^2
    # half-life regression d_t = a + b e_{t-1}, t = 1..T-1
    se = sum_e[y] - beta * sum_e[x]
    sd = sum_d[y] - beta * sum_d[x]
    sxx_h = qe - se * se / n1
    sxy_h = qc - se * sd / n1
    out_hl[i] = sxy_h / sxx_h if sxx_h > 0.0 else math.nan
    if math.isnan(rsq) or math.isnan(beta):  # a constant series
        out_stat[i] = math.nan
        out_lag[i] = -1
        return
    if not rsq < rsq_max:  # (almost) collinear: statsmodels reports -inf
        out_stat[i] = -math.inf
        out_lag[i] = -1
        return
    lag = lmax
    if ic != IC_NONE:
        _fill_gram(g, False, lmax, big_t, qk, qc, qe, hd, td, he, te, lmax, pre, suf)
        k = lmax + 1
        if not _cholesky_inplace(g, k + 1):
            out_stat[i] = math.nan
            out_lag[i] = -1
            return
        n = float(big_t - 1 - lmax)
        # RSS of the model with the first m regressors = sum_{r >= m} L[y, r]^2
        # (r = 0..k, L[y, k] being the diagonal entry of the target)
        best = 0
        if ic == IC_TSTAT:
            tail = g[k, k] * g[k, k]
            for m in range(k, 0, -1):
                sigma = math.sqrt(tail / (n - m))
                tl = abs(g[k, m - 1]) / sigma
                best = m - 1
                if tl >= TSTAT_STOP:
                    break
                tail += g[k, m - 1] * g[k, m - 1]
        else:
            # AIC/BIC = n ln(RSS_m) + pen m + const: compare RSS_m * exp(pen m / n)
            acc = g[k, k] * g[k, k]
            rss_m[k] = acc
            for m in range(k - 1, 0, -1):
                acc += g[k, m] * g[k, m]
                rss_m[m] = acc
            best_v = math.inf
            for m in range(1, k + 1):
                v = rss_m[m] * ic_factor[m]
                if v < best_v:
                    best_v = v
                    best = m - 1
        lag = best
    _fill_gram(g, True, lag, big_t, qk, qc, qe, hd, td, he, te, lmax, pre, suf)
    k = lag + 1
    if not _cholesky_inplace(g, k + 1):
        out_stat[i] = math.nan
        out_lag[i] = lag
        return
    n = float(big_t - 1 - lag)
    rss = g[k, k] * g[k, k]
    sigma = math.sqrt(rss / (n - k))
    out_stat[i] = g[k, lag] / sigma
    out_lag[i] = lag
