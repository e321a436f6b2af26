"""Helpers shared by the backtest services: timestamps, engine errors as field errors,
the user's costs and run rows whose status mirrors their task's."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Any

import numpy as np
import pandas as pd
from django.utils import timezone

from engine.result_warnings import ResultWarning, in_sample_hedge
from titan_web.research.models import TradingPair
from titan_web.tasks.models import TaskRun, TaskStatus
from titan_web.tasks.registry import TaskCancelled, TaskContext

PARAMETER_SET_FIELDS = ("lookback", "entry_z", "exit_z", "stop_z", "max_holding", "hedge")
MIN_TRADE_BARS = 30


def _aware(value: Any) -> dt.datetime:
    return pd.Timestamp(value).tz_localize("UTC").to_pydatetime()  # type: ignore[no-any-return]


def _iso(value: Any) -> str:
    return str(np.datetime_as_string(np.datetime64(value, "s"), unit="s")) + "Z"


def _field_errors(exc: Exception, prefix: str, fields: tuple[str, ...]) -> dict[str, list[str]]:
    """Engine ``ValueError("exit_z must ...")`` as ``{"params.exit_z": [...]}``."""
    msg = str(exc)
    for f in fields:
        if msg.startswith(f + " ") or msg.startswith(f"{f}:"):
            return {f"{prefix}.{f}" if prefix else f: [msg]}
    return {prefix or "non_field_errors": [msg]}


async def _set_result_url(task: TaskRun, url: str) -> None:
    """Link the task to the object it creates from the start (the 202 body shows it)."""
    task.result_url = url
    await TaskRun.objects.filter(pk=task.pk, result_url="").aupdate(result_url=url)


async def _mirror_end(model: Any, pk: int, ctx: TaskContext, exc: BaseException | None) -> None:
    status = (
        TaskStatus.CANCELLED
        if ctx.should_stop() or isinstance(exc, TaskCancelled)
        else TaskStatus.FAILED
    )
    await model.objects.filter(pk=pk).aupdate(status=status, finished_at=timezone.now())


async def _tracked(
    model: Any, pk: int, ctx: TaskContext, body: Callable[[], Awaitable[dict[str, Any]]]
) -> dict[str, Any]:
    """Run ``body`` with the run row's status mirroring the task's."""
    await model.objects.filter(pk=pk).aupdate(status=TaskStatus.RUNNING)
    try:
        return await body()
    except BaseException as exc:
        with contextlib.suppress(BaseException):  # the task row records the end regardless
            await _mirror_end(model, pk, ctx, exc)
        raise


def user_costs(*, user: Any, costs: dict[str, Any] | None) -> dict[str, float]:
    out = {
        "cost_bps": float(user.cost_bps),
        "slippage_bps": float(user.slippage_bps),
        "borrow_rate": float(user.borrow_rate),
    }
    out.update({k: float(v) for k, v in (costs or {}).items() if v is not None})
    return out


def hedge_warning(
    *, source: str, pair: TradingPair | None, window_start: Any, what: str
) -> ResultWarning | None:
    """``in_sample_hedge`` for a pair's stored hedge fitted on or after ``window_start``."""
    if source != "pair" or pair is None:
        return None
    return in_sample_hedge(
        fit_start=pair.start,
        fit_end=pair.end,
        window_start=window_start,
        source=f"pair {pair.pk}'s analysis",
        what=what,
    )
