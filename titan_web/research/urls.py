from django.urls import path

import titan_web.common.converters  # noqa: F401  (registers <id:...>)
from titan_web.research import apis

urlpatterns = [
    path("pairs/", apis.PairListApi.as_view(), name="pair-list"),
    path("pairs/analyze", apis.PairAnalyzeApi.as_view(), name="pair-analyze"),
    path("pairs/scan", apis.PairScanApi.as_view(), name="pair-scan"),
    path("pairs/<id:pair_id>/", apis.PairDetailApi.as_view(), name="pair-detail"),
    path("pairs/<id:pair_id>/spread", apis.PairSpreadApi.as_view(), name="pair-spread"),
]
