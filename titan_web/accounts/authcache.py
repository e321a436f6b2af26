"""Access-token authentication without a query or a thread hop per request.

Each process keeps the users it has authenticated and the token families it has found not
revoked, each stamped with the revocation epoch (``epoch.py``) read *before* the database
was asked. Every write that can invalidate them (logout, refresh reuse, a user saved or
deleted) commits, bumps the epoch, applies the event to this process's cache and publishes
``auth.revoke {family, epoch}`` / ``auth.user_changed {user, active, epoch}`` to the group
:data:`AUTH_GROUP` on the channel layer, which every process follows from start-up; all of
that before the request that made the write answers.

A request reads the epoch ``E`` (a Redis ``GET`` or a file read) and trusts its cache only
when every event up to ``E`` has been applied here (``E <= synced``); otherwise it asks the
database, as before. So a token revoked before a request started is refused by every
process, whether or not the event has reached it yet (argument in docs/decisions.md). An
epoch that stays ahead of ``synced`` for ``RESYNC_AFTER`` seconds (a lost event) empties the
cache and starts again from that epoch.
"""

from __future__ import annotations

import copy
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from asgiref.sync import async_to_sync, sync_to_async
from django.db.models import Exists

from titan_web.accounts import epoch as epoch_mod
from titan_web.accounts.models import RefreshToken, User

logger = logging.getLogger("titan.auth")

AUTH_GROUP = "titan.auth"
ENTRY_TTL = 60.0  # seconds an entry is trusted at most, even with no event
RESYNC_AFTER = 1.0  # seconds the epoch may stay ahead of the applied events
MAX_ENTRIES = 50_000
MAX_REVOKED = 200_000

# Called with (family, user_id) after an event is applied here: realtime closes the sockets.
SessionCloser = Callable[..., None]


class AuthCache:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.users: dict[int, tuple[User, int, float]] = {}
        self.families: dict[str, tuple[int, float]] = {}  # known NOT revoked as of epoch
        self.revoked: OrderedDict[str, None] = OrderedDict()  # families, revoked for good
        self.user_changed: dict[int, int] = {}  # user id -> epoch of its last change event
        self.synced: int | None = None  # every event <= synced has been applied here
        self.floor = 0  # entries stamped below this predate the last resync
        self._pending: set[int] = set()
        self._behind_since: float | None = None
        self.closers: list[SessionCloser] = []
        self.hits = 0
        self.misses = 0

    # -- reading ---------------------------------------------------------------------------
    async def user_for_claims(self, claims: dict[str, Any]) -> User | None:
        family, user_id = str(claims["fam"]), int(claims["sub"])
        if family in self.revoked:
            return None
        try:
            now_epoch = await epoch_mod.store().aget()
        except Exception:
            logger.warning("revocation epoch unreadable: asking the database", exc_info=True)
            return await sync_to_async(_query)(user_id, family)
        self._observe(now_epoch)
        synced = self.synced
        if synced is not None and now_epoch <= synced:
            now = time.monotonic()
            fam = self.families.get(family)
            usr = self.users.get(user_id)
            if fam is not None and usr is not None and fam[1] > now and usr[2] > now:
                self.hits += 1
                return _clone(usr[0])
        self.misses += 1
        user, revoked = await sync_to_async(_query_full)(user_id, family)
        self._store(user_id, family, user, revoked, stamped=now_epoch)
        if revoked or user is None or not user.is_active:
            return None
        return _clone(user)

    def _store(
        self, user_id: int, family: str, user: User | None, revoked: bool, *, stamped: int
    ) -> None:
        with self._lock:
            if revoked:
                self._add_revoked(family)
                return
            if stamped < self.floor or user is None or family in self.revoked:
                return
            expires = time.monotonic() + ENTRY_TTL
            if len(self.families) >= MAX_ENTRIES:
                self.families.clear()
            self.families[family] = (stamped, expires)
            if self.user_changed.get(user_id, -1) <= stamped and user.is_active:
                if len(self.users) >= MAX_ENTRIES:
                    self.users.clear()
                self.users[user_id] = (user, stamped, expires)

    async def start(self) -> None:
        """Synchronise to the current epoch (start-up; else the first request does)."""
        self._observe(await epoch_mod.store().aget())

    def _observe(self, now_epoch: int) -> None:
        if self.synced is None:
            with self._lock:
                if self.synced is None:  # first use: nothing cached, start from here
                    self.synced = self.floor = now_epoch
                    self._pending = {e for e in self._pending if e > now_epoch}
            return
        if now_epoch < self.synced:
            # The counter went back (Redis lost its data): nothing it says can be trusted
            # against what was synchronised before.
            self.resync(now_epoch)
            return
        if now_epoch == self.synced:
            self._behind_since = None
            return
        mono = time.monotonic()
        if self._behind_since is None:
            self._behind_since = mono
        elif mono - self._behind_since > RESYNC_AFTER:
            self.resync(now_epoch)

    def resync(self, now_epoch: int) -> None:
        """Events up to ``now_epoch`` went missing: forget what they could have changed."""
        with self._lock:
            logger.warning("auth events missing up to epoch %s: cache cleared", now_epoch)
            self.users.clear()
            self.families.clear()
            self.synced = self.floor = now_epoch
            self._pending = {e for e in self._pending if e > self.synced}
            self._advance()
            self._behind_since = None

    # -- events ----------------------------------------------------------------------------
    def apply(self, event: dict[str, Any]) -> None:
        """Apply one auth event (idempotent); then close the sockets it ends."""
        kind, number = event.get("type"), int(event.get("epoch", 0))
        family = event.get("family")
        user_id = event.get("user")
        with self._lock:
            if kind == "auth.revoke" and family:
                self._add_revoked(str(family))
                self.families.pop(str(family), None)
            elif kind == "auth.user_changed" and user_id is not None:
                uid = int(user_id)
                self.users.pop(uid, None)
                self.user_changed[uid] = max(self.user_changed.get(uid, 0), number)
            else:
                return
            # Removal first, then the epoch: a reader that sees the new ``synced`` sees it.
            if self.synced is not None and number > self.synced:
                self._pending.add(number)
                self._advance()
        if kind == "auth.revoke":
            self._close(family=str(family), user_id=None)
        elif not event.get("active", True):
            self._close(family=None, user_id=int(user_id))  # type: ignore[arg-type]

    def _advance(self) -> None:
        assert self.synced is not None
        while self.synced + 1 in self._pending:
            self.synced += 1
            self._pending.discard(self.synced)

    def _add_revoked(self, family: str) -> None:
        self.revoked[family] = None
        self.revoked.move_to_end(family)
        while len(self.revoked) > MAX_REVOKED:
            self.revoked.popitem(last=False)

    def _close(self, *, family: str | None, user_id: int | None) -> None:
        for closer in self.closers:
            try:
                closer(family=family, user_id=user_id)
            except Exception:
                logger.exception("closing revoked sockets failed")

    def clear(self) -> None:
        """Forget everything (tests)."""
        with self._lock:
            self.users.clear()
            self.families.clear()
            self.revoked.clear()
            self.user_changed.clear()
            self.synced, self.floor, self._pending = None, 0, set()
            self._behind_since = None


