"""JWT access and refresh tokens (pyjwt) with pinned algorithms, rotation and reuse detection.

Claims: ``sub`` (user id), ``iat``, ``nbf``, ``exp``, ``jti``, ``iss``, ``aud``, ``type``
(``access`` or ``refresh``) and ``fam`` (the refresh family). Decoding pins the one configured
algorithm (HS256, or RS256 with a key pair), so ``alg: none`` and HS/RS confusion fail, and
requires every claim.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import jwt
from django.conf import settings
from django.db import transaction
from django.db.models import Exists

from titan_web.accounts import authcache
from titan_web.accounts.models import RefreshToken, User

REQUIRED_CLAIMS = ["sub", "iat", "nbf", "exp", "jti", "iss", "aud", "type", "fam"]


class InvalidToken(Exception):
    """The token is malformed, expired, not yet valid, of the wrong type, or revoked."""


@dataclass(frozen=True)
class TokenPair:
    access: str
    refresh: str
    expires_in: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "access": self.access,
            "refresh": self.refresh,
            "token_type": "Bearer",
            "expires_in": self.expires_in,
        }


def _conf() -> dict[str, Any]:
    return settings.JWT


def _encode(user: User, *, kind: str, family: uuid.UUID, jti: uuid.UUID, now: datetime) -> str:
    conf = _conf()
    lifetime = conf["ACCESS_LIFETIME"] if kind == "access" else conf["REFRESH_LIFETIME"]
    claims = {
        "sub": str(user.pk),
        "iat": int(now.timestamp()),
        "nbf": int(now.timestamp()),
        "exp": int((now + lifetime).timestamp()),
        "jti": str(jti),
        "iss": conf["ISSUER"],
        "aud": conf["AUDIENCE"],
        "type": kind,
        "fam": str(family),
    }
    return jwt.encode(claims, conf["SIGNING_KEY"], algorithm=conf["ALGORITHM"])


def decode(token: str, *, expected_type: str) -> dict[str, Any]:
    """Verify signature, algorithm, every required claim and the token type."""
    conf = _conf()
    try:
        claims = jwt.decode(
            token,
            conf["VERIFYING_KEY"],
            algorithms=[conf["ALGORITHM"]],
            audience=conf["AUDIENCE"],
            issuer=conf["ISSUER"],
            leeway=conf["LEEWAY"],
            options={"require": REQUIRED_CLAIMS},
        )
    except jwt.PyJWTError as exc:
        raise InvalidToken(str(exc)) from exc
    if claims.get("type") != expected_type:
        raise InvalidToken(f"expected a {expected_type} token")
    try:
        uuid.UUID(str(claims["jti"]))
        uuid.UUID(str(claims["fam"]))
        int(claims["sub"])
    except (ValueError, TypeError) as exc:
        raise InvalidToken("malformed claims") from exc
    return claims


def issue_pair(user: User, *, family: uuid.UUID | None = None) -> TokenPair:
    """Issue an access token and a refresh token (stored) in ``family`` (new when None)."""
    now = datetime.now(UTC)
    family = family or uuid.uuid4()
    refresh_jti = uuid.uuid4()
    RefreshToken.objects.create(
        jti=refresh_jti, family=family, user=user, expires_at=now + _conf()["REFRESH_LIFETIME"]
    )
    access = _encode(user, kind="access", family=family, jti=uuid.uuid4(), now=now)
    refresh = _encode(user, kind="refresh", family=family, jti=refresh_jti, now=now)
    return TokenPair(access, refresh, int(_conf()["ACCESS_LIFETIME"].total_seconds()))


def user_for_access_token(token: str) -> User | None:
    """The active user an access token names, or None. One query: the user, joined with a
    check that the token's family is not revoked (logout revokes access tokens at once)."""
    try:
        claims = decode(token, expected_type="access")
    except InvalidToken:
        return None
    revoked = RefreshToken.objects.filter(family=claims["fam"], revoked_at__isnull=False)
    user = (
        User.objects.filter(pk=int(claims["sub"]), is_active=True)
        .annotate(family_revoked=Exists(revoked))
        .first()
    )
    if user is None or user.family_revoked:  # type: ignore[attr-defined]
        return None
    return user


