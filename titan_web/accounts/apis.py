"""Auth endpoints: token, refresh (rotating), logout, and the user's own profile."""

from __future__ import annotations

import zoneinfo
from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from titan_web.accounts import services
from titan_web.accounts.models import User
from titan_web.accounts.throttles import AuthRateThrottle
from titan_web.common.apiview import APIView


class TokenPairSerializer(serializers.Serializer):
    access = serializers.CharField()
    refresh = serializers.CharField()
    token_type = serializers.CharField()
    expires_in = serializers.IntegerField()


class TokenObtainApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []
    throttle_classes = [AuthRateThrottle]

    class InputSerializer(serializers.Serializer):
        username = serializers.CharField(max_length=150)
        password = serializers.CharField(max_length=256, trim_whitespace=False)

    @extend_schema(request=InputSerializer, responses={200: TokenPairSerializer}, tags=["auth"])
    async def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        pair = await services.atoken_obtain(**data.validated_data)
        return Response(pair.to_dict())


class TokenRefreshApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []
    throttle_classes = [AuthRateThrottle]

    class InputSerializer(serializers.Serializer):
        refresh = serializers.CharField(max_length=4096)

    @extend_schema(request=InputSerializer, responses={200: TokenPairSerializer}, tags=["auth"])
    async def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        pair = await services.atoken_refresh(refresh=data.validated_data["refresh"])
        return Response(pair.to_dict())


class TokenLogoutApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []
    throttle_classes = [AuthRateThrottle]

    class InputSerializer(serializers.Serializer):
        refresh = serializers.CharField(max_length=4096)

    @extend_schema(request=InputSerializer, responses={204: None}, tags=["auth"])
    async def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        await services.atoken_revoke(refresh=data.validated_data["refresh"])
        return Response(status=status.HTTP_204_NO_CONTENT)


class StrategyDefaultsSerializer(serializers.Serializer):
    lookback = serializers.IntegerField(min_value=2, max_value=5000)
    entry_z = serializers.FloatField(min_value=0.0, max_value=20.0)
    exit_z = serializers.FloatField(min_value=0.0, max_value=20.0)
    stop_z = serializers.FloatField(min_value=0.0, max_value=50.0, allow_null=True, required=False)
    max_holding = serializers.IntegerField(min_value=1, allow_null=True, required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
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

    class InputSerializer(serializers.Serializer):
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
        return Response(self.OutputSerializer(request.user).data)

    @extend_schema(request=InputSerializer, responses={200: OutputSerializer}, tags=["auth"])
    async def patch(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        user = await services.auser_update_preferences(
            user=request.user,  # type: ignore[arg-type]  # IsAuthenticated: a real User
            data=dict(data.validated_data),
        )
        return Response(self.OutputSerializer(user).data)
