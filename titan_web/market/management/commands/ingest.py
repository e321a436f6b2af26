"""``manage.py ingest``: load bars from files, the demo set or an HTTP provider, with a
progress bar. Every file goes through the same validation and upsert as the REST upload."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from engine._typing import TIMEFRAMES
from titan_web.common.errors import ApplicationError
from titan_web.market import services

PROVIDERS = ("demo", "yahoo", "stooq")


class Command(BaseCommand):
    help = (
        "Ingest bars: `ingest FILE [FILE ...]` (CSV, CSV.gz, Parquet; long or wide), "
        "`ingest demo`, or `ingest yahoo|stooq --symbols KO,PEP --start 2020-01-01`."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("sources", nargs="+", help="files, or one provider name")
        parser.add_argument("--timeframe", default="1d", choices=list(TIMEFRAMES))
        parser.add_argument(
            "--symbol", help="symbol of single-symbol files without a symbol column"
        )
        parser.add_argument(
            "--naive-tz", default="UTC", help="zone of naive timestamps ('none' rejects)"
        )
        parser.add_argument("--on-error", default="abort", choices=["abort", "skip"])
        parser.add_argument("--unknown-symbols", default="create", choices=["create", "reject"])
        parser.add_argument(
            "--on-mismatch",
            default="reject",
            choices=["reject", "detect"],
            help="a series spaced unlike --timeframe: refuse it, or store it as detected",
        )
        parser.add_argument("--symbols", default="", help="provider symbols, comma-separated")
        parser.add_argument("--start", help="provider start date")
        parser.add_argument("--end", help="provider end date")

    def handle(self, *args: Any, **opts: Any) -> None:
        sources: list[str] = opts["sources"]
        if len(sources) == 1 and sources[0] in PROVIDERS:
            asyncio.run(self._provider(sources[0], opts))
        else:
            asyncio.run(self._files([Path(s) for s in sources], opts))

    async def _files(self, paths: list[Path], opts: dict[str, Any]) -> None:
        from titan_web.signals import relay

        missing = [str(p) for p in paths if not p.is_file()]
        if missing:
            raise CommandError(f"no such file: {', '.join(missing)}")
        signals_before = await relay.signal_count()
        totals = {"rows": 0, "inserted": 0, "updated": 0, "unchanged": 0, "rejected": 0}
        failed = 0
        with tqdm(total=sum(p.stat().st_size for p in paths), unit="B", unit_scale=True,
                  desc="ingest", disable=None) as bar:  # fmt: skip
            for path in paths:
                try:
                    report = await services.abars_ingest_file(
                        content=path.read_bytes(),
                        filename=path.name,
                        timeframe=opts["timeframe"],
                        symbol=opts["symbol"],
                        naive_tz=None if opts["naive_tz"].lower() == "none" else opts["naive_tz"],
                        on_error=opts["on_error"],
                        unknown_symbols=opts["unknown_symbols"],
                        on_mismatch=opts["on_mismatch"],
                        source=f"file:{path.name}"[:32],
                    )
                except ApplicationError as exc:
                    failed += 1
                    tqdm.write(f"{path}: {exc.detail}")
                    for item in exc.extra.get("rejected", [])[:20]:
                        tqdm.write(f"  row {item['row']}: {item['reason']}")
                else:
                    for key in ("rows", "inserted", "updated", "unchanged"):
                        totals[key] += getattr(report, key)
                    totals["rejected"] += len(report.rejected)
                bar.update(path.stat().st_size)
        self.stdout.write(
            f"{len(paths) - failed} file(s) ingested, {failed} refused: {totals['rows']} rows, "
            f"{totals['inserted']} inserted, {totals['updated']} updated, "
            f"{totals['unchanged']} unchanged, {totals['rejected']} rejected"
        )
        note = await relay.stored_note(before=signals_before)
        if note:
            self.stdout.write(note)
        if failed:
            raise CommandError(f"{failed} file(s) refused; nothing was written from them")

    async def _provider(self, name: str, opts: dict[str, Any]) -> None:
        if name == "demo":
            with tqdm(total=20, desc="demo", unit="symbol", disable=None) as bar:
                report = await services.ademo_universe_load(progress=lambda _msg: bar.update(1))
            self.stdout.write(f"demo: {report.rows} bars, {report.inserted} inserted")
            return
        symbols = [s.strip() for s in opts["symbols"].split(",") if s.strip()]
        if not symbols:
            raise CommandError("--symbols is required for an HTTP provider")
        with tqdm(total=len(symbols), desc=name, unit="symbol", disable=None) as bar:
            fetched = await services.abars_fetch(
                provider=name, symbols=symbols, start=opts["start"], end=opts["end"],
                timeframe=opts["timeframe"], progress=lambda done, total: bar.update(1),
            )  # fmt: skip
        self.stdout.write(
            f"{name}: {fetched['rows']} bars, {fetched['inserted']} inserted, "
            f"{len(fetched['errors'])} symbol error(s)"
        )
        for err in fetched["errors"]:
            self.stderr.write(f"  {err['symbol']}: {err['message']}")