# Access tokens whose signature and claims were verified here: a client sends the same
# token with every request for its lifetime, and verifying it (HMAC, key preparation, claim
# checks) is a fifth of an authenticated read. Only the time claims can change their verdict:
# they are checked again on every use. Revocation is not decided here (authcache.py).
# Keyed by the token and the verification settings (a test or a key rotation changing them
# must not be answered from here).
_verified: dict[tuple[Any, ...], tuple[dict[str, Any], float, float]] = {}
MAX_VERIFIED = 10_000


def decode_access(token: str) -> dict[str, Any]:
    """:func:`decode` of an access token, remembered for the token's lifetime."""
    conf = _conf()
    key = (token, conf["VERIFYING_KEY"], conf["ALGORITHM"], conf["AUDIENCE"], conf["ISSUER"])
    now = time.time()
    hit = _verified.get(key)
    if hit is not None:
        claims, not_before, expires = hit
        if not_before <= now < expires:
            return claims
        _verified.pop(key, None)
    claims = decode(token, expected_type="access")
    leeway = conf["LEEWAY"]
    leeway = leeway.total_seconds() if hasattr(leeway, "total_seconds") else float(leeway)
    if len(_verified) >= MAX_VERIFIED:
        _verified.clear()
    _verified[key] = (
        claims,
        max(float(claims["nbf"]), float(claims["iat"])) - leeway,
        float(claims["exp"]) + leeway,
    )
    return claims


async def auser_for_access_token(token: str) -> User | None:
    """:func:`user_for_access_token` through the process's cache (authcache.py): no query
    and no thread hop while nothing was revoked or changed."""
    try:
        claims = decode_access(token)
    except InvalidToken:
        return None
    return await authcache.cache.user_for_claims(claims)


def family_of(token: str) -> str | None:
    """The refresh family of a valid access token (what revoking it is announced under)."""
    try:
        return str(decode(token, expected_type="access")["fam"])
    except InvalidToken:
        return None


def _revoke_family(family: str | uuid.UUID) -> int:
    count = RefreshToken.objects.filter(family=family, revoked_at__isnull=True).update(
        revoked_at=datetime.now(UTC)
    )
    if count:
        # Once committed, and before the request that revoked answers: every process's
        # cache drops the family and its open sockets close (authcache.py).
        transaction.on_commit(lambda: authcache.family_revoked(str(family)))
    return count


def rotate(refresh_token: str) -> TokenPair:
    """Exchange a refresh token for a new pair in the same family.

    A token that was already used is reuse: its whole family is revoked (committed) and
    :class:`InvalidToken` is raised.
    """
    claims = decode(refresh_token, expected_type="refresh")
    outcome = _rotate_locked(claims)
    if isinstance(outcome, TokenPair):
        return outcome
    raise InvalidToken(outcome)


@transaction.atomic
def _rotate_locked(claims: dict[str, Any]) -> TokenPair | str:
    row = (
        RefreshToken.objects.select_for_update()
        .select_related("user")
        .filter(jti=claims["jti"], user_id=int(claims["sub"]))
        .first()
    )
    if row is None:
        return "unknown refresh token"
    if row.revoked_at is not None:
        return "refresh token revoked"
    if row.used_at is not None:
        _revoke_family(row.family)
        return "refresh token reused: its family is revoked"
    if not row.user.is_active:
        return "user inactive"
    row.used_at = datetime.now(UTC)
    row.save(update_fields=["used_at"])
    return issue_pair(row.user, family=row.family)


def revoke(refresh_token: str) -> None:
    """Logout: revoke the refresh token's family (and with it its access tokens)."""
    claims = decode(refresh_token, expected_type="refresh")
    if not RefreshToken.objects.filter(jti=claims["jti"], user_id=int(claims["sub"])).exists():
        raise InvalidToken("unknown refresh token")
    _revoke_family(claims["fam"])
