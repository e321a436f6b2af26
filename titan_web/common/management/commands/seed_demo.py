"""Seed the demo user and the demo universe (idempotent), then print how to sign in."""

from __future__ import annotations

from typing import Any

from asgiref.sync import async_to_sync
from django.conf import settings
from django.core.management.base import BaseCommand

from titan_web.accounts.models import User
from titan_web.market import services as market


class Command(BaseCommand):
    help = "Create the demo user and load the demo data set (20 S&P 500 stocks, daily, 1990-2022)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--no-data", action="store_true", help="only the demo user")

    def handle(self, *args: Any, **options: Any) -> None:
        username = str(settings.TITAN["DEMO_USERNAME"])
        password = str(settings.TITAN["DEMO_PASSWORD"])
        user, created = User.objects.get_or_create(
            username=username, defaults={"email": "demo@titan.local"}
        )
        if created or not user.check_password(password):
            user.set_password(password)
            user.save(update_fields=["password"])
        if not options["no_data"]:
            report = async_to_sync(market.ademo_universe_load)(progress=self.stdout.write)
            self.stdout.write(
                f"demo data: {report.rows} daily bars ({report.inserted} inserted, "
                f"{report.unchanged} already present, {len(report.symbols_created)} new symbols)"
            )
        self.stdout.write(self.style.SUCCESS(f"demo user: {username} / password: {password}"))
