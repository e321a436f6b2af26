"""Writes for market data: symbols and bar ingestion.

Ingestion validates every row (``engine.data.validate``) in the compute executor, then
upserts the accepted rows in one transaction (``titan_web.market.store``). By default a
batch is all-or-nothing: if any row is rejected nothing is written and the answer lists every
rejected row with its reason (HTTP 422). ``on_error="skip"`` writes the valid rows and reports
the rejected ones.

Shared data: bars are shared by every user. An upload by a user who is not staff may add
series and bars, and re-send identical values, but may not change a stored value of a series
another user (or the system) created: the whole upload is refused (409, the conflicting rows
listed). Every change is recorded (``BarChange``) with who made it and the old and new values.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import IntegrityError

import engine.compute
from engine._typing import Timeframe
from engine.data._files import FileFormat
from engine.data.demo import DemoProvider
from engine.data.errors import DataError, DataTooLarge, excerpt
from engine.data.files import read_bars
from engine.data.rows import read_rows
from engine.data.timeframes import mismatch_reason
from engine.data.validate import MismatchPolicy, ValidationReport, validate_bars
from titan_web.common.errors import (
    ApplicationError,
    ConflictError,
    NotFoundError,
    protected_conflict,
)
from titan_web.market import store
from titan_web.market.models import Bar, Series, Symbol

logger = logging.getLogger("titan.market")

OnError = Literal["abort", "skip"]
UnknownSymbols = Literal["create", "reject"]

# listener(symbols, timeframe, changed): ``changed`` maps each (symbol, timeframe) whose stored
# bars were changed (not only appended) to its earliest changed bar.
BarsIngested = Callable[[list[str], str, dict[tuple[str, str], Any]], Awaitable[None]]
_ingest_listeners: list[BarsIngested] = []


def on_bars_ingested(listener: BarsIngested) -> BarsIngested:
    """Register ``listener(symbols, timeframe, changed)``, awaited after every successful ingest
    (the live signal service uses it)."""
    if listener not in _ingest_listeners:
        _ingest_listeners.append(listener)
    return listener


class IngestRejected(ApplicationError):
    status_code = 422
    slug = "ingest-rejected"
    title = "Bars rejected"


class BadDataFile(ApplicationError):
    status_code = 400
    slug = "bad-data-file"
    title = "Unreadable data file"


@dataclass(frozen=True)
class IngestReport:
    rows: int
    inserted: int
    updated: int
    unchanged: int
    rejected: list[dict[str, Any]]
    symbols_created: list[str] = field(default_factory=list)
    timeframe_checks: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "timeframe_checks": self.timeframe_checks,
            "rows": self.rows,
            "inserted": self.inserted,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
            "symbols_created": self.symbols_created,
        }


# -- symbols -----------------------------------------------------------------------------


def symbols_ensure(*, tickers: Sequence[str], defaults: dict[str, Any] | None = None) -> list[str]:
    """Create the symbols that do not exist yet; return the tickers created."""
    existing = set(Symbol.objects.filter(ticker__in=tickers).values_list("ticker", flat=True))
    new = sorted({t for t in tickers if t not in existing})
    Symbol.objects.bulk_create(
        [Symbol(ticker=t, **(defaults or {})) for t in new], ignore_conflicts=True
    )
    return new


asymbols_ensure = sync_to_async(symbols_ensure)


async def symbol_create(*, data: dict[str, Any]) -> Symbol:
    try:
        return await Symbol.objects.acreate(**data)
    except IntegrityError as exc:
        raise ConflictError(
            f"Symbol {data.get('ticker')!r} already exists.", errors={"ticker": ["already exists"]}
        ) from exc


async def symbol_update(*, symbol: Symbol, data: dict[str, Any]) -> Symbol:
    """Change the symbol's fields; 404 when it was deleted meanwhile (a concurrent DELETE made
    ``save(update_fields=...)`` raise: a 500 found by the schema fuzz)."""
    from django.utils import timezone

    now = timezone.now()
    changed = await Symbol.objects.filter(pk=symbol.pk).aupdate(**data, updated_at=now)
    if not changed:
        raise NotFoundError(f"No symbol {symbol.ticker!r}.")
    for name, value in data.items():
        setattr(symbol, name, value)
    symbol.updated_at = now
    return symbol


async def symbol_delete(*, symbol: Symbol) -> None:
    """Delete a symbol and its bars. Refused (409) while research results use it."""
    from django.db.models import ProtectedError

    try:
        await symbol.adelete()
    except ProtectedError as exc:
        raise protected_conflict(exc, what=f"Symbol {symbol.ticker}") from exc
    await Bar.objects.filter(series__symbol=symbol.ticker).adelete()
    await Series.objects.filter(symbol=symbol.ticker).adelete()


# -- bars --------------------------------------------------------------------------------


async def _known_tickers() -> set[str]:
    return {t async for t in Symbol.objects.values_list("ticker", flat=True)}


async def abars_ingest_validated(
    report: ValidationReport,
    *,
    on_error: OnError = "abort",
    unknown_symbols: UnknownSymbols = "create",
    source: str = "",
    user: Any = None,
) -> IngestReport:
    """Write the accepted rows of a validation report (see the module notes); ``user`` is
    the uploader (None: the system, which may change any bar)."""
    rejected = list(report.rejected)
    if rejected and on_error == "abort":
        refused = [c for c in report.timeframe_checks if c["action"] == "rejected"]
        spacing = "; ".join(
            f"{c['symbol']}: "
            + mismatch_reason(c["declared"], c["detected"], c["median_spacing_s"] * 1e9)
            for c in refused[:10]
        )
        hint = (
            f" Timeframe mismatch ({spacing}): declare the timeframe the data has, or send "
            "on_mismatch=detect to store it under the detected one."
            if refused
            else ""
        )
        raise IngestRejected(
            f"{len(rejected)} of {report.n_input} rows rejected; nothing was written "
            f"(send on_error=skip to write the valid rows).{hint}",
            extra={
                "rows": report.n_input,
                "rejected": rejected[:1000],
                "rejected_count": len(rejected),
                "timeframe_checks": report.timeframe_checks,
            },
        )
    columns = store.BarColumns.from_report(report)
    counts = await store.aupsert(columns, source=source, writer=store.Writer.of(user))
    pairs = columns.pair_groups()[0] if len(columns) else []
    tickers = sorted({p[0] for p in pairs})
    created = await asymbols_ensure(tickers=tickers) if unknown_symbols == "create" else []
    if counts.inserted or counts.updated:
        for timeframe in sorted({p[1] for p in pairs}):
            changed = {k: v for k, v in counts.changed.items() if k[1] == timeframe}
            for listener in _ingest_listeners:
                try:
                    await listener(tickers, timeframe, changed)
                except Exception:  # a listener's failure must not undo a committed ingest
                    logger.exception("bars-ingested listener %r failed", listener)
    return IngestReport(
        report.n_input,
        counts.inserted,
        counts.updated,
        counts.unchanged,
        rejected,
        created,
        report.timeframe_checks,
    )


async def abars_ingest_file(
    *,
    content: bytes,
    filename: str = "",
    timeframe: Timeframe = "1d",
    symbol: str | None = None,
    naive_tz: str | None = "UTC",
    on_error: OnError = "abort",
    unknown_symbols: UnknownSymbols = "create",
    source: str = "upload",
    on_mismatch: MismatchPolicy = "reject",
    user: Any = None,
    field: str = "file",
) -> IngestReport:
    """Parse (CSV, CSV.gz or Parquet; long or wide), validate and upsert an uploaded file.

    A long file without a symbol column needs ``symbol`` (the file name is never taken for
    one: ``prices.csv`` is not a ticker); without it the file is refused with that reason.
    A gzip file expanding past ``TITAN_MAX_DECOMPRESSED_BYTES`` is refused (413) as soon
    as it passes it. ``field="rows"``: ``content`` is the CSV text of JSON rows
    (``titan_web.market.rowsbody``), errors are reported under ``rows``.
    """
    known = await _known_tickers() if unknown_symbols == "reject" else None
    fmt: FileFormat = "parquet" if filename.lower().endswith(".parquet") else "auto"
    if field == "rows":
        fmt = "csv"
    options: dict[str, Any] = {
        "file_format": fmt,
        "timeframe": timeframe,
        "naive_tz": naive_tz,
        "known_symbols": known,
        "on_mismatch": on_mismatch,
        "max_decompressed": settings.TITAN["MAX_DECOMPRESSED_BYTES"],
    }
    try:
        report = await engine.compute.run(read_bars, content, symbol=symbol, **options)
    except DataTooLarge as exc:
        raise ApplicationError(
            str(exc),
            status_code=413,
            slug="payload-too-large",
            title="Payload too large",
            errors={field: [f"decompresses to more than {exc.limit:,} bytes"]},
            extra={"limit_bytes": exc.limit},
        ) from exc
    except DataError as exc:
        raise _bad_data(field, exc) from exc
    return await abars_ingest_validated(
        report, on_error=on_error, unknown_symbols=unknown_symbols, source=source, user=user
    )


def _bad_data(field: str, exc: DataError) -> BadDataFile:
    """A file or rows that cannot be read as bars; a missing symbol column names ``symbol``."""
    text = str(excerpt(str(exc), 1000))
    if "no symbol column" in text:
        reason = (
            "no symbol column (Symbol, Ticker or sym): send the symbol option for a "
            "single-symbol table, or add a symbol column"
        )
        return BadDataFile(text, errors={field: [text], "symbol": [reason]})
    return BadDataFile(text, errors={field: [text]})


async def abars_ingest_rows(
    *,
    rows: list[dict[str, Any]],
    timeframe: Timeframe = "1d",
    symbol: str | None = None,
    naive_tz: str | None = "UTC",
    on_error: OnError = "abort",
    unknown_symbols: UnknownSymbols = "create",
    source: str = "api",
    on_mismatch: MismatchPolicy = "reject",
    user: Any = None,
) -> IngestReport:
    """Validate and upsert JSON rows: the columns, aliases and options of a file upload
    (``engine.data.rows``), e.g. ``{symbol, ts, close}`` or ``{Date, Open, ..., Volume}``
    with the ``symbol`` option; ``timeframe`` is the timeframe of rows without one.
    """
    known = await _known_tickers() if unknown_symbols == "reject" else None
    try:
        report = await engine.compute.run(
            read_rows,
            rows,
            symbol=symbol,
            timeframe=timeframe,
            naive_tz=naive_tz,
            known_symbols=known,
            on_mismatch=on_mismatch,
        )
    except DataError as exc:
        raise _bad_data("rows", exc) from exc
    return await abars_ingest_validated(
        report, on_error=on_error, unknown_symbols=unknown_symbols, source=source, user=user
    )


async def ademo_universe_load(*, progress: Callable[[str], Any] | None = None) -> IngestReport:
    """Load the bundled demo data set (idempotent)."""
    total = store.UpsertCounts(0, 0, 0)
    created: list[str] = []
    rows = 0
    async for batch in DemoProvider().batches():
        # The bundled data set never changes: a symbol with all its bars stored is done.
        have = await Bar.objects.filter(
            series__symbol=batch.symbol, series__timeframe=batch.timeframe
        ).acount()
        if have == len(batch.ts):
            rows += have
            total = store.UpsertCounts(total.inserted, total.updated, total.unchanged + have)
            continue
        report = await engine.compute.run(
            validate_bars,
            {
                "symbol": np.full(len(batch.ts), batch.symbol, dtype=object),
                "timeframe": np.full(len(batch.ts), batch.timeframe, dtype=object),
                "ts": batch.ts,
                "open": batch.open,
                "high": batch.high,
                "low": batch.low,
                "close": batch.close,
                "volume": batch.volume,
            },
        )
        result = await abars_ingest_validated(report, source="demo")
        rows += result.rows
        created += result.symbols_created
        total = store.UpsertCounts(
            total.inserted + result.inserted,
            total.updated + result.updated,
            total.unchanged + result.unchanged,
        )
        if progress:
            progress(f"  {batch.symbol}: {result.rows} bars ({result.inserted} new)")
    await Symbol.objects.filter(ticker__in=created).aupdate(exchange="NYSE/NASDAQ", sector="demo")
    return IngestReport(rows, total.inserted, total.updated, total.unchanged, [], created)


PROVIDER_NAMES = ("yahoo", "stooq")
# The timeframes each provider serves (Stooq's CSV endpoint has daily bars only).
PROVIDER_TIMEFRAMES: dict[str, tuple[str, ...]] = {
    "yahoo": ("1m", "5m", "15m", "1h", "1d", "1w", "1mo"),
    "stooq": ("1d",),
}


def _http_provider(name: str, symbols: list[str], **options: Any) -> Any:
    from engine.data.http import StooqProvider, YahooChartProvider

    cls = {"yahoo": YahooChartProvider, "stooq": StooqProvider}.get(name)
    if cls is None:
        raise ApplicationError(
            f"Unknown provider {name!r}.", errors={"provider": [f"one of {PROVIDER_NAMES}"]}
        )
    return cls(symbols, on_error="skip", **options)


async def abars_fetch(
    *,
    provider: str,
    symbols: list[str],
    start: Any = None,
    end: Any = None,
    timeframe: Timeframe = "1d",
    progress: Callable[[int, int], Any] | None = None,
    client: Any = None,
    user: Any = None,
) -> dict[str, Any]:
    """Fetch bars from an HTTP provider and ingest them symbol by symbol.

    A symbol the provider refuses (unknown, throttled past the retries, malformed answer) is
    reported in ``errors`` and does not stop the others; each symbol's bars are validated and
    upserted like an upload (rows the provider sent with missing values are in ``dropped``).
    """
    source = _http_provider(
        provider, symbols, start=start, end=end, timeframe=timeframe, client=client
    )
    report = await source.fetch()
    totals = {"rows": 0, "inserted": 0, "updated": 0, "unchanged": 0}
    rejected: list[dict[str, Any]] = []
    conflicts: list[dict[str, Any]] = []
    for done, batch in enumerate(report.batches, start=1):
        validated = await engine.compute.run(
            validate_bars,
            {
                "symbol": np.full(len(batch.ts), batch.symbol, dtype=object),
                "timeframe": np.full(len(batch.ts), batch.timeframe, dtype=object),
                "ts": batch.ts,
                "open": batch.open,
                "high": batch.high,
                "low": batch.low,
                "close": batch.close,
                "volume": batch.volume,
            },
        )
        try:
            result = await abars_ingest_validated(
                validated, on_error="skip", source=provider, user=user
            )
        except store.SharedBarsConflict as exc:  # this symbol is refused, the others go on
            conflicts.append({"symbol": batch.symbol, "detail": exc.detail, **exc.extra})
            continue
        for key in totals:
            totals[key] += getattr(result, key)
        rejected += [{**r, "symbol": batch.symbol} for r in result.rejected]
        if progress:
            maybe = progress(done, len(symbols))
            if inspect.isawaitable(maybe):
                await maybe
    return {
        **totals,
        "rejected": rejected,
        "errors": [e.to_dict() for e in report.errors],
        "dropped": [dict(d) for d in report.dropped][:1000],
        "conflicts": conflicts,
    }


# -- long runs as tasks ------------------------------------------------------------------

LARGE_UPLOAD_BYTES = 20 * 1024 * 1024


async def abars_fetch_submit(
    *,
    owner: Any,
    provider: str,
    symbols: list[str],
    start: Any = None,
    end: Any = None,
    timeframe: Timeframe = "1d",
) -> Any:
    """Submit a provider fetch as a task (kind ``fetch``); returns the ``TaskRun``."""
    from titan_web.tasks.services import atask_submit

    _http_provider(provider, symbols)  # unknown provider: 400 now, not a failed task later
    params = {
        "provider": provider,
        "symbols": symbols,
        "start": start,
        "end": end,
        "timeframe": timeframe,
    }

    async def work(ctx: Any) -> dict[str, Any]:
        await ctx.progress(0.0, f"fetching {len(symbols)} symbols from {provider}")
        result = await abars_fetch(
            provider=provider,
            symbols=symbols,
            start=start,
            end=end,
            timeframe=timeframe,
            progress=lambda done, total: ctx.progress(done / total, f"{done}/{total} symbols"),
            user=owner,
        )
        return result

    return await atask_submit(owner=owner, kind="fetch", params=params, run=work)


async def abars_ingest_file_submit(
    *, owner: Any, content: bytes, filename: str, **options: Any
) -> Any:
    """Submit a large upload as a task (kind ``ingest``); the report becomes its result."""
    from titan_web.tasks.services import atask_submit

    async def work(ctx: Any) -> dict[str, Any]:
        await ctx.progress(0.1, f"validating {filename or 'upload'} ({len(content):,} bytes)")
        report = await abars_ingest_file(content=content, filename=filename, user=owner, **options)
        return report.to_dict()

    params = {"filename": filename, "bytes": len(content), **options}
    return await atask_submit(owner=owner, kind="ingest", params=params, run=work)
