"""Task endpoints: list, detail, cancel; staff-only selftest runs and event-loop lag."""

from __future__ import annotations

from typing import Any

import django_filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from titan_web.common.apiview import APIView
from titan_web.common.pagination import apaginate, paginated_serializer
from titan_web.common.schema import ordering_parameter, page_parameters
from titan_web.common.schema_problems import problem
from titan_web.common.strict import StrictSerializer
from titan_web.tasks import selectors, services
from titan_web.tasks.models import TaskRun, TaskStatus
from titan_web.tasks.selftest import SelftestParams

TASK_FIELDS = [
    "id",
    "kind",
    "status",
    "progress",
    "message",
    "created_at",
    "started_at",
    "finished_at",
    "result_url",
    "error",
    "cancel_requested",
]


class TaskSerializer(serializers.ModelSerializer):
    """A task run as every endpoint returns it (docs/api.md)."""

    class Meta:
        model = TaskRun
        fields = TASK_FIELDS
        read_only_fields = TASK_FIELDS


def task_location(task: TaskRun) -> str:
    return f"/api/tasks/{task.id}/"


def task_accepted(task: TaskRun) -> Response:
    """The 202 answer to a request that submitted ``task``: the task body and its Location.

    For other apps' create views (``POST /api/backtests/`` and so on)."""
    return Response(
        TaskSerializer(task).data,
        status=status.HTTP_202_ACCEPTED,
        headers={"Location": task_location(task)},
    )


class TaskFilter(django_filters.FilterSet):
    kind = django_filters.CharFilter(field_name="kind")
    status = django_filters.MultipleChoiceFilter(field_name="status", choices=TaskStatus.choices)
    created_after = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_before = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="lt")
    ordering = django_filters.OrderingFilter(
        fields=("created_at", "started_at", "finished_at", "kind", "status", "progress")
    )

    class Meta:
        model = TaskRun
        fields: list[str] = []


LIST_PARAMETERS = [
    OpenApiParameter("kind", OpenApiTypes.STR, description="only runs of this kind"),
    OpenApiParameter(
        "status",
        OpenApiTypes.STR,
        enum=list(TaskStatus.values),
        many=True,
        description="only runs in these states (repeat the parameter for several)",
    ),
    OpenApiParameter("created_after", OpenApiTypes.DATETIME),
    OpenApiParameter("created_before", OpenApiTypes.DATETIME),
    ordering_parameter(TaskFilter.base_filters["ordering"], default="-created_at"),
    *page_parameters(),
]


class TaskListApi(APIView):
    class OutputSerializer(TaskSerializer):
        pass

    @extend_schema(
        parameters=LIST_PARAMETERS,
        responses={200: paginated_serializer("PaginatedTaskList", OutputSerializer)},
        tags=["tasks"],
    )
    async def get(self, request: Request) -> Response:
        queryset = selectors.task_list(user=request.user)
        return Response(
            await apaginate(request, queryset, self.OutputSerializer, filterset_class=TaskFilter)
        )


class TaskDetailApi(APIView):
    class OutputSerializer(TaskSerializer):
        class Meta(TaskSerializer.Meta):
            fields = [*TASK_FIELDS, "params", "result", "heartbeat_at"]
            read_only_fields = fields

    @extend_schema(responses={200: OutputSerializer}, tags=["tasks"])
    async def get(self, request: Request, task_id: str) -> Response:
        task = await selectors.atask_get(task_id=task_id, user=request.user)
        return Response(self.OutputSerializer(task).data)


class TaskCancelApi(APIView):
    class OutputSerializer(TaskSerializer):
        pass

    @extend_schema(
        request=None,
        responses={
            200: OutputSerializer,
            202: OutputSerializer,
            409: problem("The run has already ended."),
        },
        tags=["tasks"],
        description="Cancel a run. A queued run is cancelled at once (200); a running one "
        "stops at its next chunk (202, `cancel_requested` true; follow the task). Cancelling "
        "a run that already succeeded, failed or was interrupted answers 409.",
    )
    async def post(self, request: Request, task_id: str) -> Response:
        task = await services.atask_cancel(task_id=task_id, user=request.user)
        code = status.HTTP_202_ACCEPTED if task.status == TaskStatus.RUNNING else status.HTTP_200_OK
        return Response(self.OutputSerializer(task).data, status=code)


class TaskSelftestApi(APIView):
    class InputSerializer(StrictSerializer):
        chunks = serializers.IntegerField(min_value=1, max_value=100_000, default=10)
        chunk_ms = serializers.FloatField(min_value=0, max_value=60_000, default=50.0)
        sleep_ms = serializers.FloatField(min_value=0, max_value=60_000, default=0.0)
        workload = serializers.ChoiceField(choices=["burn", "scan"], default="burn")
        symbols = serializers.IntegerField(min_value=2, max_value=2000, default=100)
        bars = serializers.IntegerField(min_value=50, max_value=20_000, default=1000)
        fail_at = serializers.IntegerField(min_value=0, required=False, allow_null=True)
        crash_at = serializers.IntegerField(min_value=0, required=False, allow_null=True)

        def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
            for name in ("fail_at", "crash_at"):
                at = attrs.get(name)
                if at is not None and at >= attrs["chunks"]:
                    raise serializers.ValidationError({name: "must be below chunks"})
            return attrs

    @extend_schema(
        request=InputSerializer,
        responses={202: TaskSerializer, 403: problem("Staff only.")},
        tags=["tasks"],
        description="Staff only: start a `selftest` run (chunked CPU work on the compute "
        "executor, or sleeping chunks with `sleep_ms`), optionally failing at chunk `fail_at` "
        "or killing its compute worker at chunk `crash_at`.",
    )
    async def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        task = await services.atask_selftest_submit(
            user=request.user, params=SelftestParams(**data.validated_data)
        )
        return task_accepted(task)


class LoopLagApi(APIView):
    class InputSerializer(StrictSerializer):
        reset = serializers.BooleanField(default=True)

    class OutputSerializer(serializers.Serializer):
        pid = serializers.IntegerField()
        monitoring = serializers.BooleanField()
        samples = serializers.IntegerField()
        interval = serializers.FloatField()
        p50 = serializers.FloatField(allow_null=True)
        p99 = serializers.FloatField(allow_null=True)
        max = serializers.FloatField(allow_null=True)
        mean = serializers.FloatField(allow_null=True)
        total = serializers.FloatField()
        compute = serializers.DictField()
        tasks = serializers.DictField()

    @extend_schema(responses={200: OutputSerializer, 403: problem("Staff only.")}, tags=["tasks"])
    async def get(self, request: Request) -> Response:
        """Staff only: this process's event-loop lag (seconds) over the last minute."""
        return Response(services.loop_lag_report(user=request.user))

    @extend_schema(
        request=InputSerializer,
        responses={200: OutputSerializer, 403: problem("Staff only.")},
        tags=["tasks"],
    )
    async def post(self, request: Request) -> Response:
        """Staff only: report the lag and (by default) clear the samples."""
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(services.loop_lag_report(user=request.user, **data.validated_data))
