"""The abstract base of time-series models."""

from __future__ import annotations

from typing import ClassVar

from django.db import models


class TimescaleModel(models.Model):
    """Abstract base of models stored on the ``timescale`` alias.

    Subclasses declare their time column (``time_column``) and hypertable settings; the
    ``CreateHypertable`` migration operation reads them. Relations from a time-series model to
    a relational one are plain ids: the router refuses relations across the aliases and the
    ``routing.E001`` system check refuses foreign keys that would cross them.
    """

    time_column: ClassVar[str] = "ts"
    chunk_interval: ClassVar[str] = "30 days"
    compress_segmentby: ClassVar[tuple[str, ...]] = ()
    compress_after: ClassVar[str | None] = None

    class Meta:
        abstract = True
