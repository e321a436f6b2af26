"""Market data endpoints: symbols, bars, ingestion, data quality."""

from __future__ import annotations

import asyncio
from typing import Any

import django_filters
from django.conf import settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ParseError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

import engine.compute
from engine._typing import TIMEFRAMES
from realtime.jsonlimits import MAX_DEPTH
from titan_web.common.apiview import APIView, loop_safe_permission
from titan_web.common.jsonlimits import DepthLimitedJSONParser
from titan_web.common.pagination import MAX_LIMIT, MAX_OFFSET, apaginate, paginated_serializer
from titan_web.common.schema import filter_parameters
from titan_web.common.schema_problems import problem
from titan_web.common.strict import StrictQuerySerializer, StrictSerializer
from titan_web.market import rowsbody, selectors, services
from titan_web.market.fields import TickerField, TickerListField
from titan_web.market.models import Symbol
from titan_web.tasks.apis import TaskSerializer, task_accepted

MAX_BARS = 100_000
MAX_ROWS = 200_000


@loop_safe_permission
class IsStaffForWrites(BasePermission):
    """Symbols are shared: anyone signed in may read and add; staff change and delete."""

    def has_permission(self, request: Any, view: Any) -> bool:
        if request.method in ("GET", "HEAD", "OPTIONS", "POST"):
            return bool(request.user and request.user.is_authenticated)
        return bool(request.user and request.user.is_staff)


class SymbolSerializer(serializers.ModelSerializer[Symbol]):
    class Meta:
        model = Symbol
        fields = [
            "ticker",
            "name",
            "exchange",
            "currency",
            "sector",
            "asset_class",
            "active",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]


class SymbolFilter(django_filters.FilterSet):
    ticker = django_filters.CharFilter(lookup_expr="icontains")
    sector = django_filters.CharFilter()
    asset_class = django_filters.CharFilter()
    active = django_filters.BooleanFilter()
    ordering = django_filters.OrderingFilter(fields=["ticker", "name", "sector", "created_at"])

    class Meta:
        model = Symbol
        fields: list[str] = []


class SymbolListApi(APIView):
    permission_classes = [IsStaffForWrites]

    class InputSerializer(StrictSerializer):
        ticker = TickerField()
        name = serializers.CharField(max_length=200, required=False, allow_blank=True)
        exchange = serializers.CharField(max_length=32, required=False, allow_blank=True)
        currency = serializers.CharField(max_length=8, required=False)
        sector = serializers.CharField(max_length=64, required=False, allow_blank=True)
        asset_class = serializers.CharField(max_length=32, required=False)
        active = serializers.BooleanField(required=False)

    @extend_schema(
        responses=paginated_serializer("SymbolPage", SymbolSerializer),
        tags=["market"],
        parameters=filter_parameters(SymbolFilter),
    )
    async def get(self, request: Request) -> Response:
        qs = selectors.symbol_list()
        return Response(
            await apaginate(request, qs, SymbolSerializer, filterset_class=SymbolFilter)
        )

    @extend_schema(
        request=InputSerializer,
        responses={201: SymbolSerializer, 409: problem("The ticker already exists.")},
        tags=["market"],
    )
    async def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        symbol = await services.symbol_create(data=dict(data.validated_data))
        return Response(SymbolSerializer(symbol).data, status=status.HTTP_201_CREATED)


class SymbolDetailApi(APIView):
    permission_classes = [IsStaffForWrites]

    class InputSerializer(StrictSerializer):
        name = serializers.CharField(max_length=200, required=False, allow_blank=True)
        exchange = serializers.CharField(max_length=32, required=False, allow_blank=True)
        currency = serializers.CharField(max_length=8, required=False)
        sector = serializers.CharField(max_length=64, required=False, allow_blank=True)
        asset_class = serializers.CharField(max_length=32, required=False)
        active = serializers.BooleanField(required=False)

    @extend_schema(responses={200: SymbolSerializer}, tags=["market"])
    async def get(self, request: Request, ticker: str) -> Response:
        return Response(SymbolSerializer(await selectors.symbol_get(ticker=ticker)).data)

    @extend_schema(request=InputSerializer, responses={200: SymbolSerializer}, tags=["market"])
    async def patch(self, request: Request, ticker: str) -> Response:
        symbol = await selectors.symbol_get(ticker=ticker)
        data = self.InputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        symbol = await services.symbol_update(symbol=symbol, data=dict(data.validated_data))
        return Response(SymbolSerializer(symbol).data)

    @extend_schema(
        responses={204: None, 409: problem("Pairs or research results still use the symbol.")},
        tags=["market"],
    )
    async def delete(self, request: Request, ticker: str) -> Response:
        await services.symbol_delete(symbol=await selectors.symbol_get(ticker=ticker))
        return Response(status=status.HTTP_204_NO_CONTENT)


