"""Writes for market data: symbols and bars."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
from django.db import transaction

from titan_web.market.models import Bar, Symbol

DEMO_FILE = (
    Path(__file__).resolve().parents[2]
    / "engine"
    / "data"
    / "datasets"
    / "sp500_daily_1990_2022.csv.gz"
)


def symbols_ensure(*, tickers: list[str], defaults: dict[str, Any] | None = None) -> int:
    """Create the symbols that do not exist yet; return how many were created."""
    existing = set(Symbol.objects.filter(ticker__in=tickers).values_list("ticker", flat=True))
    new = [Symbol(ticker=t, **(defaults or {})) for t in tickers if t not in existing]
    Symbol.objects.bulk_create(new)
    return len(new)


def demo_universe_load(*, progress: Callable[[str], Any] | None = None) -> dict[str, int]:
    """Load the bundled demo data set (idempotent: bars already stored are left alone)."""
    frame = pd.read_csv(DEMO_FILE, parse_dates=["Date"]).set_index("Date")
    tickers = list(frame.columns)
    symbols_ensure(tickers=tickers, defaults={"exchange": "NYSE/NASDAQ", "sector": "demo"})
    inserted = unchanged = 0
    for ticker in tickers:
        closes = frame[ticker].dropna()
        have = Bar.objects.filter(symbol=ticker, timeframe="1d").count()
        if have >= len(closes):
            unchanged += have
            continue
        rows = [
            Bar(
                symbol=ticker,
                timeframe="1d",
                ts=pd.Timestamp(str(ts)).tz_localize("UTC").to_pydatetime(),
                open=v,
                high=v,
                low=v,
                close=v,
                volume=None,
                source="demo",
            )
            for ts, v in closes.items()
        ]
        with transaction.atomic(using="timescale"):
            Bar.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
        inserted += len(rows) - have
        unchanged += have
        if progress:
            progress(f"  {ticker}: {len(rows)} bars")
    return {
        "symbols": len(tickers),
        "bars": inserted + unchanged,
        "inserted": inserted,
        "unchanged": unchanged,
    }
