"""Bar-by-bar (live) z-score pair strategy with explicit, serializable state.

:class:`LiveStrategy` runs the same state-transition kernel as
:func:`~engine.strategy.generate_signals`; fed the same bars one at a time it takes the same
decisions. Its whole state is a :class:`StrategyState` (JSON via ``to_dict()`` /
``from_dict()``), so a stateless worker can rebuild it from the database.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from engine._results import Result
from engine.strategy import _kernels as K
from engine.strategy._inputs import check_prices
from engine.strategy._params import EVENT_LABELS, Event, StrategyParams


@dataclasses.dataclass(frozen=True)
class StrategyState(Result):
    """Everything the live strategy needs to continue after bar ``bar_index``.

    Attributes
    ----------
    position : int
        Decided position: +1 long spread, -1 short spread, 0 flat.
    entry_bar : int or None
        Bar index of the entry decision of the open position (None when flat).
    bars_held : int
        Bars since the entry decision (0 when flat).
    last_z : float
        Last finite z-score seen (NaN before the first; ``None`` in JSON).
    stopped : bool
        Set by a stop or time stop; blocks entries until ``|z| < entry_z``.
    bar_index : int
        Index of the last processed bar (-1 before any).
    window : tuple of float
        The last ``min(bar_index + 1, lookback)`` spreads, oldest first (NaN allowed). It
        can be rebuilt from the last ``lookback`` bars with
        :func:`~engine.strategy.compute_spread`.
    """

    position: int = 0
    entry_bar: int | None = None
    bars_held: int = 0
    last_z: float = math.nan
    stopped: bool = False
    bar_index: int = -1
    window: tuple[float, ...] = ()

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> StrategyState:
        """Inverse of ``to_dict()`` (``None`` becomes NaN in ``last_z`` and ``window``)."""
        last_z = data.get("last_z")
        entry_bar = data.get("entry_bar")
        return cls(
            position=int(data.get("position", 0)),
            entry_bar=None if entry_bar is None else int(entry_bar),
            bars_held=int(data.get("bars_held", 0)),
            last_z=math.nan if last_z is None else float(last_z),
            stopped=bool(data.get("stopped", False)),
            bar_index=int(data.get("bar_index", -1)),
            window=tuple(math.nan if v is None else float(v) for v in data.get("window", ())),
        )


@dataclasses.dataclass(frozen=True)
class LiveDecision(Result):
    """The decision of one live bar.

    ``event`` is the label (``"hold"``, ``"enter_long"``, ``"enter_short"``, ``"exit"``,
    ``"stop"``, ``"time_stop"``); ``position`` the decided position after the bar, to be
    traded ``execution_lag`` bars later.
    """

    bar: int
    event: str
    code: int
    position: int
    zscore: float
    spread: float
    bars_held: int
    entry_bar: int | None
    ts: Any = None

    @property
    def is_action(self) -> bool:
        """True unless the event is ``hold``."""
        return self.code != Event.HOLD


class LiveStrategy:
    """The z-score pair strategy fed one bar at a time.

    Parameters
    ----------
    params : StrategyParams
    beta, alpha : float, optional
        The static hedge (required when ``params.hedge == "static"``; must be omitted for
        ``"dynamic"``, whose β_t, α_t come with every :meth:`step`).
    state : StrategyState, optional
        Resume from a saved state (default: a fresh flat state).

    Examples
    --------
    >>> live = LiveStrategy(StrategyParams(lookback=20), beta=0.8, alpha=0.1)
    >>> decision = live.step(50.3, 61.2)            # doctest: +SKIP
    >>> saved = live.state.to_dict()                # JSON for the database
    >>> live2 = LiveStrategy(live.params, beta=0.8, alpha=0.1,
    ...                      state=StrategyState.from_dict(saved))
    """

    def __init__(
        self,
        params: StrategyParams,
        *,
        beta: float | None = None,
        alpha: float | None = None,
        state: StrategyState | None = None,
    ) -> None:
        if not isinstance(params, StrategyParams):
            raise TypeError("params must be StrategyParams")
        if params.hedge == "static":
            if beta is None or not math.isfinite(beta):
                raise ValueError("a static hedge needs a finite beta")
            alpha = 0.0 if alpha is None else alpha
            if not math.isfinite(alpha):
                raise ValueError("alpha must be finite")
        elif beta is not None or alpha is not None:
            raise ValueError("with hedge='dynamic' pass beta and alpha to step(), not here")
        self._params = params
        self._beta = None if beta is None else float(beta)
        self._alpha = None if alpha is None else float(alpha)
        self._buf = np.full(params.lookback, np.nan)
        self._load(state or StrategyState())

    def _load(self, st: StrategyState) -> None:
        L = self._params.lookback
        if st.position not in (-1, 0, 1):
            raise ValueError(f"invalid position {st.position}")
        if st.bar_index < -1 or len(st.window) != min(st.bar_index + 1, L):
            raise ValueError(
                f"window must hold min(bar_index + 1, lookback) = {min(st.bar_index + 1, L)} "
                f"spreads, got {len(st.window)}"
            )
        if (st.position == 0) != (st.entry_bar is None) or (st.position == 0 and st.bars_held):
            raise ValueError("entry_bar/bars_held inconsistent with position")
        n_seen = st.bar_index + 1
        for i, v in enumerate(st.window):
            self._buf[(n_seen - len(st.window) + i) % L] = v
        self._n_seen = n_seen
        self._pos = st.position
        self._entry_bar = st.entry_bar
        self._held = st.bars_held
        self._last_z = st.last_z
        self._stopped = st.stopped

    @property
    def params(self) -> StrategyParams:
        """The strategy parameters."""
        return self._params

    @property
    def state(self) -> StrategyState:
        """A frozen snapshot of the current state."""
        L = self._params.lookback
        n = min(self._n_seen, L)
        start = self._n_seen - n
        window = tuple(float(self._buf[(start + i) % L]) for i in range(n))
        return StrategyState(
            position=self._pos,
            entry_bar=self._entry_bar,
            bars_held=self._held,
            last_z=float(self._last_z),
            stopped=self._stopped,
            bar_index=self._n_seen - 1,
            window=window,
        )

    def step(
        self,
        y: float,
        x: float,
        *,
        beta: float | None = None,
        alpha: float | None = None,
        ts: Any = None,
    ) -> LiveDecision:
        """Process the close of the next bar and return the decision taken at it.

        Parameters
        ----------
        y, x : float
            Closing prices of the two legs (> 0; NaN makes z NaN while in the window).
        beta, alpha : float, optional
            β_t and α_t of this bar (required for ``hedge="dynamic"``, forbidden otherwise).
        ts : optional
            Bar timestamp, copied into the decision.
        """
        if self._params.hedge == "dynamic":
            if beta is None:
                raise ValueError("hedge='dynamic' needs beta (and alpha) at every step")
            b, a = float(beta), 0.0 if alpha is None else float(alpha)
        else:
            if beta is not None or alpha is not None:
                raise ValueError("static hedge: beta and alpha are fixed at construction")
            assert self._beta is not None and self._alpha is not None
            b, a = self._beta, self._alpha
        yf, xf = float(y), float(x)
        if (math.isfinite(yf) and yf <= 0) or (math.isfinite(xf) and xf <= 0):
            raise ValueError("prices must be > 0")
        p = self._params
        s, z, ev, pos, held, stopped, last_z = K.live_step(
            self._buf,
            self._n_seen,
            yf,
            xf,
            b,
            a,
            p.entry_z,
            p.exit_z,
            p.stop_value,
            p.max_holding_value,
            self._pos,
            self._held,
            self._stopped,
            self._last_z,
        )
        bar = self._n_seen
        self._n_seen += 1
        if ev in (Event.ENTER_LONG, Event.ENTER_SHORT):
            self._entry_bar = bar
        elif pos == 0:
            self._entry_bar = None
        self._pos, self._held, self._stopped, self._last_z = (
            int(pos),
            int(held),
            bool(stopped),
            float(last_z),
        )
        return LiveDecision(
            bar=bar,
            event=EVENT_LABELS[ev],
            code=int(ev),
            position=self._pos,
            zscore=float(z),
            spread=float(s),
            bars_held=self._held,
            entry_bar=self._entry_bar,
            ts=ts,
        )

    @classmethod
    def from_history(
        cls,
        y: Any,
        x: Any,
        *,
        params: StrategyParams,
        beta: Any,
        alpha: Any = 0.0,
    ) -> LiveStrategy:
        """Warm up on history (fed bar by bar) and return the strategy ready for the next bar.

        ``beta``/``alpha``: scalars for a static hedge, ``(T,)`` arrays for a dynamic one.
        """
        Y = check_prices(y, "y", ndim=1, allow_nan=True)
        X = check_prices(x, "x", ndim=1, allow_nan=True)
        if Y.shape != X.shape:
            raise ValueError("y and x must have the same length")
        if params.hedge == "static":
            live = cls(params, beta=float(beta), alpha=float(alpha))
            for t in range(Y.shape[0]):
                live.step(Y[t], X[t])
            return live
        B = np.broadcast_to(np.asarray(beta, dtype=np.float64), Y.shape)
        A = np.broadcast_to(np.asarray(alpha, dtype=np.float64), Y.shape)
        live = cls(params)
        for t in range(Y.shape[0]):
            live.step(Y[t], X[t], beta=B[t], alpha=A[t])
        return live
