"""Writes and computations for research: pair analysis and stored pairs."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np

import engine.compute
from engine.result_warnings import as_dicts, history_warnings, warmup_truncated
from titan_web.common.errors import ConflictError, protected_conflict
from titan_web.market.models import Symbol
from titan_web.research import compute, selectors
from titan_web.research.models import TradingPair

ANALYSIS_FIELDS = (
    "hedge_ratio",
    "intercept",
    "tstat",
    "pvalue",
    "lag",
    "half_life",
    "correlation",
    "hurst",
    "stability_score",
    "is_cointegrated",
)


async def pair_delete(*, pair: TradingPair) -> None:
    """Delete a pair with its parameter sets and regimes; 409 naming the monitors while any
    monitor watches it or uses one of its parameter sets."""
    from django.db.models import ProtectedError, Q

    monitors = pair.monitors.model.objects.filter(  # type: ignore[attr-defined]
        Q(pair=pair) | Q(parameter_set__pair=pair)
    )
    ids = sorted({m async for m in monitors.values_list("id", flat=True)})
    if ids:
        raise ConflictError(
            f"Pair {pair.pk} is watched by monitor(s) {', '.join(map(str, ids))}; delete "
            "them first (DELETE /api/monitors/<id>/).",
            errors={"monitors": [str(i) for i in ids]},
            extra={"monitors": ids},
        )
    try:
        await pair.adelete()
    except ProtectedError as exc:
        raise protected_conflict(exc, what=f"Pair {pair.pk}") from exc


async def pair_analyze(
    *,
    user: Any,
    symbol_1: str,
    symbol_2: str,
    timeframe: str = "1d",
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    significance_level: float = 0.05,
    min_correlation: float | None = None,
    autolag: str | None = "aic",
    maxlag: int | None = None,
    store: bool = False,
) -> dict[str, Any]:
    """Analyze ``symbol_1`` (y) against ``symbol_2`` (x), off the event loop.

    With ``store`` the result is stored as the user's :class:`TradingPair` and its id returned.
    """
    sym_1, sym_2 = await selectors.symbols_get(
        tickers=[symbol_1, symbol_2], field=["symbol_1", "symbol_2"]
    )
    ts, closes = await selectors.aligned_closes(
        [symbol_1, symbol_2], timeframe=timeframe, start=start, end=end
    )
    result = await engine.compute.run(
        compute.analyze_closes,
        closes[:, 0],
        closes[:, 1],
        significance_level=significance_level,
        autolag=autolag,
        maxlag=maxlag,
    )
    result["passes_filters"] = min_correlation is None or (
        result["correlation"] is not None and result["correlation"] >= min_correlation
    )
    result["symbol_1"], result["symbol_2"], result["timeframe"] = symbol_1, symbol_2, timeframe
    result["start"] = str(ts[0])[:19] + "Z"
    result["end"] = str(ts[-1])[:19] + "Z"
    result["pair_id"] = None
    result["warnings"] = as_dicts(history_warnings(ts, timeframe=timeframe))
    if store:
        pair = await TradingPair.objects.acreate(
            owner=user,
            symbol_1=sym_1,
            symbol_2=sym_2,
            timeframe=timeframe,
            start=_aware(ts[0]),
            end=_aware(ts[-1]),
            stats={
                k: result[k] for k in ("critical_values", "johansen", "eg_x_on_y", "breaks", "nobs")
            },
            **{k: result[k] for k in ANALYSIS_FIELDS},
        )
        result["pair_id"] = pair.pk
    return result


def _aware(ts: Any) -> dt.datetime:
    import pandas as pd

    return pd.Timestamp(ts).tz_localize("UTC").to_pydatetime()


async def pair_spread(
    *,
    pair: TradingPair,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    lookback: int = 60,
) -> dict[str, Any]:
    """Spread, z-score (static hedge from the pair's analysis) and Kalman dynamic hedge.

    The z-score's rolling window and the Kalman filter run over the history before ``start``
    too (they are causal), so every bar of the window has a z-score once ``lookback - 1``
    earlier bars exist; ``warmup_bars`` says how many history bars were read before it.
    """
    tickers = [pair.symbol_1.ticker, pair.symbol_2.ticker]
    ts, closes = await selectors.aligned_closes(
        tickers, timeframe=pair.timeframe, start=None, end=end, min_bars=2
    )
    first = 0
    if start is not None:
        at = np.datetime64(start.astimezone(dt.UTC).replace(tzinfo=None))
        first = int(np.searchsorted(ts, at, "left"))
    if len(ts) - first < 2:
        await selectors.aligned_closes(  # the usual 422 with the window's numbers
            tickers, timeframe=pair.timeframe, start=start, end=end, min_bars=2
        )
    series = await engine.compute.run(
        compute.spread_series,
        closes[:, 0],
        closes[:, 1],
        beta=pair.hedge_ratio or 1.0,
        alpha=pair.intercept or 0.0,
        lookback=lookback,
    )

    def clean(values: Any) -> list[float | None]:
        return [None if v != v else float(v) for v in values.tolist()]

    need = lookback - 1
    warnings = as_dicts(
        [
            None
            if start is None or first >= need
            else warmup_truncated(
                requested_start=start,
                trading_start=ts[min(need, len(ts) - 1)],
                needed_bars=need,
                history_bars=first,
                what=f"z-score window ({lookback} bars)",
                starts="the first z-score is",
            ),
            *history_warnings(ts[first:], timeframe=pair.timeframe, min_bars=0),
        ]
    )
    return {
        "pair_id": pair.pk,
        "lookback": lookback,
        "hedge_ratio": pair.hedge_ratio,
        "intercept": pair.intercept,
        "warmup_bars": min(first, need),
        "ts": [str(t)[:19] + "Z" for t in ts[first:]],
        "price_1": clean(closes[first:, 0]),
        "price_2": clean(closes[first:, 1]),
        **{k: clean(v[first:]) for k, v in series.items()},
        "warnings": warnings,
    }


MAX_STORED_PAIRS = 5_000


async def pair_scan_submit(
    *,
    user: Any,
    symbols: list[str],
    timeframe: str = "1d",
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    significance_level: float = 0.05,
    min_correlation: float | None = None,
    max_half_life: float | None = None,
    fdr: float | None = 0.05,
    autolag: str | None = "aic",
    maxlag: int | None = None,
) -> Any:
    """Submit a universe scan (task kind ``scan``).

    Every pair of ``symbols`` is tested (symbol_1 on symbol_2 in the given order) exactly as
    statsmodels ``coint``; the pairs that pass the filters and whose p-value is below
    ``significance_level`` are stored as the user's pairs tied to the task (at most 5,000, best
    p-values first), with their Benjamini-Hochberg q-values. Progress: reading, scanning,
    storing; a cancel stops between those phases.
    """
    from titan_web.tasks.services import atask_submit

    await selectors.symbols_get(tickers=symbols)  # unknown symbols: 404 now, not a failed task
    params = {
        "symbols": symbols,
        "timeframe": timeframe,
        "start": start.isoformat() if start else None,
        "end": end.isoformat() if end else None,
        "significance_level": significance_level,
        "min_correlation": min_correlation,
        "max_half_life": max_half_life,
        "fdr": fdr,
        "autolag": autolag,
        "maxlag": maxlag,
    }

    async def work(ctx: Any) -> dict[str, Any]:
        ctx.result_url = f"/api/pairs/?scan={ctx.task_id}"
        await ctx.progress(0.02, f"reading {len(symbols)} symbols")
        ts, closes = await selectors.aligned_closes(
            symbols, timeframe=timeframe, start=start, end=end
        )
        ctx.raise_if_cancelled()
        n_pairs = len(symbols) * (len(symbols) - 1) // 2
        await ctx.progress(0.1, f"testing {n_pairs:,} pairs on {len(ts):,} bars")
        out = await engine.compute.run(
            compute.scan_closes,
            closes,
            symbols,
            significance_level=significance_level,
            min_correlation=min_correlation,
            max_half_life=max_half_life,
            fdr=fdr,
            autolag=autolag,
            maxlag=maxlag,
        )
        ctx.raise_if_cancelled()
        keep = out["passes_filters"] & (out["pvalue"] < significance_level)
        order = [int(k) for k in np.argsort(out["pvalue"]) if keep[k]][:MAX_STORED_PAIRS]
        await ctx.progress(0.9, f"storing {len(order)} pairs")
        by_ticker = {s.ticker: s async for s in Symbol.objects.filter(ticker__in=symbols)}
        start_ts, end_ts = _aware(ts[0]), _aware(ts[-1])

        def num(a: str, k: int) -> float | None:
            v = float(out[a][k])
            return v if np.isfinite(v) else None

        rows = [
            TradingPair(
                owner_id=ctx.owner_id,
                scan_id=ctx.task_id,
                timeframe=timeframe,
                start=start_ts,
                end=end_ts,
                symbol_1=by_ticker[symbols[int(out["i"][k])]],
                symbol_2=by_ticker[symbols[int(out["j"][k])]],
                hedge_ratio=num("beta", k),
                intercept=num("alpha", k),
                tstat=num("tstat", k),
                pvalue=num("pvalue", k),
                qvalue=num("qvalue", k),
                lag=int(out["lag"][k]),
                half_life=num("half_life", k),
                correlation=num("correlation", k),
                is_cointegrated=bool(out["cointegrated"][k]),
                stats={
                    "critical_values": out["critical_values"],
                    "nobs": out["nobs"],
                    "source": "scan",
                },
            )
            for k in order
        ]
        created, updated = await scan_pairs_store(rows, owner_id=ctx.owner_id)
        return {
            "pairs_tested": n_pairs,
            "pairs_stored": len(rows),
            "pairs_created": created,
            "pairs_updated": updated,
            "bars": len(ts),
            "cointegrated": int(out["cointegrated"].sum()),
            "passing_filters": int(out["passes_filters"].sum()),
            "significant_raw": int((out["pvalue"] < significance_level).sum()),
            "significant_fdr": int((out["qvalue"] < (fdr or significance_level)).sum()),
            "critical_values": out["critical_values"],
            "maxlag": out["maxlag"],
            "warnings": as_dicts(history_warnings(ts, timeframe=timeframe)),
        }

    return await atask_submit(owner=user, kind="scan", params=params, run=work)


#: Fields a re-run of a scan overwrites on the user's existing pair of the same key.
SCAN_UPDATE_FIELDS = (
    "scan_id", "hedge_ratio", "intercept", "tstat", "pvalue", "qvalue", "lag", "half_life",
    "correlation", "is_cointegrated", "stats",
)  # fmt: skip


async def scan_pairs_store(rows: list[TradingPair], *, owner_id: int) -> tuple[int, int]:
    """Insert the scan's pairs, or update the user's pair with the same legs, timeframe and
    window (no duplicate rows; the row is tied to the latest scan, ``stats["scans"]`` lists
    every scan that found it). Returns ``(created, updated)``."""
    if not rows:
        return 0, 0
    r0 = rows[0]
    existing: dict[tuple[int, int], TradingPair] = {}
    qs = TradingPair.objects.filter(
        owner_id=owner_id, timeframe=r0.timeframe, start=r0.start, end=r0.end,
        symbol_1_id__in={r.symbol_1_id for r in rows},
        symbol_2_id__in={r.symbol_2_id for r in rows},
    ).order_by("id")  # fmt: skip
    async for p in qs:
        existing.setdefault((p.symbol_1_id, p.symbol_2_id), p)
    new, changed = [], []
    for r in rows:
        old = existing.get((r.symbol_1_id, r.symbol_2_id))
        if old is None:
            r.stats = {**r.stats, "scans": [str(r.scan_id)] if r.scan_id else []}
            new.append(r)
            continue
        scans = [str(s) for s in (old.stats or {}).get("scans", [old.scan_id]) if s is not None]
        r.stats = {**r.stats, "scans": [*scans, *([str(r.scan_id)] if r.scan_id else [])]}
        for f in SCAN_UPDATE_FIELDS:
            setattr(old, f, getattr(r, f))
        changed.append(old)
    await TradingPair.objects.abulk_create(new, batch_size=1_000)
    if changed:
        await TradingPair.objects.abulk_update(changed, SCAN_UPDATE_FIELDS, batch_size=1_000)
    return len(new), len(changed)
