"""``manage.py lookahead``: the lookahead check of a pair backtest, with a progress bar.

``lookahead --backtest ID`` checks a stored backtest exactly as it ran; ``--pair ID`` or
``--symbols KO,PEP`` plan a backtest the way ``POST /api/backtests/`` does (the pair owner's,
or ``--user``'s, preferences; engine defaults without a user) and check it. The check re-runs
the backtest on the data truncated after each cut bar and compares every decision up to the
cut; the command exits with status 1 when a decision changed.
"""

from __future__ import annotations

import asyncio
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from engine._typing import TIMEFRAMES
from engine.lookahead import check_lookahead
from titan_web.accounts.models import User
from titan_web.backtests import compute, services
from titan_web.backtests.models import BacktestRun
from titan_web.common.errors import ApplicationError
from titan_web.research.models import TradingPair


class Command(BaseCommand):
    help = "Lookahead check of a pair backtest (--backtest ID, --pair ID or --symbols Y,X)."

    def add_arguments(self, parser: Any) -> None:
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("--backtest", type=int, help="a stored backtest run")
        target.add_argument("--pair", type=int, help="a stored pair (its owner's preferences)")
        target.add_argument("--symbols", help="two tickers, y first: KO,PEP")
        parser.add_argument("--user", help="whose preferences to use with --symbols")
        parser.add_argument("--start", help="first traded bar (ISO date)")
        parser.add_argument("--end", help="last bar (ISO date)")
        parser.add_argument("--timeframe", choices=list(TIMEFRAMES))
        parser.add_argument("--formation-bars", type=int, default=252)
        parser.add_argument("--cuts", type=int, default=5, help="number of cut bars")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            plan, pair = asyncio.run(self._plan(opts))
        except ApplicationError as exc:
            raise CommandError(exc.detail) from exc
        frame = plan.frame()
        lookback = int(plan.spec.params["lookback"])
        cuts = compute.lookahead_cuts(len(frame), plan.spec.trade_from, lookback, opts["cuts"])
        with tqdm(total=len(cuts) + 1, desc="lookahead", unit="run", disable=None) as bar:

            def progress(fraction: float, message: str) -> None:
                bar.set_postfix_str(message)
                bar.n = round(fraction * (len(cuts) + 1))
                bar.refresh()

            report = check_lookahead(
                frame,
                compute.BacktestTrace(plan.spec),
                cuts=cuts,
                target=f"backtest {plan.symbol_1}/{plan.symbol_2}",
                progress=progress,
            )
        self.stdout.write(report.summary())
        for warning in services.lookahead_warnings(plan, pair):
            self.stdout.write(self.style.WARNING(f"warning: {warning}"))
        if not report.ok:
            raise CommandError("lookahead detected")
        self.stdout.write(self.style.SUCCESS("no lookahead: every decision up to each cut held"))

    async def _plan(self, opts: dict[str, Any]) -> tuple[services.BacktestPlan, Any]:
        import pandas as pd

        if opts["backtest"] is not None:
            run = await BacktestRun.objects.filter(pk=opts["backtest"]).afirst()
            if run is None:
                raise CommandError(f"no backtest {opts['backtest']}")
            pair = (
                await TradingPair.objects.filter(pk=run.pair_id).afirst() if run.pair_id else None
            )
            return await services._plan_from_run(run), pair
        data: dict[str, Any] = {
            "formation_bars": opts["formation_bars"],
            "timeframe": opts["timeframe"],
            "start": pd.Timestamp(opts["start"], tz="UTC").to_pydatetime()
            if opts["start"]
            else None,
            "end": pd.Timestamp(opts["end"], tz="UTC").to_pydatetime() if opts["end"] else None,
        }
        if opts["pair"] is not None:
            pair = (
                await TradingPair.objects.select_related("owner").filter(pk=opts["pair"]).afirst()
            )
            if pair is None:
                raise CommandError(f"no pair {opts['pair']}")
            plan = await services.backtest_prepare(user=pair.owner, pair=pair.pk, **data)
            return plan, pair
        tickers = [t.strip() for t in opts["symbols"].split(",") if t.strip()]
        if len(tickers) != 2:
            raise CommandError("--symbols takes two tickers: Y,X")
        user = User()  # engine-side defaults: the model's default preferences
        if opts["user"]:
            found = await User.objects.filter(username=opts["user"]).afirst()
            if found is None:
                raise CommandError(f"no user {opts['user']!r}")
            user = found
        plan = await services.backtest_prepare(
            user=user, symbol_1=tickers[0], symbol_2=tickers[1], **data
        )
        return plan, None
