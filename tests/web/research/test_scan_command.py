"""manage.py scan stores the same pairs the API scan stores."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pandas as pd
import pytest
from asgiref.sync import async_to_sync
from django.core.management import call_command
from django.core.management.base import CommandError

from engine.data.demo import load_demo_closes
from titan_web.market import services as market
from titan_web.research.models import TradingPair


def test_scan_command_stores_significant_pairs(user: Any) -> None:
    closes: pd.DataFrame = load_demo_closes(["KO", "PEP", "XOM", "CVX"]).iloc[-800:]
    rows = [
        {
            "symbol": t,
            "timeframe": "1d",
            "ts": ts.isoformat(),
            "open": c,
            "high": c,
            "low": c,
            "close": c,
        }
        for t in closes.columns
        for ts, c in closes[t].items()
    ]
    async_to_sync(market.abars_ingest_rows)(rows=rows)
    out = StringIO()
    call_command(
        "scan",
        "--user",
        user.username,
        "--symbols",
        "KO,PEP,XOM,CVX",
        "--significance-level",
        "0.3",
        stdout=out,
    )
    assert "6 pairs on 800 bars" in out.getvalue()
    stored = TradingPair.objects.filter(owner=user)
    n = stored.count()
    assert n >= 1 and all(p.pvalue < 0.3 for p in stored)
    ids = set(stored.values_list("id", flat=True))
    # The same scan again updates those rows: no duplicate pair for the user.
    again = StringIO()
    args = ["--user", user.username, "--symbols", "KO,PEP,XOM,CVX", "--significance-level", "0.3"]
    call_command("scan", *args, stdout=again)
    assert f"0 new, {n} updated" in again.getvalue()
    assert set(TradingPair.objects.filter(owner=user).values_list("id", flat=True)) == ids
    with pytest.raises(CommandError, match="no user"):
        call_command("scan", "--user", "ghost", stdout=StringIO())
