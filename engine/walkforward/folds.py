r"""Walk-forward fold layout: rolling or anchored train windows, contiguous test windows.

All ranges are half-open bar indices ``[start, end)``. With ``s0 = start + train_bars +
embargo`` the test windows tile the data from ``s0`` on:

.. math::

    \text{test}_f = [s_0 + f\,h,\ \min(s_0 + (f+1)\,h,\ T)), \qquad
    \text{train}_f = [\text{test}_f^{start} - g - w,\ \text{test}_f^{start} - g)

for the rolling window (w = ``train_bars``, g = ``embargo``, h = ``test_bars``), and
:math:`\text{train}_f = [\text{start},\ \text{test}_f^{start} - g)` for the anchored
(expanding) window. The ``embargo`` bars between a train window and its test window are
used by neither (López de Prado 2018, ch. 7).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from engine._results import Result
from engine._typing import WindowKind

__all__ = ["Fold", "make_folds"]


@dataclasses.dataclass(frozen=True)
class Fold(Result):
    """One walk-forward fold (half-open bar ranges).

    ``planned_end`` is where the test window ends by the layout (``test_start +
    test_bars``); a last window cut short by the end of the data has ``test_end <
    planned_end``. Open positions are closed at the planned end, a date fixed by the layout
    and not by how much data there is, so a run on truncated data decides as the full run.
    """

    index: int
    train_start: int
    train_end: int
    test_start: int
    test_end: int
    planned_end: int = -1

    def __post_init__(self) -> None:
        if self.planned_end == -1:
            object.__setattr__(self, "planned_end", self.test_end)
        if not (
            0
            <= self.train_start
            < self.train_end
            <= self.test_start
            < self.test_end
            <= self.planned_end
        ):
            raise ValueError(f"inconsistent fold ranges: {self!r}")

    @property
    def complete(self) -> bool:
        """True unless the test window was cut short by the end of the data."""
        return self.test_end == self.planned_end

    @property
    def embargo(self) -> int:
        """Bars between the end of the train window and the start of the test window."""
        return self.test_start - self.train_end

    @property
    def train_bars(self) -> int:
        """Length of the train window."""
        return self.train_end - self.train_start

    @property
    def test_bars(self) -> int:
        """Length of the test window."""
        return self.test_end - self.test_start


def _int(name: str, v: Any, minimum: int) -> int:
    if isinstance(v, bool) or not isinstance(v, int) or v < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {v!r}")
    return v


def make_folds(
    n_bars: int,
    *,
    train_bars: int,
    test_bars: int | None = None,
    n_folds: int | None = None,
    embargo: int = 0,
    window: WindowKind = "rolling",
    start: int = 0,
    min_test_bars: int = 1,
) -> tuple[Fold, ...]:
    """Lay out walk-forward folds over ``n_bars`` bars.

    Parameters
    ----------
    n_bars : int
        Bars of data.
    train_bars : int
        Train window length (rolling), or the first train window's length (anchored).
    test_bars : int, optional
        Test window length. When omitted, ``n_folds`` equal windows fill the data after the
        first train window (the last one takes the remainder). A layout that must not
        depend on the data length (lookahead checks on truncated data) gives ``test_bars``.
    n_folds : int, optional
        With ``test_bars``: at most this many folds (the first ones). Without: the number
        of folds.
    embargo : int
        Bars skipped between each train window and its test window.
    window : {"rolling", "anchored"}
    start : int
        First bar used.
    min_test_bars : int
        A last, partial test window shorter than this is dropped.

    Returns
    -------
    tuple of Fold
    """
    n_bars = _int("n_bars", n_bars, 1)
    train_bars = _int("train_bars", train_bars, 2)
    embargo = _int("embargo", embargo, 0)
    start = _int("start", start, 0)
    min_test_bars = _int("min_test_bars", min_test_bars, 1)
    if window not in ("rolling", "anchored"):
        raise ValueError(f"window must be 'rolling' or 'anchored', got {window!r}")
    s0 = start + train_bars + embargo
    if s0 >= n_bars:
        raise ValueError(f"no test data: start + train_bars + embargo = {s0} >= {n_bars} bars")
    if test_bars is None:
        if n_folds is None:
            raise ValueError("give test_bars or n_folds")
        n_folds = _int("n_folds", n_folds, 1)
        h = (n_bars - s0) // n_folds
        if h < 1:
            raise ValueError(f"{n_bars - s0} test bars cannot make {n_folds} folds")
        bounds = [(s0 + f * h, s0 + (f + 1) * h) for f in range(n_folds)]
        bounds[-1] = (bounds[-1][0], n_bars)
        planned = [e for _, e in bounds]
    else:
        h = _int("test_bars", test_bars, 1)
        bounds, planned = [], []
        ts = s0
        while ts < n_bars and (n_folds is None or len(bounds) < n_folds):
            te = min(ts + h, n_bars)
            if te - ts < min(min_test_bars, h):
                break
            bounds.append((ts, te))
            planned.append(ts + h)
            ts = te
    out = []
    for f, ((ts, te), pe) in enumerate(zip(bounds, planned, strict=True)):
        tr_end = ts - embargo
        tr_start = tr_end - train_bars if window == "rolling" else start
        out.append(Fold(f, tr_start, tr_end, ts, te, pe))
    return tuple(out)
