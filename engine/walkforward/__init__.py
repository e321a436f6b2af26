"""Walk-forward analysis: per-fold selection, hedge and parameters on train, trading on test.

* :func:`make_folds` / :class:`Fold` — rolling or anchored windows with an embargo gap.
* :func:`walk_forward` — the whole run with progress and cancellation between folds;
  :func:`run_fold` and :func:`assemble_walk_forward` split it for parallel execution.
* :class:`WalkForwardConfig`, :class:`FoldResult`, :class:`WalkForwardResult`.
"""

from engine.walkforward.folds import Fold, make_folds
from engine.walkforward.results import FoldResult, WalkForwardConfig, WalkForwardResult
from engine.walkforward.run import (
    assemble_walk_forward,
    parameter_stability,
    prepare_prices,
    run_fold,
    walk_forward,
)
from engine.walkforward.selection import SelectedPair, select_pairs

__all__ = [
    "Fold",
    "FoldResult",
    "SelectedPair",
    "WalkForwardConfig",
    "WalkForwardResult",
    "assemble_walk_forward",
    "make_folds",
    "parameter_stability",
    "prepare_prices",
    "run_fold",
    "select_pairs",
    "walk_forward",
]
