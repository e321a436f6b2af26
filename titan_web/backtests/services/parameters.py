"""Parameter sets: creating and updating them (optionally for a pair and a regime label)."""

from __future__ import annotations

from typing import Any

from engine.strategy import StrategyParams
from titan_web.backtests import selectors
from titan_web.backtests.services._common import PARAMETER_SET_FIELDS, _field_errors
from titan_web.common.errors import ApplicationError
from titan_web.research.models import ParameterSet


def _check_parameter_fields(data: dict[str, Any]) -> None:
    try:
        StrategyParams(**{f: data[f] for f in PARAMETER_SET_FIELDS if f in data})
    except (ValueError, TypeError) as exc:
        raise ApplicationError(
            f"Invalid parameters: {exc}.", errors=_field_errors(exc, "", PARAMETER_SET_FIELDS)
        ) from exc


async def parameter_set_create(*, user: Any, pair: int | None = None, **data: Any) -> ParameterSet:
    pair_obj = await selectors.pair_reference(user=user, pair_id=pair) if pair is not None else None
    _check_parameter_fields(data)
    return await ParameterSet.objects.acreate(owner=user, pair=pair_obj, **data)


async def parameter_set_update(
    *, user: Any, parameter_set: ParameterSet, **data: Any
) -> ParameterSet:
    if "pair" in data:
        pair = data.pop("pair")
        parameter_set.pair = (
            await selectors.pair_reference(user=user, pair_id=pair) if pair is not None else None
        )
    for k, v in data.items():
        setattr(parameter_set, k, v)
    _check_parameter_fields({f: getattr(parameter_set, f) for f in PARAMETER_SET_FIELDS})
    await parameter_set.asave()
    return parameter_set


async def parameter_set_delete(*, parameter_set: ParameterSet) -> None:
    """Delete a parameter set; 409 naming the monitors that trade with it."""
    from django.db.models import ProtectedError

    from titan_web.common.errors import protected_conflict

    try:
        await parameter_set.adelete()
    except ProtectedError as exc:
        raise protected_conflict(exc, what=f"Parameter set {parameter_set.pk}") from exc
