"""The soak's own checks: a stream with a lost, duplicated, reordered or altered signal, or a
leaking memory curve, must fail them (else a green soak would prove nothing)."""

from __future__ import annotations

from tests.soak.soak import bounds, rss_growth
from tests.soak.subscribers import Subscriber, check_stream, verify

EXPECTED = [(1, "enter_long"), (2, "exit"), (3, "enter_short")]


def rows(*seqs: int, pair: int = 7) -> list[tuple[int, int, str]]:
    kinds = dict(EXPECTED)
    return [(pair, s, kinds.get(s, "exit")) for s in seqs]


def test_a_complete_stream_passes() -> None:
    got = check_stream(rows(1, 2, 3), EXPECTED)
    assert got == {"expected": 3, "received": 3, "lost": 0, "duplicated": 0, "unexpected": 0,
                   "out_of_order": 0, "wrong_kind": 0}  # fmt: skip


def test_each_kind_of_fault_is_counted() -> None:
    assert check_stream(rows(1, 3), EXPECTED)["lost"] == 1
    dup = check_stream(rows(1, 2, 2, 3), EXPECTED)
    assert dup["duplicated"] == 1 and dup["out_of_order"] == 1
    assert check_stream(rows(2, 1, 3), EXPECTED)["out_of_order"] == 1
    assert check_stream(rows(1, 2, 3, 4), EXPECTED)["unexpected"] == 1
    assert check_stream([(7, 1, "exit"), *rows(2, 3)], EXPECTED)["wrong_kind"] == 1


def test_verify_splits_the_signals_topic_per_pair() -> None:
    sub = Subscriber(topics=["pair:7", "signals"])
    sub.got = {"pair:7": rows(1, 2, 3), "signals": rows(1, 2, 3) + rows(1, 2, 3, pair=8)}
    result = verify([sub], {7: EXPECTED, 8: EXPECTED})
    assert result["streams"] == 3 and result["subscribers_with_problems"] == 0
    sub.got["signals"] = rows(1, 2, 3) + rows(1, 3, 3, pair=8)
    result = verify([sub], {7: EXPECTED, 8: EXPECTED})
    assert result["lost"] == 1 and result["duplicated"] == 1
    assert result["subscribers_with_problems"] == 1


def test_memory_growth_and_bounds() -> None:
    flat = [(t / 2, 500_000) for t in range(120)]
    assert rss_growth(flat, 60)["growth_pct"] == 0.0
    leaking = [(t / 2, 500_000 + 2_000 * t) for t in range(120)]
    assert rss_growth(leaking, 60)["growth_pct"] > 10
    report = {
        "errors": 0,
        "signals": {"stored": 5, "lost": 0, "duplicated": 0},
        "scans": {"submitted": 1},
        "memory": {"growth_pct": 0.0},
    }
    assert bounds(report) == []
    assert bounds({**report, "memory": rss_growth(leaking, 60)})
    assert bounds({**report, "errors": 1}) == ["1 errors"]
    assert bounds({**report, "signals": {"stored": 0}}) == [
        "no signal was produced: the feed did not run"
    ]
