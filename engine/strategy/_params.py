"""Strategy parameters and decision (event) codes of the z-score pair strategy."""

from __future__ import annotations

import dataclasses
import enum
import math
import numbers
from collections.abc import Mapping
from typing import Any, Literal, get_args

from engine._results import Result

HedgeMode = Literal["static", "dynamic"]
"""``"static"``: one (β, α) per pair from a formation window; ``"dynamic"``: per-bar arrays."""

HEDGE_MODES: tuple[HedgeMode, ...] = get_args(HedgeMode)

#: Sentinel used by the kernels for "no time stop" (``max_holding=None``).
NO_MAX_HOLDING = 2**62


class Event(enum.IntEnum):
    """What the strategy decided at a bar (stored as ``int8`` in the vectorized outputs).

    ``HOLD`` means "no change": stay flat or keep the open position.
    """

    HOLD = 0
    ENTER_LONG = 1
    ENTER_SHORT = 2
    EXIT = 3
    STOP = 4
    TIME_STOP = 5

    @property
    def label(self) -> str:
        """The lower-case name used in JSON and the API (``"enter_long"``, ``"time_stop"``…)."""
        return self.name.lower()


#: ``EVENT_LABELS[code]`` is the JSON label of an event code.
EVENT_LABELS: tuple[str, ...] = tuple(e.label for e in Event)


def _is_int(v: object) -> bool:
    return isinstance(v, numbers.Integral) and not isinstance(v, bool)


def _is_real(v: object) -> bool:
    return isinstance(v, numbers.Real) and not isinstance(v, bool)


@dataclasses.dataclass(frozen=True)
class StrategyParams(Result):
    r"""Parameters of the z-score pair strategy (validated on construction).

    Parameters
    ----------
    lookback : int
        Bars in the rolling window of the z-score (>= 2). The z-score at bar t uses the
        spreads of bars t-lookback+1 .. t.
    entry_z : float
        Entry threshold (> 0). Short the spread when z crosses up through ``entry_z``, long
        when it crosses down through ``-entry_z``.
    exit_z : float
        Exit threshold, ``0 <= exit_z < entry_z``: a long exits when ``z >= -exit_z``, a
        short when ``z <= exit_z`` (this is ``|z| <= exit_z`` unless z jumps past the other
        side in one bar, which also exits).
    stop_z : float or None
        Stop-loss threshold (> ``entry_z``): a long stops when ``z <= -stop_z``, a short
        when ``z >= stop_z``. ``None`` disables it.
    max_holding : int or None
        Time stop: a position still open ``max_holding`` bars after its entry decision is
        closed at that bar (>= 1). ``None`` disables it.
    execution_lag : int
        Bars between the decision and the trade (>= 0, default 1): the position decided
        at the close of bar t is held from the close of bar ``t + execution_lag``.
    hedge : {"static", "dynamic"}
        ``"static"``: scalar β, α (formation window). ``"dynamic"``: per-bar arrays β_t,
        α_t from a causal estimator (for example a Kalman filter).
    """

    lookback: int = 60
    entry_z: float = 2.0
    exit_z: float = 0.5
    stop_z: float | None = None
    max_holding: int | None = None
    execution_lag: int = 1
    hedge: HedgeMode = "static"

    def __post_init__(self) -> None:
        if not _is_int(self.lookback) or self.lookback < 2:
            raise ValueError(f"lookback must be an integer >= 2, got {self.lookback!r}")
        if not _is_real(self.entry_z) or not math.isfinite(self.entry_z) or self.entry_z <= 0:
            raise ValueError(f"entry_z must be a finite number > 0, got {self.entry_z!r}")
        if not _is_real(self.exit_z) or not 0.0 <= self.exit_z < self.entry_z:
            raise ValueError(f"exit_z must satisfy 0 <= exit_z < entry_z, got {self.exit_z!r}")
        if self.stop_z is not None and (
            not _is_real(self.stop_z)
            or not math.isfinite(self.stop_z)
            or self.stop_z <= self.entry_z
        ):
            raise ValueError(
                f"stop_z must be None or a finite number > entry_z, got {self.stop_z!r}"
            )
        if self.max_holding is not None and (not _is_int(self.max_holding) or self.max_holding < 1):
            raise ValueError(
                f"max_holding must be None or an integer >= 1, got {self.max_holding!r}"
            )
        if not _is_int(self.execution_lag) or self.execution_lag < 0:
            raise ValueError(f"execution_lag must be an integer >= 0, got {self.execution_lag!r}")
        if self.hedge not in HEDGE_MODES:
            raise ValueError(f"hedge must be one of {HEDGE_MODES}, got {self.hedge!r}")
        # Normalise numeric types (numpy scalars -> Python) so equality and JSON are stable.
        object.__setattr__(self, "lookback", int(self.lookback))
        object.__setattr__(self, "entry_z", float(self.entry_z))
        object.__setattr__(self, "exit_z", float(self.exit_z))
        if self.stop_z is not None:
            object.__setattr__(self, "stop_z", float(self.stop_z))
        if self.max_holding is not None:
            object.__setattr__(self, "max_holding", int(self.max_holding))
        object.__setattr__(self, "execution_lag", int(self.execution_lag))

    @property
    def stop_value(self) -> float:
        """``stop_z`` as the kernels see it (``inf`` when disabled)."""
        return math.inf if self.stop_z is None else self.stop_z

    @property
    def max_holding_value(self) -> int:
        """``max_holding`` as the kernels see it (a huge sentinel when disabled)."""
        return NO_MAX_HOLDING if self.max_holding is None else self.max_holding

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> StrategyParams:
        """Build from ``to_dict()`` output (unknown keys are an error)."""
        names = {f.name for f in dataclasses.fields(cls)}
        extra = set(data) - names
        if extra:
            raise ValueError(f"unknown StrategyParams fields: {sorted(extra)}")
        return cls(**dict(data))
