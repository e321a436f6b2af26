"""Ready-made runs for the lookahead check: a pair backtest and a walk-forward.

Each run is a frozen, picklable callable ``run(prices) -> DecisionTrace`` computing the
*whole* pipeline from the prices it is given (hedge ratio, regimes, selection,
parameters), so that the check covers every estimation step, not only the signal rule.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from engine.backtest import Costs, backtest_pair
from engine.lookahead.check import DecisionTrace, LookaheadReport, check_lookahead
from engine.pairs import ols_hedge_ratio
from engine.params import ParameterSet, backtest_adaptive
from engine.regimes import RegimeMethod, detect_regimes
from engine.strategy import StrategyParams
from engine.walkforward import WalkForwardConfig, make_folds, prepare_prices, run_fold

__all__ = ["BacktestRun", "WalkForwardRun", "lookahead_backtest", "lookahead_walk_forward"]

Progress = Callable[[float, str], None]
ShouldStop = Callable[[], bool]
_DEFAULT_COSTS = Costs()


def _frame(prices: Any) -> pd.DataFrame:
    if not isinstance(prices, pd.DataFrame):
        raise TypeError("prices must be a DataFrame with one column per symbol")
    return prices


def market_labels(prices: pd.DataFrame, method: RegimeMethod, options: Mapping[str, Any]) -> Any:
    """Causal regime labels of the universe's equal-weight mean log return."""
    lp = np.log(prices.to_numpy(dtype=np.float64))
    market = np.empty(lp.shape[0])
    market[0] = np.nan
    market[1:] = np.diff(lp, axis=0).mean(axis=1)
    return detect_regimes(market, method=method, **dict(options)).labels


@dataclasses.dataclass(frozen=True)
class BacktestRun:
    """A pair backtest with its formation-window hedge (and regimes when adaptive).

    β, α: OLS of ``log y`` on ``log x`` over the first ``formation_bars`` bars. With a
    :class:`~engine.params.ParameterSet` the active set follows the causal regime labels
    of the universe's mean log return (``regime_method``, ``regime_options``). The trace
    holds events, positions, held sides, leg weights and z-scores (and labels).
    """

    y: str
    x: str
    params: StrategyParams | ParameterSet
    formation_bars: int = 252
    costs: Costs = _DEFAULT_COSTS
    regime_method: RegimeMethod = "volatility"
    regime_options: Mapping[str, Any] = dataclasses.field(default_factory=dict)

    def __call__(self, prices: Any) -> DecisionTrace:
        frame = _frame(prices)
        y = frame[self.y].to_numpy(dtype=np.float64)
        x = frame[self.x].to_numpy(dtype=np.float64)
        n = min(self.formation_bars, y.shape[0])
        h = ols_hedge_ratio(np.log(y[:n]), np.log(x[:n]))
        index = frame.index.to_numpy() if isinstance(frame.index, pd.DatetimeIndex) else None
        bars = np.arange(y.shape[0])
        fields: dict[str, np.ndarray]
        if isinstance(self.params, ParameterSet):
            labels = market_labels(frame, self.regime_method, self.regime_options)
            r = backtest_adaptive(
                y,
                x,
                labels,
                parameter_set=self.params,
                beta=h.beta,
                alpha=h.alpha,
                costs=self.costs,
            )
            fields = {
                "events": r.events,
                "position": r.position,
                "held": r.held,
                "weight_y": r.weights_y,
                "weight_x": r.weights_x,
                "zscore": r.zscore,
                "label": r.labels,
                "governing_set": r.governing_set,
            }
        else:
            b = backtest_pair(
                y, x, params=self.params, beta=h.beta, alpha=h.alpha, costs=self.costs
            )
            fields = {
                "events": b.signals.events,
                "position": b.signals.position,
                "held": b.signals.held,
                "weight_y": b.weights_y,
                "weight_x": b.weights_x,
                "zscore": b.signals.zscore,
            }
        return DecisionTrace(bars=bars, fields=fields, index=index)


