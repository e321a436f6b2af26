r"""The z-score pair strategy: one state machine, vectorized over history and bar by bar.

Rules (decided at the close of bar t, from data up to and including that close)
--------------------------------------------------------------------------------
Let z_t be the rolling z-score of the spread (see :mod:`engine.strategy.signals`),
``z_prev`` the last finite z-score before t (NaN before the first one).

* **Flat, entry on a crossing.** Enter *short* the spread when ``z_t >= entry_z`` and
  ``z_prev < entry_z`` (upper crossing); *long* when ``z_t <= -entry_z`` and
  ``z_prev > -entry_z``. No entry when ``|z_t| >= stop_z`` (it would be stopped at once)
  nor on the first finite z-score (no crossing can be seen). A z-score that stays beyond
  the band does not re-trigger: a new entry needs a new crossing.
* **Exit.** A long exits when ``z_t >= -exit_z``, a short when ``z_t <= exit_z``: this is
  ``|z_t| <= exit_z`` on a continuous path and also closes a position whose z-score jumps
  past the other side in one bar.
* **Stop.** A long stops when ``z_t <= -stop_z``, a short when ``z_t >= stop_z`` (the
  spread diverged further). Reason ``"stop"``.
* **Time stop.** A position open for ``max_holding`` bars since its entry decision (and
  not exited or stopped at that bar) is closed: reason ``"time_stop"``.
* **Priority** at one bar: stop, then exit, then time stop; at most one event per bar, so
  a position closed at t can be re-entered at t+1 at the earliest.
* **Re-entry after a stop or a time stop.** Both set the *stopped* flag: no entry on either
  side until z has come back strictly inside the entry band (``|z| < entry_z``), which
  clears the flag; an entry then needs a fresh crossing.
* **Missing z** (warm-up, NaN prices or β in the window, constant window): no entry, no
  exit, no stop; the bar still counts toward the time stop.
* **Execution lag.** The position decided at t is held from the close of
  ``t + execution_lag`` (default 1): it earns the returns of bars ``t + lag + 1`` onward
  (see :mod:`engine.backtest`).

Two ways to run it
------------------
* :func:`generate_signals` runs the kernel over history for one pair or P pairs at once
  (numba, parallel over pairs); :func:`signals_from_zscore` runs it over a given z path.
* :class:`LiveStrategy` steps it one bar at a time with a serializable
  :class:`StrategyState`. Both share :func:`engine.strategy._kernels.transition`; their
  z-scores agree to rounding and the batch recomputes exactly any z-score near a
  threshold, so the decisions are identical.
"""

from engine.strategy._params import EVENT_LABELS, HEDGE_MODES, Event, HedgeMode, StrategyParams
from engine.strategy.live import LiveDecision, LiveStrategy, StrategyState
from engine.strategy.signals import (
    SignalResult,
    compute_spread,
    generate_signals,
    rolling_zscore,
    signals_from_zscore,
)

__all__ = [
    "EVENT_LABELS",
    "HEDGE_MODES",
    "Event",
    "HedgeMode",
    "LiveDecision",
    "LiveStrategy",
    "SignalResult",
    "StrategyParams",
    "StrategyState",
    "compute_spread",
    "generate_signals",
    "rolling_zscore",
    "signals_from_zscore",
]
