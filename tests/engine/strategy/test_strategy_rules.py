"""The state machine follows the thresholds bar by bar on hand-made z paths.

Every expected event list below is written by hand from the rules in
``engine/strategy/__init__.py`` (H = hold, L = enter_long, S = enter_short, X = exit,
P = stop, T = time_stop).
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from engine.strategy import (
    Event,
    LiveStrategy,
    StrategyParams,
    StrategyState,
    signals_from_zscore,
)

NAN = math.nan
CODE = {"H": 0, "L": 1, "S": 2, "X": 3, "P": 4, "T": 5}


def run(z: list[float], **kw: object) -> tuple[str, list[int]]:
    params = StrategyParams(**{"entry_z": 2.0, "exit_z": 0.5, **kw})  # type: ignore[arg-type]
    r = signals_from_zscore(np.array(z), params=params)
    inv = {v: k for k, v in CODE.items()}
    return "".join(inv[int(e)] for e in r.events), [int(p) for p in r.position]


def test_short_entry_on_upper_crossing_then_exit() -> None:
    ev, pos = run([NAN, 0.0, 1.0, 2.1, 1.5, 0.6, 0.4, 0.0])
    assert ev == "HHHSHHXH"
    assert pos == [0, 0, 0, -1, -1, -1, 0, 0]


def test_long_entry_on_lower_crossing_then_exit() -> None:
    ev, pos = run([0.0, -1.9, -2.0, -2.5, -0.6, -0.5, 0.3])
    # -2.0 <= -entry_z enters (inclusive); exit when z >= -exit_z (-0.5 inclusive)
    assert ev == "HHLHHXH"
    assert pos == [0, 0, 1, 1, 1, 0, 0]


def test_level_beyond_band_is_not_a_crossing() -> None:
    # first finite z already beyond the band: no entry; staying beyond: no entry;
    # coming back inside and crossing again: entry
    ev, _ = run([NAN, NAN, 2.5, 2.6, 3.0, 1.0, 2.2])
    assert ev == "HHHHHHS"


def test_no_entry_while_in_position_and_one_event_per_bar() -> None:
    # long from -2.1; z jumps to +2.5: that is an exit (reverted past -exit_z), not a short
    # entry on the same bar; next bar 2.6 is no new crossing
    ev, pos = run([0.0, -2.1, 2.5, 2.6, 1.0, 2.05])
    assert ev == "HLXHHS"
    assert pos == [0, 1, 0, 0, 0, -1]


def test_stop_and_reentry_rule() -> None:
    # short at 2.1, stop at z >= 3 (inclusive); after the stop no entry on either side
    # (2.5 and the jump to -2.5) until |z| < entry_z (1.0); then a fresh crossing (2.2)
    ev, pos = run([0.0, 2.1, 2.8, 3.0, 2.5, -2.5, 1.0, 2.2], stop_z=3.0)
    assert ev == "HSHPHHHS"
    assert pos == [0, -1, -1, 0, 0, 0, 0, -1]


def test_long_stop_is_on_the_losing_side_only() -> None:
    ev, _ = run([0.0, -2.1, -3.5], stop_z=3.5)
    assert ev == "HLP"
    ev, _ = run([0.0, -2.1, 3.6], stop_z=3.5)  # jump to the winning side: exit
    assert ev == "HLX"


def test_entry_crossing_beyond_stop_is_skipped() -> None:
    ev, _ = run([0.0, 3.5, 2.5, 1.0, 2.5], stop_z=3.0)
    assert ev == "HHHHS"


def test_time_stop_counts_bars_since_entry_decision() -> None:
    ev, pos = run([0.0, 2.1, 2.2, 1.9, 1.5, 1.2, 2.5, 1.0, 2.1], max_holding=3)
    # entry at 1; bars 2, 3 hold; bar 4 is the 3rd bar after entry: time stop; stopped
    # flag: 1.2 clears it; 2.5 is a crossing from 1.2 -> entry at 6
    assert ev == "HSHHTHSHH"
    assert pos == [0, -1, -1, -1, 0, 0, -1, -1, -1]


def test_time_stop_set_stopped_flag_blocks_the_band() -> None:
    ev, _ = run([0.0, 2.1, 2.2, 2.3, -2.4, 0.0, -2.1], max_holding=2)
    assert ev == "HSHTHHL"


def test_exit_beats_time_stop_and_stop_beats_all() -> None:
    ev, _ = run([0.0, 2.1, 0.2], max_holding=1)
    assert ev == "HSX"
    ev, _ = run([0.0, 2.1, 4.0], max_holding=1, stop_z=3.0)
    assert ev == "HSP"


def test_nan_z_neither_enters_nor_exits_but_counts_for_time_stop() -> None:
    ev, _ = run([0.0, 2.1, NAN, 0.0], max_holding=5)
    assert ev == "HSHX"
    ev, _ = run([0.0, 2.1, NAN, NAN, 1.5], max_holding=3)
    assert ev == "HSHHT"
    # NaN between two flat bars keeps the last finite z for the crossing test
    ev, _ = run([1.9, NAN, 2.1])
    assert ev == "HHS"


def test_exact_thresholds_are_inclusive() -> None:
    ev, _ = run([0.0, 2.0, 0.5], stop_z=3.0)
    assert ev == "HSX"
    ev, _ = run([0.0, 2.0, 3.0], stop_z=3.0)
    assert ev == "HSP"


@pytest.mark.parametrize("lag", [0, 1, 3])
def test_execution_lag_shifts_the_held_position(lag: int) -> None:
    z = np.array([0.0, 2.1, 1.0, 0.2, 0.0, -2.5, -1.0, 0.0, 0.0])
    r = signals_from_zscore(z, params=StrategyParams(execution_lag=lag))
    decided = [0, -1, -1, 0, 0, 1, 1, 0, 0]
    assert r.position.tolist() == decided
    assert r.held.tolist() == ([0] * lag + decided)[: len(z)]


def test_live_strategy_follows_the_same_rules_on_a_z_path() -> None:
    # Prices whose spread is a known random walk (y = exp(s), x = 1, beta = 0): the live
    # object's decisions equal the state machine run on the z values it reported.
    rng = np.random.default_rng(7)
    s = np.cumsum(rng.normal(size=400)) * 0.1
    params = StrategyParams(lookback=10, entry_z=1.5, exit_z=0.3, stop_z=2.5, max_holding=15)
    live = LiveStrategy(params, beta=0.0, alpha=0.0)
    out = [live.step(math.exp(v), 1.0) for v in s]
    z = np.array([d.zscore for d in out])
    ref = signals_from_zscore(z, params=params)
    assert [d.code for d in out] == ref.events.tolist()
    assert [d.position for d in out] == ref.position.tolist()
    assert {d.event for d in out} >= {"enter_long", "enter_short", "exit"}


def test_params_validation() -> None:
    with pytest.raises(ValueError):
        StrategyParams(lookback=1)
    with pytest.raises(ValueError):
        StrategyParams(entry_z=0.0)
    with pytest.raises(ValueError):
        StrategyParams(entry_z=1.0, exit_z=1.0)
    with pytest.raises(ValueError):
        StrategyParams(entry_z=2.0, stop_z=2.0)
    with pytest.raises(ValueError):
        StrategyParams(max_holding=0)
    with pytest.raises(ValueError):
        StrategyParams(execution_lag=-1)
    with pytest.raises(ValueError):
        StrategyParams(hedge="kalman")  # type: ignore[arg-type]
    p = StrategyParams(lookback=np.int64(30), entry_z=np.float64(2.5), stop_z=4, max_holding=10)
    assert isinstance(p.lookback, int) and isinstance(p.stop_z, float)
    assert StrategyParams.from_dict(json.loads(json.dumps(p.to_dict()))) == p


def test_state_json_round_trip() -> None:
    st = StrategyState(
        position=-1,
        entry_bar=5,
        bars_held=2,
        last_z=1.7,
        stopped=False,
        bar_index=7,
        window=(0.1, NAN, 0.3),
    )
    d = json.loads(json.dumps(st.to_dict(), allow_nan=False))
    back = StrategyState.from_dict(d)
    assert back.position == -1 and back.entry_bar == 5 and back.last_z == 1.7
    assert math.isnan(back.window[1]) and back.window[2] == 0.3
    assert Event(3).label == "exit"
