from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "titan_web.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from django.core import checks

        from realtime import hooks
        from routing.checks import check_cross_alias_relations
        from titan_web.accounts.tokens import user_for_access_token

        checks.register(check_cross_alias_relations, "database")
        hooks.register(authenticate=user_for_access_token)
