"""Backtest run payloads as plain dicts: ``BacktestSerializer`` output without the field
walk (titan_web/common/payloads.py), for the run list."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from titan_web.backtests.models import BacktestRun
from titan_web.common.payloads import stored_json, to_datetime, to_int, to_str, zone_is_utc

WARNING_KEYS = ("code", "message")


def _warnings(value: Any) -> list[Any] | None:
    """``ListField(child=WarningSerializer())``: each warning's ``code`` and ``message``
    (the keys it has; ``message`` as a string), nothing else."""
    if value is None:
        return None
    out: list[Any] = []
    for item in value:
        if item is None:
            out.append(None)
            continue
        entry: dict[str, Any] = {}
        for key in WARNING_KEYS if isinstance(item, Mapping) else ():
            if key in item:
                raw = item[key]
                entry[key] = raw if raw is None or key == "code" else str(raw)
        out.append(entry)
    return out


_ABSENT = object()


def _json(run: BacktestRun, field: str) -> Any:
    """``run.<field>``, or its stored text when the list selector read it as ``<field>_json``."""
    raw = getattr(run, f"{field}_json", _ABSENT)
    return getattr(run, field) if raw is _ABSENT else stored_json(raw)  # type: ignore[arg-type]


def backtest_payload(run: BacktestRun) -> dict[str, Any]:
    """What ``BacktestSerializer(run).data`` is; ``task`` must be loaded (``select_related``).
    ``params`` and ``metrics`` as stored when read as text (``selectors.backtest_list``)."""
    task = run.task
    deferred = run.get_deferred_fields()
    utc = zone_is_utc()
    report = run.lookahead if "lookahead" not in deferred else None
    return {
        "id": run.pk,
        "status": task.status if task is not None else run.status,
        "error": task.error if task is not None else "",
        "task": to_str(run.task_id),
        "pair": to_int(run.pair_id),
        "parameter_set": to_int(run.parameter_set_id),
        "symbol_1": to_str(run.symbol_1),
        "symbol_2": to_str(run.symbol_2),
        "timeframe": to_str(run.timeframe),
        "start": to_datetime(run.start, utc),
        "end": to_datetime(run.end, utc),
        "adaptive": None if run.adaptive is None else bool(run.adaptive),
        "params": _json(run, "params"),
        "metrics": _json(run, "metrics"),
        "warnings": _warnings(run.warnings),
        "lookahead_ok": None if not report else bool(report.get("ok")),
        "created_at": to_datetime(run.created_at, utc),
        "finished_at": to_datetime(run.finished_at, utc),
    }
