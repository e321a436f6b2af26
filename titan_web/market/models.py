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
    ("1w", "1 week"),
    ("1mo", "1 month"),
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


class Series(TimescaleModel):
    """One stored bar series: a ticker at a timeframe. Bars refer to it by a 4-byte id.

    Keying bars by ``(series, ts)`` instead of ``(symbol, timeframe, ts)`` makes the primary
    key index narrow (an int4 and a timestamp), which is most of the cost of a bulk load
    (docs/decisions.md, "Bars are keyed by series id"). ``symbol`` is the ticker as a plain
    string: symbols live on the other alias. Not a hypertable; it lives beside the bars.
    """

    id = models.AutoField(primary_key=True)
    symbol = models.CharField(max_length=32)
    timeframe = models.CharField(max_length=4, choices=TIMEFRAME_CHOICES)
    # The user whose upload created the series (a plain id: users live on the other alias);
    # null for series made by the system (demo data, manage.py ingest) or before owners were
    # recorded. The owner and staff may change the series' stored bars; others may append.
    created_by_id = models.IntegerField(null=True, blank=True)

    class Meta:
        ordering = ["symbol", "timeframe"]
        verbose_name_plural = "series"
        constraints = [
            models.UniqueConstraint(fields=["symbol", "timeframe"], name="market_series_key")
        ]

    def __str__(self) -> str:
        return f"{self.symbol} {self.timeframe}"


class Bar(TimescaleModel):
    """One OHLCV bar. Key (series, ts); ``ts`` is the bar's open time in UTC.

    ``series`` carries no database constraint: a per-row foreign-key check would cost a lookup
    per bulk-loaded row. The store creates series before their bars and deletes bars with
    their series.
    """

    pk = models.CompositePrimaryKey("series", "ts")
    series = models.ForeignKey(
        Series,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,  # the primary key (series, ts) serves lookups by series
        related_name="bars",
    )
    ts = models.DateTimeField()
    open = models.FloatField()
    high = models.FloatField()
    low = models.FloatField()
    close = models.FloatField()
    volume = models.FloatField(null=True, blank=True)
    source = models.CharField(max_length=32, blank=True, default="")

    compress_segmentby = ("series_id",)
    compress_after = "90 days"

    class Meta:
        ordering = ["series", "ts"]

    def __str__(self) -> str:
        return f"{self.series_id} {self.ts:%Y-%m-%d %H:%M} close={self.close}"


class BarChange(TimescaleModel):
    """One change of a stored bar's values: who, when, old and new OHLCV.

    Written in the same transaction as the change itself (``titan_web.market.store``); new
    bars and re-sent identical values are not changes. ``user_id`` is null for changes made by
    the system (``manage.py ingest``, provider fetches without a user).
    """

    id = models.BigAutoField(primary_key=True)
    changed_at = models.DateTimeField()
    user_id = models.IntegerField(null=True, blank=True)
    username = models.CharField(max_length=150, blank=True, default="")
    series = models.ForeignKey(
        Series,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,  # the (series, ts) index serves lookups by series
        related_name="changes",
    )
    ts = models.DateTimeField()
    old_open = models.FloatField()
    old_high = models.FloatField()
    old_low = models.FloatField()
    old_close = models.FloatField()
    old_volume = models.FloatField(null=True, blank=True)
    old_source = models.CharField(max_length=32, blank=True, default="")
    new_open = models.FloatField()
    new_high = models.FloatField()
    new_low = models.FloatField()
    new_close = models.FloatField()
    new_volume = models.FloatField(null=True, blank=True)
    source = models.CharField(max_length=32, blank=True, default="")

    class Meta:
        ordering = ["-changed_at", "-id"]
        indexes = [models.Index(fields=["series", "ts"], name="market_barchange_series_ts")]

    def __str__(self) -> str:
        return f"{self.series_id} {self.ts:%Y-%m-%d %H:%M} {self.old_close} -> {self.new_close}"
