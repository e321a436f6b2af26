"""Pair selection on a train window: Engle-Granger scan, filters, top-k by p-value."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import numpy as np

from engine._results import Result
from engine._typing import FloatArray
from engine.pairs import scan_universe

__all__ = ["SelectedPair", "select_pairs"]


@dataclasses.dataclass(frozen=True)
class SelectedPair(Result):
    """A pair chosen on a train window, with its train-window hedge.

    ``log y = alpha + beta log x + e`` by OLS on the train window's log prices (the
    cointegrating regression of the Engle-Granger test); ``i``/``j`` are the columns of
    ``symbol_y``/``symbol_x`` in the universe.
    """

    symbol_y: str
    symbol_x: str
    i: int
    j: int
    beta: float
    alpha: float
    pvalue: float
    qvalue: float
    half_life: float
    correlation: float


def select_pairs(
    log_prices: FloatArray,
    symbols: Sequence[str],
    *,
    top_k: int,
    significance_level: float,
    min_correlation: float | None,
    max_half_life: float | None,
    fdr: float | None,
    unique_symbols: bool,
    positive_beta: bool,
) -> tuple[SelectedPair, ...]:
    """Top-k cointegrated pairs of a train window, by increasing Engle-Granger p-value.

    Both regression directions are tested (:func:`engine.pairs.scan_universe`,
    ``directions="both"``, ``trend="c"``, ``autolag="aic"``); each unordered pair keeps
    its direction with the smaller p-value. A pair is eligible when the scan marks it
    cointegrated (p-value below ``significance_level``, the correlation and half-life
    filters, and the Benjamini-Hochberg q-value <= ``fdr`` when given) and, with
    ``positive_beta``, its hedge ratio is > 0. With ``unique_symbols`` a symbol appears in
    at most one selected pair (greedy in p-value order). Ties in p-value go to the lower
    (i, j).
    """
    scan = scan_universe(
        log_prices,
        symbols=list(symbols),
        trend="c",
        autolag="aic",
        significance_level=significance_level,
        min_correlation=min_correlation,
        max_half_life=max_half_life,
        fdr=fdr,
        directions="both",
    )
    ok = scan.cointegrated & np.isfinite(scan.pvalue) & np.isfinite(scan.beta)
    if positive_beta:
        ok &= scan.beta > 0
    rows = np.flatnonzero(ok)
    lo = np.minimum(scan.i[rows], scan.j[rows])
    hi = np.maximum(scan.i[rows], scan.j[rows])
    order = rows[np.lexsort((scan.j[rows], scan.i[rows], hi, lo, scan.pvalue[rows]))]
    seen_pairs: set[tuple[int, int]] = set()
    used: set[int] = set()
    out: list[SelectedPair] = []
    for r in order:
        i, j = int(scan.i[r]), int(scan.j[r])
        key = (min(i, j), max(i, j))
        if key in seen_pairs:
            continue
        seen_pairs.add(key)
        if unique_symbols and (i in used or j in used):
            continue
        used.update((i, j))
        out.append(
            SelectedPair(
                symbol_y=str(symbols[i]),
                symbol_x=str(symbols[j]),
                i=i,
                j=j,
                beta=float(scan.beta[r]),
                alpha=float(scan.alpha[r]),
                pvalue=float(scan.pvalue[r]),
                qvalue=float(scan.qvalue[r]),
                half_life=float(scan.half_life[r]),
                correlation=float(scan.correlation[r]),
            )
        )
        if len(out) == top_k:
            break
    return tuple(out)
