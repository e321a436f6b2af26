from django.urls import path

import titan_web.common.converters  # noqa: F401  (registers <id:...>)
from titan_web.signals import apis

urlpatterns = [
    path("monitors/", apis.MonitorListApi.as_view(), name="monitor-list"),
    path("monitors/<id:monitor_id>/", apis.MonitorDetailApi.as_view(), name="monitor-detail"),
    path("signals/", apis.SignalListApi.as_view(), name="signal-list"),
    path("replay/", apis.ReplayApi.as_view(), name="replay"),
]
