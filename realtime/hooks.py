"""Functions the web layer registers so ``realtime`` never imports it.

- ``authenticate(token) -> user | None``: a sync function (it may query the database once;
  the consumer calls it through ``database_sync_to_async``) or a coroutine function (awaited).
- ``session_key(token) -> str | None``: what a revocation of this token is announced under
  (the web layer: its refresh family); :func:`realtime.sessions.close` closes the
  connections authenticated with it.
- ``authorize(user, topic) -> bool``: async; may the user subscribe to the topic?
- ``replay(user, topic, since_seq) -> list[event]``: async; stored events after ``since_seq``,
  in order, at most ``replay_limit`` of them (a full page means more remain: the consumer
  then sends a ``resync`` frame and the client continues from the last one).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

Authenticate = Callable[[str], Any]
SessionKey = Callable[[str], "str | None"]
Authorize = Callable[[Any, "Topic"], Awaitable[bool]]
Replay = Callable[[Any, "Topic", int], Awaitable[list[dict[str, Any]]]]


@dataclass(frozen=True)
class Topic:
    kind: str  # "pair" | "task" | "signals"
    key: str  # the id after the colon, "" for "signals"

    @property
    def name(self) -> str:
        return f"{self.kind}:{self.key}" if self.key else self.kind

    @property
    def group(self) -> str:
        # Channels group names allow letters, digits, hyphens, underscores and periods.
        return f"titan.{self.kind}.{self.key}" if self.key else f"titan.{self.kind}"


@dataclass
class _Registry:
    authenticate: Authenticate | None = None
    session_key: SessionKey | None = None
    authorize: Authorize | None = None
    replay: Replay | None = None
    replay_limit: int = 0


registry = _Registry()


def register(
    *,
    authenticate: Authenticate | None = None,
    session_key: SessionKey | None = None,
    authorize: Authorize | None = None,
    replay: Replay | None = None,
    replay_limit: int | None = None,
) -> None:
    if authenticate is not None:
        registry.authenticate = authenticate
    if session_key is not None:
        registry.session_key = session_key
    if authorize is not None:
        registry.authorize = authorize
    if replay is not None:
        registry.replay = replay
    if replay_limit is not None:
        registry.replay_limit = replay_limit
