"""Monitors (pairs under live watch) and the signals they produce (time series)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from routing.models import TimescaleModel


class Monitor(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="monitors"
    )
    pair = models.ForeignKey(
        "research.TradingPair", on_delete=models.CASCADE, related_name="monitors"
    )
    parameter_set = models.ForeignKey(
        "research.ParameterSet",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="monitors",
    )
    adaptive = models.BooleanField(
        default=False, help_text="Switch parameter sets with the regime."
    )
    active = models.BooleanField(default=True)
    state = models.JSONField(default=dict, blank=True, help_text="Live strategy state.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(adaptive=True) | models.Q(parameter_set__isnull=False),
                name="monitor_has_params_or_adaptive",
            )
        ]

    def __str__(self) -> str:
        return f"monitor {self.pk} on pair {self.pair_id}"


class Signal(TimescaleModel):
    """A decision of the live strategy for a pair. ``seq`` increases by one per pair; the
    signal is stored before it is sent, so a client can replay from any ``seq``.

    ``kind="correction"`` is stored when a bar the monitor had evaluated changed: ``ts`` is the
    earliest changed bar, ``detail`` lists the seqs of the earlier signals from that bar on
    (``corrects``, which no longer hold) and the decisions the strategy makes on the
    corrected bars (``decisions``)."""

    pk = models.CompositePrimaryKey("pair_id", "seq", "ts")
    pair_id = models.BigIntegerField()
    seq = models.BigIntegerField()
    ts = models.DateTimeField()
    monitor_id = models.BigIntegerField()
    kind = models.CharField(max_length=16)
    zscore = models.FloatField(null=True)
    spread = models.FloatField(null=True)
    price_1 = models.FloatField()
    price_2 = models.FloatField()
    regime = models.IntegerField(null=True)
    params_id = models.BigIntegerField(null=True)
    # kind "correction": {"changed_from", "corrects": [seq, ...], "decisions": [...]}
    detail = models.JSONField(null=True, blank=True)
    source = models.CharField(
        max_length=8,
        default="live",
        help_text="'live' (a new bar) or 'replay' (history played forward, POST /api/replay/).",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    compress_segmentby = ("pair_id",)

    class Meta:
        ordering = ["pair_id", "seq"]

    def __str__(self) -> str:
        return f"pair {self.pair_id} #{self.seq} {self.kind}"
