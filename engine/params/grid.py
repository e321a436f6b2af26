"""Parameter grids of the z-score pair strategy."""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Mapping, Sequence
from typing import Any

from engine._results import Result
from engine.strategy import HedgeMode, StrategyParams

__all__ = ["ParamGrid", "candidate_list"]


def _tuple(name: str, values: Any) -> tuple[Any, ...]:
    if isinstance(values, (str, bytes)) or not isinstance(values, Sequence):
        values = (values,)
    out = tuple(values)
    if not out:
        raise ValueError(f"grid axis {name} must hold at least one value")
    if len(set(out)) != len(out):
        raise ValueError(f"grid axis {name} has duplicate values: {out}")
    return out


@dataclasses.dataclass(frozen=True)
class ParamGrid(Result):
    """A Cartesian grid of :class:`~engine.strategy.StrategyParams`.

    Every axis is a tuple of values; ``None`` in ``stop_z`` / ``max_holding`` disables
    the stop / time stop. :meth:`candidates` enumerates the product in the order
    ``lookback, entry_z, exit_z, stop_z, max_holding`` (the last axis varies fastest) and
    drops invalid combinations (``exit_z >= entry_z``, ``stop_z <= entry_z``); that order
    is the grid index that breaks ties in :func:`~engine.params.optimize_params`.

    The default grid has 3 x 3 x 2 x 2 = 36 candidates.
    """

    lookback: tuple[int, ...] = (20, 40, 60)
    entry_z: tuple[float, ...] = (1.5, 2.0, 2.5)
    exit_z: tuple[float, ...] = (0.0, 0.5)
    stop_z: tuple[float | None, ...] = (None, 4.0)
    max_holding: tuple[int | None, ...] = (None,)
    execution_lag: int = 1
    hedge: HedgeMode = "static"

    def __post_init__(self) -> None:
        for name in ("lookback", "entry_z", "exit_z", "stop_z", "max_holding"):
            object.__setattr__(self, name, _tuple(name, getattr(self, name)))
        if not self.candidates():
            raise ValueError("the grid has no valid combination")

    def candidates(self) -> tuple[StrategyParams, ...]:
        """All valid combinations, in grid order."""
        out = []
        for lb, ez, xz, sz, mh in itertools.product(
            self.lookback, self.entry_z, self.exit_z, self.stop_z, self.max_holding
        ):
            if xz >= ez or (sz is not None and sz <= ez):
                continue
            out.append(
                StrategyParams(
                    lookback=lb,
                    entry_z=ez,
                    exit_z=xz,
                    stop_z=sz,
                    max_holding=mh,
                    execution_lag=self.execution_lag,
                    hedge=self.hedge,
                )
            )
        return tuple(out)

    @property
    def max_lookback(self) -> int:
        """The largest lookback of the grid (the warm-up a walk-forward needs)."""
        return max(int(v) for v in self.lookback)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ParamGrid:
        """Build from ``to_dict()`` output or an API payload (lists become tuples)."""
        names = {f.name for f in dataclasses.fields(cls)}
        extra = set(data) - names
        if extra:
            raise ValueError(f"unknown ParamGrid fields: {sorted(extra)}")
        kw: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in data.items()}
        return cls(**kw)


def candidate_list(grid: ParamGrid | Sequence[StrategyParams] | None) -> tuple[StrategyParams, ...]:
    """Candidates of a grid, of an explicit sequence (kept in order), or of the default grid."""
    if grid is None:
        return ParamGrid().candidates()
    if isinstance(grid, ParamGrid):
        return grid.candidates()
    cands = tuple(grid)
    if not cands or not all(isinstance(c, StrategyParams) for c in cands):
        raise TypeError("grid must be a ParamGrid or a non-empty sequence of StrategyParams")
    if len(set(cands)) != len(cands):
        raise ValueError("the candidate sequence has duplicates")
    if len({(c.hedge, c.execution_lag) for c in cands}) > 1:
        raise ValueError("all candidates must share hedge and execution_lag")
    return cands
