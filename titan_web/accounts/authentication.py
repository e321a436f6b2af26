"""DRF authentication with JWT bearer access tokens. Sync and one query: adrf runs it in
``sync_to_async`` (docs/architecture.md section 1)."""

from __future__ import annotations

from typing import Any

from rest_framework import authentication, exceptions
from rest_framework.request import Request

from titan_web.accounts.tokens import user_for_access_token


class JWTAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[Any, str] | None:
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if not header:
            return None
        parts = header.split()
        if len(parts) != 2 or parts[0].lower() != self.keyword.lower():
            raise exceptions.AuthenticationFailed("Authorization header must be 'Bearer <token>'.")
        user = user_for_access_token(parts[1])
        if user is None:
            raise exceptions.AuthenticationFailed("Invalid, expired or revoked access token.")
        return user, parts[1]

    def authenticate_header(self, request: Request) -> str:
        return f'{self.keyword} realm="api"'
