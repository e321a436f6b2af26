"""URL map: the REST API under /api/, health endpoints, admin, and the built dashboard."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularSwaggerView

from titan_web.backtests import urls as backtests_urls
from titan_web.common import health, schema_view, ui
from titan_web.common.timeseries_admin import timeseries_urls
from titan_web.market import urls as market_urls
from titan_web.research import urls as research_urls
from titan_web.signals import urls as signals_urls

# The apps' patterns that sit at /api/ itself are spliced in, not included under "": an empty
# include that does not match raises Resolver404 and Django then copies every pattern it tried
# into the error, for each request to a later app (a twentieth of a detail GET's time).
# None of these apps has an app_name, so the URL names are the same either way.
api: list[Any] = [
    path("auth/", include("titan_web.accounts.urls")),
    *market_urls.urlpatterns,
    *research_urls.urlpatterns,
    *backtests_urls.urlpatterns,
    *signals_urls.urlpatterns,
    path("tasks/", include("titan_web.tasks.urls")),
    path("schema/", schema_view.schema, name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="docs"),
]

urlpatterns = [
    path("api/", include(api)),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", health.prometheus, name="metrics"),
    path("admin/", include(timeseries_urls())),
    path("admin/", admin.site.urls),
    # The dashboard's client-side routes answer its index.html (without a build, `/` goes to
    # the API docs). WhiteNoise serves the built files before this (titan_web/common/ui.py).
    re_path(ui.SPA_ROUTE, ui.spa_index, name="dashboard"),
]

handler404 = "titan_web.common.views.not_found"
handler500 = "titan_web.common.views.server_error"
