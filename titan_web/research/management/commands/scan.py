"""``manage.py scan``: Engle-Granger scan of a universe with a progress bar; stores the
significant pairs for a user (the same rules as ``POST /api/pairs/scan``)."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

import numpy as np
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from engine.pairs import scan_universe
from titan_web.accounts.models import User
from titan_web.common.errors import ApplicationError
from titan_web.market.models import Symbol
from titan_web.research import selectors
from titan_web.research.models import TradingPair
from titan_web.research.services import MAX_STORED_PAIRS, _aware, scan_pairs_store


def _utc(text: str | None) -> dt.datetime | None:
    if not text:
        return None
    value = dt.datetime.fromisoformat(text)
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


class Command(BaseCommand):
    help = "Scan every pair of SYMBOLS (default: all symbols with bars) for cointegration."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--symbols", default="", help="comma-separated tickers (default: all)")
        parser.add_argument("--user", required=True, help="owner of the stored pairs")
        parser.add_argument("--timeframe", default="1d")
        parser.add_argument("--start")
        parser.add_argument("--end")
        parser.add_argument("--significance-level", type=float, default=0.05)
        parser.add_argument("--fdr", type=float, default=0.05)
        parser.add_argument("--min-correlation", type=float)
        parser.add_argument("--max-half-life", type=float)
        parser.add_argument("--maxlag", type=int, help="fixed lag (screening); default: AIC search")
        parser.add_argument("--dry-run", action="store_true", help="print, store nothing")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            user = User.objects.get(username=opts["user"])
        except User.DoesNotExist as exc:
            raise CommandError(f"no user {opts['user']!r}") from exc
        symbols = [s.strip() for s in opts["symbols"].split(",") if s.strip()]
        if not symbols:
            symbols = list(Symbol.objects.order_by("ticker").values_list("ticker", flat=True))
        if len(symbols) < 2:
            raise CommandError("need at least two symbols")
        start, end = _utc(opts["start"]), _utc(opts["end"])
        try:
            ts, closes = asyncio.run(
                selectors.aligned_closes(symbols, timeframe=opts["timeframe"], start=start, end=end)
            )
        except ApplicationError as exc:
            raise CommandError(exc.detail) from exc
        n_pairs = len(symbols) * (len(symbols) - 1) // 2
        with tqdm(total=n_pairs, unit="pair", desc="scan", disable=None) as bar:
            result = scan_universe(
                np.log(closes),
                symbols=symbols,
                significance_level=opts["significance_level"],
                fdr=opts["fdr"],
                min_correlation=opts["min_correlation"],
                max_half_life=opts["max_half_life"],
                autolag=None if opts["maxlag"] is not None else "aic",
                maxlag=opts["maxlag"],
                progress=lambda done, total: bar.update(done - bar.n),
            )
        keep = result.passes_filters & (result.pvalue < opts["significance_level"])
        order = [int(k) for k in np.argsort(result.pvalue) if keep[k]][:MAX_STORED_PAIRS]
        level = opts["significance_level"]
        n_sig, n_coint = int((result.pvalue < level).sum()), int(result.cointegrated.sum())
        self.stdout.write(
            f"{n_pairs:,} pairs on {len(ts):,} bars: {n_sig:,} with p < {level}, "
            f"{n_coint:,} cointegrated after filters and FDR {opts['fdr']}"
        )
        for k in order[:20]:
            self.stdout.write(
                f"  {result.symbol_1[k]:>8} ~ {result.symbol_2[k]:<8} p={result.pvalue[k]:.2e} "
                f"q={result.qvalue[k]:.2e} beta={result.beta[k]:.3f} "
                f"half-life={result.half_life[k]:.1f}"
            )
        if opts["dry_run"]:
            return
        by_ticker = {s.ticker: s for s in Symbol.objects.filter(ticker__in=symbols)}

        def num(values: Any, k: int) -> float | None:
            v = float(values[k])
            return v if np.isfinite(v) else None

        created, updated = asyncio.run(
            scan_pairs_store(
                [
                    TradingPair(
                        owner=user,
                        timeframe=opts["timeframe"],
                        start=_aware(ts[0]),
                        end=_aware(ts[-1]),
                        symbol_1=by_ticker[str(result.symbol_1[k])],
                        symbol_2=by_ticker[str(result.symbol_2[k])],
                        hedge_ratio=num(result.beta, k),
                        intercept=num(result.alpha, k),
                        tstat=num(result.tstat, k),
                        pvalue=num(result.pvalue, k),
                        qvalue=num(result.qvalue, k),
                        lag=int(result.lag[k]),
                        half_life=num(result.half_life, k),
                        correlation=num(result.correlation, k),
                        is_cointegrated=bool(result.cointegrated[k]),
                        stats={
                            "critical_values": list(result.critical_values),
                            "nobs": result.nobs,
                            "source": "manage.py scan",
                        },
                    )
                    for k in order
                ],
                owner_id=user.id,
            )
        )
        # Re-running over the same window updates the user's pairs instead of duplicating them.
        self.stdout.write(
            self.style.SUCCESS(
                f"stored {len(order)} pairs for {user.username}: {created} new, {updated} updated"
            )
        )
