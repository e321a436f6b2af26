"""Research results: pairs found by analysis or scans, regimes, parameter sets."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from titan_web.market.models import TIMEFRAME_CHOICES, Symbol


class TradingPair(models.Model):
    """A pair of symbols with its cointegration statistics, owned by the user who found it.

    ``symbol_1`` is the dependent leg y and ``symbol_2`` the regressor x of
    log(y) = intercept + hedge_ratio * log(x) + spread.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pairs"
    )
    scan = models.ForeignKey(
        "tasks.TaskRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="pairs"
    )
    symbol_1 = models.ForeignKey(Symbol, on_delete=models.PROTECT, related_name="+")
    symbol_2 = models.ForeignKey(Symbol, on_delete=models.PROTECT, related_name="+")
    timeframe = models.CharField(max_length=4, choices=TIMEFRAME_CHOICES, default="1d")
    start = models.DateTimeField(null=True, blank=True)
    end = models.DateTimeField(null=True, blank=True)
    hedge_ratio = models.FloatField(null=True)
    intercept = models.FloatField(null=True)
    tstat = models.FloatField(null=True)
    pvalue = models.FloatField(null=True)
    qvalue = models.FloatField(null=True, help_text="Benjamini-Hochberg adjusted p-value.")
    lag = models.IntegerField(null=True)
    half_life = models.FloatField(null=True)
    correlation = models.FloatField(null=True)
    hurst = models.FloatField(null=True)
    stability_score = models.FloatField(null=True)
    is_cointegrated = models.BooleanField(default=False)
    stats = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pvalue", "id"]
        indexes = [models.Index(fields=["owner", "pvalue"]), models.Index(fields=["owner", "scan"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(symbol_1=models.F("symbol_2")), name="pair_distinct_symbols"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.symbol_1_id}/{self.symbol_2_id}"


class Regime(models.Model):
    """A span of one detected regime for a pair (or a symbol), from a causal detector."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="regimes"
    )
    pair = models.ForeignKey(
        TradingPair, null=True, blank=True, on_delete=models.CASCADE, related_name="regimes"
    )
    symbol = models.ForeignKey(
        Symbol, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    method = models.CharField(max_length=32)
    label = models.IntegerField(help_text="0 = low volatility, higher = more volatile; -1 unknown")
    name = models.CharField(max_length=32, blank=True)
    start = models.DateTimeField()
    end = models.DateTimeField(null=True, blank=True)
    stats = models.JSONField(default=dict, blank=True)
    task = models.ForeignKey(
        "tasks.TaskRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["start"]

    def __str__(self) -> str:
        return f"{self.method}:{self.label} from {self.start:%Y-%m-%d}"


class ParameterSet(models.Model):
    """Strategy parameters, optionally tied to a pair and a regime label."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="parameter_sets"
    )
    pair = models.ForeignKey(
        TradingPair, null=True, blank=True, on_delete=models.CASCADE, related_name="parameter_sets"
    )
    regime_method = models.CharField(max_length=32, blank=True)
    regime_label = models.IntegerField(null=True, blank=True)
    name = models.CharField(max_length=100, blank=True)
    lookback = models.IntegerField(default=60)
    entry_z = models.FloatField(default=2.0)
    exit_z = models.FloatField(default=0.5)
    stop_z = models.FloatField(null=True, blank=True, default=4.0)
    max_holding = models.IntegerField(null=True, blank=True)
    hedge = models.CharField(max_length=16, default="static")
    objective = models.CharField(max_length=16, blank=True)
    score = models.FloatField(null=True, blank=True)
    source = models.CharField(max_length=16, default="manual", help_text="manual or optimized")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "id"]

    def __str__(self) -> str:
        return self.name or f"params {self.pk}"
