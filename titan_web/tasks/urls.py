from django.urls import path

from titan_web.tasks import apis

urlpatterns = [
    path("", apis.TaskListApi.as_view(), name="task-list"),
    path("selftest", apis.TaskSelftestApi.as_view(), name="task-selftest"),
    path("loop-lag", apis.LoopLagApi.as_view(), name="task-loop-lag"),
    path("<str:task_id>/", apis.TaskDetailApi.as_view(), name="task-detail"),
    path("<str:task_id>/cancel", apis.TaskCancelApi.as_view(), name="task-cancel"),
]
