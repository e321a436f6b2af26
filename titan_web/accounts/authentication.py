"""DRF authentication with JWT bearer access tokens.

``aauthenticate`` (what TITAN's APIView calls, on the event loop) goes through the process's
cache of users and token families (authcache.py); ``authenticate`` is the sync fallback (one
query) for sync callers."""

from __future__ import annotations

from typing import Any

from rest_framework import authentication, exceptions
from rest_framework.request import Request

from titan_web.accounts.tokens import auser_for_access_token, user_for_access_token


class JWTAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def _token(self, request: Request) -> str | None:
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if not header:
            return None
        parts = header.split()
        if len(parts) != 2 or parts[0].lower() != self.keyword.lower():
            raise exceptions.AuthenticationFailed("Authorization header must be 'Bearer <token>'.")
        return parts[1]

    def authenticate(self, request: Request) -> tuple[Any, str] | None:
        token = self._token(request)
        if token is None:
            return None
        user = user_for_access_token(token)
        if user is None:
            raise exceptions.AuthenticationFailed("Invalid, expired or revoked access token.")
        return user, token

    async def aauthenticate(self, request: Request) -> tuple[Any, str] | None:
        token = self._token(request)
        if token is None:
            return None
        user = await auser_for_access_token(token)
        if user is None:
            raise exceptions.AuthenticationFailed("Invalid, expired or revoked access token.")
        return user, token

    def authenticate_header(self, request: Request) -> str:
        return f'{self.keyword} realm="api"'
