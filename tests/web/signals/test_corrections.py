"""A corrected bar under a live monitor (issue 12, item 4): the monitor replays the strategy
over the corrected prices and publishes a ``correction`` signal, stored first with the pair's
next seq, instead of leaving signals that rest on a price that no longer exists. Checked
against the vectorized backtest on the corrected frame."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from engine.strategy import EVENT_LABELS, generate_signals
from tests.web.signals import _data
from tests.web.signals.test_live import setup_pair, subscribe, ws
from titan_web.market import services as market
from titan_web.market.models import BarChange
from titan_web.signals import services
from titan_web.signals.models import Signal


@pytest.mark.slow
async def test_a_corrected_bar_publishes_a_correction_over_the_websocket(user: Any) -> None:
    pair, ps, frame = await setup_pair(user)
    await services.monitor_create(user=user, pair_id=pair.pk, parameter_set_id=ps.pk)
    live = frame.loc["2019-01-01":"2019-04-30"]
    await market.abars_ingest_rows(rows=_data.rows(live), source="feed")
    stored = [s async for s in Signal.objects.filter(pair_id=pair.pk).order_by("seq")]
    assert len(stored) >= 2, "the fixture should trade in early 2019"
    first = stored[0]

    comm = await ws(user)
    await subscribe(comm, f"pair:{pair.pk}")

    # the data vendor corrects KO's close on the day of the first signal (+8 %)
    day = pd.Timestamp(first.ts)
    corrected = frame.copy()
    corrected.loc[day, "KO"] = round(float(frame.loc[day, "KO"]) * 1.08, 3)
    report = await market.abars_ingest_rows(
        rows=_data.rows(corrected.loc[[day]]), source="vendor-fix"
    )
    assert (report.updated, report.unchanged) == (1, 1)
    change = await BarChange.objects.aget()
    assert change.old_close == float(frame.loc[day, "KO"])
    assert change.new_close == float(corrected.loc[day, "KO"])

    msg = await comm.receive_json_from(timeout=5)
    assert msg["type"] == "signal" and msg["topic"] == f"pair:{pair.pk}"
    assert msg["seq"] == stored[-1].seq + 1  # the pair's seq sequence goes on
    data = msg["data"]
    assert data["kind"] == "correction"
    assert data["changed_from"] == day.strftime("%Y-%m-%dT%H:%M:%S.000000Z")
    assert data["corrects"] == [s.seq for s in stored]  # every signal from that bar on
    assert data["price_1"] == float(corrected.loc[day, "KO"])

    # reference: the vectorized backtest over the corrected bars up to the last one seen
    upto = corrected.loc[: live.index[-1]]
    ref = generate_signals(
        upto["KO"], upto["PEP"], params=_data.PARAMS, beta=pair.hedge_ratio, alpha=pair.intercept
    )
    idx = np.flatnonzero(np.asarray(upto.index >= day) & (ref.events != 0))
    expected = [(upto.index[i].strftime("%Y-%m-%d"), EVENT_LABELS[ref.events[i]]) for i in idx]
    assert [(d["ts"][:10], d["kind"]) for d in data["decisions"]] == expected
    np.testing.assert_allclose([d["zscore"] for d in data["decisions"]], ref.zscore[idx])

    # stored before it was sent, and replayable
    saved = await Signal.objects.aget(pair_id=pair.pk, seq=msg["seq"])
    assert saved.kind == "correction" and saved.detail["corrects"] == data["corrects"]
    # an unchanged re-send corrects nothing
    await market.abars_ingest_rows(rows=_data.rows(corrected.loc[[day]]), source="vendor-fix")
    assert await Signal.objects.filter(kind="correction").acount() == 1
    await comm.disconnect()
