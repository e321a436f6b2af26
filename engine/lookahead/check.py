r"""Lookahead check by truncation: decisions at or before a cut must not depend on later data.

A run is a function of the price history that returns a :class:`DecisionTrace`: per-bar
decisions (events, positions, weights, regime labels, selected pairs ...) keyed by field
name. The check runs it on the full data and on the data truncated after each of K cut
bars :math:`c_1 < \dots < c_K`, and reports every value at a bar :math:`t \le c_k` that
differs between the two runs. A causal pipeline gives identical decisions (a run on
:math:`p_0..p_c` cannot know :math:`p_{c+1}..`); a pipeline that peeks ahead (a centred
rolling window, a hedge ratio fitted on the whole sample, a regime model smoothed with
future data) generally does not. The check is a *necessary* condition: a leak whose effect
never flips a decision at the chosen cuts goes unseen, so use several cuts.

This is the idea of freqtrade's ``lookahead-analysis`` (compare each signal of a full
backtest with the same signal computed on data that ends at that signal), applied to
whole pipelines, walk-forward included.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from engine._results import Result, to_json_value
from engine._typing import IntArray
from engine.compute import ComputeCancelled

__all__ = ["DecisionTrace", "LookaheadDifference", "LookaheadReport", "check_lookahead"]

Progress = Callable[[float, str], None]
ShouldStop = Callable[[], bool]


@dataclasses.dataclass(frozen=True)
class DecisionTrace(Result):
    """Per-bar decisions of one run.

    Attributes
    ----------
    bars : ndarray of int, shape (n,)
        Input bar index of each row (strictly increasing).
    fields : dict of str to ndarray, each of shape (n,)
        Decision series (integers compared exactly, floats to a tolerance, NaN equal to
        NaN).
    index : ndarray of datetime64, optional
        Timestamps of the input bars (all of them), for the report.
    """

    bars: IntArray
    fields: Mapping[str, np.ndarray]
    index: np.ndarray | None = None

    def __post_init__(self) -> None:
        bars = np.asarray(self.bars, dtype=np.int64)
        if bars.ndim != 1 or (bars.size > 1 and (np.diff(bars) <= 0).any()):
            raise ValueError("bars must be a strictly increasing 1-D array")
        fields = {}
        for k, v in self.fields.items():
            arr = np.asarray(v)
            if arr.shape != bars.shape:
                raise ValueError(f"field {k!r} has shape {arr.shape}, bars {bars.shape}")
            fields[str(k)] = arr
        object.__setattr__(self, "bars", bars)
        object.__setattr__(self, "fields", fields)


@dataclasses.dataclass(frozen=True)
class LookaheadDifference(Result):
    """One decision that changed when the data after ``cut`` was removed."""

    cut: int
    bar: int
    ts: Any
    field: str
    full_value: Any
    truncated_value: Any


@dataclasses.dataclass(frozen=True)
class LookaheadReport(Result):
    """Result of :func:`check_lookahead`.

    Attributes
    ----------
    ok : bool
        True when no decision at or before any cut changed.
    target : str
        What was checked.
    n_bars : int
        Bars of the full data.
    cuts : tuple of int
        Last bar kept by each truncated run.
    checks_run : int
        Truncated runs compared (one per cut).
    values_compared : int
        Field values compared over all cuts.
    n_differences : int
        Differences found (all of them).
    differences : tuple of LookaheadDifference
        The first ``max_differences`` of them, by cut then bar.
    first_difference_bar : dict
        Per cut (as a string) the earliest bar with a difference (None when clean).
    """

    ok: bool
    target: str
    n_bars: int
    cuts: tuple[int, ...]
    checks_run: int
    values_compared: int
    n_differences: int
    differences: tuple[LookaheadDifference, ...]
    first_difference_bar: dict[str, int | None]

    def summary(self) -> str:
        """Verdict, cuts and the first differences."""
        lines = [
            f"LookaheadReport({self.target}): {'OK' if self.ok else 'LOOKAHEAD DETECTED'}",
            f"  bars / cuts            {self.n_bars} / {list(self.cuts)}",
            f"  values compared        {self.values_compared}",
            f"  differences            {self.n_differences}",
        ]
        for d in self.differences[:5]:
            lines.append(
                f"    cut {d.cut} bar {d.bar} {d.field}: full {d.full_value!r} "
                f"vs truncated {d.truncated_value!r}"
            )
        return "\n".join(lines)


def truncate(data: Any, end: int) -> Any:
    """The first ``end`` rows (bars) of a DataFrame, Series or array (a copy)."""
    if isinstance(data, (pd.DataFrame, pd.Series)):
        return data.iloc[:end].copy()
    return np.array(data, copy=True)[:end]


def default_cuts(n_bars: int, k: int, first: int) -> tuple[int, ...]:
    """K cut bars spread evenly over ``[first, n_bars - 2]`` (distinct, increasing)."""
    if first > n_bars - 2:
        raise ValueError(f"no room for cuts: first cut {first} > last bar - 1 ({n_bars - 2})")
    return tuple(sorted({round(float(c)) for c in np.linspace(first, n_bars - 2, k)}))


def _equal(a: np.ndarray, b: np.ndarray, rtol: float, atol: float) -> np.ndarray:
    if a.dtype.kind == "f" or b.dtype.kind == "f":
        af, bf = a.astype(np.float64), b.astype(np.float64)
        both_nan = np.isnan(af) & np.isnan(bf)
        with np.errstate(invalid="ignore"):
            close = np.abs(af - bf) <= atol + rtol * np.abs(bf)
        return np.asarray(both_nan | close)
    return np.asarray(a == b)


def compare_traces(
    full: DecisionTrace,
    part: DecisionTrace,
    cut: int,
    *,
    rtol: float,
    atol: float,
    index: np.ndarray | None,
) -> tuple[int, list[LookaheadDifference]]:
    """Values compared and differences between two traces at bars ``<= cut``."""
    diffs: list[LookaheadDifference] = []

    def ts(bar: int) -> Any:
        return None if index is None or bar >= len(index) else to_json_value(index[bar])

    fm = full.bars <= cut
    pm = part.bars <= cut
    fb, pb = full.bars[fm], part.bars[pm]
    common, fi, pi = np.intersect1d(fb, pb, assume_unique=True, return_indices=True)
    for bar in np.setdiff1d(fb, pb):
        diffs.append(LookaheadDifference(cut, int(bar), ts(int(bar)), "<bar>", "present", None))
    for bar in np.setdiff1d(pb, fb):
        diffs.append(LookaheadDifference(cut, int(bar), ts(int(bar)), "<bar>", None, "present"))
    compared = 0
    for name in sorted(set(full.fields) | set(part.fields)):
        if name not in full.fields or name not in part.fields:
            diffs.append(LookaheadDifference(cut, -1, None, name, name in full.fields, None))
            continue
        a = full.fields[name][fm][fi]
        b = part.fields[name][pm][pi]
        compared += a.size
        for k in np.flatnonzero(~_equal(a, b, rtol, atol)):
            bar = int(common[k])
            diffs.append(
                LookaheadDifference(
                    cut, bar, ts(bar), name, to_json_value(a[k]), to_json_value(b[k])
                )
            )
    diffs.sort(key=lambda d: (d.bar, d.field))
    return compared, diffs


def check_lookahead(
    data: Any,
    run: Callable[[Any], DecisionTrace],
    *,
    cuts: int | Sequence[int] = 5,
    first_cut: int | None = None,
    target: str = "custom",
    rtol: float = 1e-9,
    atol: float = 1e-12,
    max_differences: int = 200,
    progress: Progress | None = None,
    should_stop: ShouldStop | None = None,
) -> LookaheadReport:
    """Run ``run`` on the full data and on the data truncated after each cut; compare.

    Parameters
    ----------
    data : DataFrame, Series or array_like
        The input history, bars along the first axis.
    run : callable
        ``run(data_prefix) -> DecisionTrace``. Must be deterministic; for a process pool,
        a picklable object (a module-level function or a class instance).
    cuts : int or sequence of int
        The number of cut bars (spread evenly from ``first_cut`` to the second last bar)
        or the cut bars themselves. Cut c keeps bars ``0..c``.
    first_cut : int, optional
        First cut for an integer ``cuts`` (default: a quarter of the data).
    target : str
        Label of the report.
    rtol, atol : float
        Float tolerance (the engine's runs are bit-identical under truncation; the
        tolerance only absorbs harmless rounding of other pipelines).
    max_differences : int
        Differences kept in the report (all are counted).
    progress, should_stop : callables, optional
        Called / polled between runs; stop raises :class:`~engine.compute.ComputeCancelled`.

    Returns
    -------
    LookaheadReport
    """
    n = len(data)
    if isinstance(cuts, (int, np.integer)) and not isinstance(cuts, bool):
        cut_list = default_cuts(n, int(cuts), n // 4 if first_cut is None else int(first_cut))
    else:
        cut_list = tuple(sorted({int(c) for c in cuts}))  # type: ignore[union-attr]
        if not cut_list or cut_list[0] < 1 or cut_list[-1] > n - 2:
            raise ValueError(f"cuts must lie in [1, {n - 2}]")
    total = len(cut_list) + 1
    if progress is not None:
        progress(0.0, "full run")
    full = run(data)
    index = full.index
    compared = 0
    diffs: list[LookaheadDifference] = []
    first: dict[str, int | None] = {}
    for k, c in enumerate(cut_list):
        if should_stop is not None and should_stop():
            raise ComputeCancelled("lookahead check cancelled", done=k + 1, total=total)
        if progress is not None:
            progress((k + 1) / total, f"run truncated after bar {c}")
        part = run(truncate(data, c + 1))
        m, d = compare_traces(full, part, c, rtol=rtol, atol=atol, index=index)
        compared += m
        diffs.extend(d)
        first[str(c)] = min((x.bar for x in d), default=None)
    if progress is not None:
        progress(1.0, "lookahead check done")
    return LookaheadReport(
        ok=not diffs,
        target=target,
        n_bars=n,
        cuts=cut_list,
        checks_run=len(cut_list),
        values_compared=compared,
        n_differences=len(diffs),
        differences=tuple(diffs[: max(0, int(max_differences))]),
        first_difference_bar=first,
    )
