"""Writes for accounts: token issue, rotation, logout, preference updates."""

from __future__ import annotations

from typing import Any

from asgiref.sync import sync_to_async
from django.contrib.auth import authenticate

from titan_web.accounts import tokens
from titan_web.accounts.models import User
from titan_web.common.errors import ApplicationError


class AuthenticationError(ApplicationError):
    status_code = 401
    slug = "not-authenticated"
    title = "Not authenticated"


def token_obtain(*, username: str, password: str) -> tokens.TokenPair:
    user = authenticate(username=username, password=password)
    if user is None or not user.is_active:
        raise AuthenticationError("No active account with these credentials.")
    return tokens.issue_pair(user)  # type: ignore[arg-type]


atoken_obtain = sync_to_async(token_obtain)


def token_refresh(*, refresh: str) -> tokens.TokenPair:
    try:
        return tokens.rotate(refresh)
    except tokens.InvalidToken as exc:
        raise AuthenticationError(f"Refresh token refused: {exc}.") from exc


atoken_refresh = sync_to_async(token_refresh)


def token_revoke(*, refresh: str) -> None:
    try:
        tokens.revoke(refresh)
    except tokens.InvalidToken as exc:
        raise AuthenticationError(f"Refresh token refused: {exc}.") from exc


atoken_revoke = sync_to_async(token_revoke)


async def auser_update_preferences(*, user: User, data: dict[str, Any]) -> User:
    fields = []
    for name, value in data.items():
        setattr(user, name, value)
        fields.append(name)
    if fields:
        await user.asave(update_fields=fields)
    return user


def user_create(*, username: str, password: str, email: str = "", is_staff: bool = False) -> User:
    user = User.objects.create_user(username=username, password=password, email=email)
    if is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    return user
