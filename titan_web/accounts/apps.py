from typing import Any

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "titan_web.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from django.core import checks
        from django.db.models.signals import post_delete, post_save

        from realtime import hooks, sessions
        from routing.checks import check_cross_alias_relations
        from titan_web.accounts import authcache
        from titan_web.accounts.models import User
        from titan_web.accounts.tokens import auser_for_access_token, family_of
        from titan_web.common.lifespan import on_startup

        checks.register(check_cross_alias_relations, "database")
        hooks.register(authenticate=auser_for_access_token, session_key=family_of)
        if sessions.close not in authcache.cache.closers:
            authcache.cache.closers.append(sessions.close)
        post_save.connect(_user_saved, sender=User, dispatch_uid="titan-authcache-save")
        post_delete.connect(_user_deleted, sender=User, dispatch_uid="titan-authcache-delete")
        on_startup(_follow_auth_events)


def _user_saved(sender: Any, instance: Any, created: bool = False, **kwargs: Any) -> None:
    if created:
        return  # nothing can hold a token of a user created just now
    from django.db import transaction

    from titan_web.accounts import authcache

    user_id, active = instance.pk, bool(instance.is_active)
    transaction.on_commit(lambda: authcache.user_changed(user_id, active=active))


def _user_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    from django.db import transaction

    from titan_web.accounts import authcache

    user_id = instance.pk
    transaction.on_commit(lambda: authcache.user_changed(user_id, active=False))


async def _follow_auth_events() -> None:
    """Join the auth group before serving, and start the cache at the current epoch."""
    from realtime.fanout import hub
    from titan_web.accounts import authcache

    await hub.listen(authcache.AUTH_GROUP, authcache.on_layer_message)
    await authcache.cache.start()
