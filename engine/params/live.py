"""Bar-by-bar regime-adaptive strategy, built on :class:`~engine.strategy.LiveStrategy`.

:class:`AdaptiveLiveStrategy` applies the adaptive rule of :mod:`engine.params.adaptive`
one bar at a time: each bar, every distinct parameter set is stepped by a
:class:`~engine.strategy.LiveStrategy` rebuilt from the shared state (the set that governs
the bar with the real position, the others flat, only for their z-scores), so the
decisions come from the strategy's one live implementation. Fed the same bars and labels
it takes the same decisions and records the same switches as
:func:`~engine.params.backtest_adaptive`. Its whole state is an :class:`AdaptiveState`
(JSON via ``to_dict()`` / ``from_dict()``), for stateless live workers.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from engine._results import Result, to_json_value
from engine.params.adaptive import ParameterSet, RegimeSwitch, check_labels, switch_reason
from engine.strategy import Event, LiveDecision, LiveStrategy, StrategyParams, StrategyState
from engine.strategy._inputs import check_index, check_prices

__all__ = ["AdaptiveDecision", "AdaptiveLiveStrategy", "AdaptiveState"]


@dataclasses.dataclass(frozen=True)
class AdaptiveState(Result):
    """Everything the adaptive live strategy needs to continue after ``bar_index``.

    ``entry_set`` indexes ``parameter_set.sets`` (-1 when flat); ``last_label`` is the
    label of the last bar (None before any); ``last_z`` holds each set's last finite
    z-score (NaN before its first); ``window`` the last ``min(bar_index + 1, max lookback)``
    spreads.
    """

    position: int = 0
    entry_bar: int | None = None
    bars_held: int = 0
    stopped: bool = False
    entry_set: int = -1
    last_label: int | None = None
    last_z: tuple[float, ...] = ()
    bar_index: int = -1
    window: tuple[float, ...] = ()

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> AdaptiveState:
        """Inverse of ``to_dict()`` (``None`` becomes NaN in ``last_z`` and ``window``)."""

        def fl(v: Any) -> float:
            return math.nan if v is None else float(v)

        eb, ll = data.get("entry_bar"), data.get("last_label")
        return cls(
            position=int(data.get("position", 0)),
            entry_bar=None if eb is None else int(eb),
            bars_held=int(data.get("bars_held", 0)),
            stopped=bool(data.get("stopped", False)),
            entry_set=int(data.get("entry_set", -1)),
            last_label=None if ll is None else int(ll),
            last_z=tuple(fl(v) for v in data.get("last_z", ())),
            bar_index=int(data.get("bar_index", -1)),
            window=tuple(fl(v) for v in data.get("window", ())),
        )


@dataclasses.dataclass(frozen=True)
class AdaptiveDecision(Result):
    """The decision of one adaptive live bar.

    ``active_set`` is the set of the bar's label, ``governing_set`` the set that decided
    (the entry set of an open position), ``params`` that set; ``switch`` the switch record
    when the label changed at this bar.
    """

    bar: int
    event: str
    code: int
    position: int
    zscore: float
    spread: float
    label: int
    active_set: int
    governing_set: int
    params: StrategyParams
    switch: RegimeSwitch | None = None
    ts: Any = None


class AdaptiveLiveStrategy:
    """The regime-adaptive z-score strategy fed one bar (and its label) at a time.

    Parameters
    ----------
    parameter_set : ParameterSet
    beta, alpha : float, optional
        Static hedge (required for ``hedge="static"`` sets; pass β_t, α_t to :meth:`step`
        for ``"dynamic"``).
    state : AdaptiveState, optional
        Resume from a saved state.
    """

    def __init__(
        self,
        parameter_set: ParameterSet,
        *,
        beta: float | None = None,
        alpha: float | None = None,
        state: AdaptiveState | None = None,
    ) -> None:
        if not isinstance(parameter_set, ParameterSet):
            raise TypeError("parameter_set must be a ParameterSet")
        self._pset = parameter_set
        self._sets = parameter_set.sets
        self._dynamic = self._sets[0].hedge == "dynamic"
        if not self._dynamic:
            if beta is None or not math.isfinite(beta):
                raise ValueError("a static hedge needs a finite beta")
            alpha = 0.0 if alpha is None else alpha
            if not math.isfinite(alpha):
                raise ValueError("alpha must be finite")
        elif beta is not None or alpha is not None:
            raise ValueError("with hedge='dynamic' pass beta and alpha to step(), not here")
        self._beta, self._alpha = beta, alpha
        self._max_lb = max(p.lookback for p in self._sets)
        st = state or AdaptiveState(last_z=(math.nan,) * len(self._sets))
        if len(st.last_z) != len(self._sets):
            raise ValueError(f"state.last_z must hold {len(self._sets)} values")
        if len(st.window) != min(st.bar_index + 1, self._max_lb):
            raise ValueError("state.window must hold min(bar_index + 1, max lookback) spreads")
        if (st.position == 0) != (st.entry_set == -1) or not -1 <= st.entry_set < len(self._sets):
            raise ValueError("entry_set inconsistent with position")
        self._st = st
        self._switches: list[RegimeSwitch] = []

    @property
    def parameter_set(self) -> ParameterSet:
        """The parameter sets."""
        return self._pset

    @property
    def state(self) -> AdaptiveState:
        """A frozen snapshot of the current state."""
        return self._st

    @property
    def switches(self) -> tuple[RegimeSwitch, ...]:
        """Switches recorded by this object since it was built."""
        return tuple(self._switches)

    def step(
        self,
        y: float,
        x: float,
        label: int,
        *,
        beta: float | None = None,
        alpha: float | None = None,
        ts: Any = None,
    ) -> AdaptiveDecision:
        """Process the close of the next bar with its causal regime ``label``."""
        st, sets = self._st, self._sets
        label = int(label)
        if label < -1:
            raise ValueError("label must be >= -1")
        t = st.bar_index + 1
        a = sets.index(self._pset.params_for(label))
        switch = None
        if st.last_label is not None and label != st.last_label:
            fp, tp = self._pset.params_for(st.last_label), self._pset.params_for(label)
            switch = RegimeSwitch(
                bar=t,
                ts=_ts_json(ts),
                from_label=st.last_label,
                to_label=label,
                from_params=fp,
                to_params=tp,
                reason=switch_reason(fp, tp, st.position),
                open_position=st.position,
            )
            self._switches.append(switch)
        g = st.entry_set if st.position != 0 else a
        decision: LiveDecision | None = None
        governing: LiveStrategy | None = None
        last_z = list(st.last_z)
        for k, p in enumerate(sets):
            n_win = min(t, p.lookback)
            sub = StrategyState(
                position=st.position if k == g else 0,
                entry_bar=st.entry_bar if k == g else None,
                bars_held=st.bars_held if k == g else 0,
                last_z=st.last_z[k],
                stopped=st.stopped if k == g else False,
                bar_index=t - 1,
                window=st.window[len(st.window) - n_win :] if n_win else (),
            )
            if self._dynamic:
                live = LiveStrategy(p, state=sub)
                dec = live.step(y, x, beta=beta, alpha=alpha)
            else:
                live = LiveStrategy(p, beta=self._beta, alpha=self._alpha, state=sub)
                dec = live.step(y, x)
            if math.isfinite(dec.zscore):
                last_z[k] = dec.zscore
            if k == g:
                decision, governing = dec, live
        assert decision is not None and governing is not None
        pos = decision.position
        if decision.code in (Event.ENTER_LONG, Event.ENTER_SHORT):
            entry_set = a
        else:
            entry_set = g if pos != 0 else -1
        window = (*st.window, decision.spread)[-self._max_lb :]
        stopped = governing.state.stopped
        self._st = AdaptiveState(
            position=pos,
            entry_bar=decision.entry_bar,
            bars_held=decision.bars_held,
            stopped=stopped,
            entry_set=entry_set,
            last_label=label,
            last_z=tuple(last_z),
            bar_index=t,
            window=window,
        )
        return AdaptiveDecision(
            bar=t,
            event=decision.event,
            code=decision.code,
            position=pos,
            zscore=decision.zscore,
            spread=decision.spread,
            label=label,
            active_set=a,
            governing_set=g,
            params=sets[g],
            switch=switch,
            ts=ts,
        )

    @classmethod
    def from_history(
        cls,
        y: Any,
        x: Any,
        labels: Any,
        *,
        parameter_set: ParameterSet,
        beta: Any,
        alpha: Any = 0.0,
        index: Any = None,
    ) -> tuple[AdaptiveLiveStrategy, tuple[AdaptiveDecision, ...]]:
        """Feed history bar by bar; return the strategy ready for the next bar and the decisions.

        ``beta``/``alpha``: scalars for a static hedge, ``(T,)`` arrays for a dynamic one;
        ``index``: bar timestamps (from a Series' DatetimeIndex when omitted).
        """
        Y = check_prices(y, "y", ndim=1, allow_nan=True)
        X = check_prices(x, "x", ndim=1, allow_nan=True)
        if Y.shape != X.shape:
            raise ValueError("y and x must have the same length")
        lab = check_labels(labels, Y.shape[0])
        idx = check_index(y, index, Y.shape[0])
        ts = [None] * Y.shape[0] if idx is None else list(idx)
        out = []
        if parameter_set.sets[0].hedge == "static":
            live = cls(parameter_set, beta=float(beta), alpha=float(alpha))
            for t in range(Y.shape[0]):
                out.append(live.step(Y[t], X[t], int(lab[t]), ts=ts[t]))
        else:
            B = np.broadcast_to(np.asarray(beta, dtype=np.float64), Y.shape)
            A = np.broadcast_to(np.asarray(alpha, dtype=np.float64), Y.shape)
            live = cls(parameter_set)
            for t in range(Y.shape[0]):
                out.append(live.step(Y[t], X[t], int(lab[t]), beta=B[t], alpha=A[t], ts=ts[t]))
        return live, tuple(out)


def _ts_json(ts: Any) -> Any:
    """A bar timestamp as the vectorized path records it (naive UTC ISO string + "Z")."""
    if ts is None:
        return None
    stamp = pd.Timestamp(ts)
    if stamp.tz is not None:
        stamp = stamp.tz_convert("UTC").tz_localize(None)
    return to_json_value(stamp.to_datetime64())
