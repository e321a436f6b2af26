"""``TimescaleRouter``: time-series models on ``timescale``, all others on ``default``."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models

from routing.models import TimescaleModel

DEFAULT_ALIAS = "default"
TIMESCALE_ALIAS = "timescale"


def is_timescale_model(model: type[models.Model] | None) -> bool:
    """True for concrete subclasses of :class:`TimescaleModel` (real, not historical, models)."""
    return model is not None and isinstance(model, type) and issubclass(model, TimescaleModel)


def _database_identity(alias: str) -> tuple[str, ...]:
    conf = settings.DATABASES.get(alias, {})
    mirror = conf.get("TEST", {}).get("MIRROR")
    if mirror:
        conf = settings.DATABASES[mirror]
    return tuple(str(conf.get(k, "")) for k in ("ENGINE", "NAME", "HOST", "PORT"))


def aliases_share_database() -> bool:
    """True when ``default`` and ``timescale`` name the same physical database."""
    if TIMESCALE_ALIAS not in settings.DATABASES:
        return True
    return _database_identity(DEFAULT_ALIAS) == _database_identity(TIMESCALE_ALIAS)


class TimescaleRouter:
    """Route time-series models to the ``timescale`` alias and the rest to ``default``.

    - Reads and writes follow the model's kind.
    - Relations are allowed only between models of the same kind.
    - Migrations of time-series models run only on ``timescale`` and all others only on
      ``default``. When both aliases name one database they share one ``django_migrations``
      table, so a migration recorded as applied by one alias would be skipped by the other;
      in that case everything migrates through ``default`` and ``timescale`` migrates nothing.
    - Operations that are not about a model (``RunSQL``/``RunPython``) say where they belong
      with the hint ``timescale=True``; without it they belong to ``default``.
    """

    def _alias_for(self, model: type[models.Model]) -> str:
        return TIMESCALE_ALIAS if is_timescale_model(model) else DEFAULT_ALIAS

    def db_for_read(self, model: type[models.Model], **hints: Any) -> str:
        return self._alias_for(model)

    def db_for_write(self, model: type[models.Model], **hints: Any) -> str:
        return self._alias_for(model)

    def allow_relation(self, obj1: models.Model, obj2: models.Model, **hints: Any) -> bool:
        return is_timescale_model(type(obj1)) == is_timescale_model(type(obj2))

    def allow_migrate(
        self, db: str, app_label: str, model_name: str | None = None, **hints: Any
    ) -> bool | None:
        if db not in (DEFAULT_ALIAS, TIMESCALE_ALIAS):
            return None
        if aliases_share_database():
            return db == DEFAULT_ALIAS
        if "timescale" in hints:
            wants_timescale = bool(hints["timescale"])
        elif model_name is not None:
            wants_timescale = is_timescale_model(self._real_model(app_label, model_name))
        else:
            wants_timescale = False
        return db == (TIMESCALE_ALIAS if wants_timescale else DEFAULT_ALIAS)

    @staticmethod
    def _real_model(app_label: str, model_name: str) -> type[models.Model] | None:
        # Historical models in migrations lose their abstract bases, so ask the live registry.
        try:
            return apps.get_model(app_label, model_name)
        except LookupError:
            return None