cache = AuthCache()


def _clone(user: User) -> User:
    """A private copy for one request: views may change ``request.user``."""
    clone = copy.copy(user)
    clone.default_params = copy.deepcopy(user.default_params)
    return clone


def _query_full(user_id: int, family: str) -> tuple[User | None, bool]:
    """The user (active or not) and whether the family is revoked: one query."""
    revoked = RefreshToken.objects.filter(family=family, revoked_at__isnull=False)
    user = User.objects.filter(pk=user_id).annotate(family_revoked=Exists(revoked)).first()
    if user is None:
        return None, bool(RefreshToken.objects.filter(family=family, revoked_at__isnull=False))
    return user, bool(user.family_revoked)  # type: ignore[attr-defined]


def _query(user_id: int, family: str) -> User | None:
    user, revoked = _query_full(user_id, family)
    return None if revoked or user is None or not user.is_active else user


# -- publishing (sync: called after the commit, in the thread that wrote) --------------------
def _publish(event: dict[str, Any]) -> None:
    from channels.layers import InMemoryChannelLayer, get_channel_layer

    layer = get_channel_layer()
    if layer is None or isinstance(layer, InMemoryChannelLayer):
        return  # one process: applying it here was all there was to do
    try:
        async_to_sync(layer.group_send)(AUTH_GROUP, event)
    except Exception:
        # The epoch is bumped: other processes refuse the token anyway (their cache is
        # behind), and resynchronise after RESYNC_AFTER seconds.
        logger.exception("publishing %s failed", event["type"])


def family_revoked(family: str) -> None:
    event = {
        "type": "auth.revoke",
        "group": AUTH_GROUP,
        "family": str(family),
        "epoch": epoch_mod.store().bump(),
    }
    cache.apply(event)
    _publish(event)


def user_changed(user_id: int, *, active: bool) -> None:
    event = {
        "type": "auth.user_changed",
        "group": AUTH_GROUP,
        "user": int(user_id),
        "active": bool(active),
        "epoch": epoch_mod.store().bump(),
    }
    cache.apply(event)
    _publish(event)


def on_layer_message(message: dict[str, Any]) -> None:
    """The hub's listener for :data:`AUTH_GROUP`."""
    cache.apply(message)
