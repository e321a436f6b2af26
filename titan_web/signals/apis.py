"""Live signal endpoints: monitors (pairs under live watch) and the signals they stored."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from titan_web.common.apiview import APIView
from titan_web.common.pagination import INT_MAX, apaginate, paginated_serializer
from titan_web.common.schema import page_parameters
from titan_web.common.schema_problems import problem
from titan_web.common.strict import StrictQuerySerializer, StrictSerializer
from titan_web.signals import replay, selectors, services
from titan_web.signals.models import Monitor, Signal
from titan_web.tasks.apis import TaskSerializer, task_accepted


class MonitorSerializer(serializers.ModelSerializer[Monitor]):
    pair_id = serializers.IntegerField(read_only=True)
    symbol_1 = serializers.CharField(source="pair.symbol_1.ticker", read_only=True)
    symbol_2 = serializers.CharField(source="pair.symbol_2.ticker", read_only=True)
    timeframe = serializers.CharField(source="pair.timeframe", read_only=True)
    parameter_set_id = serializers.IntegerField(read_only=True, allow_null=True)
    last_ts = serializers.SerializerMethodField()
    position = serializers.SerializerMethodField()

    class Meta:
        model = Monitor
        fields = [
            "id",
            "pair_id",
            "symbol_1",
            "symbol_2",
            "timeframe",
            "parameter_set_id",
            "adaptive",
            "active",
            "last_ts",
            "position",
            "created_at",
        ]

    def get_last_ts(self, obj: Monitor) -> str | None:
        return (obj.state or {}).get("last_ts")

    def get_position(self, obj: Monitor) -> int:
        return int(((obj.state or {}).get("strategy") or {}).get("position", 0))


class SignalSerializer(serializers.ModelSerializer[Signal]):
    class Meta:
        model = Signal
        fields = [
            "pair_id",
            "seq",
            "ts",
            "monitor_id",
            "kind",
            "zscore",
            "spread",
            "price_1",
            "price_2",
            "regime",
            "params_id",
            "source",
            "created_at",
        ]


class MonitorListApi(APIView):
    class InputSerializer(StrictSerializer):
        pair = serializers.IntegerField(min_value=1)
        parameter_set = serializers.IntegerField(min_value=1, required=False, allow_null=True)
        adaptive = serializers.BooleanField(default=False)
        active = serializers.BooleanField(default=True)

        def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
            if not attrs["adaptive"] and attrs.get("parameter_set") is None:
                raise serializers.ValidationError(
                    {"parameter_set": "required unless adaptive is true"}
                )
            return attrs

    @extend_schema(
        parameters=page_parameters(),
        responses=paginated_serializer("MonitorPage", MonitorSerializer),
        tags=["signals"],
    )
    async def get(self, request: Request) -> Response:
        return Response(
            await apaginate(request, selectors.monitor_list(user=request.user), MonitorSerializer)
        )

    @extend_schema(
        request=InputSerializer,
        responses={
            404: problem("A symbol or object the request names does not exist, or is not yours."),
            422: problem("The monitor cannot be warmed up on the stored bars of its pair."),
            201: MonitorSerializer,
        },
        tags=["signals"],
        description="Watch a pair live with a parameter set (or adaptively, per regime). The "
        "strategy is warmed up on the stored history; signals start with the next new bar.",
    )
    async def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        monitor = await services.monitor_create(
            user=request.user,
            pair_id=v["pair"],
            parameter_set_id=v.get("parameter_set"),
            adaptive=v["adaptive"],
            active=v["active"],
        )
        monitor = await selectors.monitor_get(user=request.user, monitor_id=monitor.pk)
        return Response(MonitorSerializer(monitor).data, status=status.HTTP_201_CREATED)


class MonitorDetailApi(APIView):
    @extend_schema(responses={200: MonitorSerializer}, tags=["signals"])
    async def get(self, request: Request, monitor_id: int) -> Response:
        monitor = await selectors.monitor_get(user=request.user, monitor_id=monitor_id)
        return Response(MonitorSerializer(monitor).data)

    class PatchSerializer(StrictSerializer):
        active = serializers.BooleanField()

    @extend_schema(
        request=PatchSerializer,
        responses={200: MonitorSerializer},
        tags=["signals"],
        description="Pause (`active: false`) or resume a monitor. A paused monitor decides "
        "nothing; on resume it is warmed up again silently on the stored history, so bars that "
        "arrived during the pause produce no stale signals: the next signal is for a new bar.",
    )
    async def patch(self, request: Request, monitor_id: int) -> Response:
        # Another user's monitor is 404 whatever the body (the lookup first, then the body).
        monitor = await selectors.monitor_get(user=request.user, monitor_id=monitor_id)
        data = self.PatchSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        await services.monitor_set_active(monitor=monitor, active=data.validated_data["active"])
        monitor = await selectors.monitor_get(user=request.user, monitor_id=monitor_id)
        return Response(MonitorSerializer(monitor).data)

    @extend_schema(responses={204: None}, tags=["signals"])
    async def delete(self, request: Request, monitor_id: int) -> Response:
        monitor = await selectors.monitor_get(user=request.user, monitor_id=monitor_id)
        await services.monitor_delete(monitor=monitor)
        return Response(status=status.HTTP_204_NO_CONTENT)


class SignalListApi(APIView):
    class InputSerializer(StrictQuerySerializer):
        pair = serializers.IntegerField(min_value=1, max_value=INT_MAX, required=False)
        since_seq = serializers.IntegerField(min_value=0, max_value=INT_MAX, required=False)
        until_seq = serializers.IntegerField(min_value=0, max_value=INT_MAX, required=False)
        start = serializers.DateTimeField(required=False)
        end = serializers.DateTimeField(required=False)
        after = serializers.RegexField(
            r"^\d{1,18}:\d{1,18}$", required=False, help_text="cursor '<pair_id>:<seq>' (from next)"
        )
        limit = serializers.IntegerField(
            min_value=1, max_value=selectors.SIGNAL_PAGE_MAX, default=selectors.SIGNAL_PAGE
        )
        source = serializers.ChoiceField(  # type: ignore[assignment]
            choices=["live", "replay"],
            required=False,
            help_text="only live signals (new bars) or only replayed ones; default both",
        )

    class OutputSerializer(serializers.Serializer[Any]):
        results = SignalSerializer(many=True)
        next = serializers.URLField(allow_null=True)

    @extend_schema(
        parameters=[InputSerializer],
        responses={404: problem("No such pair of yours."), 200: OutputSerializer},
        tags=["signals"],
        description="Stored signals of your pairs in (pair, seq) order, seq-cursor paginated: "
        "with `pair`, `next` continues with `since_seq`; otherwise with `after=<pair>:<seq>`.",
    )
    async def get(self, request: Request) -> Response:
        v = self.InputSerializer.validated(request.query_params)
        limit = v.pop("limit")
        after = v.pop("after", None)
        rows = await selectors.signal_list(
            user=request.user,
            pair_id=v.get("pair"),
            since_seq=v.get("since_seq"),
            until_seq=v.get("until_seq"),
            start=v.get("start"),
            end=v.get("end"),
            after=tuple(int(p) for p in after.split(":")) if after else None,  # type: ignore[arg-type]
            source=v.get("source"),
            limit=limit + 1,
        )
        next_url = None
        if len(rows) > limit:
            rows = rows[:limit]
            url = request.build_absolute_uri()
            last = rows[-1]
            if v.get("pair") is not None:
                next_url = replace_query_param(url, "since_seq", last.seq)
            else:
                next_url = replace_query_param(url, "after", f"{last.pair_id}:{last.seq}")
            next_url = replace_query_param(next_url, "limit", limit)
        return Response({"results": SignalSerializer(rows, many=True).data, "next": next_url})


class ReplayApi(APIView):
    class InputSerializer(StrictSerializer):
        pair = serializers.IntegerField(min_value=1, required=False, allow_null=True)
        symbols = serializers.ListField(
            child=serializers.CharField(max_length=32), required=False, allow_empty=False
        )
        start = serializers.DateTimeField()
        end = serializers.DateTimeField(required=False, allow_null=True)
        speed = serializers.FloatField(
            min_value=0,
            max_value=replay.MAX_SPEED,
            default=10.0,
            help_text="timestamps per second (0: as fast as possible)",
        )

    @extend_schema(
        request=InputSerializer,
        responses={
            404: problem("A symbol or object the request names does not exist, or is not yours."),
            202: TaskSerializer,
        },
        tags=["signals"],
        description="Play stored history forward as live for YOUR active monitors on `pair` "
        "(or on pairs with a leg in `symbols`), from `start` to `end`, `speed` bars per "
        "second: a task (kind `replay`); stop it with `POST /api/tasks/<id>/cancel`. The bar "
        "store is not changed. Each decision is stored as a signal with `source: replay` "
        "and the pair's next seq, then published to `pair:<id>` and your `signals` topic.",
    )
    async def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        task = await replay.replay_submit(
            user=request.user,
            pair_id=v.get("pair"),
            symbols=v.get("symbols"),
            start=v["start"],
            end=v.get("end"),
            speed=v["speed"],
        )
        return task_accepted(task)
