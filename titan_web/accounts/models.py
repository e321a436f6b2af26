"""Users with trading preferences, and refresh tokens grouped in rotation families."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.auth.models import AbstractUser
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models


def default_strategy_params() -> dict[str, Any]:
    return {"lookback": 60, "entry_z": 2.0, "exit_z": 0.5, "stop_z": 4.0, "max_holding": 60}


class User(AbstractUser):
    """A TITAN user and their trading preferences."""

    capital = models.DecimalField(
        max_digits=18, decimal_places=2, default=1_000_000, validators=[MinValueValidator(0)]
    )
    cost_bps = models.FloatField(
        default=1.0,
        validators=[MinValueValidator(0), MaxValueValidator(1000)],
        help_text="Commission per unit of traded weight, in basis points.",
    )
    slippage_bps = models.FloatField(default=0.0, validators=[MinValueValidator(0)])
    borrow_rate = models.FloatField(
        default=0.0, validators=[MinValueValidator(0)], help_text="Annual short-borrow rate."
    )
    timezone = models.CharField(max_length=64, default="UTC")
    default_params = models.JSONField(default=default_strategy_params)


class RefreshToken(models.Model):
    """An issued refresh token. Tokens of one login share a ``family``; each refresh marks
    the presented token used and issues the next one in the family. Presenting a used token
    again is reuse (a stolen token): the whole family is revoked."""

    jti = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    family = models.UUIDField(db_index=True)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="refresh_tokens")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["family", "revoked_at"])]

    def __str__(self) -> str:
        return f"refresh {self.jti} ({self.user_id})"
