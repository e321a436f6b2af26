"""``manage.py replay --symbols KO,PEP --from 2020-01-01 --speed 10``: play stored history
forward as live bars, through the normal ingestion path (demos and tests).

The stored bars of the symbols from ``--from`` (to ``--to``) are read, taken out of the
store, the monitors of pairs on those symbols are warmed up again to just before ``--from``,
and the bars are ingested again one timestamp at a time with
:func:`titan_web.market.services.abars_ingest_rows` (``source="replay"``), ``--speed``
timestamps per second (0: as fast as possible). Each ingest runs the live signal service,
which stores and publishes the signals as if the bars were new. Decisions already stored for
a monitor at a timestamp are not stored twice, so replaying a period again only publishes
what is new. Interrupted (Ctrl-C) or failed part way, it ingests the bars it has not replayed
yet in one batch before it stops, so no stored bar is lost.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

import numpy as np
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm


def _date(value: str) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(value).replace(tzinfo=dt.UTC)
    except ValueError as exc:
        raise CommandError(f"not a date: {value!r}") from exc


def _rows(bars: dict[str, Any], timeframe: str, stamps: Any) -> list[dict[str, Any]]:
    """The ingest rows of ``bars`` (symbol -> stored bars) at ``stamps``, in time order."""
    rows = []
    for ts in stamps:
        for sym, b in bars.items():
            i = np.searchsorted(b.ts, ts)
            if i < len(b.ts) and b.ts[i] == ts:
                rows.append(
                    {
                        "symbol": sym,
                        "timeframe": timeframe,
                        "ts": str(np.datetime_as_string(ts, unit="us")) + "Z",
                        "open": float(b.open[i]),
                        "high": float(b.high[i]),
                        "low": float(b.low[i]),
                        "close": float(b.close[i]),
                        "volume": None if np.isnan(b.volume[i]) else float(b.volume[i]),
                    }
                )
    return rows


async def areplay(
    *,
    symbols: list[str],
    start: dt.datetime,
    end: dt.datetime | None = None,
    timeframe: str = "1d",
    speed: float = 10.0,
    progress: bool = True,
) -> dict[str, Any]:
    """Replay the stored bars of ``symbols`` in ``[start, end]``; returns counts."""
    from django.db.models import Q

    from titan_web.market import services as market
    from titan_web.market import store
    from titan_web.market.models import Bar
    from titan_web.signals import services
    from titan_web.signals.models import Monitor, Signal

    bars = {s: await store.abars(s, timeframe=timeframe, start=start, end=end) for s in symbols}
    stamps = np.unique(np.concatenate([b.ts for b in bars.values()])) if bars else np.array([])
    if not len(stamps):
        raise CommandError("no stored bars of those symbols in that range")
    window = Bar.objects.filter(
        series__symbol__in=symbols, series__timeframe=timeframe, ts__gte=start
    )
    if end is not None:
        window = window.filter(ts__lte=end)
    await window.adelete()
    done = 0
    try:
        monitors = [
            m
            async for m in Monitor.objects.filter(active=True, pair__timeframe=timeframe).filter(
                Q(pair__symbol_1__ticker__in=symbols) | Q(pair__symbol_2__ticker__in=symbols)
            )
        ]
        before = (start - dt.timedelta(microseconds=1)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        for m in monitors:
            await services.monitor_rewarm(monitor_id=m.pk, until=before)
        pair_ids = [m.pair_id for m in monitors]
        signals_before = await Signal.objects.filter(pair_id__in=pair_ids).acount()
        delay = 1.0 / speed if speed > 0 else 0.0
        with tqdm(total=len(stamps), unit="bar", disable=not progress, desc="replay") as bar:
            for ts in stamps:
                rows = _rows(bars, timeframe, [ts])
                await market.abars_ingest_rows(rows=rows, source="replay")
                done += 1
                bar.update(1)
                if delay:
                    await asyncio.sleep(delay)
    except BaseException:
        # Interrupted (Ctrl-C cancels the run) or failed: the bars not replayed yet go back
        # into the store in one ingest before the error goes on, so the store ends with every
        # bar it had. An ingest is one transaction: the one that failed is in the rest.
        rest = _rows(bars, timeframe, stamps[done:])
        if rest:
            await market.abars_ingest_rows(rows=rest, source="replay")
        raise
    signals_after = await Signal.objects.filter(pair_id__in=pair_ids).acount()
    return {
        "timestamps": len(stamps),
        "monitors": len(monitors),
        "signals": signals_after - signals_before,
    }


class Command(BaseCommand):
    help = "Play stored bars forward as live bars (through ingestion and live signals)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--symbols", required=True, help="comma-separated tickers")
        parser.add_argument("--from", dest="start", required=True, help="first date (UTC)")
        parser.add_argument("--to", dest="end", default=None, help="last date (UTC)")
        parser.add_argument("--timeframe", default="1d")
        parser.add_argument(
            "--speed", type=float, default=10.0, help="timestamps per second (0: no pause)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        symbols = [s.strip().upper() for s in options["symbols"].split(",") if s.strip()]
        if not symbols:
            raise CommandError("--symbols is empty")
        try:
            result = asyncio.run(
                areplay(
                    symbols=symbols,
                    start=_date(options["start"]),
                    end=_date(options["end"]) if options["end"] else None,
                    timeframe=options["timeframe"],
                    speed=options["speed"],
                    progress=options["verbosity"] > 0,
                )
            )
        except KeyboardInterrupt:
            raise CommandError(
                "interrupted: the bars not replayed yet are back in the store"
            ) from None
        self.stdout.write(
            f"replayed {result['timestamps']} timestamps; {result['monitors']} monitors; "
            f"{result['signals']} new signals"
        )
        from titan_web.signals import relay

        note = relay.note_for(result["signals"])
        if note:
            self.stdout.write(note)