class BarListApi(APIView):
    class InputSerializer(StrictQuerySerializer):
        symbols = TickerListField()
        timeframe = serializers.ChoiceField(choices=TIMEFRAMES, default="1d")
        start = serializers.DateTimeField(required=False)
        end = serializers.DateTimeField(required=False)
        limit = serializers.IntegerField(min_value=1, max_value=MAX_BARS, default=10_000)
        order = serializers.ChoiceField(
            choices=["asc", "desc"],
            default="asc",
            help_text="asc: the oldest `limit` bars, oldest first; desc: the newest `limit` "
            "bars, newest first",
        )

        def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
            if attrs.get("start") and attrs.get("end") and attrs["start"] > attrs["end"]:
                raise serializers.ValidationError({"end": "must not be before start"})
            return attrs

    @extend_schema(
        parameters=[InputSerializer],
        responses={404: problem("A named symbol does not exist."), 200: OpenApiTypes.OBJECT},
        tags=["market"],
        description="Bars per symbol, column-oriented. Coarser timeframes are "
        "resampled from the finest finer stored timeframe when none are stored. An unknown "
        "symbol answers 404.",
    )
    async def get(self, request: Request) -> Response:
        p = self.InputSerializer.validated(request.query_params)
        await selectors.symbols_require(tickers=p["symbols"], field="symbols")
        newest = p["order"] == "desc"
        out: dict[str, Any] = {}
        for ticker in p["symbols"]:
            batch, source_tf = await selectors.bar_batch(
                symbol=ticker,
                timeframe=p["timeframe"],
                start=p.get("start"),
                end=p.get("end"),
                limit=p["limit"],
                newest_first=newest,
            )
            out[ticker] = selectors.batch_payload(batch, limit=p["limit"], newest_first=newest) | {
                "source_timeframe": source_tf
            }
        return Response({"timeframe": p["timeframe"], "symbols": out})