@dataclasses.dataclass(frozen=True)
class WalkForwardRun:
    """A walk-forward run traced per stitched out-of-sample bar and slot.

    ``config.test_bars`` must be set (a fold layout that does not depend on the data
    length). Fields: ``label``, and per slot j ``slot<j>.pair`` (``i * N + j`` of the
    selected pair, -1 for an empty slot), ``.events``, ``.position``, ``.weight_y``,
    ``.weight_x``, ``.zscore``.
    """

    config: WalkForwardConfig

    def __post_init__(self) -> None:
        if self.config.test_bars is None:
            raise ValueError("WalkForwardRun needs config.test_bars (a length-free layout)")

    def __call__(self, prices: Any) -> DecisionTrace:
        arr, names, index = prepare_prices(prices)
        cfg = self.config
        assert cfg.test_bars is not None
        N = len(names)
        try:
            folds = make_folds(
                arr.shape[0],
                train_bars=cfg.train_bars,
                test_bars=cfg.test_bars,
                n_folds=cfg.n_folds,
                embargo=cfg.embargo,
                window=cfg.window,
            )
        except ValueError:
            folds = ()
        bars, fields = [], {"label": []}  # type: ignore[var-annotated]
        slot: dict[str, list[np.ndarray]] = {}
        for f in folds:
            r = run_fold(prices, f, config=cfg)
            m = f.test_bars
            bars.append(np.arange(f.test_start, f.test_end))
            fields["label"].append(r.labels)
            for j in range(cfg.top_k):
                has = j < len(r.pairs)
                code = r.pairs[j].i * N + r.pairs[j].j if has else -1
                vals = {
                    "pair": np.full(m, code, dtype=np.int64),
                    "events": r.events[j] if has else np.zeros(m, dtype=np.int8),
                    "position": r.position[j] if has else np.zeros(m, dtype=np.int8),
                    "weight_y": r.weights_y[j] if has else np.zeros(m),
                    "weight_x": r.weights_x[j] if has else np.zeros(m),
                    "zscore": r.zscore[j] if has else np.full(m, np.nan),
                }
                for k, v in vals.items():
                    slot.setdefault(f"slot{j}.{k}", []).append(v)
        out = {k: np.concatenate(v) for k, v in {**fields, **slot}.items() if v}
        b = np.concatenate(bars) if bars else np.empty(0, dtype=np.int64)
        return DecisionTrace(bars=b, fields=out, index=index)


def lookahead_backtest(
    prices: Any,
    *,
    y: str,
    x: str,
    params: StrategyParams | ParameterSet,
    formation_bars: int = 252,
    costs: Costs = _DEFAULT_COSTS,
    regime_method: RegimeMethod = "volatility",
    regime_options: Mapping[str, Any] | None = None,
    cuts: int | Sequence[int] = 5,
    first_cut: int | None = None,
    progress: Progress | None = None,
    should_stop: ShouldStop | None = None,
) -> LookaheadReport:
    """Lookahead check of a pair backtest (formation hedge; adaptive with a ParameterSet).

    ``prices``: DataFrame of closes with columns ``y`` and ``x`` (and the rest of the
    universe, used by the regime series when adaptive). See :func:`check_lookahead`.
    """
    run = BacktestRun(
        y, x, params, formation_bars, costs, regime_method, dict(regime_options or {})
    )
    return check_lookahead(
        _frame(prices),
        run,
        cuts=cuts,
        first_cut=first_cut,
        target=f"backtest {y}/{x}",
        progress=progress,
        should_stop=should_stop,
    )


def lookahead_walk_forward(
    prices: Any,
    *,
    config: WalkForwardConfig,
    cuts: int | Sequence[int] = 4,
    first_cut: int | None = None,
    progress: Progress | None = None,
    should_stop: ShouldStop | None = None,
) -> LookaheadReport:
    """Lookahead check of a walk-forward run (each truncated run is a whole walk-forward).

    A layout given by ``n_folds`` is first fixed to ``test_bars`` of the full data's
    layout (the truncated runs must not re-derive it from their shorter length); its last
    fold may then be split differently from :func:`~engine.walkforward.walk_forward`'s.
    Cuts default to bars spread over the test windows. Cost: ``cuts + 1`` walk-forwards.
    """
    frame = _frame(prices)
    if config.test_bars is None:
        layout = config.folds(len(frame))
        config = dataclasses.replace(config, test_bars=layout[0].test_bars, n_folds=None)
    first = config.train_bars + config.embargo + 1 if first_cut is None else first_cut
    return check_lookahead(
        frame,
        WalkForwardRun(config),
        cuts=cuts,
        first_cut=first,
        target="walk-forward",
        progress=progress,
        should_stop=should_stop,
    )
