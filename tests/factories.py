"""Factories for models used across the web tests (plain functions, unique defaults)."""

from __future__ import annotations

import itertools
import time
import uuid
from typing import Any

from titan_web.accounts.models import User
from titan_web.market.models import Symbol
from titan_web.research.models import TradingPair
from titan_web.tasks.models import TaskRun

_seq = itertools.count(1)
PASSWORD = "correct horse battery staple"


def make_user(*, username: str | None = None, password: str = PASSWORD, **fields: Any) -> User:
    user = User.objects.create_user(username=username or f"user{next(_seq)}", password=password)
    for k, v in fields.items():
        setattr(user, k, v)
    if fields:
        user.save()
    return user


def make_symbol(ticker: str | None = None, **fields: Any) -> Symbol:
    return Symbol.objects.create(ticker=ticker or f"SYM{next(_seq)}", **fields)


def make_pair(
    *, owner: User, symbol_1: Symbol | None = None, symbol_2: Symbol | None = None, **fields: Any
) -> TradingPair:
    return TradingPair.objects.create(
        owner=owner,
        symbol_1=symbol_1 or make_symbol(),
        symbol_2=symbol_2 or make_symbol(),
        **fields,
    )


def make_task(*, owner: User, kind: str = "scan", **fields: Any) -> TaskRun:
    return TaskRun.objects.create(owner=owner, kind=kind, **fields)


def access_claims(user: Any, **over: Any) -> dict[str, Any]:
    """The claims of a valid access token of ``user`` (the tests sign their own tokens),
    with ``over`` replacing claims; a claim given as None is left out."""
    from django.conf import settings

    now = int(time.time())
    claims = {
        "sub": str(user.pk),
        "iat": now,
        "nbf": now,
        "exp": now + 600,
        "jti": str(uuid.uuid4()),
        "iss": settings.JWT["ISSUER"],
        "aud": settings.JWT["AUDIENCE"],
        "type": "access",
        "fam": str(uuid.uuid4()),
    }
    claims.update(over)
    return {k: v for k, v in claims.items() if v is not None}