class BarIngestApi(APIView):
    """Bars from a file or JSON rows. Bodies above ``TITAN_OFFLOAD_BODY_BYTES`` are parsed
    off the event loop: multipart in a thread (the parser is Python code, which lets the
    loop in between), JSON in a compute process (``titan_web.market.rowsbody``)."""

    parser_classes = [DepthLimitedJSONParser, MultiPartParser, FormParser]
    accepts_uploads = True  # up to TITAN_MAX_UPLOAD_BYTES (titan_web.common.bodylimits)

    class InputSerializer(StrictSerializer):
        file = serializers.FileField(
            required=False, help_text="CSV, CSV.gz or Parquet; long or wide layout"
        )
        rows = serializers.ListField(
            child=serializers.DictField(), required=False, max_length=MAX_ROWS
        )
        timeframe = serializers.ChoiceField(
            choices=TIMEFRAMES,
            default="1d",
            help_text="for files or rows without a timeframe column",
        )
        symbol = TickerField(
            required=False, help_text="the symbol of a file or rows without a symbol column"
        )
        naive_tz = serializers.CharField(
            required=False,
            default="UTC",
            allow_null=True,
            help_text="zone of naive timestamps; null rejects them",
        )
        on_error = serializers.ChoiceField(choices=["abort", "skip"], default="abort")
        unknown_symbols = serializers.ChoiceField(choices=["create", "reject"], default="create")
        on_mismatch = serializers.ChoiceField(
            choices=["reject", "detect"],
            default="reject",
            help_text="a series whose spacing does not fit its timeframe: refuse it (reject) "
            "or store it under the timeframe its spacing shows (detect)",
        )

        def validate_naive_tz(self, value: str | None) -> str | None:
            import zoneinfo

            if value is not None and value not in zoneinfo.available_timezones():
                raise serializers.ValidationError(f"unknown IANA time zone {value!r}")
            return value

        def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
            if bool(attrs.get("file")) == bool(attrs.get("rows")):
                raise serializers.ValidationError(
                    {"file": "send either a file or rows, not both or neither"}
                )
            return attrs

    class OutputSerializer(serializers.Serializer[Any]):
        rows = serializers.IntegerField()
        inserted = serializers.IntegerField()
        updated = serializers.IntegerField()
        unchanged = serializers.IntegerField()
        rejected = serializers.ListField(child=serializers.DictField())
        symbols_created = serializers.ListField(child=serializers.CharField())
        timeframe_checks = serializers.ListField(child=serializers.DictField())

    @extend_schema(
        request={"multipart/form-data": InputSerializer, "application/json": InputSerializer},
        responses={
            422: problem("Rows or file rejected (each row's reason in `rejected`)."),
            200: OutputSerializer,
            202: TaskSerializer,
        },
        tags=["market"],
    )
    async def post(self, request: Request) -> Response:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
        if length > settings.TITAN["OFFLOAD_BODY_BYTES"]:
            media = (request.content_type or "").split(";")[0].strip().lower()
            if media == "application/json":
                return await self._post_large_json(request)
            await asyncio.to_thread(lambda: request.data)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        p = data.validated_data
        common = {
            "naive_tz": p["naive_tz"],
            "on_error": p["on_error"],
            "unknown_symbols": p["unknown_symbols"],
            "on_mismatch": p["on_mismatch"],
        }
        if p.get("file"):
            upload = p["file"]
            content = await asyncio.to_thread(upload.read)
            if upload.size > services.LARGE_UPLOAD_BYTES:
                task = await services.abars_ingest_file_submit(
                    owner=request.user,
                    content=content,
                    filename=upload.name or "",
                    timeframe=p["timeframe"],
                    symbol=p.get("symbol"),
                    **common,
                )
                return task_accepted(task)
            report = await services.abars_ingest_file(
                content=content,
                filename=upload.name or "",
                timeframe=p["timeframe"],
                symbol=p.get("symbol"),
                user=request.user,
                **common,
            )
        else:
            report = await services.abars_ingest_rows(
                rows=p["rows"],
                timeframe=p["timeframe"],
                symbol=p.get("symbol"),
                user=request.user,
                **common,
            )
        return Response(report.to_dict())

    async def _post_large_json(self, request: Request) -> Response:
        """A large JSON body: parsed and its rows checked in a compute process, the envelope
        validated here with the same serializer (the rows replaced by a stand-in)."""
        raw = await asyncio.to_thread(lambda: request._request.body)
        parsed = await engine.compute.run(
            rowsbody.parse_rows_body, raw, max_depth=MAX_DEPTH, max_rows=MAX_ROWS
        )
        del raw
        if parsed.parse_error is not None:
            raise ParseError(parsed.parse_error)
        if parsed.not_object is not None:
            raise serializers.ValidationError(
                {
                    "non_field_errors": [
                        f"Invalid data. Expected a dictionary, but got {parsed.not_object}."
                    ]
                }
            )
        envelope = dict(parsed.envelope)
        if parsed.has_rows:
            envelope["rows"] = [{}]  # checked in the worker; the stand-in satisfies validate()
        data = self.InputSerializer(data=envelope)
        errors: dict[str, Any] = {} if data.is_valid() else dict(data.errors)
        if parsed.rows_errors is not None:
            errors["rows"] = parsed.rows_errors
        if errors:
            raise serializers.ValidationError(errors)
        if parsed.data_error is not None:
            raise services._bad_data("rows", parsed.data_error)
        p = data.validated_data
        report = await services.abars_ingest_file(
            content=parsed.csv,
            field="rows",
            source="api",
            timeframe=p["timeframe"],
            symbol=p.get("symbol"),
            user=request.user,
            naive_tz=p["naive_tz"],
            on_error=p["on_error"],
            unknown_symbols=p["unknown_symbols"],
            on_mismatch=p["on_mismatch"],
        )
        return Response(report.to_dict())


class BarCoverageApi(APIView):
    class InputSerializer(StrictQuerySerializer):
        symbols = serializers.CharField(
            required=False, help_text="comma-separated tickers (default: every stored series)"
        )
        timeframe = serializers.ChoiceField(choices=TIMEFRAMES, required=False)

    class OutputSerializer(serializers.Serializer[Any]):
        symbol = serializers.CharField()
        timeframe = serializers.CharField()
        first = serializers.DateTimeField()
        last = serializers.DateTimeField()
        count = serializers.IntegerField()

    @extend_schema(
        parameters=[InputSerializer],
        responses={200: OutputSerializer(many=True)},
        tags=["market"],
        description="Coverage of the stored bars: per series (symbol, timeframe) the first "
        "and last bar and the bar count, in one query. Gaps per symbol: "
        "`GET symbols/<ticker>/quality`.",
    )
    async def get(self, request: Request) -> Response:
        v = self.InputSerializer.validated(request.query_params)
        symbols = [t.strip() for t in v.get("symbols", "").split(",") if t.strip()]
        rows = await selectors.bar_coverage(symbols=symbols or None, timeframe=v.get("timeframe"))
        return Response(self.OutputSerializer(rows, many=True).data)


