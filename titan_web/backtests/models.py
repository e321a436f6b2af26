"""Backtest and walk-forward runs with their results."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from titan_web.tasks.models import TaskStatus


class BacktestRun(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="backtests"
    )
    task = models.OneToOneField(
        "tasks.TaskRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="backtest"
    )
    pair = models.ForeignKey(
        "research.TradingPair",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="backtests",
    )
    parameter_set = models.ForeignKey(
        "research.ParameterSet", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=16, choices=TaskStatus.choices, default=TaskStatus.QUEUED)
    symbol_1 = models.CharField(max_length=32, blank=True, help_text="dependent leg y")
    symbol_2 = models.CharField(max_length=32, blank=True, help_text="regressor x")
    timeframe = models.CharField(max_length=4, default="1d")
    start = models.DateTimeField(null=True, blank=True, help_text="first traded bar")
    end = models.DateTimeField(null=True, blank=True, help_text="last traded bar")
    adaptive = models.BooleanField(default=False)
    params = models.JSONField(default=dict)
    metrics = models.JSONField(null=True, blank=True)
    result = models.JSONField(null=True, blank=True, help_text="equity, weights, trades")
    warnings = models.JSONField(
        default=list, blank=True, help_text='[{"code": ..., "message": ...}] caveats of the run'
    )
    lookahead = models.JSONField(
        null=True, blank=True, help_text="the last lookahead check (LookaheadReport)"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["owner", "created_at"])]

    def __str__(self) -> str:
        return f"backtest {self.pk} ({self.status})"


class WalkForwardRun(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="walkforwards"
    )
    task = models.OneToOneField(
        "tasks.TaskRun",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="walkforward",
    )
    status = models.CharField(max_length=16, choices=TaskStatus.choices, default=TaskStatus.QUEUED)
    timeframe = models.CharField(max_length=4, default="1d")
    symbols = models.JSONField(default=list, blank=True)
    params = models.JSONField(default=dict)
    folds = models.JSONField(null=True, blank=True)
    stitched = models.JSONField(null=True, blank=True)
    warnings = models.JSONField(
        default=list, blank=True, help_text='[{"code": ..., "message": ...}] caveats of the run'
    )
    metrics = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"walk-forward {self.pk} ({self.status})"
