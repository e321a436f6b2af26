"""Read-only admin pages for the time-series models (bars, signals).

Django's admin cannot register models with a composite primary key, and a hypertable's key
must include its time column, so these two tables get their own pages: a filterable,
paginated, read-only listing (newest first) under /admin/timeseries/<model>/.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path

SPECS: dict[str, dict[str, Any]] = {
    "bars": {
        "model": "market.Bar",
        "filters": {"symbol": "series__symbol", "timeframe": "series__timeframe"},
        "columns": [
            "series__symbol",
            "series__timeframe",
            "ts",
            "open",
            "high",
            "low",
            "close",
            "volume",
            "source",
        ],
        "order": ["-ts"],
    },
    "signals": {
        "model": "signals.Signal",
        "filters": {"pair_id": "pair_id", "kind": "kind"},
        "columns": [
            "pair_id",
            "seq",
            "ts",
            "kind",
            "zscore",
            "spread",
            "price_1",
            "price_2",
            "regime",
            "params_id",
        ],
        "order": ["-ts", "-seq"],
    },
}


def timeseries_view(request: HttpRequest, name: str) -> HttpResponse:
    from django.apps import apps

    spec = SPECS[name]
    model = apps.get_model(spec["model"])
    qs = model.objects.all().order_by(*spec["order"])
    filters = spec["filters"].items()
    active = {lookup: request.GET[name] for name, lookup in filters if request.GET.get(name)}
    if active:
        qs = qs.filter(**active)
    page = Paginator(qs.values_list(*spec["columns"]), 100).get_page(request.GET.get("page"))
    context = {
        **admin.site.each_context(request),
        "title": f"{model._meta.verbose_name_plural.capitalize()} (read-only)",
        "columns": [c.rpartition("__")[2] for c in spec["columns"]],
        "filters": [(f, request.GET.get(f, "")) for f in spec["filters"]],
        "page": page,
        "count": page.paginator.count,
    }
    return TemplateResponse(request, "admin/titan_timeseries.html", context)


def timeseries_urls() -> list[Any]:
    return [
        path(
            f"timeseries/{name}/",
            admin.site.admin_view(timeseries_view),
            {"name": name},
            name=f"timeseries-{name}",
        )
        for name in SPECS
    ]
