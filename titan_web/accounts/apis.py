"""Auth endpoints: token, refresh (rotating), logout, and the user's own profile.

Two ways to hold the refresh token. In the body (the API's default: the client keeps it).
Or, for the dashboard, in an HttpOnly, SameSite=Strict cookie scoped to ``/api/auth/``: sign
in with ``"cookie": true``, then call ``refresh`` and ``logout`` with an empty body and the
``X-Titan-Refresh: cookie`` header (docs/dashboard.md). The header is the CSRF defence on top
of SameSite: a cross-site form cannot set it, and a cross-origin ``fetch`` with it needs a
CORS preflight that this server never grants.
"""

from __future__ import annotations

import zoneinfo
from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from titan_web.accounts import cookies, services
from titan_web.accounts.models import User
from titan_web.accounts.payloads import me_payload
from titan_web.accounts.throttles import AccountRateThrottle, AuthRateThrottle
from titan_web.common.apiview import APIView
from titan_web.common.schema_problems import problem
from titan_web.common.strict import StrictSerializer


class TokenPairSerializer(serializers.Serializer):
    access = serializers.CharField()
    refresh = serializers.CharField(
        required=False, help_text="Absent when the refresh token was set as a cookie."
    )
    token_type = serializers.CharField()
    expires_in = serializers.IntegerField()


def _required(name: str) -> serializers.ValidationError:
    message = serializers.Field.default_error_messages["required"]
    return serializers.ValidationError({name: [message]})


def _refresh_token(request: Request, data: dict[str, Any]) -> tuple[str, bool]:
    """The refresh token from the body, or from the cookie when the request says so."""
    if data.get("refresh"):
        return str(data["refresh"]), False
    if cookies.wants_cookie(request):
        token = cookies.read(request)
        if token:
            return token, True
        raise services.AuthenticationError("No refresh cookie: sign in again.")
    raise _required("refresh")


class TokenObtainApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []
    throttle_classes = [AuthRateThrottle, AccountRateThrottle]

    class InputSerializer(StrictSerializer):
        username = serializers.CharField(max_length=150)
        password = serializers.CharField(max_length=256, trim_whitespace=False)
        cookie = serializers.BooleanField(
            required=False,
            default=False,
            help_text="Set the refresh token as an HttpOnly cookie instead of in the body.",
        )

    @extend_schema(
        request=InputSerializer,
        responses={
            200: TokenPairSerializer,
            401: problem("Wrong username or password, or the account is disabled."),
        },
        tags=["auth"],
    )
    async def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        as_cookie = values.pop("cookie")
        pair = await services.atoken_obtain(**values)
        return cookies.pair_response(request, pair, as_cookie=as_cookie)


class TokenRefreshApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []
    throttle_classes = [AuthRateThrottle]

    class InputSerializer(StrictSerializer):
        refresh = serializers.CharField(
            max_length=4096,
            required=False,
            help_text="Required unless the request carries `X-Titan-Refresh: cookie`.",
        )

    @extend_schema(
        request=InputSerializer,
        responses={
            200: TokenPairSerializer,
            401: problem("The refresh token is invalid, expired, revoked or already used."),
        },
        tags=["auth"],
    )
    async def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        token, from_cookie = _refresh_token(request, dict(data.validated_data))
        try:
            pair = await services.atoken_refresh(refresh=token)
        except services.AuthenticationError as exc:
            return cookies.clear_on_error(exc) if from_cookie else cookies.reraise(exc)
        return cookies.pair_response(request, pair, as_cookie=from_cookie)


class TokenLogoutApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []
    throttle_classes = [AuthRateThrottle]

    class InputSerializer(StrictSerializer):
        refresh = serializers.CharField(
            max_length=4096,
            required=False,
            help_text="Required unless the request carries `X-Titan-Refresh: cookie`.",
        )

    @extend_schema(
        request=InputSerializer,
        responses={
            204: None,
            401: problem("The refresh token is invalid, expired, revoked or already used."),
        },
        tags=["auth"],
    )
    async def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        token, from_cookie = _refresh_token(request, dict(data.validated_data))
        try:
            await services.atoken_revoke(refresh=token)
        except services.AuthenticationError as exc:
            return cookies.clear_on_error(exc) if from_cookie else cookies.reraise(exc)
        response = Response(status=status.HTTP_204_NO_CONTENT)
        if from_cookie:
            cookies.clear(response)
        return response


class StrategyDefaultsSerializer(StrictSerializer):
    lookback = serializers.IntegerField(min_value=2, max_value=5000)
    entry_z = serializers.FloatField(min_value=0.0, max_value=20.0)
    exit_z = serializers.FloatField(min_value=0.0, max_value=20.0)
    stop_z = serializers.FloatField(min_value=0.0, max_value=50.0, allow_null=True, required=False)
    max_holding = serializers.IntegerField(min_value=1, allow_null=True, required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        # A PATCH merges into the stored set first (UserMeApi.patch): the set is whole here.
        missing = [k for k in ("lookback", "entry_z", "exit_z") if k not in attrs]
        if missing:
            raise serializers.ValidationError(dict.fromkeys(missing, "This field is required."))
        if attrs["exit_z"] >= attrs["entry_z"]:
            raise serializers.ValidationError({"exit_z": "must be below entry_z"})
        stop = attrs.get("stop_z")
        if stop is not None and stop <= attrs["entry_z"]:
            raise serializers.ValidationError({"stop_z": "must be above entry_z"})
        return attrs


class UserMeApi(APIView):
    class OutputSerializer(serializers.ModelSerializer):
        class Meta:
            model = User
            fields = [
                "id",
                "username",
                "email",
                "is_staff",
                "capital",
                "cost_bps",
                "slippage_bps",
                "borrow_rate",
                "timezone",
                "default_params",
            ]

    class InputSerializer(StrictSerializer):
        email = serializers.EmailField(required=False)
        capital = serializers.DecimalField(
            max_digits=18, decimal_places=2, min_value=0, required=False
        )
        cost_bps = serializers.FloatField(min_value=0, max_value=1000, required=False)
        slippage_bps = serializers.FloatField(min_value=0, max_value=1000, required=False)
        borrow_rate = serializers.FloatField(min_value=0, max_value=5, required=False)
        timezone = serializers.CharField(max_length=64, required=False)
        default_params = StrategyDefaultsSerializer(required=False)

        def validate_timezone(self, value: str) -> str:
            if value not in zoneinfo.available_timezones():
                raise serializers.ValidationError(f"unknown IANA time zone {value!r}")
            return value

    @extend_schema(responses={200: OutputSerializer}, tags=["auth"])
    async def get(self, request: Request) -> Response:
        return Response(me_payload(request.user))

    @extend_schema(
        request=InputSerializer,
        responses={200: OutputSerializer},
        tags=["auth"],
        description="Change preferences. `default_params` is merged into the stored one "
        "(send only the parameters to change; null removes `stop_z` or `max_holding`) and the "
        "merged set is validated as a whole.",
    )
    async def patch(self, request: Request) -> Response:
        body: Any = request.data
        given = body.get("default_params") if isinstance(body, dict) else None
        if isinstance(given, dict):
            stored = dict(request.user.default_params or {})  # type: ignore[union-attr]
            body = {**body, "default_params": {**stored, **given}}
        data = self.InputSerializer(data=body, partial=True)
        data.is_valid(raise_exception=True)
        user = await services.auser_update_preferences(
            user=request.user,  # type: ignore[arg-type]  # IsAuthenticated: a real User
            data=dict(data.validated_data),
        )
        return Response(self.OutputSerializer(user).data)