class SymbolQualityApi(APIView):
    class InputSerializer(StrictQuerySerializer):
        timeframe = serializers.ChoiceField(choices=TIMEFRAMES, default="1d")
        stale_bars = serializers.IntegerField(min_value=1, max_value=10_000, default=5)
        outlier_z = serializers.FloatField(min_value=1.0, max_value=100.0, default=8.0)

    @extend_schema(
        parameters=[InputSerializer], responses={200: OpenApiTypes.OBJECT}, tags=["market"]
    )
    async def get(self, request: Request, ticker: str) -> Response:
        params = self.InputSerializer.validated(request.query_params)
        return Response(await selectors.symbol_quality(ticker=ticker, **params))


class BarFetchApi(APIView):
    class InputSerializer(StrictSerializer):
        provider = serializers.ChoiceField(choices=services.PROVIDER_NAMES)
        symbols = serializers.ListField(child=TickerField(), min_length=1, max_length=500)
        start = serializers.DateField(required=False, allow_null=True)
        end = serializers.DateField(required=False, allow_null=True)
        timeframe = serializers.ChoiceField(
            choices=TIMEFRAMES,
            default="1d",
            help_text="stooq serves 1d only; yahoo every timeframe",
        )

        def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
            if attrs.get("start") and attrs.get("end") and attrs["start"] > attrs["end"]:
                raise serializers.ValidationError({"end": "must not be before start"})
            served = services.PROVIDER_TIMEFRAMES[attrs["provider"]]
            if attrs["timeframe"] not in served:
                raise serializers.ValidationError(
                    {"timeframe": f"{attrs['provider']} serves {', '.join(served)} only"}
                )
            return attrs

    @extend_schema(
        request=InputSerializer,
        responses={202: TaskSerializer},
        tags=["market"],
        description="Fetch bars from an HTTP provider as a task: 202 and Location "
        "/api/tasks/<id>/; per-symbol errors are in the task result.",
    )
    async def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        p = data.validated_data
        task = await services.abars_fetch_submit(
            owner=request.user,
            provider=p["provider"],
            symbols=p["symbols"],
            start=p["start"].isoformat() if p.get("start") else None,
            end=p["end"].isoformat() if p.get("end") else None,
            timeframe=p["timeframe"],
        )
        return task_accepted(task)


class BarChangeSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    changed_at = serializers.DateTimeField()
    user = serializers.CharField(source="username", help_text="empty: the system")
    symbol = serializers.CharField(source="series.symbol")
    timeframe = serializers.CharField(source="series.timeframe")
    ts = serializers.DateTimeField()
    old = serializers.SerializerMethodField()
    new = serializers.SerializerMethodField()
    old_source = serializers.CharField()
    new_source = serializers.CharField(source="source", help_text="the source of the upload")

    def _values(self, obj: Any, prefix: str) -> dict[str, float | None]:
        return {
            f: getattr(obj, f"{prefix}_{f}") for f in ("open", "high", "low", "close", "volume")
        }

    def get_old(self, obj: Any) -> dict[str, float | None]:
        return self._values(obj, "old")

    def get_new(self, obj: Any) -> dict[str, float | None]:
        return self._values(obj, "new")


class BarHistoryApi(APIView):
    class InputSerializer(StrictQuerySerializer):
        symbol = serializers.RegexField(r"^[A-Za-z0-9.\-^=_]{1,32}$", required=False)
        timeframe = serializers.ChoiceField(choices=TIMEFRAMES, required=False)
        start = serializers.DateTimeField(required=False, help_text="bars from this time")
        end = serializers.DateTimeField(required=False, help_text="bars up to this time")
        limit = serializers.IntegerField(min_value=1, max_value=MAX_LIMIT, required=False)
        offset = serializers.IntegerField(min_value=0, max_value=MAX_OFFSET, required=False)

    @extend_schema(
        parameters=[InputSerializer],
        responses=paginated_serializer("BarChangePage", BarChangeSerializer),
        tags=["market"],
        description="Every recorded change of a stored bar (who, when, old and new OHLCV), "
        "newest first. Bars are shared data: every signed-in user may read the history.",
    )
    async def get(self, request: Request) -> Response:
        p = self.InputSerializer.validated(request.query_params)
        qs = selectors.bar_changes(
            symbol=p.get("symbol"),
            timeframe=p.get("timeframe"),
            start=p.get("start"),
            end=p.get("end"),
        )
        return Response(
            await apaginate(
                request,
                qs,
                BarChangeSerializer,
                extra_params=self.InputSerializer._declared_fields.keys(),
            )
        )
