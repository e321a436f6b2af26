"""Fold layouts checked by hand on small index ranges."""

from __future__ import annotations

import pytest

from engine.walkforward import Fold, make_folds


def ranges(folds: tuple[Fold, ...]) -> list[tuple[int, int, int, int, int]]:
    return [(f.train_start, f.train_end, f.test_start, f.test_end, f.planned_end) for f in folds]


def test_rolling_no_embargo() -> None:
    # 20 bars, train 5, test 4: tests [5,9) [9,13) [13,17) [17,20 of a planned 21)
    got = ranges(make_folds(20, train_bars=5, test_bars=4))
    assert got == [
        (0, 5, 5, 9, 9),
        (4, 9, 9, 13, 13),
        (8, 13, 13, 17, 17),
        (12, 17, 17, 20, 21),
    ]
    folds = make_folds(20, train_bars=5, test_bars=4)
    assert [f.complete for f in folds] == [True, True, True, False]
    assert [f.index for f in folds] == [0, 1, 2, 3]


def test_rolling_with_embargo() -> None:
    # embargo 2: the first test starts at 5 + 2 = 7; train ends 2 bars before each test
    got = ranges(make_folds(20, train_bars=5, test_bars=4, embargo=2))
    assert got == [
        (0, 5, 7, 11, 11),
        (4, 9, 11, 15, 15),
        (8, 13, 15, 19, 19),
        (12, 17, 19, 20, 23),
    ]
    assert all(
        f.embargo == 2 and f.train_bars == 5
        for f in make_folds(20, train_bars=5, test_bars=4, embargo=2)
    )


def test_anchored_with_embargo() -> None:
    got = ranges(make_folds(20, train_bars=5, test_bars=4, embargo=1, window="anchored"))
    assert got == [
        (0, 5, 6, 10, 10),
        (0, 9, 10, 14, 14),
        (0, 13, 14, 18, 18),
        (0, 17, 18, 20, 22),
    ]


def test_start_n_folds_and_min_test_bars() -> None:
    # n_folds without test_bars: (23 - 5) // 3 = 6 bars each
    assert ranges(make_folds(23, train_bars=5, n_folds=3)) == [
        (0, 5, 5, 11, 11),
        (6, 11, 11, 17, 17),
        (12, 17, 17, 23, 23),
    ]
    # remainder (25 - 5 = 20 = 3 * 6 + 2) goes to the last fold
    assert ranges(make_folds(25, train_bars=5, n_folds=3))[-1] == (12, 17, 17, 25, 25)
    # with test_bars, n_folds caps the count (first folds); start shifts everything
    assert ranges(make_folds(40, train_bars=5, test_bars=4, n_folds=2, start=3)) == [
        (3, 8, 8, 12, 12),
        (7, 12, 12, 16, 16),
    ]
    # a partial last window shorter than min_test_bars is dropped
    assert len(make_folds(20, train_bars=5, test_bars=4, min_test_bars=4)) == 3


def test_layout_errors() -> None:
    with pytest.raises(ValueError, match="no test data"):
        make_folds(10, train_bars=8, test_bars=2, embargo=2)
    with pytest.raises(ValueError, match="test_bars or n_folds"):
        make_folds(10, train_bars=5)
    with pytest.raises(ValueError, match="window"):
        make_folds(20, train_bars=5, test_bars=4, window="expanding")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="inconsistent"):
        Fold(0, 5, 4, 6, 8)
