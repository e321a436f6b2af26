"""Symbols (relational) and bars (time series, on the ``timescale`` alias)."""

from __future__ import annotations

from django.db import models

from routing.models import TimescaleModel

TIMEFRAME_CHOICES = [
    ("1m", "1 minute"),
    ("5m", "5 minutes"),
    ("15m", "15 minutes"),
    ("1h", "1 hour"),
    ("1d", "1 day"),
]


class Symbol(models.Model):
    """A tradable instrument. Shared by all users."""

    ticker = models.CharField(max_length=32, unique=True)
    name = models.CharField(max_length=200, blank=True)
    exchange = models.CharField(max_length=32, blank=True)
    currency = models.CharField(max_length=8, default="USD")
    sector = models.CharField(max_length=64, blank=True)
    asset_class = models.CharField(max_length=32, default="equity")
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["ticker"]

    def __str__(self) -> str:
        return self.ticker


class Bar(TimescaleModel):
    """One OHLCV bar. Key (symbol, timeframe, ts); ``ts`` is the bar's open time in UTC.

    ``symbol`` is the ticker as a plain string: symbols live on the other alias.
    """

    pk = models.CompositePrimaryKey("symbol", "timeframe", "ts")
    symbol = models.CharField(max_length=32)
    timeframe = models.CharField(max_length=4, choices=TIMEFRAME_CHOICES)
    ts = models.DateTimeField()
    open = models.FloatField()
    high = models.FloatField()
    low = models.FloatField()
    close = models.FloatField()
    volume = models.FloatField(null=True, blank=True)
    source = models.CharField(max_length=32, blank=True, default="")

    compress_segmentby = ("symbol", "timeframe")
    compress_after = "90 days"

    class Meta:
        ordering = ["symbol", "timeframe", "ts"]

    def __str__(self) -> str:
        return f"{self.symbol} {self.timeframe} {self.ts:%Y-%m-%d %H:%M} close={self.close}"
