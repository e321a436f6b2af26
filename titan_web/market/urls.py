from django.urls import path

from titan_web.market import apis

urlpatterns = [
    path("symbols/", apis.SymbolListApi.as_view(), name="symbol-list"),
    path("symbols/<str:ticker>/", apis.SymbolDetailApi.as_view(), name="symbol-detail"),
    path("symbols/<str:ticker>/quality", apis.SymbolQualityApi.as_view(), name="symbol-quality"),
    path("bars/", apis.BarListApi.as_view(), name="bar-list"),
    path("bars/coverage", apis.BarCoverageApi.as_view(), name="bar-coverage"),
    path("bars/ingest", apis.BarIngestApi.as_view(), name="bar-ingest"),
    path("bars/fetch", apis.BarFetchApi.as_view(), name="bar-fetch"),
    path("bars/history", apis.BarHistoryApi.as_view(), name="bar-history"),
]
