"""System check: no foreign key may cross between the two database aliases."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.checks import Error

from routing.router import is_timescale_model


def check_cross_alias_relations(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    errors = []
    for model in apps.get_models():
        for field in model._meta.get_fields():
            related = getattr(field, "related_model", None)
            if not getattr(field, "concrete", False) or related is None or related == "self":
                continue
            if is_timescale_model(model) != is_timescale_model(related):
                errors.append(
                    Error(
                        f"{model._meta.label}.{field.name} relates to {related._meta.label} "
                        "across database aliases",
                        hint="Store the id as a plain integer or string field instead.",
                        obj=model,
                        id="routing.E001",
                    )
                )
    return errors
