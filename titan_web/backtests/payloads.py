"""Backtest run payloads as plain dicts: ``BacktestSerializer`` output without the field
walk (titan_web/common/payloads.py), for the run list."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from titan_web.backtests.models import BacktestRun
from titan_web.common.payloads import to_datetime, to_int, to_str

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


def backtest_payload(run: BacktestRun) -> dict[str, Any]:
    """What ``BacktestSerializer(run).data`` is; ``task`` must be loaded (``select_related``)."""
    task = run.task
    deferred = run.get_deferred_fields()
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
        "start": to_datetime(run.start),
        "end": to_datetime(run.end),
        "adaptive": None if run.adaptive is None else bool(run.adaptive),
        "params": run.params,
        "metrics": run.metrics,
        "warnings": _warnings(run.warnings),
        "lookahead_ok": None if not report else bool(report.get("ok")),
        "created_at": to_datetime(run.created_at),
        "finished_at": to_datetime(run.finished_at),
    }
